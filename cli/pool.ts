import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Config } from '../core/config';
import { dirnameOf } from '../core/uri';
import { mergeTiming, type Timing } from './timing';
import { scanUnit, type FileResult, type UnitContext, type UnitFile } from './unit';

/**
 * Parallel scanning with worker threads (the bundled `dist/worker.js`). Work is split by folder so a
 * Terraform module's files always land in one worker together; folders are packed into batches handed
 * out one at a time to whichever worker is free. A worker that dies gives its batch back to the main
 * thread, which also scans whatever is left if every worker is gone.
 */

/** Below this many files a single thread wins: starting workers and loading grammars twice costs more. */
export const PARALLEL_MIN_FILES = 200;
const BATCH_FILES = 48;
const MAX_WORKERS = 8;
/**
 * A heap limit for each worker. Far above what a batch needs, it is not there to stop a worker: with any
 * limit V8 grows a worker's heap more sparingly than with the machine-sized default (measured on the whole
 * corpus: peak RSS of a two-worker scan about 300 MB instead of 400–500 MB, for 2–3% more CPU time).
 * A worker that still runs out stops, and its batch is scanned again in the main thread, like any failed worker's.
 */
const WORKER_HEAP_MB = 1024;

const here = typeof __dirname === 'string' ? __dirname : path.dirname(fileURLToPath(import.meta.url));

/** `dist/worker.js` next to the running bundle; undefined when running from source (tests import the TS). */
export function bundledWorker(): string | undefined {
  const file = path.join(here, 'worker.js');
  return existsSync(file) ? file : undefined;
}

/** How many workers to use: `jobs` when given, else one per CPU (at most 8) for large scans. */
export function workerCount(files: number, jobs: number | undefined): number {
  if (jobs !== undefined) return Math.max(1, Math.min(jobs, files));
  if (files <= PARALLEL_MIN_FILES) return 1;
  return Math.min(availableParallelism(), MAX_WORKERS);
}

/** Files grouped by folder, folders packed into batches of about `BATCH_FILES` (a big folder stays whole). */
export function batchByFolder(files: readonly UnitFile[], size = BATCH_FILES): UnitFile[][] {
  const byDir = new Map<string, UnitFile[]>();
  for (const f of files) {
    const dir = dirnameOf(f.uri.split(path.sep).join('/'));
    const list = byDir.get(dir);
    if (list) list.push(f);
    else byDir.set(dir, [f]);
  }
  const batches: UnitFile[][] = [];
  let current: UnitFile[] = [];
  for (const dir of [...byDir.keys()].sort()) {
    const group = byDir.get(dir)!;
    if (current.length && current.length + group.length > size) {
      batches.push(current);
      current = [];
    }
    current.push(...group);
  }
  if (current.length) batches.push(current);
  return batches;
}

export interface WorkerData {
  root: string;
  config: Config;
  /** Collect timings and send them back with each batch's results. */
  timing?: boolean;
}

export interface WorkerRequest {
  files: UnitFile[];
}

export type WorkerResponse = { results: FileResult[]; timing?: Timing } | { error: string };

function request(worker: Worker, files: UnitFile[], timing: Timing | undefined): Promise<FileResult[]> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    const onMessage = (m: WorkerResponse) => {
      cleanup();
      if ('error' in m) reject(new Error(m.error));
      else {
        if (timing && m.timing) mergeTiming(timing, m.timing);
        resolve(m.results);
      }
    };
    const onError = (e: Error) => {
      cleanup();
      reject(e);
    };
    const onExit = (code: number) => {
      cleanup();
      reject(new Error(`worker exited with code ${code}`));
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    worker.postMessage({ files } satisfies WorkerRequest);
  });
}

/** Bytes of a batch (its files' sizes when known, else its file count): big batches go out first. */
function weight(batch: readonly UnitFile[]): number {
  let w = 0;
  for (const f of batch) w += f.size ?? f.text?.length ?? 1;
  return w;
}

export async function scanInWorkers(files: readonly UnitFile[], ctx: UnitContext, workerFile: string, workers: number): Promise<FileResult[]> {
  // Largest batches first, so no worker is left with a big folder while the others are idle.
  const batches = batchByFolder(files)
    .map((b) => ({ b, w: weight(b) }))
    .sort((x, y) => y.w - x.w)
    .map((x) => x.b);
  const results: FileResult[] = [];
  const retry: UnitFile[][] = [];
  let next = 0;
  const data: WorkerData = { root: ctx.root, config: ctx.config, timing: !!ctx.timing };

  const run = async () => {
    const worker = new Worker(workerFile, { workerData: data, resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
    try {
      while (next < batches.length) {
        const batch = batches[next++];
        try {
          results.push(...(await request(worker, batch, ctx.timing)));
        } catch {
          // The worker is gone (or failed as a whole): its batch is scanned again in this thread.
          retry.push(batch);
          return;
        }
      }
    } finally {
      await worker.terminate();
    }
  };

  await Promise.all(Array.from({ length: Math.min(workers, batches.length) }, run));
  for (const batch of [...retry, ...batches.slice(next)]) results.push(...(await scanUnit(batch, ctx)));
  return results;
}
