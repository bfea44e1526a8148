import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
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
 * options:
 *   pin/hf-unpinned-revision: { allowBranches: false }
 * maxFileSize: 5MB
 * ```
 * The editor's `airlock.rules` setting layers on top with the same shape.
 */

export type RuleSetting = Severity | 'on' | 'off';

export interface Config {
  rules: Record<string, RuleSetting>;
  ignore: string[];
  options: Record<string, Record<string, unknown>>;
  maxFileSize: number;
  /** Baseline file, relative to the config file's folder: scans report only findings it does not hold. */
  baseline?: string;
}

export const DEFAULT_MAX_FILE_SIZE = 5 * 1024 * 1024;

export function defaultConfig(): Config {
  return { rules: {}, ignore: [], options: {}, maxFileSize: DEFAULT_MAX_FILE_SIZE };
}

export class ConfigError extends Error {}

const SETTINGS = new Set<string>([...SEVERITIES, 'on', 'off']);

function parseSize(v: unknown, where: string): number {
  if (typeof v === 'number' && v > 0) return v;
  const m = typeof v === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*(b|kb|k|mb|m|gb|g)?\s*$/i.exec(v) : null;
  if (!m) throw new ConfigError(`${where}: maxFileSize must be a number of bytes or a size like 5MB`);
  const unit = (m[2] ?? 'b').toLowerCase()[0];
  const mult = unit === 'k' ? 1024 : unit === 'm' ? 1024 ** 2 : unit === 'g' ? 1024 ** 3 : 1;
  return Math.round(Number(m[1]) * mult);
}

/** Validate a parsed config object; `where` names the file in error messages. */
export function configFromObject(raw: unknown, where: string): Config {
  const config = defaultConfig();
  if (raw === null || raw === undefined) return config;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new ConfigError(`${where}: expected a mapping at the top level`);
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    switch (key) {
      case 'rules':
        if (value === null) break;
        if (typeof value !== 'object' || Array.isArray(value)) throw new ConfigError(`${where}: rules must be a mapping of rule id (or glob) to a setting`);
        for (const [id, setting] of Object.entries(value as Record<string, unknown>)) {
          const s = typeof setting === 'boolean' ? (setting ? 'on' : 'off') : String(setting);
          if (!SETTINGS.has(s)) throw new ConfigError(`${where}: rules.${id}: expected one of error, warning, info, on, off (got ${JSON.stringify(setting)})`);
          config.rules[id] = s as RuleSetting;
        }
        break;
      case 'ignore':
        if (value === null) break;
        if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw new ConfigError(`${where}: ignore must be a list of path patterns`);
        config.ignore = value as string[];
        break;
      case 'options':
        if (value === null) break;
        if (typeof value !== 'object' || Array.isArray(value)) throw new ConfigError(`${where}: options must be a mapping of rule id to options`);
        config.options = value as Config['options'];
        break;
      case 'maxFileSize':
        config.maxFileSize = parseSize(value, where);
        break;
      case 'baseline':
        if (typeof value !== 'string' || value.trim() === '') throw new ConfigError(`${where}: baseline must be a file path (e.g. .airlock-baseline.json)`);
        config.baseline = value;
        break;
      default:
        throw new ConfigError(`${where}: unknown key "${key}" (expected rules, ignore, options, maxFileSize, baseline)`);
    }
  }
  return config;
}

export function parseConfigText(text: string, where: string): Config {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (e) {
    throw new ConfigError(`${where}: not valid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  return configFromObject(raw, where);
}

export function loadConfigFile(path: string): Config {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError(`cannot read config ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return parseConfigText(text, path);
}

/** Layer `over` (editor settings) on top of `base` (the project file). */
export function mergeConfig(base: Config, over: Partial<Config>): Config {
  return {
    rules: { ...base.rules, ...over.rules },
    ignore: [...base.ignore, ...(over.ignore ?? [])],
    options: { ...base.options, ...over.options },
    maxFileSize: over.maxFileSize ?? base.maxFileSize,
    ...(base.baseline ? { baseline: base.baseline } : {}),
  };
}

/** `secret/*`, `*`, `pin/hf-*`, or an exact id. */
export function matchesRuleGlob(pattern: string, id: string): boolean {
  if (pattern === id || pattern === '*' || pattern === 'all') return true;
  if (!pattern.includes('*')) return false;
  const re = new RegExp(
    '^' +
      pattern
        .split('*')
        .map((p) => p.replace(/[.+?^${}()|[\]\\/]/g, '\\$&'))
        .join('[^]*') +
      '$',
  );
  return re.test(id);
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
