import { ruleSetting, type Config } from './config';
import type { Format } from './model';
import type { Rule } from './rule';

/**
 * Deciding from a file's text alone that no enabled rule can report on it, so that a repository scan
 * need not parse it. Most files of a repository hold no resource any rule reads (variables, outputs,
 * ConfigMaps): for them reading the bytes is the whole cost.
 */

/** Strings one of which the text must hold, or a test of the text (false only when the rule cannot report). */
export type Prefilter = readonly string[] | ((text: string) => boolean);

/**
 * Escapes that can spell a letter, digit or punctuation of a needle without writing it (`\\u0041`, `\\x41`),
 * and YAML's escaped line break, which joins two lines of a double-quoted string with nothing between them.
 * Text with one of them is never filtered out by strings.
 */
const SPELLING_ESCAPE = /\\(?:[uUx]|\r?\n)/;

function passes(filter: Prefilter, text: string): boolean {
  if (typeof filter === 'function') return filter(text);
  for (const needle of filter) if (text.includes(needle)) return true;
  return false;
}

/** Whether `rule` may report on a file of `format` with this text (true for a format it has no prefilter for). */
export function ruleMayReport(rule: Rule, format: Format, text: string): boolean {
  const filter = rule.prefilter?.[format];
  return filter === undefined || passes(filter, text) || SPELLING_ESCAPE.test(text);
}

/** Whether some rule enabled by `config` for `format` may report on a file with this text. */
export function mayReport(text: string, format: Format, rules: readonly Rule[], config: Config): boolean {
  const enabled = rules.filter((r) => r.formats.includes(format) && ruleSetting(r, config) !== 'off');
  if (enabled.length === 0) return false;
  // One look for escapes, not one per rule.
  if (SPELLING_ESCAPE.test(text)) return true;
  return enabled.some((r) => r.prefilter?.[format] === undefined || passes(r.prefilter[format]!, text));
}
