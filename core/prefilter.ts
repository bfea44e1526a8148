import { ruleSetting, type Config } from './config';
import { formatFamily } from './formats';
import type { Format } from './model';
import type { Rule } from './rule';

/**
 * Deciding from a file's text alone that no enabled rule can report on it, so that a repository scan
 * need not parse it. Most files of a repository hold no resource any rule reads (variables, outputs,
 * ConfigMaps): for them reading the bytes is the whole cost.
 */

/**
 * Strings one of which the text must hold, or a test of the text (false only when the rule cannot report).
 * A test also gets the texts of the folder's other files of the format, for rules that look across a module.
 */
export type Prefilter = readonly string[] | ((text: string, neighbours: Neighbours) => boolean);

/** The texts of the folder's other files of the format, gathered only if a test asks (few do, for few files). */
export type Neighbours = () => readonly string[];

const NO_NEIGHBOURS: Neighbours = () => [];

/**
 * Escapes that can spell a letter, digit or punctuation of a needle without writing it (`\\u0041`, `\\x41`),
 * and YAML's escaped line break, which joins two lines of a double-quoted string with nothing between them.
 * Text with one of them is never filtered out by strings.
 */
const SPELLING_ESCAPE = /\\(?:[uUx]|\r?\n)/;

export function hasSpellingEscape(text: string): boolean {
  return SPELLING_ESCAPE.test(text);
}

function passes(filter: Prefilter, text: string, neighbours: Neighbours): boolean {
  if (typeof filter === 'function') return filter(text, neighbours);
  for (const needle of filter) if (text.includes(needle)) return true;
  return false;
}

/** Whether `rule` may report on a file of `format` with this text (true for a format it has no prefilter for). */
export function ruleMayReport(rule: Rule, format: Format, text: string, neighbours: Neighbours = NO_NEIGHBOURS): boolean {
  const filter = prefilterFor(rule, format);
  return filter === undefined || passes(filter, text, neighbours) || SPELLING_ESCAPE.test(text);
}

/**
 * A rule's prefilter for a format: its own, else that of the format's family (a `.tf.json` file or a plan must
 * name the same resource types and keys as a `.tf` file).
 */
function prefilterFor(rule: Rule, format: Format): Prefilter | undefined {
  return rule.prefilter?.[format] ?? rule.prefilter?.[formatFamily(format) as Format];
}

/** The enabled rules' prefilters for a format, merged: each distinct string and test once. */
interface Plan {
  /** Some enabled rule has no prefilter for the format: every file may be reported on. */
  always: boolean;
  /** No rule is enabled for the format. */
  never: boolean;
  tests: Exclude<Prefilter, readonly string[]>[];
  /**
   * Every needle in one alternation of literals: the regex engine looks ahead over all of them at once, a
   * dozen times faster than one `includes` per needle over a file that holds none.
   */
  needles: RegExp | undefined;
}

const plans = new WeakMap<readonly Rule[], WeakMap<Config, Map<Format, Plan>>>();

function planFor(format: Format, rules: readonly Rule[], config: Config): Plan {
  const byConfig = plans.get(rules) ?? new WeakMap<Config, Map<Format, Plan>>();
  plans.set(rules, byConfig);
  const byFormat = byConfig.get(config) ?? new Map<Format, Plan>();
  byConfig.set(config, byFormat);
  let plan = byFormat.get(format);
  if (plan) return plan;
  const enabled = rules.filter((r) => r.formats.includes(format) && ruleSetting(r, config) !== 'off');
  const tests = new Set<Exclude<Prefilter, readonly string[]>>();
  const needles = new Set<string>();
  let always = false;
  for (const r of enabled) {
    const filter = prefilterFor(r, format);
    if (filter === undefined) always = true;
    else if (typeof filter === 'function') tests.add(filter);
    else for (const n of filter) needles.add(n);
  }
  const literals = [...needles].map((n) => n.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'));
  plan = { always, never: enabled.length === 0, tests: [...tests], needles: literals.length ? new RegExp(literals.join('|')) : undefined };
  byFormat.set(format, plan);
  return plan;
}

/** Whether some rule enabled by `config` for `format` may report on a file with this text. */
export function mayReport(text: string, format: Format, rules: readonly Rule[], config: Config, neighbours: Neighbours = NO_NEIGHBOURS): boolean {
  const plan = planFor(format, rules, config);
  if (plan.never) return false;
  if (plan.always || SPELLING_ESCAPE.test(text)) return true;
  // Rules that share needles (the network rules, the S3 rules) share one search for each.
  return (plan.needles?.test(text) ?? false) || plan.tests.some((t) => t(text, neighbours));
}

/**
 * `re.test` that remembers its last text's answer: a scan's prefilter and then the rule's own check ask about
 * the same text in turn, and a pre-check regex over a megabyte of text is not free.
 */
export function lastAnswer(re: RegExp): (text: string) => boolean {
  let last: string | undefined;
  let answer = false;
  return (text) => {
    if (text !== last) {
      answer = re.test(text);
      last = text;
    }
    return answer;
  };
}
