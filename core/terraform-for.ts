import { type EvalContext, type Evaluation, type Scope, evaluate } from './evaluate';
import { forParts, type ModuleCall, type Part, partNode, skipBrackets, topLevel } from './formats';
import type { Entry, ExprNode, Node, ParsedFile, ScalarNode } from './model';
import { isExpr, isList, isMap, isScalar } from './nodes';
import { MAX_ITEMS, listOf, none, strings, synthetic } from './evaluate-terraform';

/**
 * Terraform for-expressions, the closures their results keep over the bindings of the iteration, and the
 * booleans and texts a condition or a filter can be (see `evaluate-terraform.ts`).
 */

// ---------------------------------------------------------------- for-expressions

/** Bindings of a scope plus one more. */
function bind(scope: Scope | undefined, name: string, value: Node, more?: [string, Node]): Scope {
  const out = new Map(scope ?? []);
  out.set(name, value);
  if (more) out.set(more[0], more[1]);
  return out;
}

export function forExpression(node: ExprNode, ctx: EvalContext, depth: number): Evaluation | undefined {
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
export function closedOver(e: Evaluation, ctx: EvalContext): Evaluation {
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
  return c.file
    ? { file: c.file, project: ctx.project, call: c.call, scope: c.scope, fixedOnly: ctx.fixedOnly }
    : { ...ctx, scope: new Map([...(ctx.scope ?? []), ...c.scope]) };
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
export function isBooleanExpression(text: string): boolean {
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
export function booleans(node: Node, ctx: EvalContext, depth: number): Set<boolean> | undefined {
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
