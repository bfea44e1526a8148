import { partitionPoint } from './sorted';
import { defaultConfig, ruleSetting, type Config } from './config';
import type { ParsedFile, Span } from './model';
import { formatRelated, isFixableFormat, repeatsValues } from './formats';
import { type PrefilterText, prefilterText, ruleMayReport } from './prefilter';
import { Project } from './project';
import type { Finding, FindingInput, RelatedLocation, Rule, Severity } from './rule';
import { checkThroughCalls, hasLocalCalls } from './called-modules';
import { exposesNothing } from './exposure';
import { checkThroughTemplates, decidesTemplates } from './through-templates';
import { suppressionFinder, suppressionsOf, unusedSuppressions, type UnusedSuppression } from './suppress';

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
  /** With `reportUnusedSuppressions`: the suppressions (or ids in them) that hid nothing. */
  unusedSuppressions?: UnusedSuppression[];
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
  /** Also find the suppressions that hide nothing (`Analysis.unusedSuppressions`). */
  reportUnusedSuppressions?: boolean;
  /**
   * Milliseconds the file's rules may take (checked between rules): once past, the remaining rules are skipped
   * and the file gets a "not fully analysed" problem naming them. No limit when absent.
   */
  budgetMs?: number;
  /**
   * A Helm values file also gets the findings its lines decide in the chart's templates for which this is true
   * (an editor: the templates that are not open, whose own findings nobody sees). Absent: none (a scan reports
   * each at its template).
   */
  unseenTemplates?: (uri: string) => boolean;
}

/** The per-file time budget of a scan (CLI and editor workspace scans) unless the caller sets one. */
export const DEFAULT_FILE_BUDGET_MS = 20_000;

/** How a file's problem says its rules ran out of time: a result that depends on the machine's speed. */
export const OVER_BUDGET = 'its rules took longer than';

/** Say on the file that part of it was not analysed, and why: a limit is never silent. Once per reason. */
export function notFullyAnalysed(file: ParsedFile, why: string): void {
  const message = `not fully analysed: ${why}`;
  if (!file.problems.some((p) => p.message === message)) file.problems.push({ span: { start: 0, end: 0 }, message });
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
  let asked: PrefilterText | undefined;
  const started = performance.now();
  const overBudget: string[] = [];
  const fixable = isFixableFormat(file.format);
  const calls = hasLocalCalls(file);
  const unseen = opts.unseenTemplates && decidesTemplates(file) ? opts.unseenTemplates : undefined;
  for (const rule of opts.rules) {
    if (!rule.formats.includes(file.format)) continue;
    const setting = ruleSetting(rule, config);
    if (setting === 'off') continue;
    // A rule whose resource types, keys or words are absent from the text has nothing to report here, but may
    // have through a local module the file calls.
    const here =
      !opts.prefilter ||
      !rule.prefilter?.[file.format] ||
      ruleMayReport(rule, file.format, file.text, neighbours, (asked ??= prefilterText(file.text, file.format, opts.rules)));
    if (!here && !calls && !unseen) continue;
    if (opts.isCancelled?.()) throw new Cancelled();
    if (opts.budgetMs !== undefined && performance.now() - started > opts.budgetMs) {
      overBudget.push(rule.id);
      continue;
    }
    const found: Finding[] = [];
    const t0 = opts.onRuleTime ? performance.now() : 0;
    try {
      const report = (f: FindingInput) => {
        if (exposesNothing(rule.family, f.span, { file, project })) return;
        const related = [...(f.related ?? []), ...formatRelated(file, f.span, project)];
        const finding: Finding = { ...f, ruleId: rule.id, family: rule.family, severity: f.severity ?? setting, uri: file.uri };
        if (related.length) finding.related = related;
        if (!fixable) {
          delete finding.fixes;
          delete finding.hubPin;
        }
        found.push(finding);
      };
      if (here) await rule.check({ file, project, report });
      if (calls) await checkThroughCalls(rule, file, project, report, opts.prefilter ? opts.rules : undefined);
      if (unseen) await checkThroughTemplates(rule, file, project, report, unseen, !!opts.prefilter);
      // Not `push(...found)`: spreading 100,000 findings overflows the call stack.
      for (const f of found) findings.push(f);
    } catch (e) {
      const err = e as Error;
      failures.push({ ruleId: rule.id, message: err?.message ?? String(e), stack: err?.stack });
    }
    opts.onRuleTime?.(rule.id, performance.now() - t0);
  }
  if (overBudget.length) notFullyAnalysed(file, `${OVER_BUDGET} ${opts.budgetMs} ms; not run: ${overBudget.join(', ')}`);
  dropSuperseded(findings, opts.rules);
  const unused = opts.reportUnusedSuppressions;
  const suppressions = findings.length || unused ? suppressionsOf(file, { foreign: config.foreignSuppressions }) : [];
  let kept = findings;
  const hidden: SuppressedFinding[] = [];
  if (suppressions.length) {
    kept = [];
    const suppressionOf = suppressionFinder(suppressions);
    for (const f of findings) {
      const by = suppressionOf(f);
      if (by) hidden.push({ finding: f, reason: by.reason });
      else kept.push(f);
    }
    hidden.sort((a, b) => compareSpans(a.finding.span, b.finding.span) || a.finding.ruleId.localeCompare(b.finding.ruleId));
  }
  kept.sort((a, b) => compareSpans(a.span, b.span) || a.ruleId.localeCompare(b.ruleId));
  const once = dedupe(kept);
  const analysis: Analysis = {
    findings: repeatsValues(file.format) ? dropRepeats(once, file) : once,
    suppressed: findings.length - kept.length,
    failures,
  };
  if (hidden.length) analysis.hidden = hidden;
  if (unused)
    analysis.unusedSuppressions = unusedSuppressions(
      file.uri,
      suppressions,
      findings,
      opts.rules.map((r) => r.id),
    );
  return analysis;
}

