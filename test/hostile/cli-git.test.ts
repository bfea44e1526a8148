/**
 * `--staged` in a repository whose config names programs git would run: Airlock's git calls turn
 * `core.fsmonitor` off, so a cloned repository's config cannot run a program of its choosing.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { run, type Io } from '../../cli/run';

const temps: string[] = [];
afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', ...args], { cwd, encoding: 'utf8' });
}

it('--staged does not run the repository-configured fsmonitor program', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'airlock-git-'));
  temps.push(dir);
  const repo = path.join(dir, 'repo');
  const marker = path.join(dir, 'fsmonitor-ran');
  git(dir, 'init', '-q', 'repo');
  writeFileSync(path.join(repo, 'main.tf'), 'resource "aws_s3_bucket" "b" {\n  acl = "public-read"\n}\n');
  git(repo, 'add', 'main.tf');
  git(repo, 'commit', '-qm', 'first');
  writeFileSync(path.join(repo, 'main.tf'), 'resource "aws_s3_bucket" "b" {\n  acl = "private"\n}\n');
  git(repo, 'add', 'main.tf');
  const hook = path.join(dir, 'fsmonitor.sh');
  writeFileSync(hook, `#!/bin/sh\ntouch '${marker}'\n`);
  chmodSync(hook, 0o755);
  git(repo, 'config', 'core.fsmonitor', hook);
  // The planted program runs for an ordinary git command here, so the check below means something.
  git(repo, 'status', '--porcelain');
  expect(existsSync(marker)).toBe(true);
  rmSync(marker);

  let stdout = '';
  let stderr = '';
  const io: Io = { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, cwd: repo, env: {} };
  const code = await run(['scan', '--staged', '--format', 'json'], io);
  expect(stderr).toBe('');
  expect(code).toBe(0);
  expect(JSON.parse(stdout).summary.filesScanned).toBe(1);
  expect(existsSync(marker)).toBe(false);
});
