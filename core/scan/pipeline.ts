import { analyze, DEFAULT_FILE_BUDGET_MS, notFullyAnalysed, type Analysis } from '../runner';
import { maskParserMessage } from '../mask';
import { plainTextFile } from '../formats/text';
import type { Config } from '../config';
import type { Format, ParsedFile } from '../model';
import {
  detectFormat,
  formatHasProjects,
  holdsNativeMemory,
  releaseFile,
  mayBelongToProject,
  parseFile,
  projectKeyOf,
  parseFileSync,
  prepareFormat,
} from '../formats';
import { mayReport, type Neighbours } from '../prefilter';
import { dirnameOf } from '../uri';
import { Project } from '../project';
import { mayHoldSuppression } from '../suppress';
import type { Rule } from '../rule';
import { loadFile, type Loaded } from './load';
import { calledModuleFiles, contextFolderFiles } from './called-folders';
import { LOCAL_CALL_TEXT } from '../formats';
import { addRuleTime, formatTiming, type FormatTiming, type Timing } from './timing';

/**
 * The scan of a batch of files, for the CLI (in its main thread and worker threads) and the editor's
 * workspace scan: load (size limit, binary check), prefilter, parse, group into projects, run the rules,
 * apply suppressions. Every file of a project is parsed first and the project holds them all before any is
 * analysed (a Terraform module is a folder of files; see `group.ts`). Each file is read once; a failure
 * stays with its file. What became of each file goes to the caller's `onOutcome`, in a stable order.
 */

export interface ScanFile {
  /** What the engine calls the file (an absolute path in the CLI, a URI in the editor). */
  uri: string;
  /** Where to read it from when it has no `text`: defaults to `uri`. */
  path?: string;
  /** The content, when it does not come from disk (`--staged`, an editor buffer). */
  text?: string;
  /** Size in bytes when known (from the walk): used to balance work between threads. */
  size?: number;
  /**
   * Read only for the project it belongs to, not reported on: an open editor buffer (its text wins over the
   * disk), a folder's file a walk left out. Parsed only if a rule of another file looks at it.
   */
  contextOnly?: boolean;
}

export interface ScanContext {
  config: Config;
  rules: readonly Rule[];
  /** Profiling: where the time goes (see `timing.ts`). */
  timing?: Timing;
  /** `false`: parse and analyse every file, even one no enabled rule can report on (tests compare both). */
  prefilter?: boolean;
  /** Milliseconds each file's rules may take (`AnalyzeOptions.budgetMs`); `DEFAULT_FILE_BUDGET_MS` when absent. */
  fileBudgetMs?: number;
  /**
   * Also look at other scanners' markers and at `airlock:ignore` ids that hide nothing
   * (`--report-unused-suppressions`); `airlock:ignore` ids naming no rule are looked for on every scan.
   */
  reportUnusedSuppressions?: boolean;
  /** The scan's root folder: files read as context (see `addContextFolders`) stay inside it. Absent: unbounded. */
  root?: string;
}

/** What became of one file of the scan (never of a `contextOnly` one). */
export type FileOutcome =
  | { kind: 'skipped'; file: ScanFile; reason: 'binary' | 'too-large'; size: number }
  | { kind: 'unreadable'; file: ScanFile; message: string }
  | { kind: 'parse-failed'; file: ScanFile; error: unknown }
  /** No enabled rule can report on the file (see `prefilter.ts`): read, not parsed. */
  | { kind: 'clean'; file: ScanFile }
  | { kind: 'analysed'; file: ParsedFile; analysis: Analysis; project: Project }
  | { kind: 'analysis-failed'; file: ParsedFile; error: unknown };

/** Told each outcome; the scan waits for it (a caller may yield to its event loop there). */
export type OnOutcome = (outcome: FileOutcome) => void | Promise<void>;

export async function scanFiles(files: readonly ScanFile[], ctx: ScanContext, onOutcome: OnOutcome): Promise<void> {
  const scan = new Scan(ctx, onOutcome);
  try {
    await scan.run(files);
  } finally {
    // A tree-sitter tree lives in wasm memory, which the JS garbage collector neither sees nor frees in
    // time: without this a whole-repository scan grows the wasm heap by hundreds of megabytes.
    for (const file of scan.parsed) releaseFile(file);
  }
}

interface Read {
  file: ScanFile;
  text: string;
  format: Format;
  /** Milliseconds reading took (profiling). */
  readMs: number;
}

function load(f: ScanFile, maxFileSize: number): Loaded {
  if (f.text !== undefined) return { kind: 'text', text: f.text };
  // Known to be too large from the walk: not read at all.
  if (f.size !== undefined && f.size > maxFileSize) return { kind: 'skipped', reason: 'too-large', size: f.size };
  return loadFile(f.path ?? f.uri, maxFileSize);
}

