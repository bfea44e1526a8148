import { analyze } from '../core/runner';
import type { Config } from '../core/config';
import { detectFormat, extensionOf } from '../core/formats';
import type { Format, ParsedFile } from '../core/model';
import type { TerraformFile } from '../core/formats/terraform/parse';
import { parseFile, parseFileSync, prepareFormat } from '../core/formats';
import { mayReport, type Neighbours } from '../core/prefilter';
import { Project } from '../core/project';
import { dirnameOf } from '../core/uri';
import type { Rule } from '../core/rule';
import {
  convertFindings,
  convertParseProblems,
  convertRuleFailures,
  oneLine,
  relativePath,
  type ReportFinding,
  type ReportProblem,
  type SkippedFile,
} from '../core/report';
import { loadFile, type Loaded } from './files';
import { addRuleTime, formatTiming, type FormatTiming, type Timing } from './timing';

/**
 * Scanning a group of files (a folder) together: a Terraform module is a folder of files, and a Service
 * in one manifest exposes a Deployment of another, so every file of the group is parsed first and the
 * group's `Project` holds its Terraform and Kubernetes files before any is analysed. Each file is read
 * once; a failure stays with its file.
 * The same function runs in the main thread and in worker threads.
 */

export interface UnitFile {
  /** Absolute path (the `uri` the engine sees). */
  uri: string;
  /** The content, when it does not come from disk (`--staged`). */
  text?: string;
  /** Size in bytes when known (from the walk): used to balance work between threads. */
  size?: number;
}

export interface UnitContext {
  root: string;
  config: Config;
  rules: readonly Rule[];
  /** Profiling: where the time goes (see `timing.ts`). */
  timing?: Timing;
  /** `false`: parse and analyse every file, even one no enabled rule can report on (tests compare both). */
  prefilter?: boolean;
}

export interface FileResult {
  path: string;
  status: 'scanned' | 'skipped' | 'failed';
  skipped?: SkippedFile;
  findings: ReportFinding[];
  problems: ReportProblem[];
  suppressed: number;
}

function load(f: UnitFile, ctx: UnitContext): Loaded {
  return f.text !== undefined ? { kind: 'text', text: f.text } : loadFile(f.uri, ctx.config.maxFileSize);
}

export function failedResult(uri: string, root: string, message: string, kind: 'read' | 'failed' = 'failed', extra: ReportProblem[] = []): FileResult {
  const path = relativePath(root, uri);
  return { path, status: 'failed', findings: [], problems: [...extra, { kind, level: 'error', path, message: oneLine(message) }], suppressed: 0 };
}

/** The result for a file that was not parsed: skipped or unreadable. */
function notLoaded(f: UnitFile, loaded: Exclude<Loaded, { kind: 'text' }>, root: string): FileResult {
  if (loaded.kind === 'error') return failedResult(f.uri, root, loaded.message, 'read');
  const path = relativePath(root, f.uri);
  return { path, status: 'skipped', skipped: { path, reason: loaded.reason, size: loaded.size }, findings: [], problems: [], suppressed: 0 };
}

async function parse(f: UnitFile, text: string, format: Format, root: string): Promise<ParsedFile | FileResult> {
  try {
    return await parseFile(f.uri, text, format);
  } catch (e) {
    return failedResult(f.uri, root, `parser failed: ${(e as Error)?.message ?? e}`);
  }
}

async function analyzeOne(file: ParsedFile, project: Project, ctx: UnitContext): Promise<FileResult> {
  const path = relativePath(ctx.root, file.uri);
  let parseProblems: ReportProblem[] = [];
  const timing = ctx.timing;
  const t0 = timing ? performance.now() : 0;
  try {
    parseProblems = convertParseProblems(file, ctx.root);
    const onRuleTime = timing ? (id: string, ms: number) => addRuleTime(timing, id, ms) : undefined;
    const analysis = await analyze(file, { rules: ctx.rules, config: ctx.config, project, onRuleTime, prefilter: ctx.prefilter !== false });
    return {
      path,
      status: 'scanned',
      findings: convertFindings(file, analysis.findings, { root: ctx.root, resolve: (uri) => project.get(uri) }),
      problems: [...parseProblems, ...convertRuleFailures(file, analysis.failures, ctx.root)],
      suppressed: analysis.suppressed,
    };
  } catch (e) {
    return failedResult(file.uri, ctx.root, `analysis failed: ${(e as Error)?.message ?? e}`, 'failed', parseProblems);
  } finally {
    if (timing) formatTiming(timing, file.format).analyzeMs += performance.now() - t0;
  }
}

export async function scanUnit(files: readonly UnitFile[], ctx: UnitContext): Promise<FileResult[]> {
  const results: FileResult[] = [];
  const project = new Project();
  const terraform: ParsedFile[] = [];
  try {
    await scanInto(files, ctx, project, terraform, results);
  } finally {
    // A tree-sitter tree lives in wasm memory, which the JS garbage collector neither sees nor frees in
    // time: without this a whole-repository scan grows the wasm heap by hundreds of megabytes.
    for (const file of terraform) (file as Partial<TerraformFile>).tree?.delete();
  }
  return results;
}

