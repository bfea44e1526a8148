/**
 * The scanning pool (cli/pool.ts): a worker that dies or fails a batch gives its batches back to the main
 * thread, and the scan's results are the same as one thread's.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../core';
import { batchByFolder, mainThreadScans, scanInWorkers, threadCount } from '../cli/pool';
import { scanUnit, type FileResult, type UnitContext, type UnitFile } from '../cli/unit';
import { RULES } from '../rules';

function project(): { root: string; files: UnitFile[] } {
  const root = mkdtempSync(path.join(os.tmpdir(), 'airlock-pool-'));
  const files: UnitFile[] = [];
  for (let m = 0; m < 6; m++) {
    const dir = path.join(root, `mod${m}`);
    mkdirSync(dir);
    for (let i = 0; i < 20; i++) {
      const uri = path.join(dir, `f${i}.tf`);
      writeFileSync(uri, `resource "aws_s3_bucket_acl" "b${i}" {\n  acl = "public-read"\n}\n`);
      files.push({ uri });
    }
  }
  return { root, files };
}

/** A worker script that fails the way `body` says; `received(n)` notes a batch of n files in `received.txt`. */
function workerScript(root: string, body: string): string {
  const file = path.join(root, 'failing-worker.cjs');
  const marker = JSON.stringify(path.join(root, 'received.txt'));
  writeFileSync(
    file,
    `const { parentPort } = require('node:worker_threads');\nconst received = (n) => require('node:fs').appendFileSync(${marker}, n + '\\n');\n${body}\n`,
  );
  return file;
}

function batchesReceived(root: string): number {
  return existsSync(path.join(root, 'received.txt')) ? readFileSync(path.join(root, 'received.txt'), 'utf8').trim().split('\n').length : 0;
}

const summary = (results: FileResult[]) =>
  results.map((r) => `${r.path} ${r.status} ${r.findings.map((f) => `${f.ruleId}@${f.line}:${f.column}`).join(',')}`).sort();

async function oneThread(files: UnitFile[], ctx: UnitContext): Promise<FileResult[]> {
  const out: FileResult[] = [];
  for (const batch of batchByFolder(files, 20)) out.push(...(await scanUnit(batch, ctx)));
  return out;
}

describe('threadCount', () => {
  it('scans on one thread with one CPU or few files, and one thread per CPU (at most 8) above', () => {
    expect(threadCount(5000, undefined, 2)).toBe(2);
    expect(threadCount(5000, undefined, 1)).toBe(1);
    expect(threadCount(200, undefined, 4)).toBe(1);
    expect(threadCount(201, undefined, 4)).toBe(4);
    expect(threadCount(5000, undefined, 16)).toBe(8);
  });

  it('takes --jobs as given on any machine, never more threads than files', () => {
    expect(threadCount(5000, 2, 2)).toBe(2);
    expect(threadCount(5000, 1, 16)).toBe(1);
    expect(threadCount(3, 8, 16)).toBe(3);
    expect(threadCount(5000, 0, 4)).toBe(1);
  });
});

describe('mainThreadScans', () => {
  it('scans on the main thread beside workers and for small scans, in one worker for a large one-thread scan', () => {
    expect(mainThreadScans(5000, 2)).toBe(true);
    expect(mainThreadScans(200, 1)).toBe(true);
    expect(mainThreadScans(201, 1)).toBe(false);
    expect(mainThreadScans(5000, 1)).toBe(false);
  });
});

describe('scanInWorkers', () => {
  for (const [what, body] of [
    ['exits at once', 'process.exit(3);'],
    ['answers every batch with an error', "parentPort.on('message', (m) => { received(m.files.length); parentPort.postMessage({ error: 'boom' }); });"],
  ] as const) {
    it(`scans everything in the main thread, which otherwise only collects, when its one worker ${what}`, async () => {
      const { root, files } = project();
      const ctx: UnitContext = { root, config: defaultConfig(), rules: RULES };
      const results = await scanInWorkers(files, ctx, workerScript(root, body), 1, undefined, false);
      expect(results).toHaveLength(files.length);
      expect(summary(results)).toEqual(summary(await oneThread(files, ctx)));
    });
  }

  it('gives every batch to the one worker when the main thread does not scan', async () => {
    const { root, files } = project();
    const ctx: UnitContext = { root, config: defaultConfig(), rules: RULES };
    // A worker that answers each batch (with empty results), noting what it received.
    const body = `parentPort.on('message', (m) => { received(m.files.length); parentPort.postMessage({ results: m.files.map((f) => ({ path: f.uri, status: 'scanned', findings: [] })) }); });`;
    const results = await scanInWorkers(files, ctx, workerScript(root, body), 1, undefined, false);
    expect(batchesReceived(root)).toBe(batchByFolder(files).length);
    expect(results).toHaveLength(files.length);
  });

  for (const [what, body, received] of [
    ['exits at once', 'process.exit(3);', false],
    ['answers every batch with an error', "parentPort.on('message', (m) => { received(m.files.length); parentPort.postMessage({ error: 'boom' }); });", true],
    ['throws on its first batch', "parentPort.on('message', (m) => { received(m.files.length); throw new Error('boom'); });", true],
  ] as const) {
    it(`scans in the main thread what a worker that ${what} was given`, async () => {
      const { root, files } = project();
      const ctx: UnitContext = { root, config: defaultConfig(), rules: RULES };
      const results = await scanInWorkers(files, ctx, workerScript(root, body), 3);
      expect(results).toHaveLength(files.length);
      expect(summary(results)).toEqual(summary(await oneThread(files, ctx)));
      expect(results.every((r) => r.status === 'scanned' && r.findings.length === 1)).toBe(true);
      // The batches did go to the workers first.
      if (received) expect(batchesReceived(root)).toBeGreaterThan(0);
    });
  }
});
