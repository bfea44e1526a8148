import { type EvalContext, type Evaluation, evaluate } from './evaluate';
import { partNode, templateHoles } from './formats';
import type { Entry, ExprNode, MapNode, Node, ScalarNode } from './model';
import { isExpr, isList, isMap, isScalar, str } from './nodes';
import { MAX_ITEMS, defined, entriesAt, listOf, merge, none, strings, synthetic } from './evaluate-terraform';
import { isNull } from './terraform-values';
import { closeOver } from './terraform-for';

/** Terraform templates and the functions that pass values on, as `evaluate` reads them (see `evaluate-terraform.ts`). */

// ---------------------------------------------------------------- templates

/** `"${var.prefix}-logs"`, `"${ip}/32"`: resolvable when every hole reads as one value. */
export function template(node: ExprNode, text: string, ctx: EvalContext, depth: number): Evaluation | undefined {
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
export function lookup(node: ExprNode, args: Node[], ctx: EvalContext, depth: number): Evaluation {
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

export function call(node: ExprNode, text: string, ctx: EvalContext, depth: number): Evaluation | undefined {
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
