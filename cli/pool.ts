import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Config } from '../core/config';
import { projectFolderOf } from '../core/formats';
import { mergeTiming, type Timing } from '../core/scan';
import { append } from './append';
import { scanUnit, type FileResult, type UnitContext, type UnitFile } from './unit';

/**
 * Parallel scanning: the main thread and worker threads (the bundled `dist/worker.js`). Work is split by
 * folder so a Terraform module's files (a Helm chart's, its templates included) always land in one thread
 * together; folders are packed into batches taken from one queue by whichever thread is free. With several
 * threads the main thread scans too rather than wait: one isolate fewer to start, warm up and collect. A large
 * scan on one thread runs in one worker instead, the main thread only reading results: a worker has a heap limit
 * and a small young generation, the main thread neither. A worker that dies gives its batches back to the main thread.
 */

/** Below this many files a single thread wins: starting workers and loading grammars twice costs more. */
const PARALLEL_MIN_FILES = 200;
/**
 * With this many CPUs or fewer a scan stays on one thread unless `--jobs` says otherwise. On two vCPUs, with a large
 * one-thread scan in a worker (`mainThreadScans`), the main thread scanning beside that worker cut the whole-corpus
 * scan from 8.1–8.3 s to 7.0–7.1 s for 6% more CPU time and a peak RSS of ~350 MB instead of ~230 MB (alternating
 * runs, quiet machine). Against a one-thread scan on the main thread itself (7.2–7.5 s, ~400 MB peak) the second
 * thread had bought almost nothing: each thread warms up its own compiled code, loads its own grammars, collects its
 * own heap and parses the local modules its folders call.
 */
const SINGLE_THREAD_MAX_CPUS = 1;
const BATCH_FILES = 48;
const MAX_THREADS = 8;
/**
 * A heap limit for each worker. Far above what a batch needs, it is not there to stop a worker: V8 grows a
 * heap more sparingly the lower its limit (measured on the whole corpus: peak RSS of a two-thread scan about 300 MB
 * with 1024 MB instead of 400–500 MB with the machine-sized default, for 2–3% more CPU time; 512 MB took another
 * ~20 MB off). A worker that still runs out stops, and its batch is scanned again in the main thread, like any
 * failed worker's.
 */
const WORKER_HEAP_MB = 512;
/**
 * Each worker's young generation. V8 grows it to 48 MB (two 16 MB semi-spaces and as much for large new objects)
 * while a thread allocates fast, and keeps it; the scan's garbage is short-lived either way (one file's parse).
 * Peak RSS of a two-thread scan of the real corpus: 374 → 348 MB with 8 MB (medians of three alternating runs;
 * maxima 406 → 348). A lone worker scanning the whole corpus took 8.8–9.7 s with 8 MB and 8.4 s with 16 MB (peak RSS
 * 224–236 MB either way), against 7.3–7.5 s and 390–410 MB on the main thread.
 */
const WORKER_YOUNG_MB = 16;

const here = typeof __dirname === 'string' ? __dirname : path.dirname(fileURLToPath(import.meta.url));

/** `dist/worker.js` next to the running bundle; undefined when running from source (tests import the TS). */
export function bundledWorker(): string | undefined {
  const file = path.join(here, 'worker.js');
  return existsSync(file) ? file : undefined;
}

/**
 * How many threads scan (the main thread and workers): `jobs` when given, else one per CPU (at most 8) for large
 * scans on machines with more than two CPUs.
 */
export function threadCount(files: number, jobs: number | undefined, cpus = availableParallelism()): number {
  if (jobs !== undefined) return Math.max(1, Math.min(jobs, files));
  if (files <= PARALLEL_MIN_FILES || cpus <= SINGLE_THREAD_MAX_CPUS) return 1;
  return Math.min(cpus, MAX_THREADS);
}

/**
 * Whether the main thread scans: always beside workers, and alone for small scans (a worker's start and its own
 * grammar loading cost more than they save there). A large scan on one thread goes to one worker, whose heap limit
 * and young generation hold peak memory at about 230 MB where the main thread's defaults let it reach 400 MB, for
 * about a sixth more time on the whole real corpus.
 */
export function mainThreadScans(files: number, threads: number): boolean {
  return threads > 1 || files <= PARALLEL_MIN_FILES;
}

/** Files by project folder (`projectFolderOf`: a Helm chart's templates go with its values), in the order each folder's first file came. */
export function groupByFolder(files: readonly UnitFile[]): Map<string, UnitFile[]> {
  const byDir = new Map<string, UnitFile[]>();
  for (const f of files) {
    const dir = projectFolderOf(f.uri.split(path.sep).join('/'));
    const list = byDir.get(dir);
    if (list) list.push(f);
    else byDir.set(dir, [f]);
  }
  return byDir;
}

/** Files grouped by folder, folders packed into batches of about `BATCH_FILES` (a big folder stays whole). */
export function batchByFolder(files: readonly UnitFile[], size = BATCH_FILES): UnitFile[][] {
  const byDir = groupByFolder(files);
  const batches: UnitFile[][] = [];
  let current: UnitFile[] = [];
  for (const dir of [...byDir.keys()].sort()) {
    const group = byDir.get(dir)!;
    if (current.length && current.length + group.length > size) {
      batches.push(current);
      current = [];
    }
    append(current, group);
  }
  if (current.length) batches.push(current);
  return batches;
}

