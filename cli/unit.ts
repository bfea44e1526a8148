import type { ParsedFile } from '../core/model';
import type { Project } from '../core/project';
import type { SuppressedFinding } from '../core/runner';
import {
  convertFindings,
  convertParseProblems,
  convertRuleFailures,
  convertUnusedSuppressions,
  oneLine,
  relativePath,
  type ReportFinding,
  type ReportProblem,
  type SkippedFile,
} from '../core/report';
import { scanFiles, type FileOutcome, type ScanContext, type ScanFile } from '../core/scan';

/**
 * A batch of `airlock scan`: core's scan pipeline, each file's outcome turned into report results (paths
 * relative to the scan root) where it was scanned, so that a worker thread sends back plain data.
 */

export type UnitFile = ScanFile;

export interface UnitContext extends ScanContext {
  root: string;
}

export interface FileResult {
  path: string;
  status: 'scanned' | 'skipped' | 'failed';
  skipped?: SkippedFile;
  findings: ReportFinding[];
  problems: ReportProblem[];
  suppressed: number;
  /** The suppressed findings, marked with their suppression (SARIF reports them as suppressed results). */
  hidden?: ReportFinding[];
}

function failedResult(uri: string, root: string, message: string, kind: 'read' | 'failed' = 'failed', extra: ReportProblem[] = []): FileResult {
  const path = relativePath(root, uri);
  return { path, status: 'failed', findings: [], problems: [...extra, { kind, level: 'error', path, message: oneLine(message) }], suppressed: 0 };
}

function messageOf(e: unknown): unknown {
  return (e as Error)?.message ?? e;
}

function parseProblemsOf(file: ParsedFile, root: string): ReportProblem[] {
  try {
    return convertParseProblems(file, root);
  } catch {
    return [];
  }
}

/** `reportUnused`: `--report-unused-suppressions` (`airlock:ignore` ids naming no rule are reported regardless). */
function resultOf(outcome: FileOutcome, root: string, reportUnused: boolean): FileResult {
  switch (outcome.kind) {
    case 'skipped': {
      const path = relativePath(root, outcome.file.uri);
      return { path, status: 'skipped', skipped: { path, reason: outcome.reason, size: outcome.size }, findings: [], problems: [], suppressed: 0 };
    }
    case 'unreadable':
      return failedResult(outcome.file.uri, root, outcome.message, 'read');
    case 'parse-failed':
      return failedResult(outcome.file.uri, root, `parser failed: ${messageOf(outcome.error)}`);
    case 'clean':
      return { path: relativePath(root, outcome.file.uri), status: 'scanned', findings: [], problems: [], suppressed: 0 };
    case 'analysis-failed':
      return failedResult(outcome.file.uri, root, `analysis failed: ${messageOf(outcome.error)}`, 'failed', parseProblemsOf(outcome.file, root));
    case 'analysed': {
      const { file, analysis, project } = outcome;
      let parseProblems: ReportProblem[] = [];
      try {
        parseProblems = convertParseProblems(file, root);
        return {
          path: relativePath(root, file.uri),
          status: 'scanned',
          findings: [
            ...convertFindings(file, analysis.findings, { root, resolve: (uri) => project.get(uri) }),
            ...convertUnusedSuppressions(file, analysis.unusedSuppressions ?? [], root, reportUnused),
          ],
          problems: [...parseProblems, ...convertRuleFailures(file, analysis.failures, root)],
          suppressed: analysis.suppressed,
          ...(analysis.hidden ? { hidden: hiddenFindings(file, analysis.hidden, root, project) } : {}),
        };
      } catch (e) {
        return failedResult(file.uri, root, `analysis failed: ${messageOf(e)}`, 'failed', parseProblems);
      }
    }
  }
}

function hiddenFindings(file: ParsedFile, hidden: readonly SuppressedFinding[], root: string, project: Project): ReportFinding[] {
  const converted = convertFindings(
    file,
    hidden.map((h) => h.finding),
    { root, resolve: (uri) => project.get(uri) },
  );
  return converted.map((f, i) => ({ ...f, suppression: { kind: 'inSource', ...(hidden[i].reason ? { justification: hidden[i].reason } : {}) } }));
}

/** Scan a batch (whole folders: see `pool.ts`); the same function runs in the main thread and in worker threads. */
export async function scanUnit(files: readonly UnitFile[], ctx: UnitContext): Promise<FileResult[]> {
  const results: FileResult[] = [];
  await scanFiles(files, ctx, (outcome) => {
    results.push(resultOf(outcome, ctx.root, !!ctx.reportUnusedSuppressions));
  });
  return results;
}
