import type { LineIndex, ParsedFile, Span } from '../../../core';

/** Words of a comment that says the value next to it is to be replaced. */
const PLACEHOLDER_COMMENT = /\b(replace|change|your|placeholder|dummy|fake|example|todo|fixme)\b/i;

/** A comment on the value's line (or, for an env pair, on its name's line) that says the value is to be replaced. */
export function commentSaysPlaceholder(file: ParsedFile, span: Span, envPair: boolean, lines: () => LineIndex): boolean {
  if (span.cell !== undefined || file.comments.length === 0) return false;
  const index = lines();
  const said = placeholderLines(file, index);
  if (said.size === 0) return false;
  const last = index.position(span.end).line;
  const first = envPair ? Math.max(0, last - 2) : last;
  for (let l = first; l <= last; l++) if (said.has(l)) return true;
  return false;
}

const placeholderLinesByFile = new WeakMap<ParsedFile, Set<number>>();

/** The lines with a file comment that says a value is to be replaced, found once per file (not once per site). */
function placeholderLines(file: ParsedFile, index: LineIndex): Set<number> {
  let found = placeholderLinesByFile.get(file);
  if (!found) {
    found = new Set();
    for (const c of file.comments) if (c.span.cell === undefined && PLACEHOLDER_COMMENT.test(c.text)) found.add(index.position(c.span.start).line);
    placeholderLinesByFile.set(file, found);
  }
  return found;
}
