import type { Comment, Entry, MapNode, Node, ParseProblem, Resource, Span } from '../model';

/**
 * Copies of converted Terraform nodes moved by `d` characters: the blocks after an edit, reused from the
 * previous parse, and a repeated file's model (`d` = 0). Nodes shared in the original stay shared in the copy.
 */

export function shiftSpan(s: Span, d: number): Span {
  return { start: s.start + d, end: s.end + d };
}

export function shiftResource(r: Resource, d: number, seen: Map<Node, Node>): Resource {
  return { ...r, span: shiftSpan(r.span, d), nameSpan: shiftSpan(r.nameSpan, d), body: shiftNode(r.body, d, seen) as MapNode };
}

export function shiftComment(c: Comment, d: number): Comment {
  return { span: shiftSpan(c.span, d), text: c.text };
}

export function shiftProblem(p: ParseProblem, d: number): ParseProblem {
  return { span: shiftSpan(p.span, d), message: p.message };
}

export function shiftEntry(e: Entry, d: number, seen: Map<Node, Node>): Entry {
  const out: Entry = { ...e, keySpan: shiftSpan(e.keySpan, d), value: shiftNode(e.value, d, seen) };
  return out;
}

/** A copy of a converted node moved by `d` characters (shared nodes stay shared). */
export function shiftNode(n: Node, d: number, seen: Map<Node, Node>): Node {
  const done = seen.get(n);
  if (done) return done;
  const sp = shiftSpan(n.span, d);
  let out: Node;
  switch (n.kind) {
    case 'map':
      out = { ...n, span: sp, entries: n.entries.map((e) => shiftEntry(e, d, seen)) };
      break;
    case 'list':
      out = { ...n, span: sp, items: n.items.map((i) => shiftNode(i, d, seen)) };
      break;
    case 'scalar':
      out = { ...n, span: sp };
      if (n.contentSpan) out.contentSpan = n.contentSpan === n.span ? sp : shiftSpan(n.contentSpan, d);
      break;
    case 'expr':
      out = { ...n, span: sp };
      if (n.args) out.args = n.args.map((a) => shiftNode(a, d, seen));
      break;
  }
  seen.set(n, out);
  return out;
}
