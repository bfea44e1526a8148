/**
 * What a long scan shows while it runs: progress on stderr only when stderr is a terminal and the scan has
 * taken a second, and text findings written as their files finish rather than all at the end.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Progress } from '../cli/progress';
import { run, type Io } from '../cli/run';
import type { FileResult } from '../cli/unit';

const CLI = path.resolve(__dirname, '..', 'dist', 'cli.js');
const AWS_KEY_ID = 'AKIA' + '2E0A8F3B244C9986';

const temps: string[] = [];
afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'airlock-progress-'));
  temps.push(dir);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

function results(...paths: string[]): FileResult[] {
  return paths.map((p) => ({ path: p, status: 'scanned', findings: [], problems: [], suppressed: 0 }));
}

describe('Progress', () => {
  function terminal(isTTY: boolean) {
    const writes: string[] = [];
    return { stream: { isTTY, columns: 60, write: (s: string) => writes.push(s) }, writes };
  }

  it('stays silent for the first second, then shows files done of the total and the folder', () => {
    let now = 0;
    const { stream, writes } = terminal(true);
    const p = new Progress(stream, 1000, () => now);
    p.start(3);
    now = 500;
    p.advance(results('infra/a.tf'));
    expect(writes).toEqual([]);
    now = 1200;
    p.advance(results('infra/b.tf'));
    expect(writes).toEqual(['\r\x1b[Kairlock: 2/3 files  infra']);
    now = 1250;
    p.clear();
    p.advance(results('top.env'));
    expect(writes.slice(1)).toEqual(['\r\x1b[K', '\r\x1b[Kairlock: 3/3 files  .']);
  });

  it('writes nothing when stderr is not a terminal', () => {
    let now = 0;
    const { stream, writes } = terminal(false);
    const p = new Progress(stream, 1000, () => now);
    p.start(2);
    now = 5000;
    p.advance(results('a.tf', 'b.tf'));
    p.clear();
    expect(writes).toEqual([]);
  });

  it('fits the line to the terminal width', () => {
    let now = 0;
    const { stream, writes } = terminal(true);
    const p = new Progress(stream, 0, () => now);
    p.start(1);
    now = 1;
    p.advance(results(`${'very-long-folder-name/'.repeat(5)}main.tf`));
    expect(writes[0].length).toBe('\r\x1b[K'.length + 59);
    expect(writes[0].endsWith('…')).toBe(true);
  });
});

describe('airlock scan output', () => {
  it('writes text findings batch by batch as they finish, then the summary', async () => {
    // Folders are scanned in batches of about 48 files: a's 50 files make one, b another.
    const files: Record<string, string> = { 'a/one.env': `KEY=${AWS_KEY_ID}\n`, 'b/two.env': `KEY=${AWS_KEY_ID}\n` };
    for (let i = 0; i < 49; i++) files[`a/note${i}.txt`] = 'nothing here\n';
    const dir = tree(files);
    const writes: string[] = [];
    const io: Io = { stdout: { write: (s: string) => writes.push(s) }, stderr: { write: () => undefined }, cwd: dir, env: {} };
    expect(await run(['scan', '--no-color'], io)).toBe(1);
    expect(writes).toHaveLength(3);
    expect(writes[0]).toMatch(/^a\/one\.env:1:5 error secret\/known-token .*\n$/);
    expect(writes[1]).toMatch(/^b\/two\.env:1:5 error secret\/known-token .*\n$/);
    expect(writes[2]).toBe('\n2 findings (2 errors, 0 warnings, 0 info) in 51 files scanned\n');
  });

  it('keeps JSON whole and sorted', async () => {
    const dir = tree({ 'b/two.env': `KEY=${AWS_KEY_ID}\n`, 'a/one.env': `KEY=${AWS_KEY_ID}\n` });
    const writes: string[] = [];
    const io: Io = { stdout: { write: (s: string) => writes.push(s) }, stderr: { write: () => undefined }, cwd: dir, env: {} };
    await run(['scan', '--format', 'json'], io);
    expect(writes).toHaveLength(1);
    expect((JSON.parse(writes[0]) as { findings: { path: string }[] }).findings.map((f) => f.path)).toEqual(['a/one.env', 'b/two.env']);
  });

  it('adds nothing to stderr when it is not a terminal', () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 300; i++) files[`m${i % 30}/f${i}.tf`] = `locals {\n  x${i} = "${i}"\n}\n`;
    files['m0/.env'] = `KEY=${AWS_KEY_ID}\n`;
    const r = spawnSync(process.execPath, [CLI, 'scan'], { cwd: tree(files), encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('m0/.env:1:5 error secret/known-token');
  });
});