/** The timing of a file read, counted under `key` (its format, or `failed`). */
function counted(timing: Timing, key: string, r: Read): FormatTiming {
  const t = formatTiming(timing, key);
  t.files++;
  t.bytes += r.text.length;
  t.readMs += r.readMs;
  return t;
}

/** Files of one project (a Terraform module: its `.tf` and `.tf.json` files) are each other's neighbours. */
function folderKey(r: Read): string {
  return projectKeyOf(r.format, r.file.uri);
}

class Scan {
  readonly project = new Project();
  /** Files whose parse holds native memory (Terraform's trees), freed when the scan is done. */
  readonly parsed: ParsedFile[] = [];
  /** Files the scan holds (the batch's and those read as context): context never reads them again. */
  private readonly held = new Set<string>();

  constructor(
    private readonly ctx: ScanContext,
    private readonly onOutcome: OnOutcome,
  ) {}

  async run(files: readonly ScanFile[]): Promise<void> {
    await this.addHelmValues();
    // Read the folder's files that may belong to its project first, then parse them, so that a rule analysing
    // one of them sees the others, and the prefilter sees each file's neighbours.
    const reads: Read[] = [];
    const byFolder = new Map<string, Read[]>();
    for (const f of files) {
      if (!mayBelongToProject(f.uri)) continue;
      const r = this.read(f);
      if ('kind' in r) {
        await this.emit(r);
        continue;
      }
      reads.push(r);
      const key = folderKey(r);
      const folder = byFolder.get(key);
      if (folder) folder.push(r);
      else byFolder.set(key, [r]);
    }
    this.addCalledModules(reads, byFolder);
    for (const r of reads) this.held.add(r.file.uri);
    const parsed: ParsedFile[] = [];
    for (const r of reads) {
      const folder = byFolder.get(folderKey(r)) ?? [];
      const p = await this.parse(r, () => folder.filter((o) => o !== r).map((o) => o.text));
      if ('kind' in p) {
        await this.emit(p);
        continue;
      }
      parsed.push(p);
      if (formatHasProjects(p.format)) this.project.add(p);
      if (r.file.text === undefined) await this.addContextFolders(p);
    }
    reads.length = 0;
    for (const file of parsed) await this.analyse(file);
    // The rest (notebooks, dotenv files, scripts...) one at a time: a notebook with megabytes of outputs
    // is not kept in memory while the others are read.
    for (const f of files) {
      if (mayBelongToProject(f.uri) || f.contextOnly) continue;
      const r = this.read(f);
      const p = 'kind' in r ? r : await this.parse(r, () => []);
      if ('kind' in p) await this.emit(p);
      else await this.analyse(p);
    }
  }

  /** The local modules the batch's Terraform files call, from folders the batch lacks: read as context. */
  private addCalledModules(reads: Read[], byFolder: Map<string, Read[]>): void {
    const fromDisk = reads.filter((r) => r.format === 'terraform' && r.file.text === undefined).map((r) => ({ uri: r.file.uri, text: r.text }));
    if (fromDisk.length === 0) return;
    const known = new Set(reads.filter((r) => r.format === 'terraform').map((r) => dirnameOf(r.file.uri)));
    for (const f of calledModuleFiles(fromDisk, known, this.ctx.config.maxFileSize)) {
      const r: Read = { file: { uri: f.uri, contextOnly: true }, text: f.text, format: detectFormat(f.uri, f.text), readMs: 0 };
      reads.push(r);
      const key = folderKey(r);
      const folder = byFolder.get(key);
      if (folder) folder.push(r);
      else byFolder.set(key, [r]);
    }
  }

  /**
   * The files a file's related locations read (a plan's modules, a kustomization's bases: `contextSourcesOf`)
   * that the batch lacks, read from disk as context (inside `root`), so the links do not depend on how files
   * were batched or named.
   */
  private async addContextFolders(file: ParsedFile): Promise<void> {
    for (const f of contextFolderFiles(file, this.held, this.ctx.config.maxFileSize, this.ctx.root)) {
      await this.parse({ file: { uri: f.uri, contextOnly: true }, text: f.text, format: detectFormat(f.uri, f.text), readMs: 0 }, () => []);
    }
  }

  /** The configured extra Helm values files, read by every chart of the scan (the CLI checked they exist). */
  private async addHelmValues(): Promise<void> {
    for (const p of this.ctx.config.helmValues ?? []) {
      const loaded = loadFile(p, this.ctx.config.maxFileSize);
      if (loaded.kind === 'text') this.project.addShared(await parseFile(p, loaded.text, 'helm'));
    }
  }

