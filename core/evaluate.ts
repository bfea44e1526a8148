import { formatDefinition, isTerraform } from './formats';
import type { ModuleCall } from './formats';
import type { ExprNode, Node, ParsedFile, Resource, ScalarNode } from './model';
import { entry, get, isExpr, isList, isMap, isScalar, items, str } from './nodes';
import type { Project } from './project';
import { basenameOf, dirnameOf } from './uri';

/**
 * What a value can be, without running anything: literals as they are; Terraform `var.x` (from
 * `terraform.tfvars` / `*.auto.tfvars`, else the variable's default), `local.x`, templates whose
 * interpolations all resolve, both results of a conditional, `lookup`, `element` and literal keys and indexes; CloudFormation `Ref` to a parameter's `Default`, both branches of `Fn::If`,
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
}

const MAX_DEPTH = 8;

/** The expression a rule asked about, which argument uses are recorded against (evaluation is synchronous). */
let asked: Node | undefined;

export function evaluate(node: Node | undefined, ctx: EvalContext, depth = 0): Evaluation {
  if (node === undefined) return { values: [], unresolved: [] };
  if (!isExpr(node)) return { values: [node], unresolved: [] };
  if (depth > MAX_DEPTH) return { values: [], unresolved: [node.text] };
  const outer = asked;
  if (depth === 0) asked = node;
  try {
    const resolved = isTerraform(ctx.file.format)
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

/** Every literal item of a value that may be a list (a list literal, or a reference to one), flattened. */
export function evaluateItems(node: Node | undefined, ctx: EvalContext): Evaluation {
  const out: Evaluation = { values: [], unresolved: [] };
  for (const item of isList(node) ? node.items : node ? [node] : []) {
    const e = evaluate(item, ctx);
    out.unresolved.push(...e.unresolved);
    for (const v of e.values) out.values.push(...items(v));
  }
  return out;
}

function merge(...parts: Evaluation[]): Evaluation {
  return { values: parts.flatMap((p) => p.values), unresolved: parts.flatMap((p) => p.unresolved) };
}

function synthetic(value: string, at: Node): ScalarNode {
  return { kind: 'scalar', value, span: at.span, path: at.path };
}

// ---------------------------------------------------------------- Terraform

const TF_REF = /^(var|local)\.([A-Za-z_][A-Za-z0-9_-]*)$/;
const TF_INTERPOLATION = /\$\{\s*((?:var|local)\.[A-Za-z_][A-Za-z0-9_-]*)\s*\}/g;
/** `var.m["k"]`, `var.l[0]`, `local.o.k`: a variable or local, then literal keys and indexes. */
const TF_ACCESS = /^((?:var|local)\.[A-Za-z_][A-Za-z0-9_-]*)((?:\[\s*(?:"[^"\\$]*"|\d+)\s*\]|\.[A-Za-z_][A-Za-z0-9_-]*)+)$/;
const TF_ACCESSOR = /\[\s*"([^"]*)"\s*\]|\[\s*(\d+)\s*\]|\.([A-Za-z_][A-Za-z0-9_-]*)/g;

/**
 * The two results of `cond ? a : b` as nodes: a quoted literal or a number as a scalar at its place, anything else
 * as an expression of its text (a reference, an index, another conditional). Read from the expression's text, not
 * the syntax tree, so that converting a document on every keystroke does not pay for conditionals no rule asks
 * about. Undefined when the text is not a conditional at its top level, or holds heredocs or template directives.
 */
function conditionalResults(node: ExprNode): Node[] | undefined {
  const text = node.text;
  if (!text.includes('?') || text.includes('<<') || text.length > 2000) return undefined;
  let depth = 0;
  let question = -1;
  let nested = 0;
  let colon = -1;
  for (let i = 0; i < text.length && colon < 0; i++) {
    const c = text[i];
    if (c === '"') {
      // A quoted string, escapes and `${...}` holes skipped (a hole's own quotes end at its closing brace).
      for (i++; i < text.length && text[i] !== '"'; i++) {
        if (text[i] === '\\') i++;
        else if (text[i] === '$' && text[i + 1] === '{') return undefined;
      }
    } else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (depth === 0 && c === '?') {
      if (question < 0) question = i;
      else nested++;
    } else if (depth === 0 && c === ':' && question >= 0) {
      if (nested === 0) colon = i;
      else nested--;
    }
  }
  if (question < 0 || colon < 0) return undefined;
  return [branch(node, question + 1, colon), branch(node, colon + 1, text.length)];
}

function branch(node: ExprNode, from: number, to: number): Node {
  const raw = node.text.slice(from, to);
  const lead = raw.length - raw.trimStart().length;
  const part = raw.trim();
  const start = node.span.start + from + lead;
  const span = { ...node.span, start, end: start + part.length };
  const quoted = /^"((?:[^"\\$%]|\\.)*)"$/.exec(part);
  if (quoted) {
    const value = quoted[1].replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c));
    return { kind: 'scalar', value, span, path: node.path, contentSpan: { ...span, start: start + 1, end: start + part.length - 1 } };
  }
  if (/^-?\d+(?:\.\d+)?$/.test(part)) return { kind: 'scalar', value: Number(part), span, path: node.path, contentSpan: span };
  return { kind: 'expr', span, path: node.path, text: part, refs: node.refs?.filter((r) => part.includes(r)) ?? [] };
}

