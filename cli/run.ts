import { ConfigError } from '../core/config';
import { PathError } from '../core/scan';
import type { Rule } from '../core/rule';
import { formatJson, formatSarif, formatSummaryLine, formatText, oneLine, printable, type ScanReport } from '../core/report';
import { RULES } from '../rules';
import { version } from '../package.json';
import { parseCommandLine, UsageError, type ScanArgs } from './args';
import { helpFor } from './help';
import { checkOutputTarget, writeOutputFile } from './output';
import { explainJson, explainText, findRule, rulesJson, rulesTable } from './rules';
import { runScan } from './scan';

const VERSION: string = version;

/** The file named by `AIRLOCK_TIMING`, if any: where the time of a scan went (see core/scan/timing.ts). */
function timingFile(env: Record<string, string | undefined>): string | undefined {
  const v = env.AIRLOCK_TIMING;
  return v && v !== '0' ? v : undefined;
}

export interface Io {
  stdout: { write(s: string): unknown; isTTY?: boolean };
  stderr: { write(s: string): unknown };
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

async function scanCommand(args: ScanArgs, io: Io, rules?: readonly Rule[]): Promise<number> {
  const outputs = [args.output, timingFile(io.env)].filter((f): f is string => f !== undefined);
  for (const f of outputs) checkOutputTarget(io.cwd, f);
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
    outputs,
  });
  const out = render(report, args, useColor(args, io));
  if (args.output) {
    writeOutputFile(io.cwd, args.output, out);
    if (!args.quiet) io.stderr.write(`${formatSummaryLine(report)}\n`);
  } else {
    io.stdout.write(out);
  }
  if (report.summary.exitCode === 2) io.stderr.write(`airlock: ${notScannedMessage(report)}\n`);
  return report.summary.exitCode;
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
        io.stdout.write(cmd.format === 'json' ? rulesJson(rules) : rulesTable(rules));
        return 0;
      case 'explain': {
        const rule = findRule(cmd.id, rules);
        io.stdout.write(cmd.format === 'json' ? explainJson(rule) : explainText(rule));
        return 0;
      }
      case 'scan':
        return await scanCommand(cmd.args, io, rules === RULES ? undefined : rules);
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
