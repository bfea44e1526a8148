import { readdirSync } from 'node:fs';
import path from 'node:path';
import ignore from 'ignore';
import {
  ErrorCodes,
  ResponseError,
  type CancellationToken,
  type Diagnostic,
  type ExecuteCommandParams,
  type WorkDoneProgressReporter,
} from 'vscode-languageserver/node';
import type { ParsedFile } from '../core/model';
import type { Finding } from '../core/rule';
import { extensionOf, FORMATS, isTerraformModuleFile } from '../core/formats';
import { renderRuleDoc } from '../core/docs';
import { ruleDocsUrl } from '../core/report/meta';
import { configIgnoreOf, scanFiles, walkFolder, type FileOutcome, type ScanFile, type WalkedFile } from '../core/scan';
import { findingDiagnostic, Positions, problemDiagnostics } from './diagnostics';
import type { Env } from './env';
import { Commands, DOCUMENT_EXTENSIONS, DOCUMENT_FILENAMES, SERVER_COMMANDS, type ScanWorkspaceResult, type ShowRuleDocsResult } from '../protocol';
import { pathToUri, uriToPath } from './uri';
import { CONFIG_FILE } from './settings';
import { stackOf } from './analysis';

/**
 * `airlock.scanWorkspace`: analyses the workspace's files that are not open (open ones are analysed live)
 * with core's scan pipeline, as `airlock scan` does, and publishes their diagnostics, with work-done
 * progress; returns counts. `airlock.showRuleDocs`: opens a rule's documentation page and returns it as
 * Markdown.
 */

/**
 * The files a workspace scan reads: those the editor analyses when they are opened (the shared document selector's
 * extensions and base names: Dockerfiles, Terragrunt units, dotenv files, scripts, ...), and the extensions of the
 * formats, for what the editor selects by language id alone (Python files, notebooks on disk).
 */
const SCAN_EXTENSIONS = new Set([...DOCUMENT_EXTENSIONS, ...FORMATS.flatMap((f) => f.extensions)]);
/** The selector's base-name patterns (`Dockerfile.*`, `.env.*`), matched with gitignore's rules for a name without a slash. */
const SCAN_NAMES = ignore().add([...DOCUMENT_FILENAMES]);

function isScanned(abs: string): boolean {
  const name = path.basename(abs);
  return name !== CONFIG_FILE && (SCAN_EXTENSIONS.has(extensionOf(abs)) || SCAN_NAMES.ignores(name));
}
/** Files analysed between two yields to the event loop (so edits and requests are served during a scan). */
const BATCH = 8;

export class WorkspaceCommands {
  /** URIs the last scans published diagnostics on. */
  private readonly scanned = new Set<string>();

  constructor(
    private readonly env: Env,
    private readonly isOpen: (uri: string) => boolean,
  ) {}

  listen(): void {
    this.env.connection.onExecuteCommand(async (params: ExecuteCommandParams, token, workDone) => {
      switch (params.command) {
        case Commands.scanWorkspace:
          return this.scanWorkspace(foldersToScan(params.arguments), token, this.isNullReporter(workDone) ? undefined : workDone);
        case Commands.showRuleDocs:
          return this.showRuleDocs(params.arguments?.[0]);
        default:
          throw new ResponseError(ErrorCodes.InvalidParams, `unknown command ${params.command} (the server runs ${SERVER_COMMANDS.join(', ')})`);
      }
    });
  }

  /**
   * Whether the request came without a `workDoneToken` (the library then hands a reporter that does nothing;
   * it also removes the token from the params, so compare with the reporter it gives for no token).
   */
  private isNullReporter(reporter: WorkDoneProgressReporter | undefined): boolean {
    if (!reporter) return true;
    const none = this.env.connection.window.attachWorkDoneProgress(undefined);
    return Object.getPrototypeOf(reporter) === Object.getPrototypeOf(none);
  }

  async showRuleDocs(ruleId: unknown): Promise<ShowRuleDocsResult> {
    const rule = typeof ruleId === 'string' ? this.env.ruleById(ruleId) : undefined;
    if (!rule) throw new ResponseError(ErrorCodes.InvalidParams, `${Commands.showRuleDocs}: unknown rule ${JSON.stringify(ruleId)}`);
    const url = ruleDocsUrl(rule.id);
    let shown = false;
    if (this.env.client.showDocument) {
      try {
        shown = (await this.env.connection.window.showDocument({ uri: url, external: true })).success;
      } catch {
        shown = false;
      }
    }
    return { ruleId: rule.id, url, markdown: renderRuleDoc(rule), shown };
  }

