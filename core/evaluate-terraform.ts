import { type EvalContext, type Evaluation, type Scope, evaluate, recordUse, withAsked } from './evaluate';
import { conditionalParts, forParts, localCalls, type ModuleCall, type Part, partNode, skipBrackets, templateHoles, topLevel } from './formats';
import type { Entry, ExprNode, ListNode, MapNode, Node, ParsedFile, Resource, ScalarNode } from './model';
import { entry, get, isExpr, isList, isMap, isScalar, str } from './nodes';
import type { Project } from './project';
import { partitionPoint } from './sorted';
import { basenameOf, dirnameOf } from './uri';

/**
 * Terraform values, as `evaluate` reads them: `var.x` (a local module call's argument, else the value the last
 * of `terraform.tfvars` and `*.auto.tfvars` in lexical order gives it, else its default), `local.x`, a local
 * module's `output` (`module.m.out`), `each` / `count` of the enclosing resource, module call or for-expression,
 * keys and indexes (literal or computed: `local.by_env[var.env]`), both results of a conditional, for-expressions
 * (a filter is applied when it can be read, otherwise the expression is not guessed), templates whose holes
 * resolve, and the functions that pass values on: `concat`, `flatten`, `compact`, `distinct`, `tolist`, `toset`,
 * `sort`, `reverse`, `coalesce`, `coalescelist`, `try`, `merge`, `lookup`, `element`, `values`, `keys`,
 * `setproduct`, `length`, `tostring`, `tonumber`, `tobool`.
 *
 * Several values are alternatives: every one of them is a value the expression can have. A list built from
 * alternatives (`concat(var.a, cond ? x : y)`) holds the items of all of them. Every step is bounded by the
 * evaluation depth, and every collection is read once per evaluation: the work is linear in what is read.
 */

/** Items a for-expression or a function reads from one collection, at most: beyond, the value is not guessed. */
const MAX_ITEMS = 5000;

function merge(...parts: Evaluation[]): Evaluation {
  return { values: parts.flatMap((p) => p.values), unresolved: parts.flatMap((p) => p.unresolved) };
}

const none = (text: string, ...more: string[]): Evaluation => ({ values: [], unresolved: [text, ...more] });

/** The literal strings a value can be (numbers and booleans as text), read one level deeper. */
function strings(node: Node, ctx: EvalContext, depth: number): { strings: string[]; unresolved: string[] } {
  const e = evaluate(node, ctx, depth + 1);
  return { strings: e.values.map(str).filter((s): s is string => s !== undefined), unresolved: e.unresolved };
}

function synthetic(value: string | number | boolean | null, at: Node): ScalarNode {
  return { kind: 'scalar', value, span: at.span, path: at.path };
}

function listOf(items: Node[], at: Node): ListNode {
  return { kind: 'list', span: at.span, path: at.path, items };
}

/** The context module-level names are read in: no for-expression or iterator names. */
function moduleLevel(ctx: EvalContext, file = ctx.file): EvalContext {
  return { file, project: ctx.project, call: ctx.call };
}

export function terraform(node: ExprNode, ctx: EvalContext, depth: number): Evaluation | undefined {
  const text = node.text.trim();
  if (node.fn) return call(node, text, ctx, depth);
  // `cond ? a : b`: either result, as CloudFormation's `Fn::If`.
  const branches = conditionalParts(node.text);
  if (branches) {
    const nodes = branches.map((b) => partNode(node, b, ctx.file));
    if (nodes.some((n) => n === undefined)) return undefined;
    return merge(...nodes.map((n) => evaluate(n, ctx, depth + 1)));
  }
  if (text.startsWith('[') || text.startsWith('{')) return forExpression(node, ctx, depth);
  // `each.value.acl == "private"`, `!var.public`: the booleans it can be.
  if (isBooleanExpression(node.text)) {
    const b = booleans(node, ctx, depth);
    return b ? { values: [...b].map((v) => synthetic(v, node)), unresolved: [] } : undefined;
  }
  const path = accessPath(text);
  if (path) return reference(node, path, ctx, depth);
  if (text.startsWith('"') && node.literalParts) return template(node, text, ctx, depth);
  return undefined;
}

// ---------------------------------------------------------------- references

type Step = { key: string } | { index: number } | { expr: Part } | { splat: true };