  private async emit(outcome: FileOutcome): Promise<void> {
    if (outcome.kind === 'analysed' || outcome.kind === 'analysis-failed' || !outcome.file.contextOnly) await this.onOutcome(outcome);
  }

  /** Read one file and detect its format, or the outcome that says why it cannot be scanned. */
  private read(f: ScanFile): Read | FileOutcome {
    const timing = this.ctx.timing;
    const t0 = timing ? performance.now() : 0;
    const loaded = load(f, this.ctx.config.maxFileSize);
    if (loaded.kind === 'skipped') return { kind: 'skipped', file: f, reason: loaded.reason, size: loaded.size };
    if (loaded.kind === 'error') return { kind: 'unreadable', file: f, message: loaded.message };
    const readMs = timing ? performance.now() - t0 : 0;
    return { file: f, text: loaded.text, format: detectFormat(f.uri, loaded.text), readMs };
  }

  /**
   * Parse a file read: its model, or the outcome that says why there is none. A file the prefilter rules out
   * (given the texts of its `neighbours`, the folder's other files of its format), or read for its project
   * only, is not parsed; when it belongs to a project, the project parses it if a neighbour's rule looks at it.
   */
  private async parse(r: Read, neighbours: Neighbours): Promise<ParsedFile | FileOutcome> {
    const { file: f, text, format } = r;
    const { ctx, project } = this;
    const timing = ctx.timing;
    const t1 = timing ? performance.now() : 0;
    // A file no rule can report on still has its suppressions checked (an unknown rule id, one that hides nothing).
    // A Terraform file that calls a local module may report what the module's arguments decide.
    const prefiltered =
      ctx.prefilter !== false &&
      !mayReport(text, format, ctx.rules, ctx.config, neighbours) &&
      !(format === 'terraform' && LOCAL_CALL_TEXT.test(text)) &&
      !mayHoldSuppression(text, !!ctx.reportUnusedSuppressions && ctx.config.foreignSuppressions !== false);
    if (f.contextOnly || prefiltered) {
      if (timing) counted(timing, format, r).prefiltered++;
      if (formatHasProjects(format)) {
        await prepareFormat(format);
        project.addLazy(f.uri, format, text, () => {
          const t2 = timing ? performance.now() : 0;
          const parsed = parseFileSync(f.uri, text, format);
          if (holdsNativeMemory(parsed.format)) this.parsed.push(parsed);
          if (timing) {
            const t = formatTiming(timing, format);
            t.parseMs += performance.now() - t2;
            t.parsedForNeighbours++;
          }
          return parsed;
        });
      }
      return { kind: 'clean', file: f };
    }
    let parsed: ParsedFile;
    try {
      parsed = await parseFile(f.uri, text, format);
    } catch (error) {
      if (format === 'text') {
        if (timing) counted(timing, 'failed', r).parseMs += performance.now() - t1;
        return { kind: 'parse-failed', file: f, error };
      }
      // Input the format's parser cannot take (nesting deep enough to exhaust the stack): the file is still read
      // as text, so its token-format secrets are found, and says what was not analysed.
      parsed = plainTextFile(f.uri, text);
      const why = maskParserMessage((error as Error)?.message ?? String(error), text);
      notFullyAnalysed(parsed, `the ${format} parser failed (${why}); only token-format secrets were looked for`);
    }
    if (timing) counted(timing, parsed.format, r).parseMs += performance.now() - t1;
    if (holdsNativeMemory(parsed.format)) this.parsed.push(parsed);
    return parsed;
  }

  private async analyse(file: ParsedFile): Promise<void> {
    const { ctx, project } = this;
    const timing = ctx.timing;
    const t0 = timing ? performance.now() : 0;
    try {
      const onRuleTime = timing ? (id: string, ms: number) => addRuleTime(timing, id, ms) : undefined;
      let analysis: Analysis;
      try {
        analysis = await analyze(file, {
          rules: ctx.rules,
          config: ctx.config,
          project,
          onRuleTime,
          prefilter: ctx.prefilter !== false,
          reportUnusedSuppressions: true,
          budgetMs: ctx.fileBudgetMs ?? DEFAULT_FILE_BUDGET_MS,
        });
      } catch (error) {
        await this.onOutcome({ kind: 'analysis-failed', file, error });
        return;
      }
      await this.onOutcome({ kind: 'analysed', file, analysis, project });
    } finally {
      if (timing) formatTiming(timing, file.format).analyzeMs += performance.now() - t0;
    }
  }
}
