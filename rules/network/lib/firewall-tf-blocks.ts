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
}

export function plain(node: MapNode, keySpan: Span, written: Entry): Block {
  return { node, keySpan, written, attr: (name) => get(node, name) };
}

/**
 * `iter.value.x`, `iter.value["x"]`, `lookup(iter.value, "x", d)`, `try(iter.value.x, d)`: the attribute of
 * the for_each item the expression reads.
 */
export function bind(node: Node | undefined, iterator: string, item: Node, label: string): Value {
  if (!isExpr(node)) return node;
  const text = node.text.trim();
  const esc = iterator.replace(/[^\w]/g, '');
  const m =
    new RegExp(`^${esc}\\.value(?:\\.([\\w-]+)|\\["([\\w-]+)"\\])$`).exec(text) ??
    new RegExp(`^(?:lookup|try)\\(\\s*${esc}\\.value(?:\\.([\\w-]+)\\s*,|\\s*,\\s*"([\\w-]+)"\\s*,)`).exec(text);
  if (m) {
    const bound = get(item, m[1] ?? m[2]);
    return bound === undefined ? undefined : { bound, via: node, label };
  }
  if (text === `${esc}.value`) return { bound: item, via: node, label };
  return node;
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
      const forEach = evaluate(forEachNode, ctx);
      const label = isExpr(forEachNode) ? `an item of ${describeVia(forEachNode)}` : 'a for_each item';
      const list = forEach.values.flatMap((v) => (isList(v) ? v.items : isMap(v) ? v.entries.map((x) => x.value) : []));
      if (forEach.unresolved.length === 0 && forEach.values.length > 0) {
        // Known items: one rule per item (an empty list means no rule at all).
        for (const item of list)
          out.push({ node: content, keySpan: e.keySpan, written: dynEntry, dynamic: 'known', attr: (name) => bind(get(content, name), iterator, item, label) });
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

export function nodeOf(v: Value): Node | undefined {
  return v === undefined ? undefined : 'bound' in v ? v.bound : v;
}

export function text(v: Value, ctx: EvalContext): string | undefined {
  return literal(nodeOf(v), ctx).value;
}
