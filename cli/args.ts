import type { Severity } from '../core/rule';

/** Command-line parsing. Errors are `UsageError`s: one line, exit code 2. */

export class UsageError extends Error {}

export type ScanFormat = 'text' | 'json' | 'sarif';

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
}

export type Command =
  | { kind: 'help'; topic?: string }
  | { kind: 'version' }
  | { kind: 'scan'; args: ScanArgs }
  | { kind: 'rules'; format: 'text' | 'json' }
  | { kind: 'explain'; id: string; format: 'text' | 'json' };

export const COMMANDS = ['scan', 'rules', 'explain', 'help'] as const;

interface OptionSpec {
  name: string;
  short?: string;
  value?: string;
}

const SCAN_OPTIONS: OptionSpec[] = [
  { name: 'staged' },
  { name: 'format', short: 'f', value: 'FORMAT' },
  { name: 'output', short: 'o', value: 'FILE' },
  { name: 'config', short: 'c', value: 'FILE' },
  { name: 'severity', short: 's', value: 'LEVEL' },
  { name: 'max-file-size', value: 'SIZE' },
  { name: 'jobs', short: 'j', value: 'N' },
  { name: 'color' },
  { name: 'no-color' },
  { name: 'quiet', short: 'q' },
];

const FORMAT_OPTION: OptionSpec[] = [{ name: 'format', short: 'f', value: 'FORMAT' }];

const COMMON: OptionSpec[] = [
  { name: 'help', short: 'h' },
  { name: 'version', short: 'v' },
];

function oneOf<T extends string>(option: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`--${option} must be one of ${allowed.join(', ')} (got "${value}")`);
}

/** `5MB`, `512k`, `1048576`. */
export function parseSize(value: string, option = 'max-file-size'): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|k|mb|m|gb|g)?\s*$/i.exec(value);
  if (!m) throw new UsageError(`--${option} must be a size in bytes or like 500KB, 5MB (got "${value}")`);
  const unit = (m[2] ?? 'b').toLowerCase()[0];
  const mult = unit === 'k' ? 1024 : unit === 'm' ? 1024 ** 2 : unit === 'g' ? 1024 ** 3 : 1;
  const bytes = Math.round(Number(m[1]) * mult);
  if (bytes <= 0) throw new UsageError(`--${option} must be more than 0`);
  return bytes;
}

interface Parsed {
  options: Map<string, string | true>;
  positionals: string[];
}

function parseOptions(argv: string[], specs: OptionSpec[], command: string): Parsed {
  const all = [...specs, ...COMMON];
  const options = new Map<string, string | true>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    let name: string;
    let inline: string | undefined;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      inline = eq < 0 ? undefined : arg.slice(eq + 1);
    } else {
      name = arg.slice(1, 2);
      inline = arg.length > 2 ? arg.slice(2) : undefined;
    }
    const spec = all.find((s) => (arg.startsWith('--') ? s.name === name : s.short === name));
    if (!spec) {
      const shown = arg.startsWith('--') ? `--${name}` : `-${name}`;
      throw new UsageError(`unknown option ${shown} for "${command}" (see airlock ${command} --help)`);
    }
    if (spec.value) {
      let value = inline;
      if (value === undefined) {
        if (i + 1 >= argv.length) throw new UsageError(`option --${spec.name} needs a value (${spec.value})`);
        value = argv[++i];
      }
      options.set(spec.name, value);
    } else {
      if (inline !== undefined) throw new UsageError(`option --${spec.name} takes no value`);
      options.set(spec.name, true);
    }
  }
  return { options, positionals };
}

function str(p: Parsed, name: string): string | undefined {
  const v = p.options.get(name);
  return typeof v === 'string' ? v : undefined;
}

export function parseArgs(argv: string[]): Command {
  const [first, ...rest] = argv;
  if (first === undefined) throw new UsageError('missing command (expected scan, rules or explain; see airlock --help)');
  if (first === '--help' || first === '-h') return { kind: 'help' };
  if (first === '--version' || first === '-v') return { kind: 'version' };
  if (first === 'help') return { kind: 'help', topic: rest[0] };
  if (first.startsWith('-')) throw new UsageError(`unknown option ${first} (expected a command first: scan, rules or explain)`);

  switch (first) {
    case 'scan': {
      const p = parseOptions(rest, SCAN_OPTIONS, 'scan');
      if (p.options.has('help')) return { kind: 'help', topic: 'scan' };
      if (p.options.has('version')) return { kind: 'version' };
      if (p.options.has('color') && p.options.has('no-color')) throw new UsageError('--color and --no-color cannot be used together');
      const jobs = str(p, 'jobs');
      if (jobs !== undefined && !/^\d+$/.test(jobs)) throw new UsageError(`--jobs must be a whole number (got "${jobs}")`);
      const maxFileSize = str(p, 'max-file-size');
      return {
        kind: 'scan',
        args: {
          paths: p.positionals.length ? p.positionals : ['.'],
          staged: p.options.has('staged'),
          format: oneOf('format', str(p, 'format') ?? 'text', ['text', 'json', 'sarif'] as const),
          output: str(p, 'output'),
          config: str(p, 'config'),
          severity: oneOf('severity', str(p, 'severity') ?? 'warning', ['error', 'warning', 'info'] as const),
          color: p.options.has('color') ? true : p.options.has('no-color') ? false : undefined,
          quiet: p.options.has('quiet'),
          maxFileSize: maxFileSize === undefined ? undefined : parseSize(maxFileSize),
          jobs: jobs === undefined ? undefined : Number(jobs),
        },
      };
    }
    case 'rules': {
      const p = parseOptions(rest, FORMAT_OPTION, 'rules');
      if (p.options.has('help')) return { kind: 'help', topic: 'rules' };
      if (p.options.has('version')) return { kind: 'version' };
      if (p.positionals.length) throw new UsageError(`unexpected argument "${p.positionals[0]}" (airlock rules takes no arguments)`);
      return { kind: 'rules', format: oneOf('format', str(p, 'format') ?? 'text', ['text', 'json'] as const) };
    }
    case 'explain': {
      const p = parseOptions(rest, FORMAT_OPTION, 'explain');
      if (p.options.has('help')) return { kind: 'help', topic: 'explain' };
      if (p.options.has('version')) return { kind: 'version' };
      if (p.positionals.length === 0) throw new UsageError('missing rule id (airlock explain <rule-id>; airlock rules lists them)');
      if (p.positionals.length > 1) throw new UsageError(`unexpected argument "${p.positionals[1]}" (airlock explain takes one rule id)`);
      return { kind: 'explain', id: p.positionals[0], format: oneOf('format', str(p, 'format') ?? 'text', ['text', 'json'] as const) };
    }
    default:
      throw new UsageError(`unknown command "${first}" (expected scan, rules or explain; see airlock --help)`);
  }
}
