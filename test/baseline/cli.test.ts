/**
 * `airlock baseline` and `airlock scan --baseline` through the real bundle: the file's shape (sorted,
 * stable, no line numbers, timestamps or secrets), new findings only, entries that no longer match,
 * `--update`, the config's `baseline:` key, and the errors.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const CLI = path.resolve(__dirname, '..', '..', 'dist', 'cli.js');
const temps: string[] = [];
afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

function airlock(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function write(dir: string, rel: string, text: string): void {
  mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  writeFileSync(path.join(dir, rel), text);
}

const SECRET = ['AKIA', 'Z7Q4XB2M5N8K3JPL'].join('');
const PASSWORD = ['hunter', '2-correct-horse'].join('');

function repo(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'airlock-baseline-'));
  temps.push(dir);
  write(dir, 'infra/main.tf', 'resource "aws_s3_bucket_acl" "logs" {\n  bucket = "logs"\n  acl    = "public-read"\n}\n');
  write(dir, 'infra/db.tf', `resource "aws_db_instance" "db" {\n  password = "${PASSWORD}"\n}\n`);
  write(dir, '.env', `AWS_ACCESS_KEY_ID=${SECRET}\n`);
  return dir;
}

interface JsonOut {
  findings: { ruleId: string; path: string }[];
  baseline?: { path: string; known: number; stale: { ruleId: string; where: string }[] };
}

describe('airlock baseline', () => {
  it('writes a sorted, stable file without line numbers, timestamps or secrets', () => {
    const dir = repo();
    const r = airlock(['baseline'], dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/\.airlock-baseline\.json: 3 findings written/);
    const text = readFileSync(path.join(dir, '.airlock-baseline.json'), 'utf8');
    const doc = JSON.parse(text) as { version: number; findings: { ruleId: string; where: string; fingerprint: string }[] };
    expect(doc.version).toBe(1);
    expect(doc.findings.map((e) => e.ruleId)).toEqual(['secret/hardcoded-password', 'secret/known-token', 'storage/s3-public-acl']);
    expect(doc.findings.map((e) => Object.keys(e))).toEqual(doc.findings.map(() => ['ruleId', 'where', 'fingerprint']));
    expect(text).not.toMatch(/"line"|"column"|\d{4}-\d\d-\d\dT/);
    expect(text).not.toContain(SECRET.slice(4, -4));
    expect(text).not.toContain(PASSWORD);
    expect(airlock(['baseline'], dir).code).toBe(0);
    expect(readFileSync(path.join(dir, '.airlock-baseline.json'), 'utf8')).toBe(text);
  });

  it('makes a scan with it report only new findings, and list entries that no longer match', () => {
    const dir = repo();
    expect(airlock(['baseline', '-o', 'accepted.json'], dir).code).toBe(0);
    const clean = airlock(['scan', '--baseline', 'accepted.json'], dir);
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain('0 findings (0 errors, 0 warnings, 0 info) in 4 files scanned, 3 in baseline accepted.json');

    // Move the bucket to another file of its module, fix the password, add a new public bucket.
    write(dir, 'infra/main.tf', '# moved\n');
    write(dir, 'infra/s3.tf', 'resource "aws_s3_bucket_acl" "logs" {\n  acl    = "public-read"\n  bucket = "logs"\n}\n');
    write(dir, 'infra/db.tf', 'resource "aws_db_instance" "db" {\n  password = var.db_password\n}\n');
    write(dir, 'other/main.tf', 'resource "aws_s3_bucket_acl" "logs" {\n  bucket = "logs"\n  acl    = "public-read"\n}\n');
    const r = airlock(['scan', '--baseline', 'accepted.json', '--format', 'json'], dir);
    const out = JSON.parse(r.stdout) as JsonOut;
    expect(r.code).toBe(1);
    expect(out.findings.map((f) => `${f.ruleId} ${f.path}`)).toEqual(['storage/s3-public-acl other/main.tf']);
    expect(out.baseline).toEqual({
      path: 'accepted.json',
      known: 2,
      stale: [{ ruleId: 'secret/hardcoded-password', where: 'infra/aws_db_instance.db password', fingerprint: expect.any(String) }],
    });
    const text = airlock(['scan', '--baseline', 'accepted.json'], dir).stdout;
    expect(text).toContain('accepted.json: no longer found: secret/hardcoded-password infra/aws_db_instance.db password');
    expect(text).toContain('2 in baseline accepted.json (1 no longer found: airlock baseline --update drops them)');

    // --update drops the stale entry and does not take in the new finding.
    const update = airlock(['baseline', '--update', '-o', 'accepted.json'], dir);
    expect(update.code).toBe(0);
    expect(update.stderr).toContain('accepted.json: kept 2 entries, dropped 1 no longer found');
    const after = JSON.parse(airlock(['scan', '--baseline', 'accepted.json', '--format', 'json'], dir).stdout) as JsonOut;
    expect(after.findings.map((f) => f.path)).toEqual(['other/main.tf']);
    expect(after.baseline?.stale).toEqual([]);
  });

  it('is read from the config key baseline: relative to the config file, and written there by default', () => {
    const dir = repo();
    write(dir, '.airlock.yaml', 'baseline: security/accepted.json\n');
    mkdirSync(path.join(dir, 'security'));
    expect(airlock(['baseline'], dir).stderr).toContain(`${path.join('security', 'accepted.json')}: 3 findings written`);
    const r = airlock(['scan', 'infra', '.env'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('3 in baseline security/accepted.json');
  });

  it('leaves entries of files a scan did not cover alone: neither stale nor dropped by --update', () => {
    const dir = repo();
    expect(airlock(['baseline'], dir).code).toBe(0);
    write(dir, 'infra/db.tf', 'resource "aws_db_instance" "db" {\n  password = var.db_password\n}\n');
    const subset = JSON.parse(airlock(['scan', '--baseline', '.airlock-baseline.json', '--format', 'json', 'infra'], dir).stdout) as JsonOut;
    expect(subset.baseline?.known).toBe(1);
    expect(subset.baseline?.stale.map((e) => e.ruleId)).toEqual(['secret/hardcoded-password']);
    expect(airlock(['baseline', '--update', 'infra'], dir).stderr).toContain('kept 2 entries, dropped 1 no longer found');
    const doc = JSON.parse(readFileSync(path.join(dir, '.airlock-baseline.json'), 'utf8')) as { findings: { ruleId: string }[] };
    expect(doc.findings.map((e) => e.ruleId)).toEqual(['secret/known-token', 'storage/s3-public-acl']);
  });

  it('holds paths relative to its own folder, so a scan from another folder matches it', () => {
    const dir = repo();
    expect(airlock(['baseline', '-o', 'security/accepted.json'], dir).code).toBe(0);
    expect(readFileSync(path.join(dir, 'security', 'accepted.json'), 'utf8')).toContain('"where":"../infra/aws_s3_bucket_acl.logs acl"');
    const r = airlock(['scan', '--baseline', '../security/accepted.json', '.'], path.join(dir, 'infra'));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('2 in baseline ../security/accepted.json');
  });

  it('fails with exit 2 naming a missing or malformed baseline, and --update needs an existing file', () => {
    const dir = repo();
    const missing = airlock(['scan', '--baseline', 'nope.json'], dir);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('airlock: cannot read baseline nope.json: ENOENT\n');
    write(dir, 'bad.json', '{"findings": 3}');
    expect(airlock(['scan', '--baseline', 'bad.json'], dir).stderr).toMatch(/^airlock: bad\.json: not a baseline file/);
    expect(airlock(['baseline', '--update'], dir).stderr).toBe('airlock: cannot read baseline .airlock-baseline.json: ENOENT\n');
    write(dir, '.airlock.yaml', 'baseline: 3\n');
    expect(airlock(['scan'], dir).stderr).toMatch(/baseline must be a file path/);
  });
});
