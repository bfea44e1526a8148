import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, type Config } from '../config';
import type { ReportBaseline, ReportFinding } from '../report/types';
import { matchBaseline, parseBaseline, type BaselineEntry } from './file';
import { numberRepeats, rebaseIdentity } from './identity';

/** A scan with a baseline: which file, read from where, and what it leaves of the findings. */

/**
 * The baseline a scan uses: `explicit` (relative to `cwd`), else the config's `baseline:` (relative to the
 * config file's folder), else none. `false`: none, whatever the config says.
 */
export function baselinePath(explicit: string | false | undefined, cwd: string, config: { config: Config; dir: string }): string | undefined {
  if (explicit === false) return undefined;
  if (explicit !== undefined) return path.resolve(cwd, explicit);
  return config.config.baseline ? path.resolve(config.dir, config.config.baseline) : undefined;
}

/** Read and parse a baseline file; a missing or malformed one is a `ConfigError` naming it (exit 2). */
export function readBaseline(file: string, root: string): BaselineEntry[] {
  const name = path.relative(root, file) || file;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(`cannot read baseline ${name}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return parseBaseline(text, name);
}

/**
 * Whether an entry belongs to a file the scan covered: its `where` starts with a scanned file's path, or
 * for Terraform with a scanned file's folder (`scanned`: paths relative to the baseline's folder). Entries
 * of files a scan did not cover (other paths, unreadable files) are neither matched nor stale.
 */
function coveredBy(scanned: readonly string[]): (e: BaselineEntry) => boolean {
  const scopes = new Set(scanned);
  for (const p of scanned) scopes.add(path.posix.dirname(p));
  return (e) => {
    if (scopes.has(e.where)) return true;
    for (let i = e.where.indexOf(' '); i >= 0; i = e.where.indexOf(' ', i + 1)) if (scopes.has(e.where.slice(0, i))) return true;
    for (let i = e.where.indexOf('/'); i >= 0; i = e.where.indexOf('/', i + 1)) if (scopes.has(e.where.slice(0, i))) return true;
    return false;
  };
}

/**
 * The findings a baseline does not hold, and what the report says about the baseline. `scanned`: the files
 * the scan covered, relative to `root`.
 */
export function applyBaseline(
  findings: ReportFinding[],
  file: string | undefined,
  root: string,
  scanned: readonly string[],
): { fresh: ReportFinding[]; report: ReportBaseline } | undefined {
  if (!file) return undefined;
  const dir = path.dirname(file);
  const rebased = scanned.map((p) => path.relative(dir, path.join(root, p)).split(path.sep).join('/'));
  const covered = coveredBy(rebased);
  const entries = readBaseline(file, root);
  const match = matchBaseline(findings, entries.filter(covered));
  return {
    fresh: match.fresh,
    report: {
      path: path.relative(root, file).split(path.sep).join('/'),
      known: match.known,
      stale: match.stale,
      outside: entries.filter((e) => !covered(e)),
    },
  };
}

/**
 * Final identities of a scan's findings (shown and suppressed, in report order): scopes relative to `to`
 * (the baseline's folder) instead of the scan root `from`, and repeats numbered.
 */
export function settleIdentities(findings: readonly ReportFinding[], from: string, to: string): void {
  if (from !== to) {
    for (const f of findings) if (f.identity) f.identity = rebaseIdentity(f.identity, f.ruleId, from, to);
  }
  numberRepeats(findings.flatMap((f) => (f.identity ? [f.identity] : [])));
}
