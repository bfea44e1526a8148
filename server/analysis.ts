import path from 'node:path';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze, Cancelled, DEFAULT_FILE_BUDGET_MS } from '../core/runner';
import { ruleSetting } from '../core/config';
import type { Finding } from '../core/rule';
import type { UnusedSuppression } from '../core/suppress';
import { detectFormat, isTerraformModuleFile } from '../core/formats';
import { prepareFormat } from '../core/formats';
import type { Format, ParsedFile } from '../core/model';
import { Project } from '../core/project';
import { DocState } from './incremental';
import type { ContentEdit } from './documents';
import { isSupportedDocument } from './documents';
import { findingDiagnostic, Positions, problemDiagnostics, suppressionDiagnostics, type Locator } from './diagnostics';
import type { Env } from './env';
import { closedDocuments, type OpenDocument, openChartSiblings, openDocumentAt, openInChartOf, openKey } from './open-charts';
import { uriToPath } from './uri';
import { configIgnoreOf, isConfigIgnored } from '../core/scan';
import type { Config } from '../core/config';
import { notAnalysed, oversizeDiagnostic } from './limits';
import { emptyUnit, textUnit } from './text-units';
import { OFF_THREAD_CHARS, SLOW_ANALYSIS_MS, type AnalysisWorker, type OpenSibling } from './offthread';
import { withoutBaselined } from './baseline';

/**
 * Documents whose tree and model are kept, most recently parsed last. Others keep only what was
 * published (diagnostics, findings and the text); their next parse is a full one (a few ms for a file
 * of normal size) and a code action that needs their model parses the published text again.
 */
const MAX_RETAINED = 16;

/**
 * Analysis of text documents: on open at once, on change after the debounce, cancelled by newer
 * changes, published only for the version analysed (see `scheduler.ts`), with the mid-typing policy of
 * `incremental.ts`. A Terraform change also re-checks the folder's other open documents (cross-file rules).
 */
/** The formats whose open documents read files of a format as context (see `scheduleReaders`). */
const READ_BY: Partial<Record<Format, readonly Format[]>> = { kubernetes: ['kustomize'], kustomize: ['kustomize'], dockerfile: ['compose'] };

export class TextAnalysis {
  private readonly states = new Map<string, DocState>();
  /** URIs of the documents that keep their tree and model, in order of their last parse. */
  private readonly retained = new Set<string>();
  /** Folder of the Terraform document edited last: its open documents keep their trees and models. */
  private editedDir: string | undefined;
  /** Open documents by path: asked for each level above every opened file (its Helm chart), so not found by a scan of them all. */
  private readonly openByPath = new Map<string, TextDocument>();
  /** Milliseconds the last analysis of each document took (on the main thread: 0 for its first, which also warms the engine up). */
  private readonly durations = new Map<string, number>();

  constructor(
    private readonly env: Env,
    /** Where large and slow documents are analysed; none: everything on the main thread. */
    private readonly worker?: AnalysisWorker,
  ) {}

  /** Open Terraform documents of a folder, for the folder project. */
  openTerraformIn(dir: string): { uri: string; path: string; model: () => ReturnType<DocState['parse']> | undefined }[] {
    const out: { uri: string; path: string; model: () => ReturnType<DocState['parse']> | undefined }[] = [];
    for (const doc of this.env.documents.all()) {
      const p = uriToPath(doc.uri);
      if (!p || path.dirname(p) !== dir || !isTerraformModuleFile(p)) continue;
      out.push({ uri: doc.uri, path: p, model: () => this.modelOf(doc) });
    }
    return out;
  }

  /** The open document at a path (a Helm chart's `values.yaml` is read as typed). */
  openAt(filePath: string): OpenDocument | undefined {
    return openDocumentAt(this.openByPath, filePath);
  }

  /**
   * Re-check the open documents of the chart a file belongs to (its values.yaml or Chart.yaml changed, in a
   * buffer or on disk; or a template changed or opened, which decides what the values file shows).
   */
  scheduleChartOf(filePath: string, delay: number, except?: string): void {
    if (isTerraformModuleFile(filePath)) return;
    for (const uri of openInChartOf(this.openByPath, this.env.projects, filePath, except)) this.schedule(uri, delay);
  }

