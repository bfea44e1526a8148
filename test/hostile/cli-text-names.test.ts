/**
 * File names are data: a name holding a newline or a terminal escape sequence must not forge a line of
 * the text report or reach the terminal as a control sequence. Control characters print escaped.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { run, type Io } from '../../cli/run';
import { printable } from '../../core/report';

const AWS_KEY_ID = 'AKIA' + '2E0A8F3B244C9986';

const temps: string[] = [];
afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

async function scanText(cwd: string, args: string[] = []) {
  let stdout = '';
  let stderr = '';
  const io: Io = { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, cwd, env: {} };
  const code = await run(['scan', '.', '--no-color', ...args], io);
  return { code, stdout, stderr };
}

it('escapes control characters, C1 controls and bidirectional overrides', () => {
  expect(printable('a\nb\rc\td\x1b[31me\x00f\x7fg\x9bh')).toBe('a\\nb\\rc\\td\\x1b[31me\\x00f\\x7fg\\x9bh');
  expect(printable('x\u202Ey\u2066z\u2028')).toBe('x\\u202ey\\u2066z\\u2028');
  expect(printable('plain/päth 😀.tf')).toBe('plain/päth 😀.tf');
});

it('a file name with a newline or an escape sequence cannot forge report lines', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'airlock-names-'));
  temps.push(dir);
  const forged = 'x\nforged.tf:1:1 error all clear';
  writeFileSync(path.join(dir, `${forged}.env`), `AWS_ACCESS_KEY_ID=${AWS_KEY_ID}\n`);
  writeFileSync(path.join(dir, 'e\x1b[2K\x1b[1Gscreen.env'), `AWS_ACCESS_KEY_ID=${AWS_KEY_ID}\n`);
  writeFileSync(path.join(dir, 'broken\n.tf'), 'resource "aws_s3_bucket" "b" {\n  acl = \n');
  const r = await scanText(dir);
  expect(r.code).toBe(1);
  expect(r.stdout).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
  const lines = r.stdout.split('\n');
  expect(lines.some((l) => l.startsWith('x\\nforged.tf:1:1 error all clear.env:1:19 error secret/known-token '))).toBe(true);
  expect(lines.filter((l) => l.startsWith('forged.tf'))).toEqual([]);
  expect(lines.some((l) => l.startsWith('e\\x1b[2K\\x1b[1Gscreen.env:1:19 error secret/known-token '))).toBe(true);
  expect(lines.some((l) => l.startsWith('broken\\n.tf:'))).toBe(true);
});
