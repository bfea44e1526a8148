/**
 * The checks of suppression comments through the real `airlock` command: an `airlock:ignore` naming no rule is
 * a warning on every scan; suppressions that hide nothing are reported with `--report-unused-suppressions`.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const CLI = path.resolve(__dirname, '..', 'dist', 'cli.js');
const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'airlock-suppression-checks-'));
  temps.push(dir);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

function airlock(args: string[], cwd: string): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 60_000, env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface JsonFinding {
  ruleId: string;
  family: string;
  severity: string;
  message: string;
  path: string;
  line: number;
  cell?: number;
  cellLine?: number;
}

function findings(args: string[], cwd: string): JsonFinding[] {
  const r = airlock(['scan', '--format', 'json', ...args, '.'], cwd);
  expect(r.stderr).toBe('');
  return (JSON.parse(r.stdout) as { findings: JsonFinding[] }).findings;
}

const summary = (f: JsonFinding) => `${f.path}:${f.line} ${f.severity} ${f.ruleId} ${f.message}`;
const checks = (list: JsonFinding[]) => list.filter((f) => f.ruleId.startsWith('airlock/')).map(summary);

const PUBLIC_ACL = 'resource "aws_s3_bucket_acl" "site" {\n  bucket = "site"\n  acl    = "public-read"\n}\n';

describe('airlock:ignore naming no rule', () => {
  const dir = project({
    // A file no rule can report on: its suppressions are checked all the same.
    'plain.tf': 'locals {\n  # airlock:ignore secret/knwon-token -- test fixture\n  name = "app"\n}\n',
    'site.tf': `# airlock:ignore storage/s3-public-acl, storage/s3-publc-acl -- the public website\n${PUBLIC_ACL}`,
  });

  it('is a warning finding at the comment, without any flag, and fails the scan at the default threshold', () => {
    const text = airlock(['scan', '.'], dir);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('plain.tf:2:3 warning airlock/unknown-rule-id Unknown rule id "secret/knwon-token" in airlock:ignore');
    expect(checks(findings([], dir))).toEqual([
      'plain.tf:2 warning airlock/unknown-rule-id Unknown rule id "secret/knwon-token" in airlock:ignore',
      'site.tf:1 warning airlock/unknown-rule-id Unknown rule id "storage/s3-publc-acl" in airlock:ignore',
    ]);
  });

  it('leaves the ids beside it working, and does not fail a scan whose threshold is error', () => {
    expect(findings([], dir).filter((f) => f.ruleId === 'storage/s3-public-acl')).toEqual([]);
    expect(airlock(['scan', '--severity', 'error', '.'], dir).code).toBe(0);
  });

  it('is found in a notebook cell, at its line in the .ipynb file and in the cell', () => {
    const cell = (source: string[]) => ({ cell_type: 'code', metadata: {}, execution_count: null, outputs: [], source });
    const nb = { cells: [cell(['print(1)\n']), cell(['x = 1\n', '# airlock:ignore pin/hf-unpined-revision\n'])], metadata: {}, nbformat: 4, nbformat_minor: 5 };
    const nbDir = project({ 'load.ipynb': JSON.stringify(nb, null, 1) });
    const [f] = findings([], nbDir);
    expect(f).toMatchObject({
      ruleId: 'airlock/unknown-rule-id',
      cell: 1,
      cellLine: 2,
      message: 'Unknown rule id "pin/hf-unpined-revision" in airlock:ignore',
    });
    expect(JSON.stringify(nb, null, 1).split('\n')[f.line - 1]).toContain('airlock:ignore pin/hf-unpined-revision');
  });
});

describe('--report-unused-suppressions', () => {
  const dir = project({
    'site.tf': `# airlock:ignore storage/s3-public-acl -- the public website\n${PUBLIC_ACL}`,
    'logs.tf': '# airlock:ignore storage/s3-public-acl -- was public once\nresource "aws_s3_bucket_acl" "logs" {\n  bucket = "logs"\n  acl    = "private"\n}\n',
    'data.tf': 'resource "aws_s3_bucket" "data" {\n  # checkov:skip=CKV_AWS_18: access logs go elsewhere\n  bucket = "data"\n}\n',
  });

  it('is silent by default about an airlock:ignore that hides nothing and about other scanners’ markers', () => {
    expect(checks(findings([], dir))).toEqual([]);
    expect(airlock(['scan', '.'], dir).code).toBe(0);
  });

  it('reports an unused airlock:ignore as a warning and a marker mapping to no rule as info', () => {
    expect(checks(findings(['--report-unused-suppressions'], dir))).toEqual([
      'data.tf:2 info airlock/unused-suppression checkov:skip=CKV_AWS_18 suppresses nothing: CKV_AWS_18 maps to no Airlock rule',
      'logs.tf:1 warning airlock/unused-suppression Unused airlock:ignore: no storage/s3-public-acl finding here',
    ]);
    const r = airlock(['scan', '--report-unused-suppressions', '.'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('logs.tf:1:1 warning airlock/unused-suppression Unused airlock:ignore: no storage/s3-public-acl finding here');
  });

  it('gives the same findings with worker threads', () => {
    const files = Object.fromEntries(Array.from({ length: 220 }, (_, i) => [`m${i}/logs.tf`, '# airlock:ignore storage/s3-public-acl\nlocals {}\n']));
    const many = project(files);
    const threaded = findings(['--report-unused-suppressions', '--jobs', '2'], many);
    expect(threaded).toHaveLength(220);
    expect(threaded).toEqual(findings(['--report-unused-suppressions', '--jobs', '1'], many));
  });
});

describe('airlock rules and airlock explain', () => {
  it('list and explain the checks of suppression comments', () => {
    const dir = project({});
    const listed = JSON.parse(airlock(['rules', '--format', 'json'], dir).stdout) as { id: string; family: string; helpUri: string }[];
    expect(listed.filter((r) => r.family === 'airlock').map((r) => [r.id, r.helpUri.replace(/.*\/docs\//, 'docs/')])).toEqual([
      ['airlock/unknown-rule-id', 'docs/rules/airlock/unknown-rule-id.md'],
      ['airlock/unused-suppression', 'docs/rules/airlock/unused-suppression.md'],
    ]);
    const explained = airlock(['explain', 'unused-suppression'], dir);
    expect(explained.code).toBe(0);
    expect(explained.stdout).toMatch(/^airlock\/unused-suppression\n {2}A suppression comment hides no finding/);
  });
});