interface AccessPath {
  kind: 'var' | 'local' | 'module' | 'name';
  name: string;
  /** A module output's name. */
  output?: string;
  steps: Step[];
}

const ROOT = /^(?:(var|local)\.([A-Za-z_][\w-]*)|module\.([A-Za-z_][\w-]*)\.([A-Za-z_][\w-]*)|([A-Za-z_][\w-]*))/;
const ATTRIBUTE = /\.([A-Za-z_][\w-]*|\d+)/y;

/** `var.m["k"].x`, `local.l[0]`, `module.m.out`, `each.value.cidr`, `local.by_env[var.env]`: a root and its steps. */
function accessPath(text: string): AccessPath | undefined {
  const m = ROOT.exec(text);
  if (!m || m[5] === 'var' || m[5] === 'local' || m[5] === 'module' || m[5] === 'data') return undefined;
  const path: AccessPath = m[1]
    ? { kind: m[1] as 'var' | 'local', name: m[2], steps: [] }
    : m[3]
      ? { kind: 'module', name: m[3], output: m[4], steps: [] }
      : { kind: 'name', name: m[5], steps: [] };
  let i = m[0].length;
  while (i < text.length) {
    if (text.startsWith('.*', i) || text.startsWith('[*]', i)) {
      // A splat: the steps after it are taken in every item of the list.
      path.steps.push({ splat: true });
      i += text[i] === '.' ? 2 : 3;
    } else if (text[i] === '.') {
      ATTRIBUTE.lastIndex = i;
      const a = ATTRIBUTE.exec(text);
      if (!a) return undefined;
      path.steps.push(/^\d+$/.test(a[1]) ? { index: Number(a[1]) } : { key: a[1] });
      i = ATTRIBUTE.lastIndex;
    } else if (text[i] === '[') {
      const end = closing(text, i);
      if (end < 0) return undefined;
      const inner = text.slice(i + 1, end).trim();
      const lead = text.indexOf(inner, i + 1);
      const quoted = /^"([^"\\$]*)"$/.exec(inner);
      if (quoted) path.steps.push({ key: quoted[1] });
      else if (/^\d+$/.test(inner)) path.steps.push({ index: Number(inner) });
      else if (inner === '*' || inner === '') return undefined;
      else path.steps.push({ expr: { from: lead, to: lead + inner.length } });
      i = end + 1;
    } else return undefined;
  }
  return path;
}

/** The index of the `]` closing the `[` at `i`, strings and nested brackets skipped; -1 when none. */
function closing(text: string, i: number): number {
  let depth = 0;
  for (let j = i; j < text.length; j++) {
    const c = text[j];
    if (c === '"') {
      for (j++; j < text.length && text[j] !== '"'; j++) if (text[j] === '\\') j++;
    } else if (c === '[' || c === '(' || c === '{') depth++;
    else if (c === ']' || c === ')' || c === '}') {
      depth--;
      if (depth === 0) return c === ']' ? j : -1;
    }
  }
  return -1;
}

function reference(node: ExprNode, path: AccessPath, ctx: EvalContext, depth: number): Evaluation | undefined {
  let base: Evaluation;
  const name = path.kind === 'var' || path.kind === 'local' ? `${path.kind}.${path.name}` : path.name;
  switch (path.kind) {
    case 'var':
      base = variable(path.name, name, ctx, depth);
      break;
    case 'local':
      base = local(path.name, name, ctx, depth);
      break;
    case 'module':
      base = moduleOutput(path.name, path.output!, ctx, depth);
      break;
    default: {
      const bound = ctx.scope?.get(path.name);
      // An item bound as it is written (an expression of the collection it comes from) is read when it is used.
      if (bound) base = isExpr(bound) && path.steps.length === 0 ? evaluate(bound, ctx, depth + 1) : { values: [bound], unresolved: [] };
      else if (path.name === 'each' || path.name === 'count') base = iteration(path.name, node, ctx, depth);
      // Another resource's attribute, a data source, `path.module`...: known at apply time only.
      else return undefined;
    }
  }
  if (path.steps.length === 0) return base;
  let level = base.values;
  let splat = false;
  for (const step of path.steps) {
    // A map or list written as an expression (`merge(...)`, another local) is read before it is indexed.
    level = level.flatMap((v) => (isExpr(v) ? evaluate(v, ctx, depth + 1).values : [v]));
    if ('splat' in step) {
      splat = true;
      level = level.flatMap((v) => (isList(v) ? v.items : [v]));
    } else if ('key' in step) level = entriesAt(level, [step.key]);
    else if ('index' in step) level = level.flatMap((v) => (isList(v) ? [v.items[step.index]] : isMap(v) ? [get(v, String(step.index))] : [])).filter(defined);
    else {
      // A key computed from other values (`local.by_env[var.env]`): each value it can have; every entry when unknown.
      const keyNode = partNode(node, step.expr, ctx.file);
      const keys = keyNode ? strings(keyNode, ctx, depth).strings : [];
      level = level.flatMap((v) =>
        isMap(v)
          ? keys.length
            ? keys.map((k) => get(v, k)).filter(defined)
            : v.entries.map((e) => e.value)
          : isList(v)
            ? keys.length
              ? keys.map((k) => v.items[Number(k)]).filter(defined)
              : v.items
            : [],
      );
    }
  }
  // `local.rules[*].cidr`: the list of what every item gives.
  if (splat)
    return {
      values: [
        listOf(
          level.map((v) => closeOver(v, ctx)),
          node,
        ),
      ],
      unresolved: base.unresolved,
    };
  return level.length ? merge(...level.map((v) => evaluate(v, ctx, depth + 1))) : none(node.text.trim(), ...base.unresolved);
}