  /** The latest model of an open document; parsed now (without touching its tree) if it has none yet. */
  private modelOf(doc: TextDocument) {
    const state = this.states.get(doc.uri);
    if (state?.model) return state.model;
    // Not parsed on the main thread for a neighbour: the folder's project reads that file from disk instead.
    if (doc.getText().length > OFF_THREAD_CHARS) return undefined;
    const tmp = new DocState(doc.uri, doc.languageId);
    try {
      const m = tmp.parse(doc.getText(), doc.version);
      tmp.dispose();
      return m;
    } catch {
      return undefined;
    }
  }

  /** Open documents are analysed at once; only changes wait for the debounce. */
  opened(doc: TextDocument): void {
    this.openByPath.set(openKey(doc.uri), doc);
    if (!isSupportedDocument(doc.uri, doc.languageId)) return;
    const state = new DocState(doc.uri, doc.languageId);
    state.seenVersion = doc.version;
    this.states.set(doc.uri, state);
    this.schedule(doc.uri, 0);
    // An opened template shows its own findings: its chart's open values file stops showing them.
    const p = uriToPath(doc.uri);
    if (p) this.scheduleChartOf(p, this.env.settings.value.debounceMs, doc.uri);
  }

  edited(edit: ContentEdit): void {
    this.states.get(edit.uri)?.applyEdit(edit);
  }

  changed(doc: TextDocument): void {
    const state = this.states.get(doc.uri);
    // `TextDocuments` also reports the opening text as a content change: that one is not an edit.
    if (!state || state.seenVersion === doc.version) return;
    state.seenVersion = doc.version;
    const delay = this.env.settings.value.debounceMs;
    this.schedule(doc.uri, delay);
    const p = uriToPath(doc.uri);
    if (p && isTerraformModuleFile(p)) {
      this.editedDir = path.dirname(p);
      this.scheduleFolder(this.editedDir, delay, doc.uri);
    } else if (p) {
      this.scheduleChartOf(p, delay, doc.uri);
      this.scheduleReaders(doc, delay);
    }
  }

  /**
   * A file other documents read changed: the open documents of the formats that read it are checked again (a
   * kustomization builds on manifests and kustomizations; a Compose file reads the Dockerfiles it builds from).
   */
  private scheduleReaders(changed: TextDocument, delay: number): void {
    const readers = READ_BY[detectFormat(changed.uri, changed.getText(), changed.languageId)];
    if (!readers) return;
    for (const doc of this.env.documents.all()) {
      if (doc.uri !== changed.uri && this.states.has(doc.uri) && readers.includes(detectFormat(doc.uri, doc.getText(), doc.languageId)))
        this.schedule(doc.uri, delay);
    }
  }

  closed(uri: string): void {
    if (this.openByPath.get(openKey(uri))?.uri === uri) this.openByPath.delete(openKey(uri));
    const state = this.states.get(uri);
    if (!state) return;
    this.env.scheduler.cancel(key(uri));
    state.dispose();
    this.states.delete(uri);
    this.retained.delete(uri);
    this.durations.delete(uri);
    this.env.published.clear(uri);
    this.env.log.forget(`fail:${uri}:`);
    const p = uriToPath(uri);
    if (p && isTerraformModuleFile(p)) {
      const dir = path.dirname(p);
      // The folder's other documents now see this file as it is on disk; with none left, drop the folder's files.
      if (this.openTerraformIn(dir).length) this.scheduleFolder(dir, this.env.settings.value.debounceMs);
      else this.env.projects.forget(dir);
    } else if (p) this.scheduleChartOf(p, this.env.settings.value.debounceMs, uri);
  }

  /** Re-check the open Terraform documents of a folder (a sibling changed, on disk or in a buffer). */
  scheduleFolder(dir: string, delay: number, except?: string): void {
    for (const d of this.openTerraformIn(dir)) if (d.uri !== except) this.schedule(d.uri, delay);
  }

  /** Server shutting down: stop all work, free the trees, publish nothing more. */
  dispose(): void {
    this.worker?.dispose();
    for (const [uri, state] of this.states) {
      this.env.scheduler.cancel(key(uri));
      state.dispose();
    }
    this.states.clear();
    this.retained.clear();
  }

  scheduleAll(): void {
    for (const uri of this.states.keys()) this.schedule(uri, 0);
  }

  isOpen(uri: string): boolean {
    return this.states.has(uri);
  }

