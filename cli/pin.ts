import { lstatSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { applyEdits, fileEditsOf, type FileEdit } from '../core/fix';
import { parseFile } from '../core/formats';
import { cachedPinFix, HubCache, hubCacheRoot } from '../core/hub-cache';
import type { ParsedFile } from '../core/model';
import { printable, relativePath } from '../core/report';
import type { Finding, Rule } from '../core/rule';
import { configIgnoreOf, scanFiles, walkPaths } from '../core/scan';
import { LineIndex } from '../core/text';
import { RULES } from '../rules';
import { UsageError, type PinArgs } from './args';
import { unifiedDiff } from './diff';
import { checkOutputTarget, writeOutputFile } from './output';
import { resolveConfig } from './scan';

/**
 * `airlock pin [paths]`: pins every Hugging Face Hub load that a finding marks as pinnable (`HubPin`) to the
 * commit the local cache resolved its ref to (`refs/main` for a load that names no revision) — what last
 * ran here. A load whose ref the cache never resolved is listed, never pinned to a guess. Prints a unified
 * diff (exit 1 when there is something to pin, as `git diff --exit-code`), or with `--write` applies it.
 * The edits are those of the editor's "Pin to <sha>… (cached from <ref>)" fix; a file whose fixed text
 * would not parse as well as before is left alone.
 */

export interface PinIo {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
  cwd: string;
  env: Record<string, string | undefined>;
}

interface Plan {
  abs: string;
  name: string;
  text: string;
  edits: FileEdit[];
  pins: number;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function lineOf(file: ParsedFile, finding: Finding): number {
  const span = finding.span.cell === undefined ? finding.span : file.toFileSpan(finding.span);
  return new LineIndex(file.text).position(span.start).line + 1;
}

export async function pinCommand(args: PinArgs, io: PinIo, rules: readonly Rule[] = RULES): Promise<number> {
  const cache = new HubCache(args.hfCache ? path.resolve(io.cwd, args.hfCache) : hubCacheRoot(io.env));
  const { config, dir } = resolveConfig(io.cwd, args.paths, args.config, rules);
  const walked = walkPaths(args.paths, io.cwd, configIgnoreOf(config.ignore, dir));
  const notes: string[] = walked.errors.map((e) => `${printable(relativePath(io.cwd, e.abs))}: ${e.message}`);
  let failed = walked.errors.length > 0;
  const files = walked.files.filter((f) => f.size <= config.maxFileSize).map((f) => ({ uri: f.abs, size: f.size }));
  const plans: Plan[] = [];
  let unpinnable = 0;

  await scanFiles(files, { config, rules }, async (outcome) => {
    if (outcome.kind === 'unreadable' || outcome.kind === 'parse-failed' || outcome.kind === 'analysis-failed') {
      notes.push(`${printable(relativePath(io.cwd, outcome.file.uri))}: not read`);
      failed = true;
      return;
    }
    if (outcome.kind !== 'analysed') return;
    const { file, analysis } = outcome;
    const name = relativePath(io.cwd, file.uri);
    const fixes = [];
    for (const f of analysis.findings) {
      if (!f.hubPin) continue;
      const commit = cache.commitOf(f.hubPin);
      if (commit) {
        fixes.push(cachedPinFix(f.hubPin, commit));
        continue;
      }
      unpinnable++;
      const held = cache.commits(f.hubPin.repoType, f.hubPin.repo).length;
      const why = held ? `the cache holds ${plural(held, 'commit')} of it, none downloaded as "${f.hubPin.ref}"` : 'not in the cache';
      notes.push(`${printable(name)}:${lineOf(file, f)}: ${f.hubPin.repoType} ${f.hubPin.repo} at ${f.hubPin.ref}: ${why}`);
    }
    if (!fixes.length) return;
    const edits = fileEditsOf(file, fixes);
    const fixed = applyEdits(file.text, edits);
    const reparsed = await parseFile(file.uri, fixed, file.format);
    if (reparsed.problems.length > file.problems.length) {
      notes.push(`${printable(name)}: left as it is: pinning would make it fail to parse`);
      return;
    }
    plans.push({ abs: file.uri, name, text: file.text, edits, pins: fixes.length });
  });

  plans.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const pins = plans.reduce((n, p) => n + p.pins, 0);
  if (args.write) {
    for (const p of plans) failed = !write(p, io.cwd, notes) || failed;
  } else {
    for (const p of plans) io.stdout.write(unifiedDiff(p.name, p.text, p.edits));
  }
  for (const n of notes) io.stderr.write(`airlock: ${n}\n`);
  if (!args.quiet) {
    const done = args.write ? 'pinned' : 'to pin';
    const left = unpinnable ? `; ${plural(unpinnable, 'load')} without a cached commit (cache: ${cache.root})` : '';
    io.stderr.write(`${plural(pins, 'Hub load')} ${done} in ${plural(plans.length, 'file')}${left}\n`);
  }
  if (failed) return 2;
  return !args.write && plans.length ? 1 : 0;
}

/**
 * Writes a plan's fixed text in place, as the scan's report files are written (`output.ts`): never through a
 * symbolic link or outside the working folder, and never over a file that changed since it was read.
 */
function write(plan: Plan, cwd: string, notes: string[]): boolean {
  const rel = path.relative(cwd, plan.abs);
  try {
    if (rel.startsWith('..') || path.isAbsolute(rel)) throw new UsageError(`refusing to write ${plan.name}: it is outside the working folder`);
    checkOutputTarget(cwd, rel);
    if (readFileSync(plan.abs, 'utf8') !== plan.text) throw new UsageError(`${plan.name} changed while it was read: run airlock pin again`);
    writeOutputFile(cwd, rel, applyEdits(plan.text, plan.edits), lstatSync(plan.abs).mode & 0o7777);
    return true;
  } catch (e) {
    notes.push(e instanceof UsageError ? e.message : `cannot write ${plan.name}: ${(e as Error).message}`);
    return false;
  }
}
