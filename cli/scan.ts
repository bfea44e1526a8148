import { statSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, defaultConfig, findConfigFile, loadConfigFile, type Config } from '../core/config';
import type { Rule, Severity } from '../core/rule';
import {
  compareLocations,
  INFORMATION_URI,
  relativePath,
  reportRule,
  SUPPRESSION_CHECKS,
  summarize,
  TOOL_NAME,
  type ReportFinding,
  type ReportProblem,
  type ScanReport,
  type SkippedFile,
} from '../core/report';
import { RULES } from '../rules';
import { append } from './append';
import { refuseScannedOutputs, writeOutputFile } from './output';
import { batchByFolder, bundledWorker, scanInWorkers, threadCount } from './pool';
import { moduleFilesOnDisk, moduleFolders } from './module';
import { stagedFiles } from './staged';
import { configIgnoreOf, newTiming, walkPaths } from '../core/scan';
import { scanUnit, type FileResult, type UnitFile } from './unit';
import { applyBaseline, baselinePath, settleIdentities } from '../core/baseline';

export const CONFIG_FILE = '.airlock.yaml';

interface ScanRequest {
  /** Scan root: paths in the report are relative to it. */
  cwd: string;
  paths: readonly string[];
  staged?: boolean;
  /** Config file (relative to `cwd`); else the nearest `.airlock.yaml` at or above the first path. */
  configFile?: string;
  /** Overrides the config's `maxFileSize`. */
  maxFileSize?: number;
  threshold?: Severity;
  jobs?: number;
  version: string;
  /** Defaults to the registry; anything else runs in this thread (workers load the registry). */
  rules?: readonly Rule[];
  /** Write where the time went (JSON, see core/scan/timing.ts) to this file. */
  timingFile?: string;
  /** Told how many files the scan reads, once they are known. */
  onStart?: (files: number) => void;
  /** Told each batch's results as it finishes (progress; text findings printed as they come). */
  onBatch?: (results: readonly FileResult[]) => void;
  /** Baseline file (relative to `cwd`); undefined: the config's `baseline:`, if any; false: none. */
  baseline?: string | false;
  /** Folder finding identities are relative to; default: the baseline's folder, else `cwd`. */
  identityRoot?: string;
  /** Files this run writes (relative to `cwd`): refused when one of them is a scanned file. */
  outputs?: readonly string[];
  /** Report suppressions that hide nothing (`--report-unused-suppressions`); unknown rule ids are reported regardless. */
  reportUnusedSuppressions?: boolean;
  /** Extra Helm values files (relative to `cwd`), after the config's `helm.values`. */
  helmValues?: readonly string[];
}

/**
 * The extra Helm values files as absolute paths: the config's (relative to its folder), then the command
 * line's (relative to `cwd`). A file that is not there is a config error naming it.
 */
function helmValuesFiles(fromConfig: readonly string[], configDir: string, fromCli: readonly string[], cwd: string, where: string): string[] {
  const files = [...fromConfig.map((f) => path.resolve(configDir, f)), ...fromCli.map((f) => path.resolve(cwd, f))];
  for (const [i, f] of files.entries()) {
    let isFile = false;
    try {
      isFile = statSync(f).isFile();
    } catch {
      isFile = false;
    }
    if (!isFile) throw new ConfigError(`${i < fromConfig.length ? where : '--helm-values'}: Helm values file ${f} is not a readable file`);
  }
  return files;
}

/** The folder a scanned path's config is looked up from: the path itself, or a file's folder. */
function lookupStart(cwd: string, paths: readonly string[]): string {
  const first = path.resolve(cwd, paths[0] ?? '.');
  try {
    return statSync(first).isDirectory() ? first : path.dirname(first);
  } catch {
    return cwd;
  }
}

/**
 * The config and the folder its `ignore:` patterns are relative to: `--config`, else the nearest
 * `.airlock.yaml` at or above the first scanned path, up to the repository root or the working folder
 * (a config in a shared parent such as /tmp applies to no project below it). Throws `ConfigError`.
 */
export function resolveConfig(
  cwd: string,
  paths: readonly string[],
  configFile?: string,
  rules: readonly Rule[] = RULES,
): { config: Config; dir: string; file?: string } {
  const file = configFile ? path.resolve(cwd, configFile) : findConfigFile(lookupStart(cwd, paths), [], cwd);
  if (!file) return { config: defaultConfig(), dir: cwd };
  return {
    config: loadConfigFile(
      file,
      rules.map((r) => r.id),
    ),
    dir: path.dirname(file),
    file,
  };
}

