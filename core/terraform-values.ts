import { type EvalContext, type Evaluation, evaluate, recordUse, withAsked } from './evaluate';
import type { ModuleCall } from './formats';
import type { ExprNode, MapNode, Node, ParsedFile, Resource, Span } from './model';
import { entry, get, isExpr, isList, isMap, isScalar, str } from './nodes';
import type { Project } from './project';
import { callsOf } from './local-calls';
import { partitionPoint } from './sorted';
import { basenameOf, dirnameOf } from './uri';
import { MAX_ITEMS, moduleLevel, none, synthetic } from './evaluate-terraform';
import { closedOver } from './terraform-for';

/**
 * Terraform names as `evaluate` reads them (see `evaluate-terraform.ts`): `var.x` (a call's argument, the last
 * tfvars value, the default), `local.x`, a local module's outputs, and `each` / `count` of the enclosing block.
 */

// ---------------------------------------------------------------- variables, locals, module outputs

export function isTfvars(uri: string): boolean {
  const base = basenameOf(uri);
  return base === 'terraform.tfvars' || base.endsWith('.auto.tfvars') || base === 'terraform.tfvars.json' || base.endsWith('.auto.tfvars.json');
}

/**
 * Terraform loads `terraform.tfvars`, then `terraform.tfvars.json`, then the `*.auto.tfvars(.json)` files in
 * lexical order of their names (Go's byte order: `network-x` before `network.`, `Z` before `a`); a later one wins.
 */
function tfvarsOrder(a: ParsedFile, b: ParsedFile): number {
  const rank = (uri: string) => {
    const base = basenameOf(uri);
    return base === 'terraform.tfvars' ? 0 : base === 'terraform.tfvars.json' ? 1 : 2;
  };
  const x = basenameOf(a.uri);
  const y = basenameOf(b.uri);
  return rank(a.uri) - rank(b.uri) || (x < y ? -1 : x > y ? 1 : 0);
}

/** `var.name` inside a called module: the call's argument, recorded as a use; undefined when the call does not set it. */
export function argument(name: string, call: ModuleCall, ctx: EvalContext, depth: number): Evaluation | undefined {
  const arg = entry(call.block.body, name);
  if (!arg) return undefined;
  // A condition read to pick a result decides no value of its own: it is no use of the argument.
  if (!ctx.fixedOnly) recordUse(call, ctx.file.uri, arg);
  // An instance of a call with `for_each` reads its own item as `each`.
  const scope = call.each ? new Map([['each', call.each as Node]]) : undefined;
  const at: EvalContext = { file: call.caller, project: ctx.project, call: call.parent, scope, fixedOnly: ctx.fixedOnly };
  return withAsked(arg.value, () => closedOver(evaluate(arg.value, at, depth + 1), at));
}

/** Where a variable's value comes from: a tfvars assignment, its default (`null` included), or nowhere. */
function variableSource(name: string, ctx: EvalContext): { node?: Node; file?: ParsedFile; isNull?: boolean } {
  const call = ctx.call && dirnameOf(ctx.file.uri) === ctx.call.folder ? ctx.call : undefined;
  // What the top module's tfvars or the command line may set is not fixed by the code.
  if (!call && ctx.fixedOnly) return {};
  // A called module's own tfvars are not read, as Terraform does not.
  if (!call) {
    const assigned = tfvarsValue(name, ctx);
    if (assigned) return assigned;
  }
  return declaredDefault(name, ctx);
}

/**
 * The value the last tfvars file of the module to set a variable gives it. Read once per project, file and name:
 * a module asks for the same variables from many rules and many expressions.
 */
function tfvarsValue(name: string, ctx: EvalContext): { node: Node; file: ParsedFile } | undefined {
  return ctx.project.derived(`tf-tfvars:${ctx.file.uri}:${name}`, () => {
    let found: { node: Node; file: ParsedFile } | undefined;
    const files = ctx.project.module(ctx.file, (text) => text.includes(name)).filter((f) => isTfvars(f.uri));
    for (const f of files.sort(tfvarsOrder)) {
      const v = get(f.roots[0], name);
      if (v !== undefined) found = { node: v, file: f };
    }
    return found;
  });
}

/** A variable's default, where it is declared (once per project, file and name, as `tfvarsValue`). */
function declaredDefault(name: string, ctx: EvalContext): { node?: Node; file?: ParsedFile; isNull?: boolean } {
  return ctx.project.derived(`tf-default:${ctx.file.uri}:${name}`, () => {
    for (const f of ctx.project.module(ctx.file, (text) => text.includes(name))) {
      const v = variablesOf(f).get(name);
      if (!v) continue;
      const def = get(v.body, 'default');
      if (def === undefined) return {};
      if (isScalar(def) && def.value === null) return { isNull: true };
      return { node: def, file: f };
    }
    return {};
  });
}