/** Spans of one rule's findings in one text (file, cell or output), asked whether any overlaps a span. */
class SpanIndex {
  private readonly spans: Span[] = [];
  private starts: number[] | undefined;
  /** `maxEnds[i]`: the furthest end among the first `i + 1` spans by start. */
  private maxEnds: number[] = [];

  add(span: Span): void {
    this.spans.push(span);
    this.starts = undefined;
  }

  /** Whether an indexed span shares a character with `span` (`a.start < b.end && b.start < a.end`). */
  overlaps(span: Span): boolean {
    if (!this.starts) {
      this.spans.sort((a, b) => a.start - b.start);
      this.starts = this.spans.map((s) => s.start);
      let max = -Infinity;
      this.maxEnds = this.spans.map((s) => (max = Math.max(max, s.end)));
    }
    // The spans that start before `span` ends; one of them overlaps if it ends after `span` starts.
    const starts = this.starts;
    const lo = partitionPoint(starts.length, (i) => starts[i] < span.end);
    return lo > 0 && this.maxEnds[lo - 1] > span.start;
  }
}

/**
 * Remove findings that a superseding rule's finding covers (see `Rule.supersedes`). The superseding
 * findings are indexed by rule and text, so each finding is one lookup: comparing every pair took minutes
 * on a stream of 20,000 Kubernetes documents.
 */
function dropSuperseded(findings: Finding[], rules: readonly Rule[]): void {
  const supersededBy = new Map<string, string[]>();
  for (const r of rules) {
    for (const loser of r.supersedes ?? []) if (loser !== r.id) supersededBy.set(loser, [...(supersededBy.get(loser) ?? []), r.id]);
  }
  if (supersededBy.size === 0) return;
  const winnerIds = new Set([...supersededBy.values()].flat());
  const keyOf = (ruleId: string, span: Span) => `${ruleId}|${span.cell}|${span.output}`;
  const winners = new Map<string, SpanIndex>();
  for (const f of findings) {
    if (!winnerIds.has(f.ruleId)) continue;
    const key = keyOf(f.ruleId, f.span);
    let index = winners.get(key);
    if (!index) winners.set(key, (index = new SpanIndex()));
    index.add(f.span);
  }
  let kept = 0;
  for (const f of findings) {
    const by = supersededBy.get(f.ruleId);
    if (by?.some((id) => winners.get(keyOf(id, f.span))?.overlaps(f.span))) continue;
    findings[kept++] = f;
  }
  findings.length = kept;
}

const SEVERITY_RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1 };

/**
 * The same rule reporting the same span twice is one finding: a value reached through two paths, or one value
 * two places use (a variable default, a `Mappings` entry two security groups read). The most severe report is kept,
 * with the related locations of all of them, so every use is still shown.
 */
function dedupe(findings: Finding[]): Finding[] {
  const at = new Map<string, number>();
  const out: Finding[] = [];
  for (const f of findings) {
    const key = `${f.ruleId}|${f.span.cell}|${f.span.output}|${f.span.start}|${f.span.end}`;
    const i = at.get(key);
    if (i === undefined) {
      at.set(key, out.length);
      out.push(f);
      continue;
    }
    const kept = out[i];
    const [primary, other] = SEVERITY_RANK[f.severity] > SEVERITY_RANK[kept.severity] ? [f, kept] : [kept, f];
    out[i] = { ...primary, related: mergedRelated(primary.related, other.related) };
  }
  return out;
}

function mergedRelated(a: RelatedLocation[] | undefined, b: RelatedLocation[] | undefined): RelatedLocation[] | undefined {
  if (!b?.length) return a;
  const key = (r: RelatedLocation) => `${r.uri ?? ''}|${r.span.cell}|${r.span.start}|${r.span.end}|${r.message}`;
  const seen = new Set((a ?? []).map(key));
  const out = [...(a ?? [])];
  for (const r of b) {
    if (seen.has(key(r))) continue;
    seen.add(key(r));
    out.push(r);
  }
  return out;
}

/** How many resources before a finding's are looked at for one that holds it (module calls nest a few deep). */
const NESTING = 8;

/**
 * A file that writes its values several times (a plan: planned values, then changes, prior state and
 * configuration): a finding outside every resource of the model whose rule, message and text a finding
 * inside one already has is a repeat, and so is a second such finding outside. The file's resources are
 * sorted by start.
 */
function dropRepeats(findings: Finding[], file: ParsedFile): Finding[] {
  const rs = file.resources;
  const inside = (span: Span): boolean => {
    let i = partitionPoint(rs.length, (k) => rs[k].span.start <= span.start) - 1;
    for (let n = 0; i >= 0 && n < NESTING; i--, n++) if (span.end <= rs[i].span.end) return true;
    return false;
  };
  const keyOf = (f: Finding) => `${f.ruleId}|${f.message}|${file.text.slice(f.span.start, f.span.end)}`;
  const held = findings.map((f) => inside(f.span));
  const seen = new Set(findings.filter((_, i) => held[i]).map(keyOf));
  return findings.filter((f, i) => {
    if (held[i]) return true;
    const key = keyOf(f);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
