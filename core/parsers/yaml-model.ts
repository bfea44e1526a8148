import type { CST } from 'yaml';
import type { Comment, ExprNode, Format, MapNode, Node, Path, Resource, Span } from '../model';
import { makeIntrinsic } from './intrinsics';

/** Model-building pieces the YAML routes share (`yaml`'s composer output and its CST read directly). */

/** Format-specific decisions made while the tree is built (shared with the JSON reader). */
export interface TreeHooks {
  /** How deep absolute key paths are tracked (enough for `bodyAt`). */
  depth: number;
  /** Whether the node at this absolute path is a resource body: paths below it are relative to it. */
  bodyAt(abs: Path): boolean;
  /** Called on every finished map: may replace it (CloudFormation long-form intrinsics). */
  normalizeMap(map: MapNode, abs: Path | undefined, source: string): Node;
}

/** How the YAML and JSON readers build one format's model. */
export interface StructuredDialect {
  format: Format;
  hooks?: TreeHooks;
  /** The resources of the document roots (none when absent). */
  resources?(roots: Node[]): Resource[];
  /** CloudFormation short-form tags (`!Ref`, `!Sub`...) are read as intrinsic functions. */
  intrinsics?: boolean;
}

/** YAML or JSON of no format Airlock models: roots and comments, no resources. */
const PLAIN: StructuredDialect = { format: 'text' };

export function dialectOf(d: StructuredDialect | 'text'): StructuredDialect {
  return d === 'text' ? PLAIN : d;
}

export function isWs(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

/** Block scalar (`|`, `>`): from the first content character after the header line to the last one. */
export function blockContent(text: string, span: Span): Span {
  const nl = text.indexOf('\n', span.start);
  if (nl < 0 || nl >= span.end) return { start: span.end, end: span.end };
  let start = nl + 1;
  let end = span.end;
  while (end > start && isWs(text.charCodeAt(end - 1))) end--;
  while (start < end && isWs(text.charCodeAt(start))) start++;
  return { start, end };
}

/** Offset of the `!Tag` written before a node starting at `start` (the node's range leaves it out). */
function tagStart(text: string, tag: string, start: number): number {
  const idx = text.lastIndexOf(tag, start - tag.length);
  if (idx < 0 || start - idx > 512) return start;
  const between = text.slice(idx + tag.length, start);
  return /^(?:\s+(?:&\S+\s+)?)?$/.test(between) ? idx : start;
}

/**
 * A CloudFormation short form (`!Sub ...`) as an intrinsic: `inner` is the tagged node built with the path
 * `[...path, fn]`; the span runs from the tag to the end of the value.
 */
export function tagged(text: string, fn: string, tag: string, inner: Node, path: Path): ExprNode {
  const args = inner.kind === 'list' ? inner.items : [inner];
  const start = tagStart(text, tag, inner.span.start);
  const span = { start, end: Math.max(inner.span.end, start + tag.length) };
  return makeIntrinsic(fn, args, span, path, text.slice(span.start, span.end));
}

/** A scalar's content: inside the quotes of a quoted one (up to the end if unclosed), the lines of a block one. */
export function scalarContent(text: string, type: string | null | undefined, span: Span): Span {
  switch (type) {
    case 'QUOTE_DOUBLE':
    case 'QUOTE_SINGLE': {
      const q = type === 'QUOTE_DOUBLE' ? 34 : 39;
      const closed = span.end - span.start >= 2 && text.charCodeAt(span.end - 1) === q;
      return { start: span.start + 1, end: closed ? span.end - 1 : span.end };
    }
    case 'BLOCK_LITERAL':
    case 'BLOCK_FOLDED':
      return blockContent(text, span);
    default:
      return span;
  }
}

/** A `#` comment token as a model comment (its text after the `#`). */
export function commentOf(token: CST.SourceToken): Comment {
  return { span: { start: token.offset, end: token.offset + token.source.length }, text: token.source.slice(1) };
}
