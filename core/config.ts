import { closeSync, constants, existsSync, fstatSync, openSync, readSync } from 'node:fs';
import path from 'node:path';
import { isMap, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import type { Rule, Severity } from './rule';
import { SEVERITIES } from './rule';

/**
 * Project configuration, `.airlock.yaml` (YAML only: a workspace file must never run code).
 *
 * ```yaml
 * rules:
 *   secret/hardcoded-password: error     # error | warning | info | on | off
 *   "pin/*": warning                     # globs; the most specific (longest) pattern wins
 *   pin/image-digest: on                 # enable a rule that is off by default
 * ignore:                                # gitignore syntax, relative to the config file
 *   - vendor/
 *   - "**\/testdata/**"
 * maxFileSize: 5MB
 * foreignSuppressions: false            # ignore checkov:skip=, tfsec:ignore:, #nosec... (honoured by default)
 * helm:
 *   values: [deploy/prod-values.yaml]   # read after each chart's values.yaml, as `helm -f` does
 * ```
 * The editor's `airlock.rules` setting layers on top with the same shape.
 */

export type RuleSetting = Severity | 'on' | 'off';

export interface Config {
  rules: Record<string, RuleSetting>;
  ignore: string[];
  maxFileSize: number;
  /** Honour other scanners' suppression markers; absent means yes. */
  foreignSuppressions?: boolean;
  /** Baseline file, relative to the config file's folder: scans report only findings it does not hold. */
  baseline?: string;
  /**
   * Extra Helm values files (`helm.values`, relative to the config file's folder; `--helm-values`), read after
   * each chart's `values.yaml` in this order, the last one winning, as `helm -f` merges them.
   */
  helmValues?: string[];
}

export const DEFAULT_MAX_FILE_SIZE = 5 * 1024 * 1024;

export function defaultConfig(): Config {
  return { rules: {}, ignore: [], maxFileSize: DEFAULT_MAX_FILE_SIZE };
}

export class ConfigError extends Error {}

export const CONFIG_FILE = '.airlock.yaml';
/** A config file is a few lines: anything bigger is a mistake, or a file that never ends. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

const SETTINGS = new Set<string>([...SEVERITIES, 'on', 'off']);
const KEYS = 'rules, ignore, maxFileSize, foreignSuppressions, baseline, helm';

/** What validation knows beyond the object: where each key is written, and which rule ids exist. */
export interface ConfigCheck {
  /** 1-based line of a key path (`['rules', 'pin/*']`) in the file, when known. */
  lineOf?: (keys: readonly string[]) => number | undefined;
  /** The rule registry's ids: an unknown id, or a glob that matches none, is an error. */
  knownRuleIds?: Iterable<string>;
}

function parseSize(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? Math.round(v) : undefined;
  const m = typeof v === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*(b|kb|k|mb|m|gb|g)?\s*$/i.exec(v) : null;
  if (!m) return undefined;
  const unit = (m[2] ?? 'b').toLowerCase()[0];
  const mult = unit === 'k' ? 1024 : unit === 'm' ? 1024 ** 2 : unit === 'g' ? 1024 ** 3 : 1;
  return Math.round(Number(m[1]) * mult);
}

/** A plain mapping: YAML's tagged values (`!!binary` bytes, `!!set`, `!!omap`, timestamps) are not settings. */
function isMapping(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Why `id` (an id or a glob, from `rules`) names no rule, or undefined when it names one. */
function unknownRule(id: string, known: ReadonlySet<string> | undefined, globs: boolean): string | undefined {
  if (!known || known.has(id)) return undefined;
  if (globs && (id === 'all' || id.includes('*'))) {
    for (const k of known) if (matchesRuleGlob(id, k)) return undefined;
    return `"${id}" matches no rule (see airlock rules)`;
  }
  return `unknown rule "${id}" (see airlock rules)`;
}

/** Validate a parsed config object; `where` names the file in error messages. */
export function configFromObject(raw: unknown, where: string, check: ConfigCheck = {}): Config {
  const fail = (keys: readonly string[], message: string): never => {
    const line = check.lineOf?.(keys);
    throw new ConfigError(`${where}${line ? `:${line}` : ''}: ${message}`);
  };
  const known = check.knownRuleIds ? new Set(check.knownRuleIds) : undefined;
  const config = defaultConfig();
  if (raw === null || raw === undefined) return config;
  if (!isMapping(raw)) return fail([], 'expected a mapping at the top level');
  for (const [key, value] of Object.entries(raw)) {
    switch (key) {
      case 'rules':
        if (value === null) break;
        if (!isMapping(value)) return fail([key], 'rules must be a mapping of rule id (or glob) to a setting');
        for (const [id, setting] of Object.entries(value)) {
          const s = typeof setting === 'boolean' ? (setting ? 'on' : 'off') : String(setting);
          if (!SETTINGS.has(s)) fail([key, id], `rules.${id}: expected one of error, warning, info, on, off (got ${JSON.stringify(setting)})`);
          const unknown = unknownRule(id, known, true);
          if (unknown) fail([key, id], `rules: ${unknown}`);
          config.rules[id] = s as RuleSetting;
        }
        break;
      case 'ignore':
        if (value === null) break;
        if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) return fail([key], 'ignore must be a list of path patterns');
        config.ignore = value as string[];
        break;
      case 'maxFileSize': {
        const size = parseSize(value);
        if (size === undefined) return fail([key], 'maxFileSize must be a number of bytes or a size like 5MB');
        // 0 would skip every file: the same rule as the command line's --max-file-size.
        if (size <= 0) return fail([key], `maxFileSize must be more than 0 (got ${JSON.stringify(value)})`);
        config.maxFileSize = size;
        break;
      }
      case 'foreignSuppressions':
        if (typeof value !== 'boolean') return fail([key], 'foreignSuppressions must be true or false');
        config.foreignSuppressions = value;
        break;
      case 'baseline':
        if (typeof value !== 'string' || value.trim() === '') return fail([key], 'baseline must be a file path (e.g. .airlock-baseline.json)');
        config.baseline = value;
        break;
      case 'helm': {
        if (!isMapping(value)) return fail([key], 'helm must be a mapping (values: a list of values files)');
        for (const [sub, files] of Object.entries(value)) {
          if (sub !== 'values') return fail([key, sub], `helm: unknown key "${sub}" (expected values)`);
          if (!Array.isArray(files) || files.some((f) => typeof f !== 'string' || f.trim() === ''))
            return fail([key, sub], 'helm.values must be a list of values file paths (e.g. [deploy/prod-values.yaml])');
          config.helmValues = files as string[];
        }
        break;
      }
      default:
        return fail([key], `unknown key "${key}" (expected ${KEYS})`);
    }
  }
  return config;
}

/** Where a key path is written: the line of its last key found. */
function lineFinder(doc: Document, counter: LineCounter): (keys: readonly string[]) => number | undefined {
  return (keys) => {
    let node: unknown = doc.contents;
    let offset: number | undefined;
    for (const key of keys) {
      if (!isMap(node)) break;
      const pair = node.items.find((p) => String(isScalar(p.key) ? p.key.value : p.key) === key);
      if (!pair) break;
      offset = isScalar(pair.key) ? pair.key.range?.[0] : undefined;
      node = pair.value;
    }
    return offset === undefined ? undefined : counter.linePos(offset).line;
  };
}

export function parseConfigText(text: string, where: string, knownRuleIds?: Iterable<string>): Config {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter });
  const error = doc.errors[0];
  if (error) {
    const line = error.linePos?.[0].line;
    throw new ConfigError(`${where}${line ? `:${line}` : ''}: not valid YAML: ${error.message.split('\n')[0]}`);
  }
  let raw: unknown;
  try {
    raw = doc.toJS();
  } catch (e) {
    throw new ConfigError(`${where}: not valid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  return configFromObject(raw, where, { lineOf: lineFinder(doc, counter), knownRuleIds });
}

/**
 * The text of a config file: a regular file only (a FIFO would block, `/dev/zero` never ends), at most
 * `MAX_CONFIG_BYTES`. Opened without blocking and checked on the open descriptor, so the file that is
 * checked is the file that is read.
 */
export function readConfigText(file: string): string {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    throw new ConfigError(`cannot read config ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const tooLarge = () => new ConfigError(`${file}: config file over ${MAX_CONFIG_BYTES / 1024 / 1024} MB`);
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new ConfigError(`${file}: not a regular file`);
    if (stat.size > MAX_CONFIG_BYTES) throw tooLarge();
    // Read to the end, not to the size seen: the file may grow meanwhile, never past the limit.
    const buf = Buffer.alloc(Math.min(stat.size, MAX_CONFIG_BYTES) + 1);
    let length = 0;
    for (let n = -1; n !== 0; length += n) {
      if (length === buf.length) throw tooLarge();
      n = readSync(fd, buf, length, buf.length - length, null);
    }
    if (length > MAX_CONFIG_BYTES) throw tooLarge();
    return buf.toString('utf8', 0, length);
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    throw new ConfigError(`cannot read config ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  } finally {
    closeSync(fd);
  }
}

export function loadConfigFile(file: string, knownRuleIds?: Iterable<string>): Config {
  return parseConfigText(readConfigText(file), file, knownRuleIds);
}

/**
 * The `.airlock.yaml` that applies to folder `dir`: the nearest at or above it, up to the repository root
 * (a folder with `.git`) or one of `roots` (the editor's workspace folders), whichever comes first. With
 * neither above `dir`, only `dir`'s own, or one at or below `outsideRepository` (the CLI's working folder): a
 * file in a shared parent (`/tmp/.airlock.yaml`) must not configure every project below it.
 */
export function findConfigFile(dir: string, roots: readonly string[] = [], outsideRepository?: string): string | undefined {
  const stops = new Set(roots.map((r) => path.resolve(r)));
  const start = path.resolve(dir);
  let nearest: string | undefined;
  for (let d = start; ; d = path.dirname(d)) {
    const candidate = path.join(d, CONFIG_FILE);
    if (nearest === undefined && existsSync(candidate)) nearest = candidate;
    if (stops.has(d) || existsSync(path.join(d, '.git'))) return nearest;
    if (path.dirname(d) === d) {
      if (nearest === path.join(start, CONFIG_FILE)) return nearest;
      const fromFallback =
        outsideRepository === undefined || nearest === undefined ? undefined : path.relative(path.resolve(outsideRepository), path.dirname(nearest));
      return fromFallback !== undefined && !fromFallback.startsWith('..') && !path.isAbsolute(fromFallback) ? nearest : undefined;
    }
  }
}

/** Layer `over` (editor settings) on top of `base` (the project file). */
export function mergeConfig(base: Config, over: Partial<Config>): Config {
  return {
    rules: { ...base.rules, ...over.rules },
    ignore: [...base.ignore, ...(over.ignore ?? [])],
    maxFileSize: over.maxFileSize ?? base.maxFileSize,
    foreignSuppressions: over.foreignSuppressions ?? base.foreignSuppressions,
    ...(base.baseline ? { baseline: base.baseline } : {}),
    ...(base.helmValues ? { helmValues: base.helmValues } : {}),
  };
}

/**
 * `secret/*`, `*`, `pin/hf-*`, or an exact id. The literal parts between stars are found leftmost first:
 * time linear in the id for any pattern (a regex of `.*` parts backtracks exponentially on `**********!`).
 */
export function matchesRuleGlob(pattern: string, id: string): boolean {
  if (pattern === id || pattern === '*' || pattern === 'all') return true;
  if (!pattern.includes('*')) return false;
  const parts = pattern.split('*');
  const first = parts[0];
  const last = parts[parts.length - 1];
  if (id.length < first.length + last.length || !id.startsWith(first) || !id.endsWith(last)) return false;
  const end = id.length - last.length;
  let at = first.length;
  for (let i = 1; i < parts.length - 1; i++) {
    if (!parts[i]) continue;
    const found = id.indexOf(parts[i], at);
    if (found < 0 || found + parts[i].length > end) return false;
    at = found + parts[i].length;
  }
  return true;
}

/** The effective severity of a rule, or `off`. The longest matching pattern wins; an exact id beats all globs. */
export function ruleSetting(rule: Rule, config: Config): Severity | 'off' {
  let best: { len: number; s: RuleSetting } | undefined;
  for (const [pattern, s] of Object.entries(config.rules)) {
    if (!matchesRuleGlob(pattern, rule.id)) continue;
    const len = pattern === rule.id ? Infinity : pattern.length;
    if (!best || len >= best.len) best = { len, s };
  }
  const s = best?.s;
  if (s === 'off') return 'off';
  if (s === 'on') return rule.severity;
  if (s) return s;
  return rule.defaultOff ? 'off' : rule.severity;
}