export function variable(name: string, text: string, ctx: EvalContext, depth: number): Evaluation {
  const call = ctx.call && dirnameOf(ctx.file.uri) === ctx.call.folder ? ctx.call : undefined;
  if (call) {
    const passed = argument(name, call, ctx, depth);
    if (passed) return passed;
  }
  const source = variableSource(name, ctx);
  if (!source.node) return none(text);
  // A tfvars value is read where the variable is used (the file it is written in is no module file).
  return evaluate(source.node, moduleLevel(ctx, isTfvars(source.file!.uri) ? ctx.file : source.file), depth + 1);
}

/** Whether a value is null where it is read: `null`, or a variable whose value is its `null` default. */
export function isNull(node: Node | undefined, ctx: EvalContext): boolean {
  if (isScalar(node)) return node.value === null;
  if (!isExpr(node)) return false;
  const m = /^var\.([A-Za-z_][\w-]*)$/.exec(node.text.trim());
  if (!m) return node.text.trim() === 'null';
  const call = ctx.call && dirnameOf(ctx.file.uri) === ctx.call.folder ? ctx.call : undefined;
  if (call && entry(call.block.body, m[1])) return false;
  return variableSource(m[1], ctx).isNull === true;
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

/** Each file's locals by name, made once (the first definition wins, as a search in file order finds it). */
const localIndex = new WeakMap<ParsedFile, Map<string, Node>>();

function localsOf(file: ParsedFile): Map<string, Node> {
  let index = localIndex.get(file);
  if (!index) {
    index = new Map();
    for (const r of file.resources) {
      if (r.kind !== 'locals') continue;
      for (const e of r.body.entries) if (!index.has(e.key)) index.set(e.key, e.value);
    }
    localIndex.set(file, index);
  }
  return index;
}

export function local(name: string, text: string, ctx: EvalContext, depth: number): Evaluation {
  const found = ctx.project.derived(`tf-local:${ctx.file.uri}:${name}`, () => {
    for (const file of ctx.project.module(ctx.file, (t) => t.includes(name))) {
      const node = localsOf(file).get(name);
      if (node !== undefined) return { node, file };
    }
    return undefined;
  });
  return found ? evaluate(found.node, moduleLevel(ctx, found.file), depth + 1) : none(text);
}

/** `module.NAME.OUTPUT` of a local module: the output's `value`, read in the module with the call's arguments. */
export function moduleOutput(name: string, output: string, ctx: EvalContext, depth: number): Evaluation {
  const text = `module.${name}.${output}`;
  if (ctx.file.format !== 'terraform') return none(text);
  for (const f of ctx.project.module(ctx.file, (t) => t.includes(name))) {
    const block = f.resources.find((r) => r.kind === 'module' && r.name === name);
    if (!block) continue;
    // A call with `count` or `for_each` is a list or map of modules: `module.m.out` does not read it.
    if (get(block.body, 'count') !== undefined || get(block.body, 'for_each') !== undefined) return none(text);
    const inner = callsOf(f, ctx.project, ctx.call).find((c) => c.block === block);
    if (!inner) return none(text);
    for (const file of ctx.project.filesAt(f.format, `${inner.folder}/`, (p) => p.text.includes(output))) {
      const out = file.resources.find((r) => r.kind === 'output' && r.name === output);
      const value = out && get(out.body, 'value');
      if (!value) continue;
      const at: EvalContext = { file, project: ctx.project, call: inner, fixedOnly: ctx.fixedOnly };
      return closedOver(evaluate(value, at, depth + 1), at);
    }
    return none(text);
  }
  return none(text);
}

// ---------------------------------------------------------------- each, count

/** The items a `for_each` (or a dynamic block's) value iterates: a map's entries, a list's or set's items. */
export interface ForEachEntry {
  /** The map key; for a list, its index. */
  key: Node;
  value: Node;
  /** A list item (a set in `for_each`, where `each.key` is the item itself). */
  listItem: boolean;
}

/**
 * What a `for_each` iterates, read through `evaluate`: the entries of the map, list or set it is. `known` is
 * false when any part cannot be read, and when the value is one of several alternatives (`cond ? [a] : []`):
 * which items the blocks get is not known then.
 */
export function forEachEntries(node: Node | undefined, ctx: EvalContext, depth = 0): { entries: ForEachEntry[]; known: boolean } {
  if (node === undefined) return { entries: [], known: false };
  const e = evaluate(node, ctx, depth);
  if (e.unresolved.length || e.values.length !== 1) return { entries: [], known: false };
  const entries: ForEachEntry[] = [];
  for (const v of e.values) {
    if (isList(v)) {
      for (let i = 0; i < v.items.length; i++) entries.push({ key: synthetic(i, v.items[i]), value: v.items[i], listItem: true });
    } else if (isMap(v))
      for (const x of v.entries) entries.push({ key: { kind: 'scalar', value: x.key, span: x.keySpan, path: x.value.path }, value: x.value, listItem: false });
    else return { entries: [], known: false };
    if (entries.length > MAX_ITEMS) return { entries: [], known: false };
  }
  return { entries, known: true };
}

/** `each` of an item: `each.key` (a set's item is its own key) and `each.value`. */
export function eachObject(x: ForEachEntry): MapNode {
  const key = x.listItem && isScalar(x.value) ? x.value : x.key;
  return {
    kind: 'map',
    span: x.value.span,
    path: x.value.path,
    entries: [
      { key: 'key', keySpan: key.span, value: key },
      { key: 'value', keySpan: x.value.span, value: x.value },
    ],
  };
}

/** The resources of a file in order of their start, for finding the block an expression is written in. */
const resourceStarts = new WeakMap<ParsedFile, Resource[]>();

export function enclosing(file: ParsedFile, node: Node): Resource | undefined {
  return resourceAt(file, node.span);
}

/** The block (resource, data source, module call, ...) a span of the file is written in. */
export function resourceAt(file: ParsedFile, span: Span): Resource | undefined {
  let list = resourceStarts.get(file);
  if (!list) {
    list = [...file.resources].sort((a, b) => a.span.start - b.span.start);
    resourceStarts.set(file, list);
  }
  const sorted = list;
  const i = partitionPoint(sorted.length, (k) => sorted[k].span.start <= span.start) - 1;
  const r = list[i];
  return r && span.end <= r.span.end ? r : undefined;
}

/** `each` and `count` of iterations already read, per project, block and module call (each is read once). */
const iterations = new WeakMap<Project, WeakMap<MapNode, Map<ModuleCall | undefined, Evaluation>>>();

/**
 * `each` or `count` where no for-expression or iterator binds it: the `for_each` / `count` of the resource,
 * data source or module call the expression is written in, every item (or index) an alternative.
 */
export function iteration(name: 'each' | 'count', node: ExprNode, ctx: EvalContext, depth: number): Evaluation {
  const r = enclosing(ctx.file, node);
  // Only an expression written where it is read has an enclosing block.
  if (!r || !ctx.file.text.startsWith(node.text, node.span.start)) return none(name);
  let byBody = iterations.get(ctx.project);
  if (!byBody) iterations.set(ctx.project, (byBody = new WeakMap()));
  let byCall = byBody.get(r.body);
  if (!byCall) byBody.set(r.body, (byCall = new Map()));
  // Read for a condition, iterations may not take a top module's variables: not kept.
  const done = ctx.fixedOnly ? undefined : byCall.get(ctx.call);
  if (done) return done;
  let out: Evaluation;
  if (name === 'each') {
    const items = forEachEntries(get(r.body, 'for_each'), moduleLevel(ctx), depth + 1);
    out = items.known ? { values: items.entries.map(eachObject), unresolved: [] } : none(name);
  } else {
    const counts = evaluate(get(r.body, 'count'), moduleLevel(ctx), depth + 1);
    const n = Math.max(-1, ...counts.values.map((v) => Number(str(v))).filter(Number.isInteger));
    out =
      counts.unresolved.length || n < 0 || n > MAX_ITEMS
        ? none(name)
        : {
            values: Array.from(
              { length: n },
              (_, i): MapNode => ({
                kind: 'map',
                span: r.nameSpan,
                path: [],
                entries: [{ key: 'index', keySpan: r.nameSpan, value: synthetic(i, r.body) }],
              }),
            ),
            unresolved: [],
          };
  }
  if (!ctx.fixedOnly) byCall.set(ctx.call, out);
  return out;
}

/**
 * Whether a resource is never created: `count` is 0 whatever its inputs, or `for_each` iterates nothing. A
 * `count` or `for_each` that depends on anything unknown (or on a condition) may create it.
 */
export function neverCreated(r: Resource, ctx: EvalContext): boolean {
  const count = get(r.body, 'count');
  if (count !== undefined) {
    const e = evaluate(count, moduleLevel(ctx));
    return e.unresolved.length === 0 && e.values.length > 0 && e.values.every((v) => str(v) !== undefined && Number(str(v)) === 0);
  }
  const forEach = get(r.body, 'for_each');
  if (forEach === undefined) return false;
  const items = forEachEntries(forEach, moduleLevel(ctx));
  return items.known && items.entries.length === 0;
}
