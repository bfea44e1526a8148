/**
 * A file with hundreds of thousands of findings: results are merged with loops, never `push(...list)`,
 * whose arguments all go on the call stack and overflow it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { defineRule } from '../../core/rule';
import { run, type Io } from '../../cli/run';

const FINDINGS = 200_000;

/** One finding per character of a line made of `x`. */
const everyX = defineRule({
  id: 'secret/every-x',
  family: 'secret',
  severity: 'error',
  formats: ['text'],
  docs: { summary: 'Every x.', why: 'Tests.', fix: 'None.' },
  check({ file, report }) {
    for (let i = file.text.indexOf('x'); i >= 0; i = file.text.indexOf('x', i + 1)) report({ span: { start: i, end: i + 1 }, message: 'an x' });
  },
});

const temps: string[] = [];
afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

it(`reports ${FINDINGS} findings in one file`, { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'airlock-many-'));
  temps.push(dir);
  writeFileSync(path.join(dir, 'many.txt'), `${'x'.repeat(FINDINGS)}\n`);
  let stdout = '';
  let stderr = '';
  const io: Io = { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, cwd: dir, env: {} };
  const code = await run(['scan', 'many.txt', '--format', 'json'], io, [everyX]);
  expect(stderr).toBe('');
  expect(code).toBe(1);
  expect(JSON.parse(stdout).findings).toHaveLength(FINDINGS);
});
