import { parseArgs } from 'node:util';
import type { Severity } from '../core/rule';
import { CACHE_DIR } from './cache';

/** Command-line parsing. Errors are `UsageError`s: one line, exit code 2. */

export class UsageError extends Error {}

type ScanFormat = 'text' | 'json' | 'sarif';

export interface ScanArgs {
  paths: string[];
  staged: boolean;
  format: ScanFormat;
  output?: string;
  config?: string;
  severity: Severity;
  /** undefined: colour when stdout is a terminal and NO_COLOR is unset. */
  color?: boolean;
  quiet: boolean;
  maxFileSize?: number;
  /** Worker threads; undefined: decide from the number of files and CPUs. */
  jobs?: number;
  /** Report only findings this baseline file does not hold. */
  baseline?: string;
  /** Report suppression comments that hide no finding (`airlock/unused-suppression`). */
  reportUnusedSuppressions: boolean;
  /** `--cache`: the cache folder (relative to the working folder); undefined: no cache. */
  cache?: string;
  /** Extra Helm values files (`--helm-values`, repeated), after the config's `helm.values`. */
  helmValues: string[];
}

export interface BaselineArgs {
  paths: string[];
  /** Where to write; undefined: the config's `baseline:`, else `.airlock-baseline.json`. */
  output?: string;
  config?: string;
  /** Keep only the existing entries that still match (the file shrinks, never grows). */
  update: boolean;
  quiet: boolean;
  jobs?: number;
}

export interface PinArgs {
  paths: string[];
  /** Apply the pins instead of printing them as a diff. */
  write: boolean;
  /** The Hugging Face cache folder; undefined: from the environment (`hubCacheRoot`). */
  hfCache?: string;
  config?: string;
  quiet: boolean;
}

export type Command =
  | { kind: 'help'; topic?: string }
  | { kind: 'version' }
  | { kind: 'scan'; args: ScanArgs }
  | { kind: 'baseline'; args: BaselineArgs }
  | { kind: 'pin'; args: PinArgs }
  | { kind: 'rules'; format: 'text' | 'json' }
  | { kind: 'explain'; id: string; format: 'text' | 'json' };

/** An option of a command; `value` names the value a string option takes (in messages). */
interface OptionSpec {
  type: 'string' | 'boolean';
  /** May be given more than once (its values are a list). */
  multiple?: boolean;
  short?: string;
  value?: string;
}

type OptionSpecs = Record<string, OptionSpec>;

const COMMON: OptionSpecs = {
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
};

const FORMAT_OPTION: OptionSpecs = { format: { type: 'string', short: 'f', value: 'FORMAT' }, ...COMMON };

const SCAN_OPTIONS: OptionSpecs = {
  staged: { type: 'boolean' },
  format: { type: 'string', short: 'f', value: 'FORMAT' },
  output: { type: 'string', short: 'o', value: 'FILE' },
  config: { type: 'string', short: 'c', value: 'FILE' },
  severity: { type: 'string', short: 's', value: 'LEVEL' },
  'max-file-size': { type: 'string', value: 'SIZE' },
  jobs: { type: 'string', short: 'j', value: 'N' },
  color: { type: 'boolean' },
  'no-color': { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
  baseline: { type: 'string', short: 'b', value: 'FILE' },
  'report-unused-suppressions': { type: 'boolean' },
  cache: { type: 'boolean' },
  'cache-location': { type: 'string', value: 'DIR' },
  'helm-values': { type: 'string', value: 'FILE', multiple: true },
  ...COMMON,
};

const BASELINE_OPTIONS: OptionSpecs = {
  output: { type: 'string', short: 'o', value: 'FILE' },
  config: { type: 'string', short: 'c', value: 'FILE' },
  update: { type: 'boolean' },
  jobs: { type: 'string', short: 'j', value: 'N' },
  quiet: { type: 'boolean', short: 'q' },
  ...COMMON,
};

const PIN_OPTIONS: OptionSpecs = {
  write: { type: 'boolean', short: 'w' },
  'hf-cache': { type: 'string', value: 'DIR' },
  config: { type: 'string', short: 'c', value: 'FILE' },
  quiet: { type: 'boolean', short: 'q' },
  ...COMMON,
};

function oneOf<T extends string>(option: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`--${option} must be one of ${allowed.join(', ')} (got "${value}")`);
}

/** `5MB`, `512k`, `1048576`. */
function parseSize(value: string, option = 'max-file-size'): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|k|mb|m|gb|g)?\s*$/i.exec(value);
  if (!m) throw new UsageError(`--${option} must be a size in bytes or like 500KB, 5MB (got "${value}")`);
  const unit = (m[2] ?? 'b').toLowerCase()[0];
  const mult = unit === 'k' ? 1024 : unit === 'm' ? 1024 ** 2 : unit === 'g' ? 1024 ** 3 : 1;
  const bytes = Math.round(Number(m[1]) * mult);
  if (bytes <= 0) throw new UsageError(`--${option} must be more than 0`);
  return bytes;
}

interface Parsed {
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  positionals: string[];
}

/**
 * `node:util`'s `parseArgs`, not strict, so that its tokens let each mistake be said in one line the way
 * the help names options: an unknown option, a value missing or given to a flag. A value may start with
 * `-` (`--output -`, `--format --staged` is a bad format), as in getopt.
 */
