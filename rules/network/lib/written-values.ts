import { contentSpan, type EvalContext, evaluate, isExpr, type Node, type RelatedLocation, type Resource, type Span, str } from '../../../core';
import { fileOf } from './addresses';

/** A value of an attribute that a rule reports: where to report it, and where else it shows. */
export interface WrittenValue {
  span: Span;
  value: string;
  related: RelatedLocation[];
  /** ` (from var.invoker)` when the value came through a reference, for messages. */
  via: string;
}

/**
 * The values of `attr` that `matches` accepts, placed as the network rules place an open address: a literal
 * written in the attribute, or in this file (a variable or parameter default, a local), is reported where it is
 * written, with the attribute that uses it as a related location; a literal from another file, at the attribute.
 */
export function writtenValues(ctx: EvalContext, r: Resource, attr: Node | undefined, matches: (value: string) => boolean): WrittenValue[] {
  if (attr === undefined) return [];
  const literal = str(attr);
  if (literal !== undefined) return matches(literal) ? [{ span: contentSpan(attr), value: literal, related: [], via: '' }] : [];
  if (!isExpr(attr)) return [];
  const via = ` (from ${attr.text.replace(/\s+/g, ' ').trim()})`;
  const out: WrittenValue[] = [];
  const seen = new Set<string>();
  for (const v of evaluate(attr, ctx).values) {
    const value = str(v);
    if (value === undefined || !matches(value)) continue;
    const file = fileOf(v, ctx);
    const inside = v.span.start >= attr.span.start && v.span.end <= attr.span.end;
    const placed: WrittenValue =
      file === ctx.file && !inside
        ? { span: contentSpan(v), value, via, related: [{ span: contentSpan(attr), message: `used here by ${r.name || r.type}` }] }
        : {
            span: inside ? contentSpan(v) : contentSpan(attr),
            value,
            via,
            related: file && file !== ctx.file ? [{ span: contentSpan(v), uri: file.uri, message: 'the value is written here' }] : [],
          };
    const key = `${placed.span.start}:${placed.span.end}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(placed);
    }
  }
  return out;
}