/** The result for a file that no enabled rule can report on (see `core/prefilter.ts`): read, not parsed. */
function clean(uri: string, root: string): FileResult {
  return { path: relativePath(root, uri), status: 'scanned', findings: [], problems: [], suppressed: 0 };
}

interface Read {
  file: UnitFile;
  text: string;
  format: Format;
  /** Milliseconds reading took (profiling). */
  readMs: number;
}

/** Read one file and detect its format, or the result that says why it cannot be scanned. */
function read(f: UnitFile, ctx: UnitContext): Read | FileResult {
  const t0 = ctx.timing ? performance.now() : 0;
  const loaded = load(f, ctx);
  if (loaded.kind !== 'text') return notLoaded(f, loaded, ctx.root);
  const readMs = ctx.timing ? performance.now() - t0 : 0;
  return { file: f, text: loaded.text, format: detectFormat(f.uri, loaded.text), readMs };
}

/** The timing of a file read, counted under `key` (its format, or `failed`). */
function counted(timing: Timing, key: string, r: Read): FormatTiming {
  const t = formatTiming(timing, key);
  t.files++;
  t.bytes += r.text.length;
  t.readMs += r.readMs;
  return t;
}

/**
 * Parse a file read: its model, or the result that says why there is none. A file the prefilter rules out
 * (given the texts of its `neighbours`, the folder's other files of its format) is not parsed; when it may
 * belong to a project, the project parses it if a neighbour's rule looks at it.
 */
async function parseRead(r: Read, neighbours: Neighbours, ctx: UnitContext, project: Project, terraform: ParsedFile[]): Promise<ParsedFile | FileResult> {
  const { file: f, text, format } = r;
  const timing = ctx.timing;
  const t1 = timing ? performance.now() : 0;
  if (ctx.prefilter !== false && !mayReport(text, format, ctx.rules, ctx.config, neighbours)) {
    if (timing) counted(timing, format, r).prefiltered++;
    if (PROJECT_FORMATS.has(format)) {
      await prepareFormat(format);
      project.addLazy(f.uri, format, text, () => {
        const t2 = timing ? performance.now() : 0;
        const parsed = parseFileSync(f.uri, text, format);
        if (parsed.format === 'terraform') terraform.push(parsed);
        if (timing) {
          const t = formatTiming(timing, format);
          t.parseMs += performance.now() - t2;
          t.parsedForNeighbours++;
        }
        return parsed;
      });
    }
    return clean(f.uri, ctx.root);
  }
  const parsed = await parse(f, text, format, ctx.root);
  if (timing) counted(timing, 'status' in parsed ? 'failed' : parsed.format, r).parseMs += performance.now() - t1;
  if (!('status' in parsed) && parsed.format === 'terraform') terraform.push(parsed);
  return parsed;
}

/** Formats whose rules look across the files of a folder (a Terraform module, a folder of manifests). */
const PROJECT_FORMATS = new Set(['terraform', 'kubernetes']);

/** Extensions `detectFormat` can give a project format to (by extension or by content). */
const PROJECT_EXTENSIONS = new Set(['tf', 'tfvars', 'yaml', 'yml', 'json', 'template']);

async function scanInto(files: readonly UnitFile[], ctx: UnitContext, project: Project, terraform: ParsedFile[], results: FileResult[]): Promise<void> {
  // Read the folder's files that may belong to its project first, then parse them, so that a rule analysing
  // one of them sees the others, and the prefilter sees each file's neighbours.
  const reads: Read[] = [];
  const byFolder = new Map<string, Read[]>();
  for (const f of files) {
    if (!PROJECT_EXTENSIONS.has(extensionOf(f.uri))) continue;
    const r = read(f, ctx);
    if ('status' in r) {
      results.push(r);
      continue;
    }
    reads.push(r);
    const key = folderKey(r);
    const folder = byFolder.get(key);
    if (folder) folder.push(r);
    else byFolder.set(key, [r]);
  }
  const parsed: ParsedFile[] = [];
  for (const r of reads) {
    const folder = byFolder.get(folderKey(r)) ?? [];
    const p = await parseRead(r, () => folder.filter((o) => o !== r).map((o) => o.text), ctx, project, terraform);
    if ('status' in p) {
      results.push(p);
      continue;
    }
    parsed.push(p);
    if (PROJECT_FORMATS.has(p.format)) project.add(p);
  }
  reads.length = 0;
  for (const file of parsed) results.push(await analyzeOne(file, project, ctx));
  // The rest (notebooks, dotenv files, scripts...) one at a time: a notebook with megabytes of outputs
  // is not kept in memory while the others are read.
  for (const f of files) {
    if (PROJECT_EXTENSIONS.has(extensionOf(f.uri))) continue;
    const r = read(f, ctx);
    const p = 'status' in r ? r : await parseRead(r, () => [], ctx, project, terraform);
    results.push('status' in p ? p : await analyzeOne(p, project, ctx));
  }
}

function folderKey(r: Read): string {
  return `${r.format}\0${dirnameOf(r.file.uri)}`;
}
