import { existsSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Config } from '../core/config';
import type { Format, ParseProblem } from '../core/model';
import type { RuleFailure } from '../core/runner';
import type { Finding } from '../core/rule';

/**
 * Analysis of large documents in a worker thread (`dist/server-worker.js`, entry `server/worker.ts`), so the
 * server keeps answering requests and analysing small documents while a large one is analysed. Small
 * documents stay on the main thread: a keystroke there costs a few milliseconds, less than a message
 * round trip with a copy of the text. The worker runs the same parse, project and rules; the main thread
 * publishes its result if the document is still at the version analysed.
 */

/** Documents longer than this (UTF-16 code units) are first analysed in the worker. */
export const OFF_THREAD_CHARS = 100_000;
/**
 * A document whose last analysis (in either thread) took longer than this is analysed in the worker next
 * time; one analysed faster comes back to the main thread, where a keystroke re-parses only what changed.
 */
export const SLOW_ANALYSIS_MS = 300;
/** How often the main thread passes a cancellation on to the worker. */
const CANCEL_POLL_MS = 50;
/** The worker's heap limit: a runaway analysis ends the worker, not the server. */
const WORKER_HEAP_MB = 2048;
/**
 * An idle worker ends: its heap (mostly the garbage of the last analysis, which the collector has no reason to
 * free while nothing runs), its parsers' WebAssembly memory and its compiled code came to 70–110 MB of the
 * server's resident set after opening a workspace; a new worker is ready for its first analysis in ~150 ms.
 * After documents are opened it ends this long after its last analysis…
 */
const IDLE_MS = 1_000;
/** …but while a document it analyses is being edited it stays this long after the last change, for the next one. */
const EDITING_IDLE_MS = 60_000;

/** An open Terraform document of the folder, sent as its text: the worker's project sees the buffer, not the disk. */
export interface OpenSibling {
  uri: string;
  path: string;
  text: string;
}

export interface OffThreadRequest {
  id: number;
  uri: string;
  /** The document's language id (the format of an untitled buffer). */
  languageId?: string;
  text: string;
  config: Config;
  /** The folder of the config's file: its `baseline:` is relative to it. */
  configDir?: string;
  openSiblings: OpenSibling[];
  /** One Int32 the main thread sets to 1 when the analysis is no longer wanted (read between rules). */
  cancel: SharedArrayBuffer;
}

export interface OffThreadResult {
  format: Format;
  findings: Finding[];
  /** What reading the baseline warned about (a missing or malformed file), for the server's log. */
  warnings: string[];
  problems: ParseProblem[];
  failures: RuleFailure[];
  /** Texts of the other files that findings' fixes and related locations point into, by URI. */
  others: [string, string][];
  /** Milliseconds the parse and the rules took in the worker. */
  ms: number;
}

/** `restart`: the worker cannot be trusted any more (a WebAssembly parser that aborted stays aborted). */
export type OffThreadResponse =
  | { id: number; result: OffThreadResult; restart?: boolean }
  | { id: number; cancelled: true }
  | { id: number; error: string; restart?: boolean };

/** The analysis did not finish: the worker died (out of memory, a parser abort) or failed as a whole. */
export class OffThreadError extends Error {}

/** `server-worker.js` next to the running bundle; undefined when running from source (tests import the TS). */
export function bundledServerWorker(): string | undefined {
  const file = path.join(__dirname, 'server-worker.js');
  return existsSync(file) ? file : undefined;
}

interface Pending {
  request: OffThreadRequest;
  resolve: (r: OffThreadResult | undefined) => void;
  reject: (e: Error) => void;
}

/**
 * One worker, started on first use and ended when idle; it analyses one document at a time, in the order sent. When it dies
 * (or says it must be restarted) the request it was on fails, and the requests waiting behind it go to a
 * new worker.
 */
export class AnalysisWorker {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  /** When the last analysis of an edit (not of an opened document) was asked for. */
  private lastEditAt = Number.NEGATIVE_INFINITY;
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(private readonly file: string) {}

  /**
   * The analysis of `uri`'s `text`, or undefined when `isCancelled()` turned true before it finished.
   * `edited`: the document (or a neighbour) changed since its first analysis, so the worker stays for the next change.
   */
  analyse(
    uri: string,
    languageId: string | undefined,
    text: string,
    config: Config,
    configDir: string | undefined,
    openSiblings: OpenSibling[],
    isCancelled: () => boolean,
    edited = false,
  ): Promise<OffThreadResult | undefined> {
    if (edited) this.lastEditAt = performance.now();
    clearTimeout(this.idleTimer);
    const worker = this.start();
    const id = this.nextId++;
    const cancel = new SharedArrayBuffer(4);
    const flag = new Int32Array(cancel);
    const poll = setInterval(() => {
      if (isCancelled()) Atomics.store(flag, 0, 1);
    }, CANCEL_POLL_MS);
    const request: OffThreadRequest = { id, uri, languageId, text, config, configDir, openSiblings, cancel };
    return new Promise<OffThreadResult | undefined>((resolve, reject) => {
      this.pending.set(id, { request, resolve, reject });
      worker.postMessage(request);
    }).finally(() => clearInterval(poll));
  }

  /** Whether a worker thread is up (it ends when idle; the next analysis starts one). */
  get running(): boolean {
    return this.worker !== undefined;
  }

  dispose(): void {
    clearTimeout(this.idleTimer);
    const w = this.worker;
    this.worker = undefined;
    this.failAll(new OffThreadError('the server is shutting down'));
    void w?.terminate();
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.file, { resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
    worker.on('message', (m: OffThreadResponse) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if ('result' in m) p.resolve(m.result);
      else if ('cancelled' in m) p.resolve(undefined);
      else p.reject(new OffThreadError(m.error));
      if ('restart' in m && m.restart) this.restart();
      else if (!this.pending.size) this.endWhenIdle();
    });
    const died = (why: string) => {
      if (this.worker !== worker) return;
      // The oldest request is the one the worker was on.
      const [first] = this.pending;
      if (first) {
        this.pending.delete(first[0]);
        first[1].reject(new OffThreadError(why));
      }
      this.restart();
    };
    worker.on('error', (e: Error) => died(`the analysis thread failed: ${e.message}`));
    worker.on('exit', (code: number) => died(`the analysis thread stopped (exit code ${code})`));
    // The server may exit while the worker is idle.
    worker.unref();
    this.worker = worker;
    return worker;
  }

  /** Nothing is waiting: end the worker once it has been idle long enough (a new request starts a new one). */
  private endWhenIdle(): void {
    const now = performance.now();
    const delay = Math.max(IDLE_MS, this.lastEditAt + EDITING_IDLE_MS - now);
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      if (this.pending.size) return;
      const idle = this.worker;
      // Unset first: the exit that follows is not a failure.
      this.worker = undefined;
      void idle?.terminate();
    }, delay);
    // An idle worker's timer does not keep the server running.
    this.idleTimer.unref();
  }

  /** Replace the worker; the requests still waiting are sent to the new one. */
  private restart(): void {
    const old = this.worker;
    this.worker = undefined;
    void old?.terminate();
    if (!this.pending.size) return;
    const worker = this.start();
    for (const p of this.pending.values()) worker.postMessage(p.request);
  }

  private failAll(e: Error): void {
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const p of all) p.reject(e);
  }
}