  /** `uri` was just parsed: it keeps its tree and model; the least recently parsed document past the limit lets them go. */
  private retain(uri: string): void {
    this.retained.delete(uri);
    this.retained.add(uri);
    if (this.retained.size <= MAX_RETAINED) return;
    // Not a document of the folder being edited: each keystroke there re-checks all of its open documents.
    for (const oldest of this.retained) {
      if (this.editedDir !== undefined && dirOf(oldest) === this.editedDir) continue;
      this.retained.delete(oldest);
      this.states.get(oldest)?.release();
      return;
    }
  }

  private schedule(uri: string, delay: number): void {
    this.env.scheduler.schedule(key(uri), delay, (isCancelled) => this.run(uri, isCancelled));
  }

  private async run(uri: string, isCancelled: () => boolean): Promise<void> {
    const env = this.env;
    await env.settings.ready;
    const doc = env.documents.get(uri);
    const state = this.states.get(uri);
    if (!doc || !state || isCancelled()) return;
    await prepareFormat(detectFormat(uri, doc.getText(), state.languageId));
    if (isCancelled()) return;

    // From here to the parse, synchronous: the text, its version and the tree edits belong together.
    const version = doc.version;
    const text = doc.getText();
    const filePath = uriToPath(uri);
    const { config, dir: configDir } = env.configs.configFor(filePath ? path.dirname(filePath) : undefined);
    if (filePath && isConfigIgnored(configIgnoreOf(config.ignore, configDir), filePath)) {
      env.published.publish({ uri, version, unit: emptyUnit(uri, version, text, state), findings: [] });
      return;
    }
    const oversize = oversizeDiagnostic(text, env.settings.value, config);
    if (oversize) {
      this.forgetModel(uri, state);
      env.published.publish({ uri, version, unit: emptyUnit(uri, version, text, state), findings: [] }, [oversize]);
      return;
    }
    if (this.worker && this.goesOffThread(uri, text)) {
      await this.runOffThread(this.worker, uri, version, text, config, configDir, state, isCancelled);
      return;
    }
    const started = performance.now();
    let file;
    try {
      file = state.parse(text, version);
      this.retain(uri);
    } catch (e) {
      env.log.errorOnce(`fail:${uri}:parse:${String(e)}`, `Airlock could not parse ${uri}: ${stackOf(e)}`);
      return;
    }
    let project: Project;
    try {
      project = env.projects.projectFor(file);
    } catch (e) {
      env.log.errorOnce(`fail:${uri}:project:${String(e)}`, `Airlock could not read the folder of ${uri}: ${stackOf(e)}`);
      project = new Project([file]);
    }

    let findings: Finding[];
    let unused: UnusedSuppression[] = [];
    try {
      const analysis = await analyze(file, {
        rules: env.rules,
        config,
        project,
        isCancelled,
        reportUnusedSuppressions: true,
        budgetMs: DEFAULT_FILE_BUDGET_MS,
        unseenTemplates: closedDocuments(this.openByPath),
      });
      unused = analysis.unusedSuppressions ?? [];
      for (const f of analysis.failures) {
        env.log.errorOnce(`fail:${uri}:${f.ruleId}:${f.message}`, `Airlock rule ${f.ruleId} failed on ${uri}: ${f.stack ?? f.message}`);
      }
      findings = withoutBaselined(file, filePath, analysis.findings, config, configDir, (m) => env.log.warnOnce(`baseline:${m}`, m));
    } catch (e) {
      if (e instanceof Cancelled) return;
      env.log.errorOnce(`fail:${uri}:analyze:${String(e)}`, `Airlock could not analyse ${uri}: ${stackOf(e)}`);
      return;
    }
    if (isCancelled()) return;
    // The first analysis of a document also warms the engine up: only later ones count as slow.
    this.durations.set(uri, this.durations.has(uri) ? performance.now() - started : 0);

    const outcome = state.reconcile(file, version, findings, (ruleId) => {
      const rule = env.ruleById(ruleId);
      return rule ? ruleSetting(rule, config) : undefined;
    });
    const others = new Map<string, string>();
    for (const f of outcome.findings) {
      for (const fix of f.fixes ?? []) {
        for (const e of fix.edits) {
          if (!e.uri || e.uri === uri || others.has(e.uri)) continue;
          const t = project.get(e.uri)?.text;
          if (t !== undefined) others.set(e.uri, t);
        }
      }
    }
    this.publish(uri, version, text, state, file.format, outcome, others, (target) => project.get(target)?.text, unused);
  }

