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

/**
 * Whether `rule` may report on a file of `format` with this text (true for a format it has no prefilter for).
 * `asked`, the same text as `prefilterText` indexes it, answers for the many rules run over one file.
 */
export function ruleMayReport(rule: Rule, format: Format, text: string, neighbours: Neighbours = NO_NEIGHBOURS, asked?: PrefilterText): boolean {
  const filter = prefilterFor(rule, format);
  if (filter === undefined) return true;
  if (!asked) return passes(filter, text, neighbours) || SPELLING_ESCAPE.test(text);
  if (typeof filter === 'function' ? filter(text, neighbours) : filter.some((n) => asked.has(n))) return true;
  return asked.hasSpellingEscape();
}

/** One regex over every string of a format's prefilters: longest first (see `PrefilterText.has`). */
interface NeedleSearch {
  re: RegExp | undefined;
  /** For each string, the longer strings that begin with it. */
  extensions: Map<string, string[]>;
}

const searches = new WeakMap<readonly Rule[], Map<Format, NeedleSearch>>();

function needleSearch(format: Format, rules: readonly Rule[]): NeedleSearch {
  const byFormat = searches.get(rules) ?? new Map<Format, NeedleSearch>();
  searches.set(rules, byFormat);
  let search = byFormat.get(format);
  if (search) return search;
  const needles = new Set<string>();
  for (const r of rules) {
    const filter = r.formats.includes(format) ? prefilterFor(r, format) : undefined;
    if (Array.isArray(filter)) for (const n of filter) if (n !== '') needles.add(n);
  }
  const sorted = [...needles].sort((a, b) => b.length - a.length);
  const extensions = new Map(sorted.map((n) => [n, sorted.filter((m) => m.length > n.length && m.startsWith(n))]));
  const re = sorted.length ? new RegExp(sorted.map((n) => n.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|'), 'g') : undefined;
  search = { re, extensions };
  byFormat.set(format, search);
  return search;
}

/**
 * A file's text as the prefilters of many rules ask about it: which of their strings it holds, found in one
 * pass, and whether it holds a spelling escape, tested once (per rule, the tests of a 100 KB file add up).
 */
export class PrefilterText {
  private found: Set<string> | undefined;
  private escape: boolean | undefined;

  constructor(
    readonly text: string,
    private readonly search: NeedleSearch,
  ) {}

  /**
   * Whether the text holds `needle`. The search resumes one character after each match, so every position
   * is tried; where several strings match at one position the longest, listed first, is the one found, and
   * the others are its prefixes: a string is present when it or a longer string beginning with it was found.
   */
  has(needle: string): boolean {
    const extensions = this.search.extensions.get(needle);
    if (!extensions) return this.text.includes(needle); // not among the strings searched for
    const found = this.foundStrings();
    return found.has(needle) || extensions.some((m) => found.has(m));
  }

  hasSpellingEscape(): boolean {
    this.escape ??= SPELLING_ESCAPE.test(this.text);
    return this.escape;
  }

  private foundStrings(): Set<string> {
    if (this.found) return this.found;
    const found = new Set<string>();
    const re = this.search.re;
    if (re) {
      re.lastIndex = 0;
      for (let m = re.exec(this.text); m; m = re.exec(this.text)) {
        found.add(m[0]);
        re.lastIndex = m.index + 1;
      }
    }
    this.found = found;
    return found;
  }
}

/** `text` indexed for the prefilters `rules` have for `format` (see `ruleMayReport`). */
export function prefilterText(text: string, format: Format, rules: readonly Rule[]): PrefilterText {
  return new PrefilterText(text, needleSearch(format, rules));
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