  async scanWorkspace(
    folderPaths: string[] | undefined,
    token: CancellationToken,
    attached: WorkDoneProgressReporter | undefined,
  ): Promise<ScanWorkspaceResult> {
    const env = this.env;
    const started = Date.now();
    const result: ScanWorkspaceResult = {
      files: 0,
      filesWithFindings: 0,
      findings: 0,
      bySeverity: { error: 0, warning: 0, info: 0 },
      skipped: 0,
      errors: 0,
      open: 0,
      cancelled: false,
      durationMs: 0,
    };
    const folders = folderPaths ?? env.folders;
    let progress = attached;
    let progressCancel: CancellationToken | undefined;
    if (!progress && env.client.workDoneProgress) {
      try {
        const created = await env.connection.window.createWorkDoneProgress();
        progress = created;
        progressCancel = created.token;
      } catch {
        progress = undefined;
      }
    }
    const cancelled = () => token.isCancellationRequested || !!progressCancel?.isCancellationRequested;
    progress?.begin('Airlock: scanning the workspace', 0, 'listing files', true);
    await env.settings.ready;

    // List first (cheap), so progress has a total; files are grouped by folder as the walk yields them.
    const files: WalkedFile[] = [];
    for (const root of folders) {
      const walker = walkFolder(root, {
        configIgnore: (dir) => {
          const { config, dir: configDir } = env.configs.projectConfig(dir);
          return configIgnoreOf(config.ignore, configDir);
        },
        onError: () => void result.errors++,
      });
      for await (const f of walker) {
        if (isScanned(f.abs)) files.push(f);
        if (cancelled()) break;
      }
    }

    const published = new Set<string>();
    let i = 0;
    while (i < files.length) {
      if (cancelled()) {
        result.cancelled = true;
        break;
      }
      // One folder at a time: projects never span folders (each format's `projectKey` in core/formats).
      const dir = path.dirname(files[i].abs);
      let j = i;
      while (j < files.length && path.dirname(files[j].abs) === dir) j++;
      const batch = files.slice(i, j);
      await this.scanFolder(dir, batch, result, published);
      i = j;
      progress?.report(Math.round((i / files.length) * 100), `${i}/${files.length} files`);
      await new Promise((resolve) => setImmediate(resolve));
    }
    // Files a previous scan reported on and this one found clean (or gone).
    if (!result.cancelled) {
      for (const uri of this.scanned) if (!published.has(uri) && !this.isOpen(uri)) env.published.publishPlain(uri, []);
      this.scanned.clear();
    }
    for (const uri of published) this.scanned.add(uri);
    progress?.done();
    result.durationMs = Date.now() - started;
    return result;
  }

  /**
   * One folder: its files that are not open, in the projects of the folder as the editor sees it (open
   * buffers win over the disk; a Terraform file the walk left out, a git-ignored `terraform.tfvars`, still
   * gives its variables to the module, as it does while typing).
   */
  private async scanFolder(dir: string, batch: WalkedFile[], result: ScanWorkspaceResult, published: Set<string>): Promise<void> {
    const env = this.env;
    const { config } = env.configs.configFor(dir);
    const scanned: ScanFile[] = [];
    for (const f of batch) {
      const uri = pathToUri(f.abs);
      if (this.isOpen(uri)) result.open++;
      else scanned.push({ uri, path: f.abs, size: f.size });
    }
    if (!scanned.length) return;
    const files = [...this.openBuffersIn(dir), ...[...scanned, ...this.unwalkedTerraformIn(dir, batch)].sort(byPath)];
    let analysed = 0;
    const onOutcome = async (outcome: FileOutcome): Promise<void> => {
      this.count(outcome, result, published);
      if (outcome.kind === 'analysed' && ++analysed % BATCH === 0) await new Promise((resolve) => setImmediate(resolve));
    };
    try {
      await scanFiles(files, { config, rules: env.rules }, onOutcome);
    } catch (e) {
      result.errors++;
      env.log.errorOnce(`scan:${dir}:${String(e)}`, `Airlock could not scan ${dir}: ${stackOf(e)}`);
    }
  }

  /** The open documents of a folder, as context: their text, not the disk's, is what their neighbours see. */
  private openBuffersIn(dir: string): ScanFile[] {
    const out: ScanFile[] = [];
    for (const doc of this.env.documents.all()) {
      const p = uriToPath(doc.uri);
      if (p && path.dirname(p) === dir) out.push({ uri: pathToUri(p), text: doc.getText(), contextOnly: true });
    }
    return out;
  }

