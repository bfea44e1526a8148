/**
 * Where a scan's time goes, for the CLI's `AIRLOCK_TIMING=<file>` (not a documented option: the benchmark
 * and people profiling a slow scan read it). Times are summed over threads, so with worker threads they add up
 * to more than the wall time. A notebook's Python structure is built lazily, on first use by a rule, so
 * that part of the parse is counted under the rule that asked for it.
 */

export interface FormatTiming {
  files: number;
  bytes: number;
  /** Reading and decoding the file. */
  readMs: number;
  /** Detecting the format and building the model. */
  parseMs: number;
  /** Running the rules and converting findings. */
  analyzeMs: number;
  /** Files no enabled rule can report on, read but not parsed (unless a neighbour's rule needed them). */
  prefiltered: number;
  /** Of those, files parsed after all because a rule of a neighbouring file read them. */
  parsedForNeighbours: number;
}

export interface Timing {
  formats: Record<string, FormatTiming>;
  /** Milliseconds per rule id, over every file. */
  rules: Record<string, number>;
  /** Set by the main thread. */
  wallMs?: number;
  walkMs?: number;
  /** Threads that scanned (the main thread included). */
  threads?: number;
}

export function newTiming(): Timing {
  return { formats: {}, rules: {} };
}

export function formatTiming(t: Timing, format: string): FormatTiming {
  return (t.formats[format] ??= { files: 0, bytes: 0, readMs: 0, parseMs: 0, analyzeMs: 0, prefiltered: 0, parsedForNeighbours: 0 });
}

export function addRuleTime(t: Timing, ruleId: string, ms: number): void {
  t.rules[ruleId] = (t.rules[ruleId] ?? 0) + ms;
}

/** Adds `from` into `into`. */
export function mergeTiming(into: Timing, from: Timing): void {
  for (const [format, f] of Object.entries(from.formats)) {
    const t = formatTiming(into, format);
    t.files += f.files;
    t.bytes += f.bytes;
    t.readMs += f.readMs;
    t.parseMs += f.parseMs;
    t.analyzeMs += f.analyzeMs;
    t.prefiltered += f.prefiltered;
    t.parsedForNeighbours += f.parsedForNeighbours;
  }
  for (const [id, ms] of Object.entries(from.rules)) addRuleTime(into, id, ms);
}
