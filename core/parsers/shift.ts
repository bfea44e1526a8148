import type { Comment, Entry, MapNode, Node, ParseProblem, Resource, Span } from '../model';

/**
 * Copies of model nodes moved by `d` characters: Terraform blocks reused after an edit from the previous
 * parse, a repeated file's model (`d` = 0), a re-parsed CloudFormation resource and what follows it, a
 * JSON document read from inside a string. Nodes shared in the original stay shared in the copy.
 */

export function shiftSpan(s: Span, d: number): Span {
  // A cell or output span keeps saying where its offsets are relative to.
  return s.cell === undefined && s.output === undefined ? { start: s.start + d, end: s.end + d } : { ...s, start: s.start + d, end: s.end + d };
}

export function shiftResource(r: Resource, d: number, seen = new Map<Node, Node>()): Resource {
  return { ...r, span: shiftSpan(r.span, d), nameSpan: shiftSpan(r.nameSpan, d), body: shiftNode(r.body, d, seen) as MapNode };
}

export function shiftComment(c: Comment, d: number): Comment {
  return { span: shiftSpan(c.span, d), text: c.text };
}

export function shiftProblem(p: ParseProblem, d: number): ParseProblem {
  return { span: shiftSpan(p.span, d), message: p.message };
}

export function shiftEntry(e: Entry, d: number, seen = new Map<Node, Node>()): Entry {
  const out: Entry = { ...e, keySpan: shiftSpan(e.keySpan, d), value: shiftNode(e.value, d, seen) };
  return out;
}

/** A copy of a converted node moved by `d` characters (shared nodes stay shared). */
export function shiftNode(n: Node, d: number, seen = new Map<Node, Node>()): Node {
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
