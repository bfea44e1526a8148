import { existsSync } from 'node:fs';
import path from 'node:path';
import { defaultConfig, loadConfigFile, type Config } from '../core/config';
import type { Rule, Severity } from '../core/rule';
import {
  compareLocations,
  INFORMATION_URI,
  relativePath,
  reportRule,
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
import { stagedFiles } from './staged';
import { configIgnoreOf, newTiming, walkPaths } from '../core/scan';
import { scanUnit, type FileResult, type UnitFile } from './unit';

export const CONFIG_FILE = '.airlock.yaml';

interface ScanRequest {
  /** Scan root: paths in the report are relative to it. */
  cwd: string;
  paths: readonly string[];
  staged?: boolean;
  /** Config file (relative to `cwd`); else the nearest `.airlock.yaml` at or above `cwd`. */
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
  /** Files this run writes (relative to `cwd`): refused when one of them is a scanned file. */
  outputs?: readonly string[];
}

/** The nearest `.airlock.yaml` at or above `dir`. */
function findConfig(dir: string): string | undefined {
  for (let d = dir; ; d = path.dirname(d)) {
    const candidate = path.join(d, CONFIG_FILE);
    if (existsSync(candidate)) return candidate;
    if (path.dirname(d) === d) return undefined;
  }
}

/** The config and the folder its `ignore:` patterns are relative to. Throws `ConfigError`. */
function resolveConfig(cwd: string, configFile?: string): { config: Config; dir: string; file?: string } {
  const file = configFile ? path.resolve(cwd, configFile) : findConfig(cwd);
  if (!file) return { config: defaultConfig(), dir: cwd };
  return { config: loadConfigFile(file), dir: path.dirname(file), file };
}

export async function runScan(req: ScanRequest): Promise<ScanReport> {
  const started = performance.now();
  const timing = req.timingFile ? newTiming() : undefined;
  const root = req.cwd;
  const rules = req.rules ?? RULES;
  const resolved = resolveConfig(root, req.configFile);
  const config: Config = { ...resolved.config, maxFileSize: req.maxFileSize ?? resolved.config.maxFileSize };
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
    for (const c of walked.files) {
      if (c.size > config.maxFileSize) skipped.push({ path: relativePath(root, c.abs), reason: 'too-large', size: c.size });
      else files.push({ uri: c.abs, size: c.size });
    }
    for (const e of walked.errors) problems.push({ kind: 'read', level: 'error', path: relativePath(root, e.abs), message: e.message });
  }

  if (req.outputs) refuseScannedOutputs(req.outputs, files, skipped, root);
  if (timing) timing.walkMs = performance.now() - started;
  const ctx = { root, config, rules, timing };
  const threads = threadCount(files.length, req.jobs);
  const workerFile = rules === RULES ? bundledWorker() : undefined;
  let results: FileResult[];
  if (threads > 1 && workerFile) {
    results = await scanInWorkers(files, ctx, workerFile, threads);
  } else {
    // The same folder batches as the workers get: identical results, and only one batch in memory.
    results = [];
    for (const batch of batchByFolder(files)) append(results, await scanUnit(batch, ctx));
  }

  const findings: ReportFinding[] = [];
  let suppressed = 0;
  let filesScanned = 0;
  for (const r of results) {
    append(findings, r.findings);
    append(problems, r.problems);
    if (r.skipped) skipped.push(r.skipped);
    suppressed += r.suppressed;
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

  return {
    tool: { name: TOOL_NAME, version: req.version, informationUri: INFORMATION_URI },
    root,
    rules: rules.map(reportRule),
    findings,
    problems,
    skipped,
    maxFileSize: config.maxFileSize,
    summary: summarize({ filesScanned, findings, problems, skipped, suppressed, threshold: req.threshold ?? 'warning' }),
  };
}