/** The string values a key argument can take; none when it cannot be read (`!Ref AWS::Region`). */
function keyValues(arg: Node | undefined, ctx: EvalContext, depth: number): string[] {
  return evaluate(arg, ctx, depth + 1)
    .values.map(str)
    .filter((s): s is string => s !== undefined);
}

/** The values under any of `keys` of the maps among `values` (every value of theirs when no key is known). */
function entriesAt(values: Node[], keys: readonly string[]): Node[] {
  return values.flatMap((m) =>
    isMap(m) ? (keys.length === 0 ? m.entries.map((e) => e.value) : keys.map((k) => get(m, k)).filter((v): v is Node => v !== undefined)) : [],
  );
}

/** `lookup(map, key, default)`: the entry of each map the first argument can be (every entry for an unknown key), else the default. */
function lookup(node: ExprNode, args: Node[], ctx: EvalContext, depth: number): Evaluation {
  const maps = evaluate(args[0], ctx, depth + 1);
  const keys = keyValues(args[1], ctx, depth);
  const found = entriesAt(maps.values, keys);
  const parts = found.map((v) => evaluate(v, ctx, depth + 1));
  if (args[2] !== undefined && (found.length === 0 || keys.length === 0)) parts.push(evaluate(args[2], ctx, depth + 1));
  return parts.length ? merge(...parts) : { values: [], unresolved: [node.text.trim(), ...maps.unresolved] };
}

/**
 * An item of the lists `lists` can be, at an index read from `index` (any item when it cannot be read). `wrap`:
 * an index past the end counts from the start again, as Terraform's `element` does.
 */
function pick(node: ExprNode, lists: Evaluation, index: Node | undefined, ctx: EvalContext, depth: number, wrap = true): Evaluation {
  const written = keyValues(index, ctx, depth);
  const at = written.map(Number).filter((i) => Number.isInteger(i) && i >= 0);
  const items = lists.values
    .filter(isList)
    .flatMap((l) => (written.length === 0 ? l.items : at.map((i) => l.items[wrap ? i % Math.max(1, l.items.length) : i])));
  const present = items.filter((v): v is Node => v !== undefined);
  return present.length ? merge(...present.map((v) => evaluate(v, ctx, depth + 1))) : { values: [], unresolved: [node.text.trim(), ...lists.unresolved] };
}

/** `var.m["k"]`, `var.l[0]`, `local.o.k`: the base resolved, then each key or index taken in turn. */
function accessed(node: ExprNode, base: string, path: string, ctx: EvalContext, depth: number): Evaluation {
  const start = evaluate({ ...node, text: base, fn: undefined, args: undefined, literalParts: undefined }, ctx, depth + 1);
  let level = start.values;
  for (const m of path.matchAll(TF_ACCESSOR)) {
    const key = m[1] ?? m[3];
    level =
      key !== undefined
        ? entriesAt(level, [key])
        : level
            .filter(isList)
            .map((l) => l.items[Number(m[2])])
            .filter((v): v is Node => v !== undefined);
  }
  return level.length ? merge(...level.map((v) => evaluate(v, ctx, depth + 1))) : { values: [], unresolved: [node.text.trim(), ...start.unresolved] };
}

