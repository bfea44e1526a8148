/**
 * Reports written into a repository the CLI does not trust: `-o` and `AIRLOCK_TIMING` never replace a
 * scanned file and never write through a symbolic link; a report is written to a new file and renamed.
 */
import { execFileSync } from 'node:child_process';
import { linkSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run, type Io } from '../../cli/run';

const PASSWORD = 'S3cr3t-' + 'Passw0rd!x';
const MAIN_TF = `resource "aws_db_instance" "db" {\n  engine   = "postgres"\n  password = "${PASSWORD}"\n}\n`;

const temps: string[] = [];
afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

/** A folder holding `repo/main.tf` and, beside the repository, `outside.txt`. */
function setup(): { dir: string; repo: string; outside: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'airlock-output-'));
  temps.push(dir);
  const repo = path.join(dir, 'repo');
  mkdirSync(repo);
  writeFileSync(path.join(repo, 'main.tf'), MAIN_TF);
  const outside = path.join(dir, 'outside.txt');
  writeFileSync(outside, 'precious\n');
  return { dir, repo, outside };
}

async function airlock(args: string[], cwd: string, env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const io: Io = { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, cwd, env };
  const code = await run(args, io);
  return { code, stdout, stderr };
}

describe('--output', () => {
  it('refuses to write over the scanned file it names', async () => {
    const { repo } = setup();
    const r = await airlock(['scan', 'main.tf', '-o', 'main.tf'], repo);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('airlock: refusing to write main.tf: it is one of the scanned files\n');
    expect(readFileSync(path.join(repo, 'main.tf'), 'utf8')).toBe(MAIN_TF);
  });

  it('refuses the working-tree copy of a staged file under --staged', async () => {
    const { repo } = setup();
    execFileSync('git', ['init', '-q'], { cwd: repo });
    execFileSync('git', ['add', 'main.tf'], { cwd: repo });
    const r = await airlock(['scan', '--staged', '-o', 'main.tf'], repo);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('airlock: refusing to write main.tf: it is one of the scanned files\n');
    expect(readFileSync(path.join(repo, 'main.tf'), 'utf8')).toBe(MAIN_TF);
  });

  it('refuses a file found by walking a folder, and a hard link to a scanned file', async () => {
    const { repo } = setup();
    linkSync(path.join(repo, 'main.tf'), path.join(repo, 'report.txt'));
    const byWalk = await airlock(['scan', '.', '--output', './main.tf'], repo);
    expect(byWalk.code).toBe(2);
    expect(byWalk.stderr).toContain('./main.tf: it is one of the scanned files');
    const byLink = await airlock(['scan', 'main.tf', '-o', 'report.txt'], repo);
    expect(byLink.code).toBe(2);
    expect(byLink.stderr).toContain('report.txt: it is one of the scanned files');
    expect(readFileSync(path.join(repo, 'main.tf'), 'utf8')).toBe(MAIN_TF);
  });

  it('refuses a symbolic link planted in the repository, even a dangling one', async () => {
    const { repo, outside } = setup();
    symlinkSync(outside, path.join(repo, 'airlock.sarif'));
    symlinkSync(path.join(path.dirname(outside), 'new.txt'), path.join(repo, 'dangling.sarif'));
    for (const name of ['airlock.sarif', 'dangling.sarif']) {
      const r = await airlock(['scan', '.', '--format', 'sarif', '-o', name], repo);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(`airlock: refusing to write ${name}: it is a symbolic link\n`);
      expect(lstatSync(path.join(repo, name)).isSymbolicLink()).toBe(true);
    }
    expect(readFileSync(outside, 'utf8')).toBe('precious\n');
    expect(readdirSync(path.dirname(outside)).sort()).toEqual(['outside.txt', 'repo']);
  });

  it('refuses a path through a linked folder inside the working folder', async () => {
    const { repo, outside } = setup();
    symlinkSync(path.dirname(outside), path.join(repo, 'reports'));
    const r = await airlock(['scan', 'main.tf', '-o', 'reports/outside.txt'], repo);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('airlock: refusing to write reports/outside.txt: reports is a symbolic link\n');
    expect(readFileSync(outside, 'utf8')).toBe('precious\n');
  });

  it('replaces an existing report with a new file and leaves no temporary file', async () => {
    const { repo } = setup();
    const report = path.join(repo, 'out', 'report.json');
    mkdirSync(path.dirname(report));
    writeFileSync(report, 'old');
    const before = statSync(report).ino;
    const r = await airlock(['scan', 'main.tf', '--format', 'json', '-o', 'out/report.json'], repo);
    expect(r.code).toBe(1);
    expect(JSON.parse(readFileSync(report, 'utf8')).findings.length).toBeGreaterThan(0);
    expect(statSync(report).ino).not.toBe(before);
    expect(statSync(report).mode & 0o777).toBe(0o644 & ~process.umask());
    expect(readdirSync(path.dirname(report))).toEqual(['report.json']);
  });

  it('writes to a device or to an absolute path outside the working folder', async () => {
    const { dir, repo } = setup();
    expect((await airlock(['scan', 'main.tf', '-o', '/dev/null'], repo)).code).toBe(1);
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
    const report = path.join(dir, 'report.txt');
    expect((await airlock(['scan', 'main.tf', '-o', report], repo)).code).toBe(1);
    expect(readFileSync(report, 'utf8')).toContain('main.tf:3:');
  });

  it('says which output cannot be written, and keeps no partial file', async () => {
    const { repo } = setup();
    const r = await airlock(['scan', 'main.tf', '-o', 'missing/report.txt'], repo);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('airlock: cannot write missing/report.txt: ENOENT\n');
    const folder = await airlock(['scan', 'main.tf', '-o', '.'], repo);
    expect(folder.code).toBe(2);
    expect(folder.stderr).toBe('airlock: cannot write .: it is a folder\n');
  });
});

describe('AIRLOCK_TIMING', () => {
  it('is written through the same safe writer', async () => {
    const { repo, outside } = setup();
    symlinkSync(outside, path.join(repo, 'timing.json'));
    const link = await airlock(['scan', 'main.tf'], repo, { AIRLOCK_TIMING: 'timing.json' });
    expect(link.code).toBe(2);
    expect(link.stderr).toBe('airlock: refusing to write timing.json: it is a symbolic link\n');
    expect(readFileSync(outside, 'utf8')).toBe('precious\n');

    const scanned = await airlock(['scan', 'main.tf'], repo, { AIRLOCK_TIMING: 'main.tf' });
    expect(scanned.code).toBe(2);
    expect(scanned.stderr).toBe('airlock: refusing to write main.tf: it is one of the scanned files\n');
    expect(readFileSync(path.join(repo, 'main.tf'), 'utf8')).toBe(MAIN_TF);

    const fresh = await airlock(['scan', 'main.tf'], repo, { AIRLOCK_TIMING: 'fresh.json' });
    expect(fresh.code).toBe(1);
    expect(JSON.parse(readFileSync(path.join(repo, 'fresh.json'), 'utf8'))).toHaveProperty('wallMs');
  });
});
