import type { ScanReport } from './types';

/**
 * The JSON format: `{ version, findings, problems, skipped, summary }`. Positions as in the text format
 * (1-based, `endColumn` exclusive); notebook `cell` is the 0-based index, `cellLine` 1-based.
 */
export function toJsonReport(report: ScanReport): object {
  return {
    version: report.tool.version,
    findings: report.findings.map((f) => ({
      ruleId: f.ruleId,
      family: f.family,
      severity: f.severity,
      message: f.message,
      path: f.path,
      line: f.line,
      column: f.column,
      endLine: f.endLine,
      endColumn: f.endColumn,
      ...(f.cell !== undefined ? { cell: f.cell } : {}),
      ...(f.cellLine !== undefined ? { cellLine: f.cellLine } : {}),
      ...(f.output !== undefined ? { output: f.output } : {}),
      ...(f.outputLine !== undefined ? { outputLine: f.outputLine } : {}),
      ...(f.related?.length ? { related: f.related } : {}),
      ...(f.fixes?.length ? { fixes: f.fixes.map((x) => ({ title: x.title, safety: x.safety })) } : {}),
      fingerprint: f.fingerprint,
    })),
    problems: report.problems,
    skipped: report.skipped,
    summary: report.summary,
    ...(report.baseline ? { baseline: { path: report.baseline.path, known: report.baseline.known.length, stale: report.baseline.stale } } : {}),
  };
}

export function formatJson(report: ScanReport): string {
  return `${JSON.stringify(toJsonReport(report), null, 2)}\n`;
}
