import { type Entry, type EvalContext, evaluate, get, isExpr, isList, isMap, type MapNode, type Node, type Span, str } from '../../../core';
import { describeVia, literal, type Value } from './addresses';

/**
 * Nested blocks of a Terraform body, read the same whether they are written as blocks, as a list attribute
 * (`ingress = [{ ... }]`) or as `dynamic` blocks; a `dynamic` block whose `for_each` resolves to a literal list or
 * map (in place or a variable default) gives one block per item, its iterator reads bound to the item.
 */

/** A rule block and how to read its attributes. */
export interface Block {
  node: MapNode;
  keySpan: Span;
  /** `known`: content of a `dynamic` block with a literal `for_each` item; `unknown`: for_each not readable. */
  dynamic?: 'known' | 'unknown';
  /** The entry that writes the block (the `dynamic` block for dynamic content). */
  written: Entry;
  /** Reads an attribute: its value, or for `dynamic` content what the iterator expression stands for. */
  attr(name: string): Value;
  /** Reads a value written anywhere inside the block the way `attr` does (absent: values are read as written). */
  bind?(node: Node | undefined): Value;
}

export function plain(node: MapNode, keySpan: Span, written: Entry): Block {
  return { node, keySpan, written, attr: (name) => get(node, name) };
}

/**
 * `iter.value.x`, `iter.value["x"]`, `lookup(iter.value, "x", d)`, `try(iter.value.x, d)`: the attribute of
 * the for_each item the expression reads.
 */
export function bind(node: Node | undefined, iterator: string, item: Node, label: string, decidedBy?: Node): Value {
  if (!isExpr(node)) return node;
  const text = node.text.trim();
  const esc = iterator.replace(/[^\w]/g, '');
  const m =
    new RegExp(`^${esc}\\.value(?:\\.([\\w-]+)|\\["([\\w-]+)"\\])$`).exec(text) ??
    new RegExp(`^(?:lookup|try)\\(\\s*${esc}\\.value(?:\\.([\\w-]+)\\s*,|\\s*,\\s*"([\\w-]+)"\\s*,)`).exec(text);
  if (m) {
    const bound = get(item, m[1] ?? m[2]);
    return bound === undefined ? undefined : { bound, via: node, label, decidedBy };
  }
  if (text === `${esc}.value`) return { bound: item, via: node, label, decidedBy };
  return node;
}

/**
 * `bind` over a value that may be a list of iterator reads (`[each.value.cidr]`): the list with each read replaced
 * by what it stands for (a list item flattened in), read through the list expression.
 */
export function bindValue(node: Node | undefined, iterator: string, item: Node, label: string, decidedBy?: Node): Value {
  if (!isList(node)) return bind(node, iterator, item, label, decidedBy);
  let bound = false;
  const items = node.items.flatMap((i) => {
    const v = bind(i, iterator, item, label, decidedBy);
    if (v === undefined || !('bound' in v)) return v === undefined ? [] : [v];
    bound = true;
    return isList(v.bound) ? v.bound.items : [v.bound];
  });
  return bound ? { bound: { ...node, items }, via: node, label, decidedBy } : node;
}

/** `{ for r in SOURCE : key => r }` and `[for r in SOURCE : r]` without a filter: the items of SOURCE. */
const FOR_IDENTITY =
  /^(?:\{\s*for\s+(?:\w+\s*,\s*)?(\w+)\s+in\s+([\w.]+)\s*:[^{}=]*=>\s*(\w+)\s*\}|\[\s*for\s+(?:\w+\s*,\s*)?(\w+)\s+in\s+([\w.]+)\s*:\s*(\w+)\s*\])$/;

/**
 * What a `for_each` iterates over: the items of a list or the values of a map, read through `toset`/`tolist` and
 * through for-expressions that keep every item as it is. `known` is false when any part cannot be read.
 */
export function forEachItems(node: Node | undefined, ctx: EvalContext): { items: Node[]; known: boolean } {
  if (isExpr(node) && (node.fn === 'toset' || node.fn === 'tolist') && node.args?.length === 1) return forEachItems(node.args[0], ctx);
  let source = node;
  const text = isExpr(node) ? node.text.trim() : '';
  const m = text.length < 300 ? FOR_IDENTITY.exec(text) : null;
  if (isExpr(node) && m) {
    const [loopVar, src, kept] = m[1] ? [m[1], m[2], m[3]] : [m[4], m[5], m[6]];
    if (kept !== loopVar) return { items: [], known: false };
    source = { ...node, text: src, fn: undefined, args: undefined, refs: [src], literalParts: undefined };
  }
  const e = evaluate(source, ctx);
  // Several values are alternatives (`cond ? [a] : []`): which items the blocks get is not known.
  if (e.unresolved.length || e.values.length !== 1) return { items: [], known: false };
  return { items: e.values.flatMap((v) => (isList(v) ? v.items : isMap(v) ? v.entries.map((x) => x.value) : [])), known: true };
}

/** Every `key` block of a body: plain blocks, list-attribute items and `dynamic "key"` content per item. */
export function blocks(body: MapNode, key: string, ctx: EvalContext): Block[] {
  const out: Block[] = [];
  const dynamicContent = new Map<Node, Entry>();
  for (const e of body.entries) {
    if (e.key !== 'dynamic' || e.labels?.[0] !== key || !isMap(e.value)) continue;
    const content = get(e.value, 'content');
    if (isMap(content)) dynamicContent.set(content, e);
  }
  for (const e of body.entries) {
    if (e.key !== key) continue;
    const dynEntry = dynamicContent.get(e.value);
    const dyn = dynEntry?.value;
    if (dynEntry && isMap(dyn) && isMap(e.value)) {
      const content = e.value;
      const iterator = str(get(dyn, 'iterator')) ?? (isExpr(get(dyn, 'iterator')) ? (get(dyn, 'iterator') as { text: string }).text : key);
      const forEachNode = get(dyn, 'for_each');
      const forEach = forEachItems(forEachNode, ctx);
      const label = isExpr(forEachNode) ? `an item of ${describeVia(forEachNode)}` : 'a for_each item';
      if (forEach.known) {
        // Known items: one rule per item (an empty list means no rule at all).
        for (const item of forEach.items) {
          const bound = (n: Node | undefined) => bindValue(n, iterator, item, label, forEachNode);
          out.push({ node: content, keySpan: e.keySpan, written: dynEntry, dynamic: 'known', attr: (name) => bound(get(content, name)), bind: bound });
        }
      } else {
        // Unknown items: literals written in the content still count; iterator reads stay unknown.
        out.push({ node: content, keySpan: e.keySpan, written: dynEntry, dynamic: 'unknown', attr: (name) => get(content, name) });
      }
      continue;
    }
    for (const v of isList(e.value) ? e.value.items : [e.value]) if (isMap(v)) out.push(plain(v, e.keySpan, e));
  }
  return out;
}

/**
 * The `key` blocks nested in a rule block, reading their attributes through the rule block's binding: `tcp_options`
 * inside `dynamic` content sees the iterator's item, as the content's own attributes do.
 */
export function nestedBlocks(b: Block, key: string, ctx: EvalContext): Block[] {
  const found = blocks(b.node, key, ctx);
  const bind = b.bind;
  return bind ? found.map((n) => ({ ...n, attr: (name: string) => bind(get(n.node, name)), bind })) : found;
}

export function nodeOf(v: Value): Node | undefined {
  return v === undefined ? undefined : 'bound' in v ? v.bound : v;
}

export function text(v: Value, ctx: EvalContext): string | undefined {
  return literal(nodeOf(v), ctx).value;
}