const defined = <T>(v: T | undefined): v is T => v !== undefined;

/** The values under any of `keys` of the maps among `values` (every value of theirs when no key is known). */
export function entriesAt(values: Node[], keys: readonly string[]): Node[] {
  return values.flatMap((m) => (isMap(m) ? (keys.length === 0 ? m.entries.map((e) => e.value) : keys.map((k) => get(m, k)).filter(defined)) : []));
}

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
function argument(name: string, call: ModuleCall, ctx: EvalContext, depth: number): Evaluation | undefined {
  const arg = entry(call.block.body, name);
  if (!arg) return undefined;
  recordUse(call, ctx.file.uri, arg);
  // An instance of a call with `for_each` reads its own item as `each`.
  const scope = call.each ? new Map([['each', call.each as Node]]) : undefined;
  const at: EvalContext = { file: call.caller, project: ctx.project, call: call.parent, scope };
  return withAsked(arg.value, () => closedOver(evaluate(arg.value, at, depth + 1), at));
}

/** Where a variable's value comes from: a tfvars assignment, its default (`null` included), or nowhere. */
function variableSource(name: string, ctx: EvalContext): { node?: Node; file?: ParsedFile; isNull?: boolean } {
  const call = ctx.call && dirnameOf(ctx.file.uri) === ctx.call.folder ? ctx.call : undefined;
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

function variable(name: string, text: string, ctx: EvalContext, depth: number): Evaluation {
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
function isNull(node: Node | undefined, ctx: EvalContext): boolean {
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

function local(name: string, text: string, ctx: EvalContext, depth: number): Evaluation {
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
function moduleOutput(name: string, output: string, ctx: EvalContext, depth: number): Evaluation {
  const text = `module.${name}.${output}`;
  if (ctx.file.format !== 'terraform') return none(text);
  for (const f of ctx.project.module(ctx.file, (t) => t.includes(name))) {
    const block = f.resources.find((r) => r.kind === 'module' && r.name === name);
    if (!block) continue;
    // A call with `count` or `for_each` is a list or map of modules: `module.m.out` does not read it.
    if (get(block.body, 'count') !== undefined || get(block.body, 'for_each') !== undefined) return none(text);
    const inner = localCalls(f, ctx.call).find((c) => c.block === block);
    if (!inner) return none(text);
    for (const file of ctx.project.filesAt(f.format, `${inner.folder}/`, (p) => p.text.includes(output))) {
      const out = file.resources.find((r) => r.kind === 'output' && r.name === output);
      const value = out && get(out.body, 'value');
      if (!value) continue;
      const at: EvalContext = { file, project: ctx.project, call: inner };
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

function enclosing(file: ParsedFile, node: Node): Resource | undefined {
  let list = resourceStarts.get(file);
  if (!list) {
    list = [...file.resources].sort((a, b) => a.span.start - b.span.start);
    resourceStarts.set(file, list);
  }
  const sorted = list;
  const i = partitionPoint(sorted.length, (k) => sorted[k].span.start <= node.span.start) - 1;
  const r = list[i];
  return r && node.span.end <= r.span.end ? r : undefined;
}

/** `each` and `count` of iterations already read, per project, block and module call (each is read once). */
const iterations = new WeakMap<Project, WeakMap<MapNode, Map<ModuleCall | undefined, Evaluation>>>();

/**
 * `each` or `count` where no for-expression or iterator binds it: the `for_each` / `count` of the resource,
 * data source or module call the expression is written in, every item (or index) an alternative.
 */
function iteration(name: 'each' | 'count', node: ExprNode, ctx: EvalContext, depth: number): Evaluation {
  const r = enclosing(ctx.file, node);
  // Only an expression written where it is read has an enclosing block.
  if (!r || !ctx.file.text.startsWith(node.text, node.span.start)) return none(name);
  let byBody = iterations.get(ctx.project);
  if (!byBody) iterations.set(ctx.project, (byBody = new WeakMap()));
  let byCall = byBody.get(r.body);
  if (!byCall) byBody.set(r.body, (byCall = new Map()));
  const done = byCall.get(ctx.call);
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
  byCall.set(ctx.call, out);
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

// ---------------------------------------------------------------- for-expressions

/** Bindings of a scope plus one more. */
function bind(scope: Scope | undefined, name: string, value: Node, more?: [string, Node]): Scope {
  const out = new Map(scope ?? []);
  out.set(name, value);
  if (more) out.set(more[0], more[1]);
  return out;
}

function forExpression(node: ExprNode, ctx: EvalContext, depth: number): Evaluation | undefined {
  const parts = forParts(node.text);
  if (!parts || parts.grouping) return undefined;
  const text = node.text.trim();
  const source = partNode(node, parts.source, ctx.file);
  const result = partNode(node, parts.result, ctx.file);
  const keyExpr = parts.key ? partNode(node, parts.key, ctx.file) : undefined;
  const cond = parts.cond ? partNode(node, parts.cond, ctx.file) : undefined;
  if (!source || !result || (parts.key && !keyExpr) || (parts.cond && !cond)) return undefined;
  const src = evaluate(source, ctx, depth + 1);
  if (src.unresolved.length) return none(text, ...src.unresolved);
  const values: Node[] = [];
  for (const collection of src.values) {
    const pairs: [Node, Node][] = isList(collection)
      ? collection.items.map((v, i) => [synthetic(i, v), v])
      : isMap(collection)
        ? collection.entries.map((x) => [{ kind: 'scalar', value: x.key, span: x.keySpan, path: x.value.path } as ScalarNode, x.value])
        : [];
    if (!isList(collection) && !isMap(collection)) return none(text);
    if (pairs.length > MAX_ITEMS) return none(text);
    const out: Node[] = [];
    const keys: Entry[] = [];
    for (const [k, v] of pairs) {
      const scope = bind(ctx.scope, parts.valueVar, v, parts.keyVar ? [parts.keyVar, k] : undefined);
      const inner: EvalContext = { ...ctx, scope };
      if (cond) {
        const keep = truth(cond, inner, depth + 1);
        // A filter that cannot be read: which items are kept is not guessed.
        if (keep === undefined) return none(text);
        if (!keep) continue;
      }
      const item = resultOf(result, inner, depth + 1);
      if (parts.tuple) out.push(item);
      else {
        const key = strings(keyExpr!, inner, depth).strings;
        keys.push({ key: key.length === 1 ? key[0] : `${keys.length}`, keySpan: k.span, value: item });
      }
    }
    values.push(parts.tuple ? listOf(out, node) : { kind: 'map', span: node.span, path: node.path, entries: keys });
  }
  return { values, unresolved: [] };
}

/**
 * A for-expression's item for one binding: the value it reads when that is one node (the item itself, an
 * attribute of it: nodes where they are written), else the item expression closed over the binding.
 */
function resultOf(result: Node, ctx: EvalContext, depth: number): Node {
  if (isExpr(result)) {
    const e = evaluate(result, ctx, depth);
    if (e.values.length === 1 && e.unresolved.length === 0) return e.values[0];
  }
  return closeOver(result, ctx);
}

/** A copy of `node` whose expressions keep the context's bindings wherever they are read later. */
export function closeOver(node: Node, ctx: EvalContext): Node {
  // A closure keeps the context it was made in; literals need none (and keep their identity: where they are written).
  if (isExpr(node)) return closures.has(node) ? node : closure(node, ctx);
  if (isList(node)) {
    const items = node.items.map((i) => closeOver(i, ctx));
    return items.some((x, i) => x !== node.items[i]) ? { ...node, items } : node;
  }
  if (isMap(node)) {
    const entries = node.entries.map((e) => {
      const value = closeOver(e.value, ctx);
      return value === e.value ? e : { ...e, value };
    });
    return entries.some((x, i) => x !== node.entries[i]) ? { ...node, entries } : node;
  }
  return node;
}

/** Values read in another context (a module call's caller, a called module) with their expressions kept in it. */
function closedOver(e: Evaluation, ctx: EvalContext): Evaluation {
  return { values: e.values.map((v) => closeOver(v, ctx)), unresolved: e.unresolved };
}

/** Expressions read later than where they are written, with the bindings and the module they are read in. */
interface Closure {
  scope: Scope;
  /** Absent: read in the module of whoever reads them. */
  file?: ParsedFile;
  call?: ModuleCall;
}

const closures = new WeakMap<ExprNode, Closure>();

function closure(node: ExprNode, ctx: EvalContext): ExprNode {
  const copy = { ...node };
  closures.set(copy, { scope: ctx.scope ?? new Map(), file: ctx.file, call: ctx.call });
  return copy;
}

/**
 * A copy of `node` whose expressions read `name` as `value` (a dynamic block's iterator, a resource's `each`)
 * wherever they are evaluated later, in the module of whoever evaluates them.
 */
export function withBinding(node: Node, name: string, value: Node): Node {
  if (isExpr(node)) {
    const copy = { ...node };
    const outer = closures.get(node);
    closures.set(copy, { ...outer, scope: bind(outer?.scope, name, value) });
    return copy;
  }
  if (isList(node)) return { ...node, items: node.items.map((i) => withBinding(i, name, value)) };
  if (isMap(node)) return { ...node, entries: node.entries.map((e) => ({ ...e, value: withBinding(e.value, name, value) })) };
  return node;
}

/** The context a closure's expression is read in, or undefined for an expression read where it is. */
export function closureContext(node: ExprNode, ctx: EvalContext): EvalContext | undefined {
  const c = closures.get(node);
  if (!c) return undefined;
  return c.file ? { file: c.file, project: ctx.project, call: c.call, scope: c.scope } : { ...ctx, scope: new Map([...(ctx.scope ?? []), ...c.scope]) };
}

/**
 * Whether a for-expression's filter keeps an item: a boolean expression (see `booleans`) that has one value. Undefined
 * when it cannot be read.
 */
function truth(node: Node, ctx: EvalContext, depth: number): boolean | undefined {
  const b = booleans(node, ctx, depth);
  return b && b.size === 1 ? [...b][0] : undefined;
}

const BOOLEAN_OPERATOR = /[=!]=|&&|\|\||^\s*!/;

/** An operator of a boolean expression outside strings and brackets, or a leading `!`. */
function isBooleanExpression(text: string): boolean {
  if (!BOOLEAN_OPERATOR.test(text)) return false;
  if (/^\s*!(?!=)/.test(text)) return true;
  return (
    topLevel(text, 0, text.length, (i) => text.startsWith('==', i) || text.startsWith('!=', i) || text.startsWith('&&', i) || text.startsWith('||', i)) >= 0
  );
}

/**
 * The values a boolean expression can have: `==`, `!=`, `!`, `&&`, `||`, parentheses, `true` / `false` and values
 * that read as them, each side with every value it can have (a comparison of `each.value.acl` with a literal is true
 * for some items and false for others). Undefined when a part cannot be read.
 */
function booleans(node: Node, ctx: EvalContext, depth: number): Set<boolean> | undefined {
  if (isScalar(node)) {
    const v = typeof node.value === 'boolean' ? node.value : node.value === 'true' ? true : node.value === 'false' ? false : undefined;
    return v === undefined ? undefined : new Set([v]);
  }
  if (!isExpr(node) || depth > MAX_CONDITION_DEPTH) return undefined;
  const text = node.text;
  const part = (from: number, to: number) => partNode(node, trimmedPart(text, from, to), ctx.file);
  if (BOOLEAN_OPERATOR.test(text)) {
    for (const op of ['||', '&&', '==', '!=']) {
      // The last operator at the top level: `a || b || c` is `(a || b) || c`.
      let at = -1;
      topLevel(text, 0, text.length, (i) => {
        if (text.startsWith(op, i)) at = i;
        return false;
      });
      if (at < 0) continue;
      const l = part(0, at);
      const r = part(at + op.length, text.length);
      if (!l || !r) return undefined;
      if (op === '||' || op === '&&') {
        const a = booleans(l, ctx, depth + 1);
        const b = booleans(r, ctx, depth + 1);
        if (!a || !b) return undefined;
        const out = new Set<boolean>();
        for (const x of a) for (const y of b) out.add(op === '||' ? x || y : x && y);
        return out;
      }
      const a = texts(l, ctx, depth);
      const b = texts(r, ctx, depth);
      if (!a || !b) return undefined;
      const out = new Set<boolean>();
      for (const x of a) for (const y of b) out.add(op === '==' ? x === y : x !== y);
      return out;
    }
  }
  const t = text.trim();
  const start = text.indexOf(t);
  if (t.startsWith('!')) {
    const inner = part(start + 1, start + t.length);
    const v = inner && booleans(inner, ctx, depth + 1);
    return v && new Set([...v].map((x) => !x));
  }
  if (t.startsWith('(') && skipBrackets(t, 0) === t.length) {
    const inner = part(start + 1, start + t.length - 1);
    return inner && booleans(inner, ctx, depth + 1);
  }
  const all = texts(node, ctx, depth);
  if (!all || [...all].some((v) => v !== 'true' && v !== 'false')) return undefined;
  return new Set([...all].map((v) => v === 'true'));
}

/** Every literal text a value can be (`null` as "null"); undefined when any part cannot be read. */
function texts(node: Node, ctx: EvalContext, depth: number): Set<string> | undefined {
  const e = isScalar(node) ? { values: [node], unresolved: [] } : evaluate(node, ctx, depth + 1);
  if (e.unresolved.length || e.values.length === 0 || e.values.length > 64) return undefined;
  const out = new Set<string>();
  for (const v of e.values) {
    if (!isScalar(v)) return undefined;
    out.add(v.value === null ? 'null' : String(v.value));
  }
  return out;
}

const MAX_CONDITION_DEPTH = 24;

function trimmedPart(text: string, from: number, to: number): Part {
  while (from < to && /\s/.test(text[from])) from++;
  while (to > from && /\s/.test(text[to - 1])) to--;
  return { from, to };
}

// ---------------------------------------------------------------- templates

/** `"${var.prefix}-logs"`, `"${ip}/32"`: resolvable when every hole reads as one value. */
function template(node: ExprNode, text: string, ctx: EvalContext, depth: number): Evaluation | undefined {
  const holes = templateHoles(node.text);
  const literal = node.literalParts!;
  if (!holes || holes.length !== literal.length - 1) return undefined;
  const pieces: string[] = [];
  const unresolved: string[] = [];
  for (const hole of holes) {
    const inner = partNode(node, hole, ctx.file);
    const e = inner ? strings(inner, ctx, depth) : { strings: [], unresolved: [node.text.slice(hole.from, hole.to)] };
    if (e.strings.length === 1 && e.unresolved.length === 0) pieces.push(e.strings[0]);
    else unresolved.push(...(e.unresolved.length ? e.unresolved : [text]));
  }
  if (unresolved.length) {
    // Inputs are named; anything else (a resource attribute, a function) leaves the template as written.
    return { values: [], unresolved: unresolved.every((u) => /^(?:var|local)\.[\w-]+$/.test(u)) ? unresolved : [text] };
  }
  let value = literal[0] ?? '';
  pieces.forEach((p, i) => {
    value += p + (literal[i + 1] ?? '');
  });
  return { values: [synthetic(value, node)], unresolved: [] };
}

// ---------------------------------------------------------------- functions

/** The string values a key argument can take; none when it cannot be read (`!Ref AWS::Region`). */
export function keyValues(arg: Node | undefined, ctx: EvalContext, depth: number): string[] {
  return evaluate(arg, ctx, depth + 1)
    .values.map(str)
    .filter((s): s is string => s !== undefined);
}

/** `lookup(map, key, default)`: the entry of each map the first argument can be (every entry for an unknown key), else the default. */
function lookup(node: ExprNode, args: Node[], ctx: EvalContext, depth: number): Evaluation {
  const maps = evaluate(args[0], ctx, depth + 1);
  const keys = keyValues(args[1], ctx, depth);
  const found = entriesAt(maps.values, keys);
  const parts = found.map((v) => evaluate(v, ctx, depth + 1));
  if (args[2] !== undefined && (found.length === 0 || keys.length === 0)) parts.push(evaluate(args[2], ctx, depth + 1));
  return parts.length ? merge(...parts) : none(node.text.trim(), ...maps.unresolved);
}

/**
 * An item of the lists `lists` can be, at an index read from `index` (any item when it cannot be read). `wrap`:
 * an index past the end counts from the start again, as Terraform's `element` does.
 */
export function pick(node: ExprNode, lists: Evaluation, index: Node | undefined, ctx: EvalContext, depth: number, wrap = true): Evaluation {
  const written = keyValues(index, ctx, depth);
  const at = written.map(Number).filter((i) => Number.isInteger(i) && i >= 0);
  const found = lists.values
    .filter(isList)
    .flatMap((l) => (written.length === 0 ? l.items : at.map((i) => l.items[wrap ? i % Math.max(1, l.items.length) : i])));
  const present = found.filter(defined);
  return present.length ? merge(...present.map((v) => evaluate(v, ctx, depth + 1))) : none(node.text.trim(), ...lists.unresolved);
}

/** The list items of every value an argument can have (a value that is not a list is one item). */
function listItems(arg: Node | undefined, ctx: EvalContext, depth: number): { items: Node[]; unresolved: string[] } {
  const e = evaluate(arg, ctx, depth + 1);
  // An item written as an expression is read later, where the new list is used: with this context.
  const items = e.values.flatMap((v) => (isList(v) ? v.items : isMap(v) ? [] : [v])).map((i) => (isExpr(i) ? closeOver(i, ctx) : i));
  return { items, unresolved: e.unresolved };
}

/** `flatten`: nested lists (written, or read through references) give their items. */
function flattened(list: Node[], ctx: EvalContext, depth: number, out: Node[], unresolved: string[]): void {
  for (const item of list) {
    if (out.length > MAX_ITEMS) return;
    if (isList(item)) flattened(item.items, ctx, depth + 1, out, unresolved);
    else if (isExpr(item) && depth < 12) {
      const e = evaluate(item, ctx, depth + 1);
      unresolved.push(...e.unresolved);
      flattened(e.values, ctx, depth + 1, out, unresolved);
    } else out.push(item);
  }
}

/** The maps every argument can be, merged in order (later keys win; alternatives give all their entries). */
function merged(node: ExprNode, args: Node[], ctx: EvalContext, depth: number): Evaluation {
  const entries = new Map<string, Entry[]>();
  const unresolved: string[] = [];
  for (const arg of args) {
    const e = evaluate(arg, ctx, depth + 1);
    unresolved.push(...e.unresolved);
    const maps = e.values.filter(isMap);
    if (maps.length !== e.values.length) return none(node.text.trim(), ...unresolved);
    const next = new Map<string, Entry[]>();
    for (const m of maps) for (const x of m.entries) next.set(x.key, [...(next.get(x.key) ?? []), x]);
    for (const [k, v] of next) entries.set(k, maps.length === 1 ? v : [...(entries.get(k) ?? []), ...v]);
  }
  return { values: [{ kind: 'map', span: node.span, path: node.path, entries: [...entries.values()].flat() }], unresolved };
}

function call(node: ExprNode, text: string, ctx: EvalContext, depth: number): Evaluation | undefined {
  const args = node.args ?? [];
  switch (node.fn) {
    case 'lookup':
      return args.length >= 2 ? lookup(node, args, ctx, depth) : undefined;
    case 'element':
      return args.length === 2 ? pick(node, evaluate(args[0], ctx, depth + 1), args[1], ctx, depth) : undefined;
    case 'tolist':
    case 'toset':
    case 'distinct':
    case 'sort':
    case 'reverse':
    case 'tostring':
    case 'tonumber':
    case 'tobool':
    case 'tomap':
      // The same items (order and duplicates do not matter to what the items are).
      return args.length === 1 ? evaluate(args[0], ctx, depth + 1) : undefined;
    case 'concat': {
      const parts = args.map((a) => listItems(a, ctx, depth));
      return {
        values: [
          listOf(
            parts.flatMap((p) => p.items),
            node,
          ),
        ],
        unresolved: parts.flatMap((p) => p.unresolved),
      };
    }
    case 'flatten': {
      if (args.length !== 1) return undefined;
      const out: Node[] = [];
      const unresolved: string[] = [];
      const e = evaluate(args[0], ctx, depth + 1);
      unresolved.push(...e.unresolved);
      for (const v of e.values) flattened(isList(v) ? v.items : [v], ctx, depth + 1, out, unresolved);
      return { values: [listOf(out, node)], unresolved };
    }
    case 'compact': {
      if (args.length !== 1) return undefined;
      const written = isList(args[0]) ? args[0].items : undefined;
      const parts = written ? written.filter((i) => !isNull(i, ctx)).map((i) => listItems(i, ctx, depth)) : [listItems(args[0], ctx, depth)];
      const kept = parts.flatMap((p) => p.items).filter((i) => !(isScalar(i) && (i.value === null || i.value === '')));
      return { values: [listOf(kept, node)], unresolved: parts.flatMap((p) => p.unresolved) };
    }
    case 'coalesce':
    case 'coalescelist':
    case 'try':
      return firstOf(node, args, ctx, depth);
    case 'merge':
      return merged(node, args, ctx, depth);
    case 'values':
    case 'keys': {
      if (args.length !== 1) return undefined;
      const e = evaluate(args[0], ctx, depth + 1);
      const maps = e.values.filter(isMap);
      if (maps.length !== e.values.length || e.unresolved.length) return none(text, ...e.unresolved);
      return {
        values: maps.map((m) =>
          listOf(
            m.entries.map((x) => (node.fn === 'values' ? x.value : ({ kind: 'scalar', value: x.key, span: x.keySpan, path: x.value.path } as ScalarNode))),
            node,
          ),
        ),
        unresolved: [],
      };
    }
    case 'length': {
      if (args.length !== 1) return undefined;
      const e = evaluate(args[0], ctx, depth + 1);
      if (e.unresolved.length || e.values.some((v) => !isList(v) && !isMap(v))) return none(text, ...e.unresolved);
      return { values: e.values.map((v) => synthetic(isList(v) ? v.items.length : (v as MapNode).entries.length, node)), unresolved: [] };
    }
    case 'setproduct': {
      if (args.length < 2) return undefined;
      const lists = args.map((a) => listItems(a, ctx, depth));
      const unresolved = lists.flatMap((l) => l.unresolved);
      if (unresolved.length || lists.reduce((n, l) => n * l.items.length, 1) > MAX_ITEMS) return none(text, ...unresolved);
      let product: Node[][] = [[]];
      for (const l of lists) product = product.flatMap((p) => l.items.map((i) => [...p, i]));
      return {
        values: [
          listOf(
            product.map((p) => listOf(p, node)),
            node,
          ),
        ],
        unresolved: [],
      };
    }
    default:
      return undefined;
  }
}

/**
 * `coalesce` / `coalescelist` (the first argument that is not null or empty) and `try` (the first that can be
 * read): an argument that may or may not be the one (unresolved, or some of its values null) gives its values
 * and the next arguments' too, until one certainly is.
 */
function firstOf(node: ExprNode, args: Node[], ctx: EvalContext, depth: number): Evaluation {
  const out: Evaluation = { values: [], unresolved: [] };
  const isTry = node.fn === 'try';
  for (const arg of args) {
    if (!isTry && isNull(arg, ctx)) continue;
    const e = evaluate(arg, ctx, depth + 1);
    const empty = (v: Node) =>
      (isScalar(v) && (v.value === null || (!isTry && v.value === ''))) || (node.fn === 'coalescelist' && isList(v) && v.items.length === 0);
    const values = e.values.filter((v) => !empty(v));
    out.values.push(...values);
    // `try` over a key the value does not have: Terraform takes the next argument (the key's text is no input).
    out.unresolved.push(...e.unresolved.filter((u) => !isTry || u !== (isExpr(arg) ? arg.text.trim() : '')));
    if (values.length && values.length === e.values.length && e.unresolved.length === 0) return out;
  }
  return out.values.length || out.unresolved.length ? out : none(node.text.trim());
}
