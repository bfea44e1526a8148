import { partitionPoint } from '../sorted';
import { matchesRuleGlob } from '../config';
import type { Span } from '../model';
import type { Finding } from '../rule';
import type { ForeignTool } from './foreign-ids';
import type { Suppression } from './suppression';

/** A suppression, or some of the ids it names, that hides nothing: for `--report-unused-suppressions` and editor hints. */
export interface UnusedSuppression {
  uri: string;
  /** Where the marker is written (cell-relative in notebooks: `ParsedFile.toFileSpan` maps it into the file). */
  span: Span;
  /** The scanner whose marker it is; absent for `airlock:ignore`. */
  tool?: ForeignTool;
  /** The ids as written in the marker that suppress nothing. */
  ids: string[];
  /**
   * `unused`: covers no finding of those ids; `unmapped`: a scanner's check id that maps to no Airlock rule, so it
   * suppresses nothing here; `unknown-rule`: an `airlock:ignore` id or glob that names no Airlock rule.
   */
  kind: 'unused' | 'unmapped' | 'unknown-rule';
  /** The reason written with the suppression. */
  reason?: string;
}

/**
 * The suppressions of a file that hide none of its findings. `findings` are all the findings before suppression;
 * `ruleIds` every rule id that could have reported (an `airlock:ignore` id matching none of them is unknown).
 */
export function unusedSuppressions(
  uri: string,
  suppressions: readonly Suppression[],
  findings: readonly Finding[],
  ruleIds: readonly string[],
): UnusedSuppression[] {
  const out: UnusedSuppression[] = [];
  const coveredBy = coverLookup(findings);
  for (const s of suppressions) {
    const covered = coveredBy(s);
    const hides = (rules: readonly string[]) => covered.some((f) => rules.some((id) => matchesRuleGlob(id, f.ruleId)));
    const byKind = new Map<UnusedSuppression['kind'], string[]>();
    const add = (kind: UnusedSuppression['kind'], id: string) => byKind.set(kind, [...(byKind.get(kind) ?? []), id]);
    if (s.checks) {
      for (const c of s.checks) {
        if (c.rules.length === 0) add('unmapped', c.id);
        else if (!hides(c.rules)) add('unused', c.id);
      }
    } else {
      for (const id of s.ids) {
        if (!ruleIds.some((r) => matchesRuleGlob(id, r))) add('unknown-rule', id);
        else if (!hides([id])) add('unused', id);
      }
    }
    for (const [kind, ids] of byKind) out.push({ uri, span: s.at, tool: s.tool, ids, kind, reason: s.reason });
  }
  return out;
}

/**
 * The findings a suppression covers (as `covers` says: a source finding whose start lies in the covered span,
 * an output finding only under a cell-wide one), found by a binary search in each cell's findings sorted by
 * start: a file's suppressions cost the findings they cover, not every finding each.
 */
function coverLookup(findings: readonly Finding[]): (s: Suppression) => Finding[] {
  const byCell = new Map<number | undefined, { source: Finding[]; outputs: Finding[] }>();
  for (const f of findings) {
    let cell = byCell.get(f.span.cell);
    if (!cell) byCell.set(f.span.cell, (cell = { source: [], outputs: [] }));
    (f.span.output === undefined ? cell.source : cell.outputs).push(f);
  }
  for (const cell of byCell.values()) cell.source.sort((a, b) => a.span.start - b.span.start);
  return (s) => {
    const cell = byCell.get(s.covers.cell);
    if (!cell) return [];
    const { source } = cell;
    const out: Finding[] = [];
    for (let i = partitionPoint(source.length, (j) => source[j].span.start < s.covers.start); i < source.length && source[i].span.start <= s.covers.end; i++)
      out.push(source[i]);
    if (s.covers.end === Infinity) for (const f of cell.outputs) out.push(f);
    return out;
  };
}
