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
import { batchByFolder, bundledWorker, groupByFolder, mainThreadScans, scanInWorkers, threadCount } from './pool';
import { chartFolders, isChartContextFile, moduleFilesOnDisk, moduleFolders } from './module';
import { stagedFiles } from './staged';
import { configIgnoreOf, newTiming, walkPaths } from '../core/scan';
import { scanUnit, type FileResult, type UnitFile } from './unit';
import { applyBaseline, baselinePath, settleIdentities } from '../core/baseline';
import { buildIdentity, cacheable, resultsOfUnit, ScanCache, type CacheStats } from './cache';

export const CONFIG_FILE = '.airlock.yaml';

interface ScanRequest {
  /** Scan root: paths in the report are relative to it. */
  cwd: string;
  paths: readonly string[];
  staged?: boolean;
  /** Config file (relative to `cwd`); else the nearest `.airlock.yaml` at or above each scanned path. */
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
  /** Cache folder (relative to `cwd`) of `--cache`: unchanged folders' results are read back, not scanned. */
  cache?: string;
  /** Told what the cache gave, once the scan is done. */
  onCacheStats?: (stats: CacheStats) => void;
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
function lookupStart(cwd: string, scanned: string | undefined): string {
  const at = path.resolve(cwd, scanned ?? '.');
  try {
    return statSync(at).isDirectory() ? at : path.dirname(at);
  } catch {
    return cwd;
  }
}

interface ResolvedConfig {
  config: Config;
  /** The folder the config's `ignore:` patterns (and `baseline:`) are relative to. */
  dir: string;
  file?: string;
}

function loadResolved(cwd: string, file: string | undefined, rules: readonly Rule[]): ResolvedConfig {
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

/**
 * The config and the folder its `ignore:` patterns are relative to: `--config`, else the nearest
 * `.airlock.yaml` at or above the first scanned path, up to the repository root or the working folder
 * (a config in a shared parent such as /tmp applies to no project below it). Throws `ConfigError`.
 */
export function resolveConfig(cwd: string, paths: readonly string[], configFile?: string, rules: readonly Rule[] = RULES): ResolvedConfig {
  const file = configFile ? path.resolve(cwd, configFile) : findConfigFile(lookupStart(cwd, paths[0]), [], cwd);
  return loadResolved(cwd, file, rules);
}

/** Scanned paths that share a config. */
interface ConfigGroup extends ResolvedConfig {
  paths: string[];
}

/**
 * Each scanned path with its config: `--config` for all of them, else each path's nearest `.airlock.yaml`
 * (as `resolveConfig` finds it), so `airlock scan services/a services/b` reads each project's own rules
 * and ignores. Paths that share a config file share one group, in the order the paths were named.
 */
function configGroups(cwd: string, paths: readonly string[], configFile: string | undefined, rules: readonly Rule[]): ConfigGroup[] {
  if (configFile || paths.length <= 1) return [{ ...resolveConfig(cwd, paths, configFile, rules), paths: [...paths] }];
  const byFile = new Map<string, ConfigGroup>();
  for (const p of paths) {
    const file = findConfigFile(lookupStart(cwd, p), [], cwd);
    const key = file ?? '';
    let group = byFile.get(key);
    if (!group) byFile.set(key, (group = { ...loadResolved(cwd, file, rules), paths: [] }));
    group.paths.push(p);
  }
  return [...byFile.values()];
}

interface CollectedFiles {
  files: UnitFile[];
  skipped: SkippedFile[];
  problems: ReportProblem[];
}

/** The files of one group's paths (staged or on disk), with the group's ignores and size limit. */
async function collectFiles(root: string, group: ConfigGroup, config: Config, staged: boolean | undefined): Promise<CollectedFiles> {
  const out: CollectedFiles = { files: [], skipped: [], problems: [] };
  const configIgnore = configIgnoreOf(config.ignore, group.dir);
  if (staged) {
    const found = await stagedFiles(root, group.paths, root, config.maxFileSize, configIgnore);
    append(out.files, found.files);
    append(out.skipped, found.skipped);
    return out;
  }
  const walked = walkPaths(group.paths, root, configIgnore);
  const named = new Set(walked.files.map((f) => f.abs));
  const namedFiles = group.paths.map((p) => path.resolve(root, p)).filter((p) => named.has(p));
  const context = [
    ...[...moduleFolders(namedFiles)].map((folder) => moduleFilesOnDisk(folder, configIgnore)),
    ...[...chartFolders(namedFiles)].map((folder) => moduleFilesOnDisk(folder, configIgnore, isChartContextFile)),
  ];
  for (const files of context) {
    for (const f of files) {
      if (named.has(f.abs)) continue;
      named.add(f.abs);
      walked.files.push(f);
    }
  }
  for (const c of walked.files) {
    if (c.size > config.maxFileSize) out.skipped.push({ path: relativePath(root, c.abs), reason: 'too-large', size: c.size });
    else out.files.push({ uri: c.abs, size: c.size });
  }
  for (const e of walked.errors) out.problems.push({ kind: 'read', level: 'error', path: relativePath(root, e.abs), message: e.message });
  return out;
}

interface CachedFolder {
  key: string;
  files: UnitFile[];
  cache: ScanCache;
}

/** Keep each scanned folder's results under its key (not when a file failed or ran out of time). */
function keepInCache(folders: readonly CachedFolder[], scanned: readonly FileResult[], root: string): void {
  const byPath = new Map(scanned.map((r) => [r.path, r]));
  for (const folder of folders) {
    const results = resultsOfUnit(folder.files, byPath, root);
    if (results && cacheable(results)) folder.cache.store(folder.key, results);
  }
}

function addStats(into: CacheStats, from: CacheStats): void {
  into.hits += from.hits;
  into.misses += from.misses;
  into.writeErrors += from.writeErrors;
}

export async function runScan(req: ScanRequest): Promise<ScanReport> {
  const started = performance.now();
  const timing = req.timingFile ? newTiming() : undefined;
  const root = req.cwd;
  const rules = req.rules ?? RULES;
  const groups = configGroups(root, req.paths, req.configFile, rules);
  const configs = groups.map((g): Config => {
    const helmValues = helmValuesFiles(g.config.helmValues ?? [], g.dir, req.helmValues ?? [], root, g.file ?? CONFIG_FILE);
    return { ...g.config, maxFileSize: req.maxFileSize ?? g.config.maxFileSize, ...(helmValues.length ? { helmValues } : {}) };
  });

  const units: { files: UnitFile[]; config: Config }[] = [];
  const skipped: SkippedFile[] = [];
  const problems: ReportProblem[] = [];
  // A file under two named paths with different configs is scanned once, with the first path's config.
  const seen = new Set<string>();
  for (const [i, group] of groups.entries()) {
    const collected = await collectFiles(root, group, configs[i], req.staged);
    const files = collected.files.filter((f) => !seen.has(f.uri));
    for (const f of files) seen.add(f.uri);
    units.push({ files, config: configs[i] });
    append(skipped, collected.skipped);
    append(problems, collected.problems);
  }
  const fileCount = units.reduce((n, u) => n + u.files.length, 0);

  if (req.outputs)
    refuseScannedOutputs(
      req.outputs,
      units.flatMap((u) => u.files),
      skipped,
      root,
    );
  if (timing) timing.walkMs = performance.now() - started;
  req.onStart?.(fileCount);
  const workerFile = rules === RULES ? bundledWorker() : undefined;
  const results: FileResult[] = [];
  const caches: ScanCache[] = [];
  // The build's identity hashes the bundle: once per scan, not once per config.
  const build = req.cache === undefined ? '' : buildIdentity(req.version, workerFile);
  const cached = units.map((unit) => {
    if (req.cache === undefined) return { ...unit, folders: [] as CachedFolder[] };
    const cache = new ScanCache(path.resolve(root, req.cache), {
      root,
      config: unit.config,
      rules,
      reportUnusedSuppressions: !!req.reportUnusedSuppressions,
      build,
    });
    caches.push(cache);
    const folders: CachedFolder[] = [];
    const files: UnitFile[] = [];
    for (const folder of groupByFolder(unit.files).values()) {
      const key = cache.keyOf(folder, root);
      const hit = key === undefined ? undefined : cache.lookup(key);
      if (hit) {
        append(results, hit);
        req.onBatch?.(hit);
      } else {
        append(files, folder);
        if (key !== undefined) folders.push({ key, files: folder, cache });
      }
    }
    return { files, config: unit.config, folders };
  });
  const fileTotal = cached.reduce((n, u) => n + u.files.length, 0);
  const threads = threadCount(fileTotal, req.jobs);
  const onMain = mainThreadScans(fileTotal, threads);
  for (const unit of cached) {
    const ctx = { root, config: unit.config, rules, timing, reportUnusedSuppressions: req.reportUnusedSuppressions };
    const scanned: FileResult[] = [];
    if (workerFile && (threads > 1 || !onMain)) {
      append(scanned, await scanInWorkers(unit.files, ctx, workerFile, threads, req.onBatch, onMain));
    } else {
      // The same folder batches as the workers get: identical results, and only one batch in memory.
      for (const batch of batchByFolder(unit.files)) {
        const batchResults = await scanUnit(batch, ctx);
        append(scanned, batchResults);
        req.onBatch?.(batchResults);
      }
    }
    append(results, scanned);
    if (unit.folders.length) keepInCache(unit.folders, scanned, root);
  }
  if (req.cache !== undefined) {
    const stats: CacheStats = { hits: 0, misses: 0, writeErrors: 0 };
    for (const c of caches) addStats(stats, c.stats);
    req.onCacheStats?.(stats);
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
  const baselineFile = baselinePath(req.baseline, root, groups[0]);
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
    maxFileSize: configs[0].maxFileSize,
    summary: summarize({ filesScanned, findings: baseline?.fresh ?? findings, problems, skipped, suppressed, threshold: req.threshold ?? 'warning' }),
    ...(hidden.length ? { suppressed: hidden } : {}),
    ...(baseline ? { findings: baseline.fresh, baseline: baseline.report } : {}),
  };
}
