/**
 * Detection quality on the labeled corpus (../shared/corpus/labeled): the real CLI writes SARIF, the
 * corpus's own scorer scores it, and the bar is recall and precision ≥ 0.95 per family and ≥ 0.90 in every
 * family × format cell with at least 5 expected findings — over the corpus formats Airlock reads. The
 * corpus also holds formats Airlock does not read yet: they are scanned (no crash) but held to no bar
 * until their format lands and joins `CLAIMED`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '..');
const CORPUS = path.resolve(ROOT, '..', 'shared', 'corpus');
const present = existsSync(path.join(CORPUS, 'labeled', 'manifest.json'));

interface Counts {
  tp: number;
  fn: number;
  fp: number;
}

/** Corpus formats (manifest `format`) that Airlock analyses; the bar holds for these. */
const CLAIMED = new Set([
  'terraform',
  'terraform-json',
  'terraform-plan',
  'cloudformation',
  'kubernetes',
  'helm',
  'notebook',
  'dockerfile',
  'github-actions',
  'compose',
  'kustomize',
  // No labeled file yet: its bar is the unseen round 26 set (test/unseen.test.ts).
  'terragrunt',
  'text',
]);

const recall = (c: Counts) => (c.tp + c.fn === 0 ? 1 : c.tp / (c.tp + c.fn));
const precision = (c: Counts) => (c.tp + c.fp === 0 ? 1 : c.tp / (c.tp + c.fp));

describe.runIf(present)('labeled corpus', () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'airlock-corpus-'));
  const sarif = path.join(tmp, 'results.sarif');
  const scoreJson = path.join(tmp, 'score.json');

  it('scans every file without a crash and scores at or above the bar on the formats it claims', () => {
    const scan = spawnSync(
      process.execPath,
      [path.join(ROOT, 'dist', 'cli.js'), 'scan', '--format', 'sarif', '--output', sarif, path.join(CORPUS, 'labeled')],
      {
        cwd: path.join(CORPUS, 'labeled'),
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    expect(scan.status, scan.stderr).toBe(1);
    const run = JSON.parse(readFileSync(sarif, 'utf8')).runs[0];
    const failures = (run.invocations?.[0]?.toolExecutionNotifications ?? []).filter((n: { level: string }) => n.level === 'error');
    expect(failures.map((n: { message: { text: string } }) => n.message.text)).toEqual([]);

    const out = execFileSync(process.execPath, [path.join(CORPUS, 'score.mjs'), path.join(CORPUS, 'labeled', 'manifest.json'), sarif, '--json', scoreJson], {
      encoding: 'utf8',
    });
    const score = JSON.parse(readFileSync(scoreJson, 'utf8')) as { byFamily: Record<string, Counts>; byFamilyFormat: Record<string, Counts> };
    const below: string[] = [];
    const byFamily: Record<string, Counts> = {};
    for (const [cell, c] of Object.entries(score.byFamilyFormat)) {
      const [family, format] = cell.split('|');
      if (!CLAIMED.has(format)) continue;
      const sum = (byFamily[family] ??= { tp: 0, fn: 0, fp: 0 });
      sum.tp += c.tp;
      sum.fn += c.fn;
      sum.fp += c.fp;
    }
    expect(Object.keys(byFamily).sort()).toEqual(Object.keys(score.byFamily).sort());
    for (const [family, c] of Object.entries(byFamily)) {
      if (recall(c) < 0.95 || precision(c) < 0.95) below.push(`${family}: recall ${recall(c).toFixed(2)} precision ${precision(c).toFixed(2)}`);
    }
    for (const [cell, c] of Object.entries(score.byFamilyFormat)) {
      if (c.tp + c.fn < 5 || !CLAIMED.has(cell.split('|')[1])) continue;
      if (recall(c) < 0.9 || precision(c) < 0.9) below.push(`${cell}: recall ${recall(c).toFixed(2)} precision ${precision(c).toFixed(2)}`);
    }
    expect(below, out).toEqual([]);
  });
});

describe.skipIf(present)('labeled corpus (absent)', () => {
  it.skip('../shared/corpus/labeled is not present on this machine', () => {});
});