function parseOptions(argv: string[], specs: OptionSpecs, command: string): Parsed {
  const { values, positionals, tokens } = parseArgs({ args: argv, options: specs, strict: false, allowPositionals: true, tokens: true });
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const spec = Object.hasOwn(specs, token.name) ? specs[token.name] : undefined;
    if (!spec) throw new UsageError(`unknown option ${token.rawName} for "${command}" (see airlock ${command} --help)`);
    if (spec.type === 'string' && token.value === undefined) throw new UsageError(`option --${token.name} needs a value (${spec.value})`);
    if (spec.type === 'boolean' && token.inlineValue) throw new UsageError(`option --${token.name} takes no value`);
  }
  return { values, positionals };
}

function str(p: Parsed, name: string): string | undefined {
  const v = p.values[name];
  return typeof v === 'string' ? v : undefined;
}

function list(p: Parsed, name: string): string[] {
  const v = p.values[name];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : [];
}

function has(p: Parsed, name: string): boolean {
  return p.values[name] !== undefined;
}

export function parseCommandLine(argv: string[]): Command {
  const [first, ...rest] = argv;
  if (first === undefined) throw new UsageError('missing command (expected scan, rules or explain; see airlock --help)');
  if (first === '--help' || first === '-h') return { kind: 'help' };
  if (first === '--version' || first === '-v') return { kind: 'version' };
  if (first === 'help') return { kind: 'help', topic: rest[0] };
  if (first.startsWith('-')) throw new UsageError(`unknown option ${first} (expected a command first: scan, rules or explain)`);

  switch (first) {
    case 'scan': {
      const p = parseOptions(rest, SCAN_OPTIONS, 'scan');
      if (has(p, 'help')) return { kind: 'help', topic: 'scan' };
      if (has(p, 'version')) return { kind: 'version' };
      if (has(p, 'color') && has(p, 'no-color')) throw new UsageError('--color and --no-color cannot be used together');
      const jobs = str(p, 'jobs');
      if (jobs !== undefined && !/^\d+$/.test(jobs)) throw new UsageError(`--jobs must be a whole number (got "${jobs}")`);
      const maxFileSize = str(p, 'max-file-size');
      const cacheLocation = str(p, 'cache-location');
      if (cacheLocation !== undefined && !has(p, 'cache')) throw new UsageError('--cache-location needs --cache');
      return {
        kind: 'scan',
        args: {
          paths: p.positionals.length ? p.positionals : ['.'],
          staged: has(p, 'staged'),
          format: oneOf('format', str(p, 'format') ?? 'text', ['text', 'json', 'sarif'] as const),
          output: str(p, 'output'),
          config: str(p, 'config'),
          severity: oneOf('severity', str(p, 'severity') ?? 'warning', ['error', 'warning', 'info'] as const),
          color: has(p, 'color') ? true : has(p, 'no-color') ? false : undefined,
          quiet: has(p, 'quiet'),
          maxFileSize: maxFileSize === undefined ? undefined : parseSize(maxFileSize),
          jobs: jobs === undefined ? undefined : Number(jobs),
          baseline: str(p, 'baseline'),
          reportUnusedSuppressions: has(p, 'report-unused-suppressions'),
          cache: has(p, 'cache') ? (cacheLocation ?? CACHE_DIR) : undefined,
          helmValues: list(p, 'helm-values'),
        },
      };
    }
    case 'baseline': {
      const p = parseOptions(rest, BASELINE_OPTIONS, 'baseline');
      if (has(p, 'help')) return { kind: 'help', topic: 'baseline' };
      if (has(p, 'version')) return { kind: 'version' };
      const jobs = str(p, 'jobs');
      if (jobs !== undefined && !/^\d+$/.test(jobs)) throw new UsageError(`--jobs must be a whole number (got "${jobs}")`);
      return {
        kind: 'baseline',
        args: {
          paths: p.positionals.length ? p.positionals : ['.'],
          output: str(p, 'output'),
          config: str(p, 'config'),
          update: has(p, 'update'),
          quiet: has(p, 'quiet'),
          jobs: jobs === undefined ? undefined : Number(jobs),
        },
      };
    }
    case 'pin': {
      const p = parseOptions(rest, PIN_OPTIONS, 'pin');
      if (has(p, 'help')) return { kind: 'help', topic: 'pin' };
      if (has(p, 'version')) return { kind: 'version' };
      return {
        kind: 'pin',
        args: {
          paths: p.positionals.length ? p.positionals : ['.'],
          write: has(p, 'write'),
          hfCache: str(p, 'hf-cache'),
          config: str(p, 'config'),
          quiet: has(p, 'quiet'),
        },
      };
    }
    case 'rules': {
      const p = parseOptions(rest, FORMAT_OPTION, 'rules');
      if (has(p, 'help')) return { kind: 'help', topic: 'rules' };
      if (has(p, 'version')) return { kind: 'version' };
      if (p.positionals.length) throw new UsageError(`unexpected argument "${p.positionals[0]}" (airlock rules takes no arguments)`);
      return { kind: 'rules', format: oneOf('format', str(p, 'format') ?? 'text', ['text', 'json'] as const) };
    }
    case 'explain': {
      const p = parseOptions(rest, FORMAT_OPTION, 'explain');
      if (has(p, 'help')) return { kind: 'help', topic: 'explain' };
      if (has(p, 'version')) return { kind: 'version' };
      if (p.positionals.length === 0) throw new UsageError('missing rule id (airlock explain <rule-id>; airlock rules lists them)');
      if (p.positionals.length > 1) throw new UsageError(`unexpected argument "${p.positionals[1]}" (airlock explain takes one rule id)`);
      return { kind: 'explain', id: p.positionals[0], format: oneOf('format', str(p, 'format') ?? 'text', ['text', 'json'] as const) };
    }
    default:
      throw new UsageError(`unknown command "${first}" (expected scan, rules or explain; see airlock --help)`);
  }
}
