import type { Span } from '../model';
import type { ForeignTool } from './foreign-ids';

export interface Suppression {
  /** Airlock rule ids (or globs) it suppresses. */
  ids: string[];
  reason?: string;
  /** What it covers, as a span of the same coordinate space as findings of that file (cell-relative in notebooks). */
  covers: Span;
  /** Where the suppression is written. */
  at: Span;
  /** The scanner whose marker this is; absent for `airlock:ignore`. */
  tool?: ForeignTool;
  /** A scanner's marker: each check it names (or the marker itself when it names none) and the rules that maps to. */
  checks?: { id: string; rules: string[] }[];
}

/** Whether `s` covers a finding at `span`. */
export function covers(s: Suppression, span: Span): boolean {
  // Output findings sit in the cell's outputs: a cell-level suppression (tag) covers them too.
  if (s.covers.cell !== span.cell) return false;
  if (span.output !== undefined) return s.covers.end === Infinity;
  return span.start >= s.covers.start && span.start <= s.covers.end;
}
