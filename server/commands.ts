import { readFileSync } from 'node:fs';
import path from 'node:path';
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
import { analyze } from '../core/runner';
import { detectFormat, extensionOf } from '../core/formats';
import { parseFileSync, prepareFormat } from '../core/formats';
import { Project } from '../core/project';
import { renderRuleDoc } from '../core/docs';
import { ruleDocsUrl } from '../core/report/meta';
import type { TerraformFile } from '../core/formats/terraform/parse';
import { findingDiagnostic, Positions, problemDiagnostics } from './diagnostics';
import type { Env } from './env';
import { Commands, SERVER_COMMANDS, type ScanWorkspaceArgs, type ScanWorkspaceResult, type ShowRuleDocsResult } from './protocol';
import { pathToUri, uriToPath } from './uri';
import { configIgnoreOf, walkFolder } from '../core/walk';
import { CONFIG_FILE } from './settings';
import { stackOf } from './analysis';

/**
 * `airlock.scanWorkspace`: analyses the workspace's files that are not open (open ones are analysed live)
 * and publishes their diagnostics, with work-done progress; returns counts. `airlock.showRuleDocs`:
 * opens a rule's documentation page and returns it as Markdown.
 */

/** Extensions a workspace scan reads: the formats the editor analyses, and notebooks on disk. */
const SCAN_EXTENSIONS = new Set(['tf', 'tfvars', 'yaml', 'yml', 'json', 'template', 'ipynb']);
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
          return this.scanWorkspace((params.arguments?.[0] ?? {}) as ScanWorkspaceArgs, token, this.isNullReporter(workDone) ? undefined : workDone);
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

  async scanWorkspace(args: ScanWorkspaceArgs, token: CancellationToken, attached: WorkDoneProgressReporter | undefined): Promise<ScanWorkspaceResult> {
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
    const folders = (Array.isArray(args?.folders) ? args.folders.map((f) => uriToPath(f)).filter((p): p is string => !!p) : env.folders).filter(Boolean);
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
    const files: { abs: string; size: number }[] = [];
    for (const root of folders) {
      const walker = walkFolder(root, {
        configIgnore: (dir) => {
          const { config, dir: configDir } = env.configs.projectConfig(dir);
          return configIgnoreOf(config.ignore, configDir);
        },
        onError: () => void result.errors++,
      });
      for await (const f of walker) {
        if (SCAN_EXTENSIONS.has(extensionOf(f.abs)) && path.basename(f.abs) !== CONFIG_FILE) files.push(f);
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
      // One folder at a time: a Terraform folder's files are one project.
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

  private async scanFolder(dir: string, batch: { abs: string; size: number }[], result: ScanWorkspaceResult, published: Set<string>): Promise<void> {
    const env = this.env;
    const { config } = env.configs.configFor(dir);
    const parsed: { file: ParsedFile; uri: string }[] = [];
    for (const f of batch) {
      const uri = pathToUri(f.abs);
      if (this.isOpen(uri)) {
        result.open++;
        continue;
      }
      if (f.size > config.maxFileSize) {
        result.skipped++;
        continue;
      }
      let text: string;
      try {
        const buf = readFileSync(f.abs);
        if (buf.subarray(0, 8192).includes(0)) {
          result.skipped++;
          continue;
        }
        text = buf.toString('utf8');
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      } catch {
        result.errors++;
        continue;
      }
      try {
        const format = detectFormat(uri, text);
        await prepareFormat(format);
        const file = parseFileSync(uri, text, format);
        freeTree(file);
        parsed.push({ file, uri });
      } catch (e) {
        result.errors++;
        env.log.errorOnce(`scan:${uri}:${String(e)}`, `Airlock could not parse ${uri}: ${stackOf(e)}`);
      }
    }
    // A Terraform file is analysed in its folder's project (open buffers first, then the files on disk).
    let k = 0;
    for (const { file, uri } of parsed) {
      const project = file.format === 'terraform' ? env.projects.projectFor(file) : new Project([file]);
      let findings: Finding[] = [];
      try {
        const analysis = await analyze(file, { rules: env.rules, config, project });
        for (const f of analysis.failures) {
          result.errors++;
          env.log.errorOnce(`scan:${uri}:${f.ruleId}:${f.message}`, `Airlock rule ${f.ruleId} failed on ${uri}: ${f.stack ?? f.message}`);
        }
        findings = analysis.findings;
      } catch (e) {
        result.errors++;
        env.log.errorOnce(`scan:${uri}:${String(e)}`, `Airlock could not analyse ${uri}: ${stackOf(e)}`);
        continue;
      }
      result.files++;
      const diagnostics = this.diagnosticsOf(file, findings);
      if (findings.length) {
        result.filesWithFindings++;
        result.findings += findings.length;
        for (const f of findings) result.bySeverity[f.severity]++;
      }
      if (diagnostics.length) {
        env.published.publishPlain(uri, diagnostics);
        published.add(uri);
      }
      if (++k % BATCH === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    // The folder's files were read for the scan only: keep them cached only while a document there is open.
    if (!env.documents.all().some((d) => path.dirname(uriToPath(d.uri) ?? '') === dir)) env.projects.forget(dir);
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

function freeTree(file: ParsedFile): void {
  try {
    (file as Partial<TerraformFile>).tree?.delete();
  } catch {
    // nothing to free
  }
}
