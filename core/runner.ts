import { defaultConfig, ruleSetting, type Config } from './config';
import type { ParsedFile, Span } from './model';
import { ruleMayReport } from './prefilter';
import { Project } from './project';
import type { Finding, Rule } from './rule';
import { isSuppressed, suppressionsOf, type Suppression } from './suppress';

export interface RuleFailure {
  ruleId: string;
  message: string;
  stack?: string;
}

export interface Analysis {
  findings: Finding[];
  /** Findings hidden by `airlock:ignore` suppressions (kept for reporting counts). */
  suppressed: number;
  /** Rules that threw on this file: the file's other findings still stand. */
  failures: RuleFailure[];
  /** The suppressed findings with the reason their suppression gives (SARIF keeps them, marked). */
  hidden?: SuppressedFinding[];
}

export interface SuppressedFinding {
  finding: Finding;
  reason?: string;
}

export interface AnalyzeOptions {
  rules: readonly Rule[];
  config?: Config;
  project?: Project;
  /** Checked between rules: an editor drops analysis of a version that is already stale. */
  isCancelled?: () => boolean;
  /** Called after each rule with the milliseconds its `check` took (profiling; off when absent). */
  onRuleTime?: (ruleId: string, ms: number) => void;
  /**
   * Skip a rule whose prefilter rules the file out. Worth it in a scan, where it spares rules that walk every
   * node of files that passed on another rule's account; not while typing in a small file, where testing the
   * text costs more than the rules it spares.
   */
  prefilter?: boolean;
}

export class Cancelled extends Error {
  constructor() {
    super('analysis cancelled');
  }
}

function compareSpans(a: Span, b: Span): number {
  return (a.cell ?? -1) - (b.cell ?? -1) || (a.output ?? -1) - (b.output ?? -1) || a.start - b.start || a.end - b.end;
}

/** Run every enabled rule that applies to the file's format. A rule that throws is recorded, never fatal. */
export async function analyze(file: ParsedFile, opts: AnalyzeOptions): Promise<Analysis> {
  const config = opts.config ?? defaultConfig();
  const project = opts.project ?? new Project([file]);
  const findings: Finding[] = [];
  const failures: RuleFailure[] = [];
  let texts: string[] | undefined;
  const neighbours = () => (texts ??= project.moduleTexts(file));
  for (const rule of opts.rules) {
    if (!rule.formats.includes(file.format)) continue;
    const setting = ruleSetting(rule, config);
    if (setting === 'off') continue;
    // A rule whose resource types, keys or words are absent from the text has nothing to report here.
    if (opts.prefilter && rule.prefilter?.[file.format]) {
      if (!ruleMayReport(rule, file.format, file.text, neighbours)) continue;
    }
    if (opts.isCancelled?.()) throw new Cancelled();
    const found: Finding[] = [];
    const t0 = opts.onRuleTime ? performance.now() : 0;
    try {
      await rule.check({
        file,
        project,
        options: config.options[rule.id] ?? {},
        report: (f) => found.push({ ...f, ruleId: rule.id, family: rule.family, severity: f.severity ?? setting, uri: file.uri }),
      });
      findings.push(...found);
    } catch (e) {
      const err = e as Error;
      failures.push({ ruleId: rule.id, message: err?.message ?? String(e), stack: err?.stack });
    }
    opts.onRuleTime?.(rule.id, performance.now() - t0);
  }
  dropSuperseded(findings, opts.rules);
  const suppressions = findings.length ? suppressionsOf(file) : [];
  const kept = suppressions.length ? findings.filter((f) => !isSuppressed(f, suppressions)) : findings;
  kept.sort((a, b) => compareSpans(a.span, b.span) || a.ruleId.localeCompare(b.ruleId));
  const hidden = kept.length < findings.length ? suppressedFindings(findings, kept, suppressions) : undefined;
  return { findings: dedupe(kept), suppressed: findings.length - kept.length, failures, ...(hidden ? { hidden } : {}) };
}

function suppressedFindings(all: readonly Finding[], kept: readonly Finding[], suppressions: Suppression[]): SuppressedFinding[] {
  const shown = new Set(kept);
  return all
    .filter((f) => !shown.has(f))
    .sort((a, b) => compareSpans(a.span, b.span) || a.ruleId.localeCompare(b.ruleId))
    .map((finding) => ({ finding, reason: suppressions.find((s) => isSuppressed(finding, [s]))?.reason }));
}

function overlaps(a: Span, b: Span): boolean {
  return a.cell === b.cell && a.output === b.output && a.start < b.end && b.start < a.end;
}

/** Remove findings that a superseding rule's finding covers (see `Rule.supersedes`). */
function dropSuperseded(findings: Finding[], rules: readonly Rule[]): void {
  const by = new Map<string, readonly string[]>();
  for (const r of rules) if (r.supersedes?.length) by.set(r.id, r.supersedes);
  if (by.size === 0) return;
  const winners = findings.filter((f) => by.has(f.ruleId));
  for (let i = findings.length - 1; i >= 0; i--) {
    const f = findings[i];
    if (winners.some((w) => w !== f && by.get(w.ruleId)!.includes(f.ruleId) && overlaps(w.span, f.span))) findings.splice(i, 1);
  }
}

/** The same rule reporting the same span twice (e.g. a value reached through two paths) is one finding. */
function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.ruleId}|${f.span.cell}|${f.span.output}|${f.span.start}|${f.span.end}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
