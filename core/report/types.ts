import type { BaselineEntry } from '../baseline/file';
import type { FindingIdentity } from '../baseline/identity';
import type { Format } from '../model';
import type { Family, FixSafety, RuleDocs, Severity } from '../rule';

/**
 * A scan's results, independent of how they are written. The CLI fills it; the text, JSON and SARIF
 * writers are pure functions of it. Lines and columns are 1-based; columns count UTF-16 code units and
 * `endColumn` is exclusive (the column after the last character), as in SARIF.
 */

export interface Region {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface ReportLocation extends Partial<Region> {
  /** Relative to the scan root, `/`-separated. */
  path: string;
}

export interface ReportRelated extends ReportLocation {
  message: string;
}

export interface ReportEdit extends Region {
  path: string;
  newText: string;
}

export interface ReportFix {
  title: string;
  safety: FixSafety;
  /**
   * The edits in file coordinates (notebook edits already mapped into the `.ipynb` text). Absent when the
   * fix cannot be written as text edits (clearing notebook outputs, or creating a file that does not exist).
   */
  edits?: ReportEdit[];
}

/** A rule family, or `airlock` for the checks of suppression comments (`./suppression-checks.ts`). */
export type ReportFamily = Family | 'airlock';

export interface ReportFinding extends Region {
  ruleId: string;
  family: ReportFamily;
  /** Effective severity (after config overrides). */
  severity: Severity;
  /** Already masked by the rule: never the secret itself. */
  message: string;
  path: string;
  /** Notebooks: 0-based cell index. */
  cell?: number;
  /** Notebooks: 1-based line within the cell source (findings in the source). */
  cellLine?: number;
  /** Notebooks: index of the output (`Span.output`) for findings in a cell's outputs. */
  output?: number;
  /** Notebooks: 1-based line within that output's text. */
  outputLine?: number;
  related?: ReportRelated[];
  fixes?: ReportFix[];
  /**
   * sha256 of rule id, path and the finding's line with the flagged range cut out and trimmed: stable when
   * lines move, and computed without the flagged value so it reveals nothing about a secret.
   */
  fingerprint: string;
  /**
   * Where the finding lives in its language and its baseline fingerprint (see `core/baseline/identity.ts`),
   * unique in a scan; SARIF `partialFingerprints` are built on it.
   */
  identity?: FindingIdentity;
  /** Set on findings a suppression hides: `inSource` (an `airlock:ignore`, with its reason) or `external`. */
  suppression?: { kind: 'inSource' | 'external'; justification?: string };
}

export type ProblemKind =
  /** The adapter could not parse part of the file (the rest is still analysed). */
  | 'parse'
  /** A rule threw on this file; the file's other findings stand. */
  | 'rule'
  /** The file or folder could not be read. */
  | 'read'
  /** Parsing or analysis of the whole file failed: the file was not scanned. */
  | 'failed';

export interface ReportProblem extends ReportLocation {
  kind: ProblemKind;
  level: 'error' | 'warning' | 'note';
  message: string;
  ruleId?: string;
}

export interface SkippedFile {
  path: string;
  reason: 'binary' | 'too-large';
  size?: number;
}

export interface ReportRule {
  id: string;
  family: ReportFamily;
  /** Default severity. */
  severity: Severity;
  formats: readonly Format[];
  defaultOff?: boolean;
  /** The fix kinds the rule may emit, with their safety. */
  fixes?: Readonly<Record<string, FixSafety>>;
  docs: RuleDocs;
}

export interface ReportSummary {
  filesScanned: number;
  findings: number;
  errors: number;
  warnings: number;
  info: number;
  suppressed: number;
  skipped: { binary: number; tooLarge: number };
  parseProblems: number;
  ruleFailures: number;
  /** Files that could not be read or scanned at all. */
  failedFiles: number;
  /** Fail threshold: findings at or above it make the exit code 1. */
  threshold: Severity;
  /** Findings at or above the threshold. */
  failing: number;
  exitCode: 0 | 1 | 2;
}

export interface ScanReport {
  tool: { name: string; version: string; informationUri: string };
  /** Absolute path every `path` is relative to. */
  root: string;
  /** Every rule the scan ran with (SARIF `ruleIndex` points into this list). */
  rules: ReportRule[];
  findings: ReportFinding[];
  problems: ReportProblem[];
  skipped: SkippedFile[];
  /** Size limit files were skipped above, in bytes. */
  maxFileSize: number;
  summary: ReportSummary;
  /** Findings hidden by `airlock:ignore` (counted in `summary.suppressed`), each with its `suppression`. */
  suppressed?: ReportFinding[];
  /** Present when the scan ran with a baseline (`--baseline`, or `baseline:` in the config). */
  baseline?: ReportBaseline;
}

export interface ReportBaseline {
  /** The baseline file, relative to the scan root. */
  path: string;
  /** Findings the baseline holds: not in `findings`, not counted, kept for SARIF as suppressed results. */
  known: ReportFinding[];
  /** Entries of scanned files that no finding matches any more (`airlock baseline --update` drops them). */
  stale: BaselineEntry[];
  /** Entries of files this scan did not cover (other paths, unreadable files): neither matched nor stale. */
  outside: BaselineEntry[];
}
