import { partitionPoint } from '../sorted';
import { matchesRuleGlob } from '../config';
import type { Span } from '../model';
import type { Finding } from '../rule';
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

/**
 * The furthest end of `end` and of the blocks (sorted by start, see `sortedByStart`) that start in
 * `[from, to]`: found by a binary search for `from`, not by a pass over every block.
 */
export function furthestBlockEnd(sorted: readonly Span[], from: number, to: number, end: number): number {
  for (let i = partitionPoint(sorted.length, (j) => sorted[j].start < from); i < sorted.length && sorted[i].start <= to; i++)
    if (sorted[i].end > end) end = sorted[i].end;
  return end;
}

export function sortedByStart(spans: Span[]): Span[] {
  return spans.sort((a, b) => a.start - b.start);
}

interface CoverIndex {
  /** The suppressions, by the start of what they cover. */
  by: Suppression[];
  starts: number[];
  /** The furthest end among the spans up to each one. */
  maxEnds: number[];
}

/**
 * Whether a finding of a file is hidden by one of its suppressions: per rule id and cell, the covered spans sorted
 * by start with the furthest end so far, so each finding is one binary search, not a pass over every suppression.
 */
export function suppressionTest(suppressions: readonly Suppression[]): (finding: Finding) => boolean {
  const find = suppressionFinder(suppressions);
  return (finding) => find(finding) !== undefined;
}

/** The same index, answering which suppression hides a finding (its reason goes into reports), or undefined. */
export function suppressionFinder(suppressions: readonly Suppression[]): (finding: Finding) => Suppression | undefined {
  const byRule = new Map<string, Map<number | undefined, CoverIndex>>();
  const indexFor = (ruleId: string): Map<number | undefined, CoverIndex> => {
    const known = byRule.get(ruleId);
    if (known) return known;
    const byCellList = new Map<number | undefined, Suppression[]>();
    for (const s of suppressions) {
      if (!s.ids.some((id) => matchesRuleGlob(id, ruleId))) continue;
      const list = byCellList.get(s.covers.cell);
      if (list) list.push(s);
      else byCellList.set(s.covers.cell, [s]);
    }
    const byCell = new Map<number | undefined, CoverIndex>();
    for (const [cell, list] of byCellList) {
      // Stable: of two suppressions with one start, the one written first answers.
      list.sort((a, b) => a.covers.start - b.covers.start);
      let max = -Infinity;
      byCell.set(cell, { by: list, starts: list.map((s) => s.covers.start), maxEnds: list.map((s) => (max = Math.max(max, s.covers.end))) });
    }
    byRule.set(ruleId, byCell);
    return byCell;
  };
  return (finding) => {
    const index = indexFor(finding.ruleId).get(finding.span.cell);
    if (!index) return undefined;
    // A source span is covered by a suppression holding its start; an output only by a cell-wide one (end Infinity).
    const at = finding.span.output === undefined ? finding.span.start : Infinity;
    const lo = partitionPoint(index.starts.length, (i) => index.starts[i] <= at);
    // Back from the last start at or before `at` while some span so far reaches it: the first that does holds it.
    for (let i = lo - 1; i >= 0 && index.maxEnds[i] >= at; i--) if (index.by[i].covers.end >= at) return index.by[i];
    return undefined;
  };
}
