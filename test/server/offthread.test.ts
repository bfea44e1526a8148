/** The analysis thread for large documents ends when idle, and a new one gives the same results. */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../core/config';
import { AnalysisWorker } from '../../server/offthread';
import { ensureServerBuilt } from './build';
import { TF_MAIN } from './fixtures';

const WORKER_JS = path.resolve(__dirname, '../..', 'dist', 'server-worker.js');
const uri = 'file:///airlock-offthread/main.tf';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  await ensureServerBuilt();
}, 120_000);

describe('AnalysisWorker', () => {
  const analyse = (w: AnalysisWorker, edited: boolean) => w.analyse(uri, 'terraform', TF_MAIN, defaultConfig(), undefined, [], () => false, edited);
  const summary = (r: Awaited<ReturnType<typeof analyse>>) =>
    r?.findings.map((f) => [f.ruleId, f.span.start, f.span.end, f.message, f.fixes?.map((x) => x.edits)]);

  it('ends after a second without work; the next analysis starts a new thread, with the same findings', async () => {
    const w = new AnalysisWorker(WORKER_JS);
    try {
      const first = await analyse(w, false);
      expect(first?.findings.map((f) => f.ruleId)).toContain('network/open-ingress');
      expect(w.running).toBe(true);
      await sleep(1_500);
      expect(w.running).toBe(false);
      const again = await analyse(w, false);
      expect(w.running).toBe(true);
      expect(summary(again)).toEqual(summary(first));
    } finally {
      w.dispose();
    }
  }, 60_000);

  it('stays while a document it analyses is being edited', async () => {
    const w = new AnalysisWorker(WORKER_JS);
    try {
      await analyse(w, false);
      await analyse(w, true);
      await sleep(1_500);
      expect(w.running).toBe(true);
    } finally {
      w.dispose();
    }
    expect(w.running).toBe(false);
  }, 60_000);
});
