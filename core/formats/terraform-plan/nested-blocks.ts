import type { Entry, ListNode, MapNode, Node } from '../../model';

/**
 * A plan writes every nested block as an array of objects (`"versioning": [{"enabled": true}]`, `"ingress":
 * [{…}, {…}]`). They are read as HCL reads `ingress {}` written twice: one `block` entry per object under the
 * same key, so a rule reads a nested block the same in a plan as in a `.tf` file (`get` the first, `all` every
 * one). A single block's key span is its key; where several share
 * one key, each entry's key span is its object's opening brace, so a finding about a block (one that leaves an
 * attribute out) points at the block it is about. An array holding anything but
 * objects stays a list; so does an empty array, which reads as nothing either way (no block, an empty list).
 */

function isBlockList(node: Node): node is ListNode & { items: MapNode[] } {
  return node.kind === 'list' && node.items.length > 0 && node.items.every((i) => i.kind === 'map');
}

function blockEntries(e: Entry): Entry[] {
  if (!isBlockList(e.value)) return [e];
  // One block: its key names it. Several: each object's opening brace tells them apart.
  const one = e.value.items.length === 1;
  return e.value.items.map((value) => ({
    key: e.key,
    keySpan: one ? e.keySpan : { start: value.span.start, end: value.span.start + 1 },
    value,
    form: 'block',
    labels: [],
  }));
}

/** The maps under `body` with their block arrays as repeated entries, and every path made relative to `body`. Iterative. */
export function readNestedBlocks(body: MapNode): void {
  body.path = [];
  const stack: Node[] = [body];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.kind === 'map') {
      if (n.entries.some((e) => isBlockList(e.value))) n.entries = n.entries.flatMap(blockEntries);
      for (const e of n.entries) {
        e.value.path = [...n.path, e.key];
        stack.push(e.value);
      }
    } else if (n.kind === 'list')
      n.items.forEach((item, i) => {
        item.path = [...n.path, i];
        stack.push(item);
      });
  }
}