  /** The folder's Terraform files the walk left out (ignored), as context: the editor's projects hold them. */
  private unwalkedTerraformIn(dir: string, batch: readonly WalkedFile[]): ScanFile[] {
    if (!batch.some((f) => isTerraformModuleFile(f.abs))) return [];
    const walked = new Set(batch.map((f) => f.abs));
    let names: string[];
    try {
      names = readdirSync(dir, { withFileTypes: true })
        .filter((e) => e.isFile() && isTerraformModuleFile(e.name))
        .map((e) => e.name);
    } catch {
      return [];
    }
    return names
      .map((name) => path.join(dir, name))
      .filter((p) => !walked.has(p) && !this.isOpen(pathToUri(p)))
      .map((p) => ({ uri: pathToUri(p), path: p, contextOnly: true }));
  }

  /** Count a file's outcome and publish its diagnostics. */
  private count(outcome: FileOutcome, result: ScanWorkspaceResult, published: Set<string>): void {
    const env = this.env;
    switch (outcome.kind) {
      case 'skipped':
        result.skipped++;
        return;
      case 'unreadable':
        result.errors++;
        return;
      case 'parse-failed':
      case 'analysis-failed': {
        const { uri } = outcome.file;
        const what = outcome.kind === 'parse-failed' ? 'parse' : 'analyse';
        result.errors++;
        env.log.errorOnce(`scan:${uri}:${String(outcome.error)}`, `Airlock could not ${what} ${uri}: ${stackOf(outcome.error)}`);
        return;
      }
      case 'clean':
        result.files++;
        return;
      case 'analysed': {
        const { file, analysis } = outcome;
        for (const f of analysis.failures) {
          result.errors++;
          env.log.errorOnce(`scan:${file.uri}:${f.ruleId}:${f.message}`, `Airlock rule ${f.ruleId} failed on ${file.uri}: ${f.stack ?? f.message}`);
        }
        result.files++;
        const { findings } = analysis;
        if (findings.length) {
          result.filesWithFindings++;
          result.findings += findings.length;
          for (const f of findings) result.bySeverity[f.severity]++;
        }
        const diagnostics = this.diagnosticsOf(file, findings);
        if (diagnostics.length) {
          env.published.publishPlain(file.uri, diagnostics);
          published.add(file.uri);
        }
      }
    }
  }

  /** Diagnostics of a file that is not open: notebook spans mapped into the `.ipynb` text. */
  private diagnosticsOf(file: ParsedFile, findings: Finding[]): Diagnostic[] {
    const positions = new Positions(file.text);
    const range = (s: Parameters<ParsedFile['toFileSpan']>[0]) => {
      const f = file.toFileSpan(s);
      return positions.range(f.start, f.end);
    };
    const out: Diagnostic[] = findings.map((f, i) => {
      const d = findingDiagnostic(f, range(f.span), 0, i, {
        locate: (span, uri) => (!uri || uri === file.uri ? { uri: file.uri, range: range(span) } : undefined),
      });
      delete d.data; // no code actions for files that are not open
      return d;
    });
    out.push(...problemDiagnostics(file.format, file.problems, range));
    return out;
  }
}

/**
 * The folders (paths) the arguments of `airlock.scanWorkspace` name (`[{ folders: [uri, ...] }]`; `[]` or
 * `[{}]`: undefined, the workspace folders), or an `InvalidParams` error saying what is wrong.
 */
function foldersToScan(args: unknown[] | undefined): string[] | undefined {
  const invalid = (why: string) => new ResponseError(ErrorCodes.InvalidParams, `${Commands.scanWorkspace}: ${why}`);
  const first: unknown = args?.[0];
  if (first === undefined || first === null) return undefined;
  if (typeof first !== 'object' || Array.isArray(first)) throw invalid(`expected an object { folders?: string[] }, got ${describe(first)}`);
  const folders: unknown = (first as { folders?: unknown }).folders;
  if (folders === undefined || folders === null) return undefined;
  if (!Array.isArray(folders)) throw invalid(`folders must be an array of folder URIs, got ${describe(folders)}`);
  const bad = folders.findIndex((f) => typeof f !== 'string' || uriToPath(f) === undefined);
  if (bad >= 0) throw invalid(`folders[${bad}] must be a file: URI of a folder, got ${describe(folders[bad])}`);
  return (folders as string[]).map((f) => uriToPath(f) as string);
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return 'an array';
  if (v === null) return 'null';
  return typeof v === 'string' ? JSON.stringify(v.slice(0, 100)) : typeof v;
}

/** Files by path, as the walk and a folder listing give them: a project's files in this order. */
function byPath(a: ScanFile, b: ScanFile): number {
  const pa = a.path ?? a.uri;
  const pb = b.path ?? b.uri;
  return pa < pb ? -1 : pa > pb ? 1 : 0;
}