export async function runScan(req: ScanRequest): Promise<ScanReport> {
  const started = performance.now();
  const timing = req.timingFile ? newTiming() : undefined;
  const root = req.cwd;
  const rules = req.rules ?? RULES;
  const resolved = resolveConfig(root, req.paths, req.configFile, req.rules);
  const helmValues = helmValuesFiles(resolved.config.helmValues ?? [], resolved.dir, req.helmValues ?? [], root, resolved.file ?? CONFIG_FILE);
  const config: Config = {
    ...resolved.config,
    maxFileSize: req.maxFileSize ?? resolved.config.maxFileSize,
    ...(helmValues.length ? { helmValues } : {}),
  };
  const configIgnore = configIgnoreOf(config.ignore, resolved.dir);

  const files: UnitFile[] = [];
  const skipped: SkippedFile[] = [];
  const problems: ReportProblem[] = [];

  if (req.staged) {
    const staged = await stagedFiles(root, req.paths, root, config.maxFileSize, configIgnore);
    append(files, staged.files);
    append(skipped, staged.skipped);
  } else {
    const walked = walkPaths(req.paths, root, configIgnore);
    const named = new Set(walked.files.map((f) => f.abs));
    for (const folder of moduleFolders(req.paths.map((p) => path.resolve(root, p)).filter((p) => named.has(p)))) {
      for (const f of moduleFilesOnDisk(folder, configIgnore)) if (!named.has(f.abs)) walked.files.push(f);
    }
    for (const c of walked.files) {
      if (c.size > config.maxFileSize) skipped.push({ path: relativePath(root, c.abs), reason: 'too-large', size: c.size });
      else files.push({ uri: c.abs, size: c.size });
    }
    for (const e of walked.errors) problems.push({ kind: 'read', level: 'error', path: relativePath(root, e.abs), message: e.message });
  }

  if (req.outputs) refuseScannedOutputs(req.outputs, files, skipped, root);
  if (timing) timing.walkMs = performance.now() - started;
  req.onStart?.(files.length);
  const ctx = { root, config, rules, timing, reportUnusedSuppressions: req.reportUnusedSuppressions };
  const threads = threadCount(files.length, req.jobs);
  const workerFile = rules === RULES ? bundledWorker() : undefined;
  let results: FileResult[];
  if (threads > 1 && workerFile) {
    results = await scanInWorkers(files, ctx, workerFile, threads, req.onBatch);
  } else {
    // The same folder batches as the workers get: identical results, and only one batch in memory.
    results = [];
    for (const batch of batchByFolder(files)) {
      const batchResults = await scanUnit(batch, ctx);
      append(results, batchResults);
      req.onBatch?.(batchResults);
    }
  }

  const findings: ReportFinding[] = [];
  const hidden: ReportFinding[] = [];
  let suppressed = 0;
  let filesScanned = 0;
  for (const r of results) {
    append(findings, r.findings);
    append(problems, r.problems);
    if (r.skipped) skipped.push(r.skipped);
    suppressed += r.suppressed;
    if (r.hidden) hidden.push(...r.hidden);
    if (r.status === 'scanned') filesScanned++;
  }
  if (timing && req.timingFile) {
    timing.threads = threads > 1 && workerFile ? threads : 1;
    timing.wallMs = performance.now() - started;
    writeOutputFile(root, req.timingFile, `${JSON.stringify(timing, null, 2)}\n`);
  }
  findings.sort(compareLocations);
  problems.sort(compareLocations);
  skipped.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  hidden.sort(compareLocations);
  const baselineFile = baselinePath(req.baseline, root, resolved);
  settleIdentities([...findings, ...hidden], root, req.identityRoot ?? (baselineFile ? path.dirname(baselineFile) : root));
  const scanned = results.flatMap((r) => (r.status === 'scanned' ? [r.path] : []));
  const baseline = applyBaseline(findings, baselineFile, root, scanned);

  return {
    tool: { name: TOOL_NAME, version: req.version, informationUri: INFORMATION_URI },
    root,
    rules: [...SUPPRESSION_CHECKS, ...rules.map(reportRule)],
    findings,
    problems,
    skipped,
    maxFileSize: config.maxFileSize,
    summary: summarize({ filesScanned, findings: baseline?.fresh ?? findings, problems, skipped, suppressed, threshold: req.threshold ?? 'warning' }),
    ...(hidden.length ? { suppressed: hidden } : {}),
    ...(baseline ? { findings: baseline.fresh, baseline: baseline.report } : {}),
  };
}
