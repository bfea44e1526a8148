import type { Comment } from '../model';

const HASH_COMMENT = /(^|[ \t])(#|\/\/)([^\n]*)/gm;

/**
 * `#` and `//` comments found line by line — for formats without a syntax tree (plain text).
 * A `#` inside a quoted value may be taken for a comment; only suppressions read these, and a false
 * suppression needs the literal `airlock:ignore` marker, so the approximation is harmless.
 */
export function commentsByLine(text: string): Comment[] {
  const out: Comment[] = [];
  if (!text.includes('airlock:')) return out;
  for (const m of text.matchAll(HASH_COMMENT)) {
    const start = m.index + m[1].length;
    out.push({ span: { start, end: start + m[0].length - m[1].length }, text: m[3] });
  }
  return out;
}