  /** Publish an analysis of `text` (the document at `version`); `textOf` gives the other files' texts for related locations. */
  private publish(
    uri: string,
    version: number,
    text: string,
    state: DocState,
    format: ParsedFile['format'],
    outcome: { findings: Finding[]; problems: ParsedFile['problems'] },
    others: Map<string, string>,
    textOf: (uri: string) => string | undefined,
    /** Suppressions that hide nothing or name no rule: hints and warnings at their comments. */
    unused: readonly UnusedSuppression[] = [],
  ): void {
    const positions = new Positions(text);
    const unit = textUnit(state, uri, version, positions, others);
    const locator: Locator = {
      locate(span, target) {
        if (!target || target === uri) return { uri, range: positions.range(span.start, span.end) };
        const t = textOf(target);
        return t === undefined ? undefined : { uri: target, range: new Positions(t).range(span.start, span.end) };
      },
    };
    const published = outcome.findings.map((finding, index) => ({
      finding,
      diagnostic: findingDiagnostic(finding, positions.range(finding.span.start, finding.span.end), version, index, locator),
    }));
    const problems = problemDiagnostics(format, outcome.problems, (s) => positions.range(s.start, s.end));
    const suppressions = suppressionDiagnostics(unused, (s) => positions.range(s.start, s.end));
    this.env.published.publish({ uri, version, unit, findings: published }, [...problems, ...suppressions]);
  }

  /**
   * Large documents the first time, then the documents whose last analysis was slow: a large document that
   * turns out quick to analyse is edited on the main thread, where a keystroke re-parses only what changed.
   */
  private goesOffThread(uri: string, text: string): boolean {
    const last = this.durations.get(uri);
    return last === undefined ? text.length > OFF_THREAD_CHARS : last > SLOW_ANALYSIS_MS;
  }

  /** The document is no longer parsed here: free its tree and model, forget its mid-typing baseline. */
  private forgetModel(uri: string, state: DocState): void {
    state.dispose();
    this.retained.delete(uri);
  }

  private async runOffThread(
    worker: AnalysisWorker,
    uri: string,
    version: number,
    text: string,
    config: Config,
    configDir: string | undefined,
    state: DocState,
    isCancelled: () => boolean,
  ): Promise<void> {
    const env = this.env;
    this.forgetModel(uri, state);
    let result: Awaited<ReturnType<AnalysisWorker['analyse']>>;
    try {
      // Analysed before: this is an edit (of the document or of a neighbour), and more may follow.
      const edited = this.durations.has(uri);
      result = await worker.analyse(uri, state.languageId, text, config, configDir, this.openSiblings(uri), isCancelled, edited);
    } catch (e) {
      if (isCancelled()) return;
      const why = e instanceof Error ? e.message : String(e);
      env.log.errorOnce(`fail:${uri}:worker:${why}`, `Airlock could not analyse ${uri}: ${why}`);
      env.published.publish({ uri, version, unit: emptyUnit(uri, version, text, state), findings: [] }, [notAnalysed(why)]);
      return;
    }
    if (!result || isCancelled() || env.documents.get(uri)?.version !== version) return;
    this.durations.set(uri, result.ms);
    for (const m of result.warnings) env.log.warnOnce(`baseline:${m}`, m);
    for (const f of result.failures) {
      env.log.errorOnce(`fail:${uri}:${f.ruleId}:${f.message}`, `Airlock rule ${f.ruleId} failed on ${uri}: ${f.stack ?? f.message}`);
    }
    const others = new Map(result.others);
    this.publish(uri, version, text, state, result.format, result, others, (target) => others.get(target));
  }

  /** The folder's other open Terraform documents, for the worker's project (their buffers win over the disk). */
  private openSiblings(uri: string): OpenSibling[] {
    const p = uriToPath(uri);
    if (p && !isTerraformModuleFile(p)) return openChartSiblings(this.openByPath, this.env.projects, p);
    if (!p) return [];
    return this.openTerraformIn(path.dirname(p))
      .filter((d) => d.uri !== uri)
      .map((d) => ({ uri: d.uri, path: d.path, text: this.env.documents.get(d.uri)?.getText() ?? '' }));
  }
}

function dirOf(uri: string): string | undefined {
  const p = uriToPath(uri);
  return p === undefined ? undefined : path.dirname(p);
}

function key(uri: string): string {
  return `text:${uri}`;
}

export function stackOf(e: unknown): string {
  return e instanceof Error ? (e.stack ?? e.message) : String(e);
}