export interface WorkerData {
  root: string;
  config: Config;
  /** `--report-unused-suppressions`. */
  reportUnusedSuppressions: boolean;
  /** Collect timings and send them back with each batch's results. */
  timing?: boolean;
}

export interface WorkerRequest {
  files: UnitFile[];
}

export type WorkerResponse = { results: FileResult[]; timing?: Timing } | { error: string };

/** Bytes of a batch (its files' sizes when known, else its file count): big batches go out first. */
function weight(batch: readonly UnitFile[]): number {
  let w = 0;
  for (const f of batch) w += f.size ?? f.text?.length ?? 1;
  return w;
}

/**
 * Batches in flight per worker: the next one waits in the worker's queue, so a worker never idles while the
 * main thread, busy scanning a batch of its own, cannot answer its message.
 */
const IN_FLIGHT = 2;

interface Pending {
  batch: UnitFile[];
  resolve: (results: FileResult[]) => void;
  reject: (e: Error) => void;
}

/** A worker thread with its requests, answered in the order they were sent (the worker scans one batch at a time). */
class PoolWorker {
  private readonly worker: Worker;
  private readonly pending: Pending[] = [];
  private failure: Error | undefined;

  constructor(
    file: string,
    data: WorkerData,
    private readonly timing: Timing | undefined,
  ) {
    this.worker = new Worker(file, { workerData: data, resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB, maxYoungGenerationSizeMb: WORKER_YOUNG_MB } });
    this.worker.on('message', (m: WorkerResponse) => {
      const p = this.pending.shift();
      if (!p) return;
      if ('error' in m) p.reject(new Error(m.error));
      else {
        if (this.timing && m.timing) mergeTiming(this.timing, m.timing);
        p.resolve(m.results);
      }
    });
    this.worker.on('error', (e: Error) => this.fail(e));
    this.worker.on('exit', (code: number) => this.fail(new Error(`worker exited with code ${code}`)));
  }

  get alive(): boolean {
    return this.failure === undefined;
  }

  scan(batch: UnitFile[]): Promise<FileResult[]> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.pending.push({ batch, resolve, reject });
      this.worker.postMessage({ files: batch } satisfies WorkerRequest);
    });
  }

  private fail(e: Error): void {
    this.failure ??= e;
    for (const p of this.pending.splice(0)) p.reject(e);
  }

  terminate(): Promise<number> {
    this.failure ??= new Error('terminated');
    return this.worker.terminate();
  }
}

/**
 * Scan with `threads` threads: the main thread and `threads - 1` workers take batches from one queue sorted
 * largest first — the workers from its front, the main thread from its back; with `mainScans` false, `threads`
 * workers take them all and the main thread only collects. Workers run with a heap limit, with
 * which V8 grows their heaps sparingly; the main thread has none, so it takes the small batches and its heap stays
 * small. A batch a worker could not finish (it died, or failed as a whole) is scanned again in the main thread.
 * `onBatch` is told each batch's results as they come in.
 */
export async function scanInWorkers(
  files: readonly UnitFile[],
  ctx: UnitContext,
  workerFile: string,
  threads: number,
  onBatch?: (results: readonly FileResult[]) => void,
  mainScans = true,
): Promise<FileResult[]> {
  // Largest batches first, so no thread is left with a big folder while the others are idle.
  const batches = batchByFolder(files)
    .map((b) => ({ b, w: weight(b) }))
    .sort((x, y) => y.w - x.w)
    .map((x) => x.b);
  const results: FileResult[] = [];
  const collect = (r: FileResult[]) => {
    append(results, r);
    onBatch?.(r);
  };
  const retry: UnitFile[][] = [];
  /** The queue is `batches[next..last]`. */
  let next = 0;
  let last = batches.length - 1;
  const data: WorkerData = { root: ctx.root, config: ctx.config, timing: !!ctx.timing, reportUnusedSuppressions: !!ctx.reportUnusedSuppressions };
  const workerCount = mainScans ? threads - 1 : threads;
  const workers = Array.from({ length: Math.min(workerCount, batches.length) }, () => new PoolWorker(workerFile, data, ctx.timing));

  const feed = (worker: PoolWorker): Promise<void> => {
    if (next > last || !worker.alive) return Promise.resolve();
    const batch = batches[next++];
    return worker.scan(batch).then(
      (r) => {
        collect(r);
        return feed(worker);
      },
      () => {
        retry.push(batch);
      },
    );
  };
  const fed = workers.flatMap((w) => Array.from({ length: IN_FLIGHT }, () => feed(w)));
  try {
    while (mainScans && next <= last) {
      collect(await scanUnit(batches[last--], ctx));
      // Let the workers' answers in, so their queues are refilled before the next batch here.
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(fed);
    // Batches no worker took, because every worker stopped: the main thread's.
    while (next <= last) collect(await scanUnit(batches[last--], ctx));
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  for (const batch of retry) collect(await scanUnit(batch, ctx));
  return results;
}