function terraform(node: ExprNode, ctx: EvalContext, depth: number): Evaluation | undefined {
  const text = node.text.trim();
  const ref = TF_REF.exec(text);
  if (ref) return ref[1] === 'var' ? variable(ref[2], node, ctx, depth) : local(ref[2], node, ctx, depth);
  const args = node.args ?? [];
  // `cond ? a : b`: either result, as CloudFormation's `Fn::If`.
  const branches = node.fn ? undefined : conditionalResults(node);
  if (branches) return merge(...branches.map((b) => evaluate(b, ctx, depth + 1)));
  if (node.fn === 'lookup' && args.length >= 2) return lookup(node, args, ctx, depth);
  if (node.fn === 'element' && args.length === 2) return pick(node, evaluate(args[0], ctx, depth + 1), args[1], ctx, depth);
  const access = TF_ACCESS.exec(text);
  if (access) return accessed(node, access[1], access[2], ctx, depth);
  // "${var.prefix}-logs": resolvable when every interpolation is a plain var/local reference.
  if (text.startsWith('"') && node.literalParts) {
    const holes = [...text.matchAll(/\$\{/g)].length;
    const simple = [...text.matchAll(TF_INTERPOLATION)];
    if (holes !== simple.length || /%\{/.test(text)) return undefined;
    const parts: string[][] = [];
    const unresolved: string[] = [];
    for (const m of simple) {
      const e = evaluateStrings({ ...node, text: m[1], literalParts: undefined }, ctx);
      unresolved.push(...e.unresolved);
      parts.push(e.strings.length === 1 ? e.strings : []);
    }
    if (unresolved.length || parts.some((p) => p.length !== 1)) return { values: [], unresolved: unresolved.length ? unresolved : [text] };
    let value = node.literalParts[0] ?? '';
    parts.forEach((p, i) => {
      value += p[0] + (node.literalParts![i + 1] ?? '');
    });
    return { values: [synthetic(value, node)], unresolved: [] };
  }
  return undefined;
}

function isTfvars(uri: string): boolean {
  const base = basenameOf(uri);
  return base === 'terraform.tfvars' || base.endsWith('.auto.tfvars') || base === 'terraform.tfvars.json' || base.endsWith('.auto.tfvars.json');
}

/** `var.name` inside a called module: the call's argument, recorded as a use; undefined when the call does not set it. */
function argument(name: string, call: ModuleCall, ctx: EvalContext, depth: number): Evaluation | undefined {
  const arg = entry(call.block.body, name);
  if (!arg) return undefined;
  if (asked) call.uses.push({ uri: ctx.file.uri, span: asked.span, argument: arg, call });
  const outer = asked;
  asked = arg.value;
  try {
    return evaluate(arg.value, { file: call.caller, project: ctx.project, call: call.parent }, depth + 1);
  } finally {
    asked = outer;
  }
}

function variable(name: string, at: ExprNode, ctx: EvalContext, depth: number): Evaluation {
  const call = ctx.call && dirnameOf(ctx.file.uri) === ctx.call.folder ? ctx.call : undefined;
  if (call) {
    const passed = argument(name, call, ctx, depth);
    if (passed) return passed;
  }
  const files = ctx.project.module(ctx.file, (text) => text.includes(name));
  // Terraform loads terraform.tfvars first, then *.auto.tfvars in lexical order; the last one wins.
  const tfvars = call ? [] : files.filter((f) => isTfvars(f.uri)).sort((a, b) => tfvarsOrder(a.uri) - tfvarsOrder(b.uri) || a.uri.localeCompare(b.uri));
  let assigned: Node | undefined;
  for (const f of tfvars) assigned = get(f.roots[0], name) ?? assigned;
  if (assigned) return evaluate(assigned, { ...ctx }, depth + 1);
  for (const f of files) {
    const v = variablesOf(f).get(name);
    if (!v) continue;
    const def = get(v.body, 'default');
    if (def === undefined || (isScalar(def) && def.value === null)) return { values: [], unresolved: [at.text.trim()] };
    return evaluate(def, { ...ctx, file: f }, depth + 1);
  }
  return { values: [], unresolved: [at.text.trim()] };
}

/** Each file's `variable` blocks by name, made once: a module evaluates many references against the same files. */
const variableIndex = new WeakMap<ParsedFile, Map<string, Resource>>();

function variablesOf(file: ParsedFile): Map<string, Resource> {
  let index = variableIndex.get(file);
  if (!index) {
    index = new Map();
    // The first declaration wins, as the search it replaces found it.
    for (const r of file.resources) if (r.kind === 'variable' && !index.has(r.name)) index.set(r.name, r);
    variableIndex.set(file, index);
  }
  return index;
}

function tfvarsOrder(uri: string): number {
  return basenameOf(uri).startsWith('terraform.tfvars') ? 0 : 1;
}

function local(name: string, at: ExprNode, ctx: EvalContext, depth: number): Evaluation {
  for (const f of ctx.project.module(ctx.file, (text) => text.includes(name))) {
    for (const r of f.resources) {
      if (r.kind !== 'locals') continue;
      const v = get(r.body, name);
      if (v !== undefined) return evaluate(v, { ...ctx, file: f }, depth + 1);
    }
  }
  return { values: [], unresolved: [at.text.trim()] };
}

// ---------------------------------------------------------------- CloudFormation

function parameterDefault(name: string, ctx: EvalContext): Node | undefined {
  const p = ctx.file.resources.find((r) => r.kind === 'parameter' && r.name === name);
  return p ? get(p.body, 'Default') : undefined;
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
 * (`!Ref AWS::Region`, a parameter without a default) can be any entry of its level: every one is a value it can be.
 */
function findInMap(node: ExprNode, ctx: EvalContext, depth: number): Evaluation {
  const args = node.args ?? [];
  let level: Node[] = ctx.file.roots.map((root) => get(root, 'Mappings')).filter(isMap);
  for (const arg of args.slice(0, 3)) level = entriesAt(level, keyValues(arg, ctx, depth));
  if (args.length < 3 || level.length === 0) return { values: [], unresolved: [node.text.trim()] };
  return merge(...level.map((v) => evaluate(v, ctx, depth + 1)));
}

/** `Fn::Select [index, list]`: the item at a literal index of a list the template writes; any item when the index is unknown. */
function select(node: ExprNode, ctx: EvalContext, depth: number): Evaluation {
  const [indexArg, listArg] = node.args ?? [];
  return pick(node, evaluate(listArg, ctx, depth + 1), indexArg, ctx, depth, false);
}
