import { ConfigError } from '../config';
import type { FindingIdentity } from './identity';

/**
 * The baseline file (`.airlock-baseline.json`): the findings a repository has accepted, so that a scan
 * reports only new ones. Sorted, one entry per line, no timestamp, no line number, no value: an entry is
 * a rule id, a structural identity (paths, addresses and key names) and a fingerprint (a hash).
 */

export const BASELINE_FILE = '.airlock-baseline.json';
const VERSION = 1;

export interface BaselineEntry {
  ruleId: string;
  where: string;
  fingerprint: string;
}

/** What a baseline entry is made from: a report finding with its identity. */
export interface Baselinable {
  ruleId: string;
  identity?: FindingIdentity;
}

function compareEntries(a: BaselineEntry, b: BaselineEntry): number {
  const by = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  return by(a.ruleId, b.ruleId) || by(a.where, b.where) || by(a.fingerprint, b.fingerprint);
}

export function baselineEntry(f: Baselinable): BaselineEntry | undefined {
  return f.identity ? { ruleId: f.ruleId, where: f.identity.where, fingerprint: f.identity.fingerprint } : undefined;
}

/** The file's text: sorted entries, one per line, so that a change to the baseline is a change of lines. */
export function formatBaseline(entries: readonly BaselineEntry[]): string {
  const sorted = [...entries].sort(compareEntries);
  const lines = sorted.map((e) => `    ${JSON.stringify({ ruleId: e.ruleId, where: e.where, fingerprint: e.fingerprint })}`);
  return `{\n  "version": ${VERSION},\n  "findings": [${lines.length ? `\n${lines.join(',\n')}\n  ` : ''}]\n}\n`;
}

function isEntry(v: unknown): v is BaselineEntry {
  const e = v as BaselineEntry;
  return typeof e === 'object' && e !== null && typeof e.ruleId === 'string' && typeof e.where === 'string' && typeof e.fingerprint === 'string';
}

/** Parse a baseline file's text; `name` names it in errors (exit 2). */
export function parseBaseline(text: string, name: string): BaselineEntry[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`${name}: not a baseline file (${(e as Error).message})`);
  }
  const doc = raw as { version?: unknown; findings?: unknown };
  if (typeof doc !== 'object' || doc === null || !Array.isArray(doc.findings))
    throw new ConfigError(`${name}: not a baseline file (expected { "version": 1, "findings": [...] })`);
  if (doc.version !== VERSION) throw new ConfigError(`${name}: unsupported baseline version ${JSON.stringify(doc.version)} (expected ${VERSION})`);
  const bad = doc.findings.findIndex((e) => !isEntry(e));
  if (bad >= 0) throw new ConfigError(`${name}: findings[${bad}] needs string ruleId, where and fingerprint`);
  return (doc.findings as BaselineEntry[]).map((e) => ({ ruleId: e.ruleId, where: e.where, fingerprint: e.fingerprint }));
}

export interface BaselineMatch<F> {
  /** Findings the baseline does not hold: what a scan with the baseline reports. */
  fresh: F[];
  /** Findings the baseline holds. */
  known: F[];
  /** Entries no finding matches any more: the baseline can drop them (`airlock baseline --update`). */
  stale: BaselineEntry[];
}

/** Split findings by the baseline. A finding matches the entry with its rule id and fingerprint. */
export function matchBaseline<F extends Baselinable>(findings: readonly F[], entries: readonly BaselineEntry[]): BaselineMatch<F> {
  const key = (ruleId: string, fingerprint: string) => `${ruleId}\0${fingerprint}`;
  const unmatched = new Map(entries.map((e) => [key(e.ruleId, e.fingerprint), e]));
  const held = new Set(unmatched.keys());
  const fresh: F[] = [];
  const known: F[] = [];
  for (const f of findings) {
    const k = f.identity ? key(f.ruleId, f.identity.fingerprint) : undefined;
    if (k !== undefined && held.has(k)) {
      known.push(f);
      unmatched.delete(k);
    } else fresh.push(f);
  }
  return { fresh, known, stale: [...unmatched.values()].sort(compareEntries) };
}
