import { entriesAt, terraform } from './evaluate-terraform';
import { closureContext } from './terraform-for';
import { keyValues, pick } from './terraform-functions';
import { formatDefinition, hasTerraformExpressions } from './formats';
import type { ArgumentUse, ModuleCall } from './formats';
import type { Entry, ExprNode, Node, ParsedFile, ScalarNode } from './model';
import { get, isExpr, isList, isMap, items, str } from './nodes';
import type { Project } from './project';

/**
 * What a value can be, without running anything: literals as they are; Terraform values as
 * `evaluate-terraform.ts` reads them (variables from tfvars files or defaults, locals, module outputs, `each`
 * and `count`, keys and indexes, both results of a conditional, for-expressions, templates and the functions
 * that pass values on); CloudFormation `Ref` to a parameter's `Default`, both branches of `Fn::If`,
 * `Fn::Sub` over resolvable names, `Fn::FindInMap` into the template's `Mappings` and `Fn::Select` from a list; other formats' references as their format resolves them (Helm's
 * `.Values.x` from the chart's `values.yaml`).
 *
 * A verdict that hinges on something unresolved must not become a false positive: `unresolved` names
 * what could not be read, so a rule can say so (an info finding) or stay silent.
 *
 * Inside a called local module (`ctx.call`), `var.x` is the call's argument `x` (read in the calling file),
 * else the variable's default: a called module's own tfvars are not read, as Terraform does not. Each use of
 * an argument is recorded on the call (`ModuleCall.uses`) against the expression a rule asked about.
 */

export interface Evaluation {
  /** Literal nodes (scalars, maps, lists) the value can be. Resolved nodes keep the span of their definition. */
  values: Node[];
  /** References that could not be resolved, as written (`var.allowed_cidr`, `!Ref AdminCidr`). */
  unresolved: string[];
}

export interface EvalContext {
  file: ParsedFile;
  project: Project;
  /** The local module call `file`'s module is analysed through (see `module-calls.ts`). */
  call?: ModuleCall;
  /** Names bound where the value is read: a for-expression's variables, `each` of an iterated block. */
  scope?: Scope;
  /**
   * Read only what the code itself fixes: literals, locals, a call's arguments and a called module's defaults. A
   * variable of the module analysed at the top (which its tfvars or the command line may set) is unknown then.
   */
  fixedOnly?: boolean;
}

/** Names a Terraform expression can read besides the module's: for-expression variables, iterators, `each`. */
export type Scope = ReadonlyMap<string, Node>;

/**
 * How many expressions have been evaluated in this process: an operation count the linearity tests compare
 * between an input and one four times its size.
 */
export const evaluations = { count: 0 };

const MAX_DEPTH = 8;

/** The expression a rule asked about, which argument uses are recorded against (evaluation is synchronous). */
let asked: Node | undefined;

export function evaluate(node: Node | undefined, ctx: EvalContext, depth = 0): Evaluation {
  evaluations.count++;
  if (node === undefined) return { values: [], unresolved: [] };
  if (!isExpr(node)) return { values: [node], unresolved: [] };
  if (depth > MAX_DEPTH) return { values: [], unresolved: [node.text] };
  ctx = closureContext(node, ctx) ?? ctx;
  const outer = asked;
  if (depth === 0) asked = node;
  try {
    const resolved = hasTerraformExpressions(ctx.file.format)
      ? terraform(node, ctx, depth)
      : ctx.file.format === 'cloudformation'
        ? cloudFormation(node, ctx, depth)
        : formatDefinition(ctx.file.format).resolve?.(node, ctx.file, ctx.project);
    return resolved ?? { values: [], unresolved: [node.text] };
  } finally {
    asked = outer;
  }
}

/** The literal strings a value can be (numbers and booleans as text), plus what stayed unresolved. */
export function evaluateStrings(node: Node | undefined, ctx: EvalContext): { strings: string[]; unresolved: string[] } {
  const e = evaluate(node, ctx);
  return { strings: e.values.map(str).filter((s): s is string => s !== undefined), unresolved: e.unresolved };
}

/**
 * Every literal item of a value that may be a list (a list literal, or a reference to one), flattened: an item
 * that is itself an expression (`[var.office, "10.0.0.0/8"]` in a local) is read too.
 */
export function evaluateItems(node: Node | undefined, ctx: EvalContext): Evaluation {
  const out: Evaluation = { values: [], unresolved: [] };
  const add = (n: Node, depth: number) => {
    if (!isExpr(n)) {
      out.values.push(n);
      return;
    }
    const e = evaluate(n, ctx, depth);
    out.unresolved.push(...e.unresolved);
    for (const v of e.values) for (const i of items(v)) add(i, depth + 2);
  };
  for (const item of isList(node) ? node.items : node ? [node] : []) add(item, 0);
  return out;
}

/** Runs `read` with `node` as the expression argument uses are recorded against (a called module's argument). */
export function withAsked<T>(node: Node, read: () => T): T {
  const outer = asked;
  asked = node;
  try {
    return read();
  } finally {
    asked = outer;
  }
}

