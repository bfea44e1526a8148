import { ConfigError } from '../core/config';
import { PathError } from '../core/scan';
import type { Rule } from '../core/rule';
import {
  compareLocations,
  formatFindingLine,
  formatJson,
  formatSarif,
  formatSummaryLine,
  formatText,
  oneLine,
  printable,
  reportRule,
  SUPPRESSION_CHECKS,
  type ReportRule,
  type ScanReport,
} from '../core/report';
import { RULES } from '../rules';
import { version } from '../package.json';
import { parseCommandLine, UsageError, type ScanArgs } from './args';
import { helpFor } from './help';
import { checkOutputTarget, writeOutputFile } from './output';
import { explainJson, explainText, findRule, rulesJson, rulesTable } from './rules';
import { Progress, type ProgressStream } from './progress';
import { runScan } from './scan';
import type { FileResult } from './unit';
import { baselineCommand } from './baseline';
import { pinCommand } from './pin';

const VERSION: string = version;

/** The file named by `AIRLOCK_TIMING`, if any: where the time of a scan went (see core/scan/timing.ts). */
function timingFile(env: Record<string, string | undefined>): string | undefined {
  const v = env.AIRLOCK_TIMING;
  return v && v !== '0' ? v : undefined;
}

export interface Io {
  stdout: { write(s: string): unknown; isTTY?: boolean };
  stderr: ProgressStream;
  cwd: string;
  env: Record<string, string | undefined>;
}

function useColor(args: ScanArgs, io: Io): boolean {
  if (args.output) return false;
  if (args.color !== undefined) return args.color;
  return !!io.stdout.isTTY && !io.env.NO_COLOR;
}

export function render(report: ScanReport, args: ScanArgs, color: boolean): string {
  switch (args.format) {
    case 'json':
      return formatJson(report);
    case 'sarif':
      return formatSarif(report);
    default:
      return formatText(report, { color, quiet: args.quiet });
  }
}

function notScannedMessage(report: ScanReport): string {
  const failed = report.problems.filter((p) => p.kind === 'read' || p.kind === 'failed');
  const first = `${printable(failed[0].path)} (${printable(failed[0].message)})`;
  const more = failed.length > 1 ? ` and ${failed.length - 1} more` : '';
  return `${failed.length === 1 ? '1 file was' : `${failed.length} files were`} not scanned: ${first}${more}`;
}

function noFilesMessage(args: ScanArgs): string {
  const where = args.paths.join(' ');
  if (args.staged) return `no staged file to scan in ${where} (git diff --cached lists none)`;
  return `no file to scan in ${where} (every file is ignored by .gitignore or the config's ignore: patterns, or there are none)`;
}

async function scanCommand(args: ScanArgs, io: Io, rules?: readonly Rule[]): Promise<number> {
  const outputs = [args.output, timingFile(io.env)].filter((f): f is string => f !== undefined);
  for (const f of outputs) checkOutputTarget(io.cwd, f);
  const progress = new Progress(io.stderr);
  const color = useColor(args, io);
  // Text on stdout: findings as their files finish (sorted within each folder batch), the rest at the end.
  const streaming = args.format === 'text' && !args.output;
  let streamed = 0;
  const onBatch = (results: readonly FileResult[]) => {
    if (streaming) {
      const findings = results.flatMap((r) => r.findings).sort(compareLocations);
      if (findings.length) {
        progress.clear();
        io.stdout.write(`${findings.map((f) => formatFindingLine(f, color)).join('\n')}\n`);
        streamed += findings.length;
      }
    }
    progress.advance(results);
  };
  const report = await runScan({
    cwd: io.cwd,
    paths: args.paths,
    staged: args.staged,
    configFile: args.config,
    maxFileSize: args.maxFileSize,
    threshold: args.severity,
    jobs: args.jobs,
    version: VERSION,
    rules,
    timingFile: timingFile(io.env),
    onStart: (files) => progress.start(files),
    onBatch,
    baseline: args.baseline,
    reportUnusedSuppressions: args.reportUnusedSuppressions,
    helmValues: args.helmValues,
    outputs,
    cache: args.cache,
    onCacheStats: (s) => {
      if (args.quiet) return;
      const unwritten = s.writeErrors ? `; ${s.writeErrors} could not be written to ${args.cache}` : '';
      io.stderr.write(`airlock: cache: ${s.hits} of ${s.hits + s.misses} folders unchanged (read back), ${s.misses} scanned${unwritten}\n`);
    },
  });
  progress.clear();
  if (args.output) {
    writeOutputFile(io.cwd, args.output, render(report, args, color));
    if (!args.quiet) io.stderr.write(`${formatSummaryLine(report)}\n`);
  } else if (streaming) {
    // The findings are out: the notes and the summary, after a blank line as in the whole report.
    const rest = formatText({ ...report, findings: [] }, { color, quiet: args.quiet });
    io.stdout.write(streamed && rest && !report.problems.length ? `\n${rest}` : rest);
  } else {
    io.stdout.write(render(report, args, color));
  }
  if (report.summary.exitCode === 2) io.stderr.write(`airlock: ${notScannedMessage(report)}\n`);
  // Never a silent pass: a scan of nothing (an empty folder, every file ignored, nothing staged) says so.
  if (report.summary.filesScanned === 0 && report.skipped.length === 0 && report.summary.failedFiles === 0) {
    io.stderr.write(`airlock: ${noFilesMessage(args)}\n`);
  }
  return report.summary.exitCode;
}

/** What `airlock rules` lists and `airlock explain` knows: the checks of suppression comments (`airlock/`, first by id), then the rules. */
function listed(rules: readonly Rule[]): ReportRule[] {
  return [...SUPPRESSION_CHECKS, ...rules.map(reportRule)];
}

/** The whole command line: returns the exit code. `rules` replaces the registry (tests). */
export async function run(argv: string[], io: Io, rules: readonly Rule[] = RULES): Promise<number> {
  try {
    const cmd = parseCommandLine(argv);
    switch (cmd.kind) {
      case 'help': {
        const text = helpFor(cmd.topic);
        if (!text) throw new UsageError(`no help for "${cmd.topic}" (commands: scan, rules, explain)`);
        io.stdout.write(text);
        return 0;
      }
      case 'version':
        io.stdout.write(`${VERSION}\n`);
        return 0;
      case 'rules':
        io.stdout.write(cmd.format === 'json' ? rulesJson(listed(rules)) : rulesTable(listed(rules)));
        return 0;
      case 'explain': {
        const rule = findRule(cmd.id, listed(rules));
        io.stdout.write(cmd.format === 'json' ? explainJson(rule) : explainText(rule));
        return 0;
      }
      case 'scan':
        return await scanCommand(cmd.args, io, rules === RULES ? undefined : rules);
      case 'baseline':
        return await baselineCommand(cmd.args, io, VERSION, rules === RULES ? undefined : rules);
      case 'pin':
        return await pinCommand(cmd.args, io, rules);
    }
  } catch (e) {
    if (e instanceof UsageError || e instanceof ConfigError || e instanceof PathError) {
      io.stderr.write(`airlock: ${oneLine(e.message, 500)}\n`);
      return 2;
    }
    io.stderr.write(`airlock: internal error: ${oneLine((e as Error)?.message ?? String(e), 500)}\n`);
    return 2;
  }
}
