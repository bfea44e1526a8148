import type { Severity } from '../rule';
import { atLeast } from './meta';
import type { ReportFinding, ReportProblem, ReportSummary, SkippedFile } from './types';

export interface SummaryInput {
  filesScanned: number;
  findings: readonly ReportFinding[];
  problems: readonly ReportProblem[];
  skipped: readonly SkippedFile[];
  suppressed: number;
  threshold: Severity;
}

/**
 * Counts and the exit code: 2 when a file could not be read or scanned at all (the scan is incomplete),
 * else 1 when a finding is at or above the threshold, else 0. Parse problems and rule failures are
 * reported but do not change the exit code.
 */
export function summarize(input: SummaryInput): ReportSummary {
  const count = (s: Severity) => input.findings.filter((f) => f.severity === s).length;
  const failing = input.findings.filter((f) => atLeast(f.severity, input.threshold)).length;
  const failedFiles = input.problems.filter((p) => p.kind === 'read' || p.kind === 'failed').length;
  return {
    filesScanned: input.filesScanned,
    findings: input.findings.length,
    errors: count('error'),
    warnings: count('warning'),
    info: count('info'),
    suppressed: input.suppressed,
    skipped: {
      binary: input.skipped.filter((s) => s.reason === 'binary').length,
      tooLarge: input.skipped.filter((s) => s.reason === 'too-large').length,
    },
    parseProblems: input.problems.filter((p) => p.kind === 'parse').length,
    ruleFailures: input.problems.filter((p) => p.kind === 'rule').length,
    failedFiles,
    threshold: input.threshold,
    failing,
    exitCode: failedFiles > 0 ? 2 : failing > 0 ? 1 : 0,
  };
}

/** Findings and problems in a stable order: path, position, rule. */
export function compareLocations(
  a: { path: string; line?: number; column?: number; ruleId?: string },
  b: { path: string; line?: number; column?: number; ruleId?: string },
): number {
  return (
    (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) ||
    (a.line ?? 0) - (b.line ?? 0) ||
    (a.column ?? 0) - (b.column ?? 0) ||
    (a.ruleId ?? '').localeCompare(b.ruleId ?? '')
  );
}
