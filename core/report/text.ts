import type { Severity } from '../rule';
import { formatSize } from './meta';
import type { ReportBaseline, ReportFinding, ReportProblem, ScanReport } from './types';

/**
 * The human format, one finding per line:
 *   path:line:col severity rule-id message [cell N, line M]
 * then notes (parse problems, rule failures, unreadable files) and a summary line. Notebook cells are
 * numbered from 1 here, as people count them (JSON and SARIF carry the 0-based index).
 */

export interface TextOptions {
  color?: boolean;
  /** Findings only: no notes, no summary. */
  quiet?: boolean;
}

const ESC = '\x1b[';
const RESET = `${ESC}0m`;
const SEVERITY_COLOR: Record<Severity, string> = { error: `${ESC}31m`, warning: `${ESC}33m`, info: `${ESC}36m` };
const DIM = `${ESC}2m`;

/**
 * Control characters (C0, DEL, C1), line separators and bidirectional overrides, which in a file name or a
 * message could break a line, forge one, move the cursor or reorder what a terminal shows.
 */
const UNPRINTABLE = /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** `s` with those characters escaped: `\n`, `\x1b`, `\u202e`. */
export function printable(s: string): string {
  return s.replace(UNPRINTABLE, (c) => {
    const code = c.charCodeAt(0);
    return NAMED[c] ?? (code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);
  });
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function where(f: ReportFinding): string {
  if (f.cell === undefined) return '';
  if (f.output !== undefined) return ` [cell ${f.cell + 1}, output ${f.output + 1}${f.outputLine ? `, line ${f.outputLine}` : ''}]`;
  return ` [cell ${f.cell + 1}${f.cellLine ? `, line ${f.cellLine}` : ''}]`;
}

export function formatFindingLine(f: ReportFinding, color = false): string {
  const loc = `${printable(f.path)}:${f.line}:${f.column}`;
  const message = printable(f.message);
  if (!color) return `${loc} ${f.severity} ${f.ruleId} ${message}${where(f)}`;
  return `${DIM}${loc}${RESET} ${SEVERITY_COLOR[f.severity]}${f.severity}${RESET} ${DIM}${f.ruleId}${RESET} ${message}${where(f)}`;
}

export function formatProblemLine(p: ReportProblem): string {
  const path = printable(p.path);
  const loc = p.line !== undefined ? `${path}:${p.line}:${p.column ?? 1}` : path;
  const message = printable(p.message);
  switch (p.kind) {
    case 'parse':
      return `${loc}: could not parse: ${message}`;
    case 'rule':
      return `${loc}: rule ${p.ruleId ?? '?'} failed: ${message}`;
    case 'read':
      return `${loc}: could not read: ${message}`;
    default:
      return `${loc}: could not scan: ${message}`;
  }
}

function baselineSummary(b: ReportBaseline): string {
  const stale = b.stale.length ? ` (${b.stale.length} no longer found: airlock baseline --update drops them)` : '';
  return `${b.known.length} in baseline ${b.path}${stale}`;
}

export function formatSummaryLine(report: ScanReport): string {
  const s = report.summary;
  const parts = [
    `${plural(s.findings, 'finding')} (${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')}, ${s.info} info) in ${plural(s.filesScanned, 'file')} scanned`,
  ];
  if (s.suppressed) parts.push(`${s.suppressed} suppressed`);
  if (report.baseline) parts.push(baselineSummary(report.baseline));
  const skipped = s.skipped.binary + s.skipped.tooLarge;
  if (skipped) {
    const why = [];
    if (s.skipped.binary) why.push(`${s.skipped.binary} binary`);
    if (s.skipped.tooLarge) why.push(`${s.skipped.tooLarge} over ${formatSize(report.maxFileSize)}`);
    parts.push(`skipped ${plural(skipped, 'file')}: ${why.join(', ')}`);
  }
  if (s.parseProblems) parts.push(plural(s.parseProblems, 'parse problem'));
  if (s.ruleFailures) parts.push(plural(s.ruleFailures, 'rule failure'));
  if (s.failedFiles) parts.push(`${plural(s.failedFiles, 'file')} not scanned`);
  return parts.join(', ');
}

export function formatText(report: ScanReport, opts: TextOptions = {}): string {
  const lines = report.findings.map((f) => formatFindingLine(f, opts.color));
  if (!opts.quiet) {
    for (const p of report.problems) lines.push(opts.color ? `${DIM}${formatProblemLine(p)}${RESET}` : formatProblemLine(p));
    for (const e of report.baseline?.stale ?? []) lines.push(`${report.baseline?.path}: no longer found: ${e.ruleId} ${e.where}`);
    if (lines.length) lines.push('');
    lines.push(formatSummaryLine(report));
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}