const recorded = new WeakMap<ModuleCall, Set<string>>();

/**
 * Records that an argument of `call` decides the value of the expression a rule asked about in `uri`, once: every
 * rule reads a called module through the same call, and many ask about the same expressions.
 */
export function recordUse(call: ModuleCall, uri: string, argument: Entry): void {
  if (!asked) return;
  let seen = recorded.get(call);
  if (!seen) recorded.set(call, (seen = new Set()));
  const key = `${uri}\0${asked.span.start}:${asked.span.end}\0${argument.value.span.start}:${argument.value.span.end}`;
  if (seen.has(key)) return;
  seen.add(key);
  call.uses.push({ uri, span: asked.span, argument, call } satisfies ArgumentUse);
}

function merge(...parts: Evaluation[]): Evaluation {
  return { values: parts.flatMap((p) => p.values), unresolved: parts.flatMap((p) => p.unresolved) };
}

function synthetic(value: string, at: Node): ScalarNode {
  return { kind: 'scalar', value, span: at.span, path: at.path };
}

export { withBinding } from './terraform-for';
export { eachObject, forEachEntries, neverCreated, type ForEachEntry } from './terraform-values';

// ---------------------------------------------------------------- CloudFormation

function parameterDefault(name: string, ctx: EvalContext): Node | undefined {
  const p = ctx.file.resources.find((r) => r.kind === 'parameter' && r.name === name);
  return p ? get(p.body, 'Default') : undefined;
}

/** The keys a `Ref` to a template parameter can be: its `AllowedValues`, or none known (any entry). */
function parameterKeys(arg: Node | undefined, ctx: EvalContext): string[] | undefined {
  if (!isExpr(arg) || arg.fn !== 'Ref') return undefined;
  const name = str(arg.args?.[0]);
  const p = ctx.file.resources.find((r) => r.kind === 'parameter' && r.name === name);
  if (!p) return undefined;
  const allowed = get(p.body, 'AllowedValues');
  return isList(allowed) ? allowed.items.map(str).filter((s): s is string => s !== undefined) : [];
}

function cloudFormation(node: ExprNode, ctx: EvalContext, depth: number): Evaluation | undefined {
  const args = node.args ?? [];
  switch (node.fn) {
    case 'Ref': {
      const name = str(args[0]);
      const def = name ? parameterDefault(name, ctx) : undefined;
      return def ? evaluate(def, ctx, depth + 1) : { values: [], unresolved: [`!Ref ${name ?? '?'}`] };
    }
    case 'Fn::If':
      return merge(evaluate(args[1], ctx, depth + 1), evaluate(args[2], ctx, depth + 1));
    case 'Fn::Sub': {
      const template = str(args[0]);
      if (template === undefined) return undefined;
      const vars = isMap(args[1]) ? args[1] : undefined;
      const unresolved: string[] = [];
      const value = template.replace(/\$\{([^}!]+)\}/g, (whole, name: string) => {
        const local = get(vars, name);
        const e = local
          ? evaluateStrings(local, ctx)
          : (() => {
              const def = parameterDefault(name, ctx);
              return def ? evaluateStrings(def, ctx) : { strings: [], unresolved: [`\${${name}}`] };
            })();
        if (e.strings.length !== 1) {
          unresolved.push(...(e.unresolved.length ? e.unresolved : [whole]));
          return whole;
        }
        return e.strings[0];
      });
      return unresolved.length ? { values: [], unresolved } : { values: [synthetic(value, node)], unresolved: [] };
    }
    case 'Fn::FindInMap':
      return findInMap(node, ctx, depth);
    case 'Fn::Select':
      return select(node, ctx, depth);
    default:
      return undefined;
  }
}

/**
 * `Fn::FindInMap [Map, TopKey, SecondKey]` into the template's `Mappings`. A key known only at deployment
 * (`!Ref AWS::Region`, a parameter) can be any entry of its level: every one is a value it can be. A parameter's
 * `Default` is only the key chosen when the stack is given none; its `AllowedValues`, when written, are the keys
 * it can be.
 */
function findInMap(node: ExprNode, ctx: EvalContext, depth: number): Evaluation {
  const args = node.args ?? [];
  let level: Node[] = ctx.file.roots.map((root) => get(root, 'Mappings')).filter(isMap);
  for (const arg of args.slice(0, 3)) level = entriesAt(level, parameterKeys(arg, ctx) ?? keyValues(arg, ctx, depth));
  if (args.length < 3 || level.length === 0) return { values: [], unresolved: [node.text.trim()] };
  return merge(...level.map((v) => evaluate(v, ctx, depth + 1)));
}

/** `Fn::Select [index, list]`: the item at a literal index of a list the template writes; any item when the index is unknown. */
function select(node: ExprNode, ctx: EvalContext, depth: number): Evaluation {
  const [indexArg, listArg] = node.args ?? [];
  return pick(node, evaluate(listArg, ctx, depth + 1), indexArg, ctx, depth, false);
}
