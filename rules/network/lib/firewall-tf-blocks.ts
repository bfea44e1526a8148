import {
  eachObject,
  type Entry,
  type EvalContext,
  forEachEntries,
  get,
  isExpr,
  isList,
  isMap,
  isScalar,
  type MapNode,
  type Node,
  type Span,
  str,
  withBinding,
} from '../../../core';
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

/** A for_each item as its iterator reads it: `iter.key` and `iter.value`. */
export interface Item {
  key: Node;
  value: Node;
}

/**
 * `iter.value.x`, `iter.value["x"]`, `lookup(iter.value, "x", d)`, `try(iter.value.x, d)`: the attribute of
 * the for_each item the expression reads. Any other expression that reads the iterator (`"${iter.key}-x"`,
 * `try(iter.value.to, iter.value.port)`, `iter.value.ports[0]`) is read with the iterator bound to the item.
 */
export function bind(node: Node | undefined, iterator: string, item: Item, label: string, decidedBy?: Node): Value {
  if (!isExpr(node)) return node;
  const text = node.text.trim();
  const esc = iterator.replace(/[^\w]/g, '');
  const m =
    new RegExp(`^${esc}\\.value(?:\\.([\\w-]+)|\\["([\\w-]+)"\\])$`).exec(text) ??
    new RegExp(`^(?:lookup|try)\\(\\s*${esc}\\.value(?:\\.([\\w-]+)\\s*,|\\s*,\\s*"([\\w-]+)"\\s*,)`).exec(text);
  const bound = m ? get(item.value, m[1] ?? m[2]) : undefined;
  if (bound !== undefined) return { bound, via: node, label, decidedBy };
  // `iter.value.x` of an item without `x` is nothing; `try(iter.value.x, d)` and `lookup(...)` then read their default.
  if (m && !/^(?:lookup|try)\(/.test(text)) return undefined;
  if (text === `${esc}.value`) return { bound: item.value, via: node, label, decidedBy };
  if (new RegExp(`\\b${esc}\\s*[.[]`).test(text)) {
    return { bound: withBinding(node, esc, eachObject({ key: item.key, value: item.value, listItem: false })), via: node, label, decidedBy };
  }
  return node;
}

/**
 * `bind` over a value that may be a list of iterator reads (`[each.value.cidr]`): the list with each read replaced
 * by what it stands for (a list item flattened in), read through the list expression.
 */
export function bindValue(node: Node | undefined, iterator: string, item: Item, label: string, decidedBy?: Node): Value {
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

/**
 * What a `for_each` iterates over (`evaluate` reads for-expressions, `toset`, `merge`, ... on the way): the items
 * of a list or set and the entries of a map, keyed as the iterator's `key` reads them (a list's index; a set's
 * item, `setKeys`, as `each.key` of a resource reads it). `known` is false when any part cannot be read, or the
 * value is one of several alternatives.
 */
export function forEachItems(node: Node | undefined, ctx: EvalContext, setKeys = false): { items: Item[]; known: boolean } {
  const found = forEachEntries(node, ctx);
  return {
    // A set's item is its own key (`each.key`); a list in a dynamic block is keyed by its index.
    items: found.entries.map((x) => ({ key: setKeys && x.listItem && isScalar(x.value) ? x.value : x.key, value: x.value })),
    known: found.known,
  };
}

/**
 * Every `key` block of a body: plain blocks, list-attribute items and `dynamic "key"` content per item.
 * `outer`: the binding the body is read through (a rule block of an iterated resource), which a dynamic
 * block's `for_each` reads too (`for_each = each.value.allow`).
 */
export function blocks(body: MapNode, key: string, ctx: EvalContext, outer?: (node: Node | undefined) => Value): Block[] {
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
      const forEach = forEachItems(nodeOf(outer ? outer(forEachNode) : forEachNode), ctx);
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
  const outer = b.bind;
  const found = blocks(b.node, key, ctx, outer);
  if (!outer) return found;
  // A nested dynamic block's iterator first, then the rule block's binding for what it does not read.
  const through = (v: Value): Value => (v !== undefined && 'bound' in v ? v : outer(v));
  return found.map((n) => ({ ...n, attr: (name: string) => through(n.attr(name)), bind: (node) => through(n.bind ? n.bind(node) : node) }));
}

export function nodeOf(v: Value): Node | undefined {
  return v === undefined ? undefined : 'bound' in v ? v.bound : v;
}

export function text(v: Value, ctx: EvalContext): string | undefined {
  return literal(nodeOf(v), ctx).value;
}
