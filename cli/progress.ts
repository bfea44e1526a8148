import { printable } from '../core/report';
import type { FileResult } from './unit';

/**
 * A scan's progress on stderr — files done of the total and the folder last finished — only when stderr is a
 * terminal and the scan has run for a second: short scans and logs get nothing extra. The line is redrawn in
 * place at most ten times a second, and cleared before anything else is printed.
 */

export interface ProgressStream {
  write(s: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

const CLEAR_LINE = '\r\x1b[K';
const REDRAW_MS = 100;

export class Progress {
  private total = 0;
  private done = 0;
  private folder = '';
  private shown = false;
  private lastDraw = 0;
  private readonly started: number;

  constructor(
    private readonly stream: ProgressStream,
    private readonly delayMs = 1000,
    private readonly now: () => number = Date.now,
  ) {
    this.started = now();
  }

  private get enabled(): boolean {
    return !!this.stream.isTTY;
  }

  start(total: number): void {
    this.total = total;
  }

  advance(results: readonly FileResult[]): void {
    if (!this.enabled || results.length === 0) return;
    this.done += results.length;
    const last = results[results.length - 1].path;
    this.folder = last.includes('/') ? last.slice(0, last.lastIndexOf('/')) : '.';
    const t = this.now();
    if (!this.shown && t - this.started < this.delayMs) return;
    if (this.shown && t - this.lastDraw < REDRAW_MS && this.done < this.total) return;
    this.shown = true;
    this.lastDraw = t;
    const line = `airlock: ${this.done}/${this.total} files  ${printable(this.folder)}`;
    const width = Math.max(20, (this.stream.columns || 80) - 1);
    this.stream.write(CLEAR_LINE + (line.length > width ? `${line.slice(0, width - 1)}…` : line));
  }

  /** Clear the line (before other output, and at the end); the next `advance` draws it again. */
  clear(): void {
    if (!this.shown) return;
    this.stream.write(CLEAR_LINE);
    this.lastDraw = 0;
  }
}
