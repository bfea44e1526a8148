import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BASELINE_FILE, baselineEntry, baselinePath, formatBaseline, type BaselineEntry } from '../core/baseline';
import type { Rule } from '../core/rule';
import type { BaselineArgs } from './args';
import { UsageError } from './args';
import { resolveConfig, runScan } from './scan';

/**
 * `airlock baseline`: write every current finding to the baseline file, so that `airlock scan --baseline`
 * (or `baseline:` in the config) reports only new ones. `--update` keeps only the entries that still
 * match a finding: the file shrinks as findings are fixed and never takes in new ones.
 */

export interface BaselineIo {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
  cwd: string;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

export async function baselineCommand(args: BaselineArgs, io: BaselineIo, version: string, rules?: readonly Rule[]): Promise<number> {
  const file = baselinePath(args.output, io.cwd, resolveConfig(io.cwd, [], args.config)) ?? path.resolve(io.cwd, BASELINE_FILE);
  const name = path.relative(io.cwd, file) || file;
  const report = await runScan({
    cwd: io.cwd,
    paths: args.paths,
    configFile: args.config,
    jobs: args.jobs,
    version,
    rules,
    ...(args.update ? { baseline: file } : { baseline: false, identityRoot: path.dirname(file) }),
  });
  let entries: BaselineEntry[];
  let note: string;
  if (report.baseline) {
    // --update: the entries that still match, and those of files this scan did not cover, as they were.
    entries = [...report.baseline.known.flatMap((f) => baselineEntry(f) ?? []), ...report.baseline.outside];
    note = `${name}: kept ${plural(entries.length, 'entry', 'entries')}, dropped ${report.baseline.stale.length} no longer found`;
  } else {
    entries = report.findings.flatMap((f) => baselineEntry(f) ?? []);
    note = `${name}: ${plural(entries.length, 'finding')} written`;
  }
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, formatBaseline(entries));
  } catch (e) {
    throw new UsageError(`cannot write ${name}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  if (!args.quiet) io.stderr.write(`${note}\n`);
  if (report.summary.exitCode !== 2) return 0;
  // Findings of files that could not be scanned are missing from the baseline: say so, as a scan would.
  io.stderr.write(`airlock: ${plural(report.summary.failedFiles, 'file')} could not be scanned (run airlock scan to see which)\n`);
  return 2;
}
