import { eachObject, type EvalContext, forEachEntries, get, isExpr, isList, isMap, type MapNode, type Span, str, withBinding } from '../../core';

/**
 * The `key` blocks of a Terraform body, read the same whether written as repeated blocks, as a list of objects
 * (Terraform's JSON syntax) or as a `dynamic "key"` block. Dynamic content whose `for_each` can be read (a literal,
 * a variable default, a local) gives one block per item, its expressions reading the iterator (`key`, or the name
 * `iterator` gives) as that item (`access.value.role`, `lookup(access.value, "special_group", null)`); when the
 * items cannot be read, the content is given once as written, so its literals still count. `anchor` is where the
 * block opens, for findings about the block as a whole.
 */
export interface BodyBlock {
  node: MapNode;
  anchor: Span;
}

export function bodyBlocks(body: MapNode, key: string, ctx: EvalContext): BodyBlock[] {
  const out: BodyBlock[] = [];
  for (const e of body.entries) {
    if (e.key === key) {
      if (isMap(e.value)) out.push({ node: e.value, anchor: e.keySpan });
      else if (isList(e.value))
        for (const item of e.value.items) if (isMap(item)) out.push({ node: item, anchor: { start: item.span.start, end: item.span.start + 1 } });
      continue;
    }
    if (e.key !== 'dynamic' || e.labels?.[0] !== key || !isMap(e.value)) continue;
    const content = get(e.value, 'content');
    if (!isMap(content)) continue;
    const iteratorNode = get(e.value, 'iterator');
    const iterator = str(iteratorNode) ?? (isExpr(iteratorNode) ? iteratorNode.text.trim() : key);
    const items = forEachEntries(get(e.value, 'for_each'), ctx);
    if (!items.known) {
      out.push({ node: content, anchor: e.keySpan });
      continue;
    }
    for (const item of items.entries) out.push({ node: withBinding(content, iterator, eachObject(item)) as MapNode, anchor: e.keySpan });
  }
  return out;
}
