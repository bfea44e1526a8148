import path from 'node:path';
import { NotebookCellKind, type Diagnostic, type NotebookCell, type NotebookDocument } from 'vscode-languageserver/node';
import type { NotebookOutput, Span } from '../core/model';
import type { Finding } from '../core/rule';
import { analyze, Cancelled, DEFAULT_FILE_BUDGET_MS } from '../core/runner';
import { prepareFormat } from '../core/formats';
import { Project } from '../core/project';
import { LineIndex } from '../core/text';
import { parseNotebookCells, type NotebookCellInput } from '../core/formats/notebook/notebook';
import { findingDiagnostic, Positions, problemDiagnostics, type AnalysedUnit, type Locator, type PublishedFinding } from './diagnostics';
import type { Env } from './env';
import { MAX_OUTPUT_TEXT_PER_CELL, NOTEBOOK_OUTPUTS_NOTIFICATION, type NotebookOutputsParams } from '../protocol';
import { uriToPath } from './uri';
import { configIgnoreOf, isConfigIgnored } from '../core/scan';
import { stackOf } from './analysis';
import { oversizeDiagnostic } from './limits';

/**
 * Jupyter notebooks over LSP notebook sync: cells arrive as text documents (`NotebookDocuments`), their
 * outputs in `airlock/notebookOutputs` (LSP carries none). A notebook is analysed as one model built from
 * its cells (`parseNotebookCells`, cell-relative spans), and each cell's findings are published on that
 * cell's document. Output findings go on the cell's first line, saying which output and line.
 */
export class NotebookAnalysis {
  /** notebook URI → cell document URI (or `#<index>` when the client gave none) → outputs. */
  private readonly outputs = new Map<string, Map<string, NotebookOutput[]>>();
  /** notebook URI → cell URIs diagnostics were published on. */
  private readonly publishedCells = new Map<string, Set<string>>();
  private readonly open = new Set<string>();

  constructor(private readonly env: Env) {}

  listen(): void {
    const { notebooks, connection } = this.env;
    notebooks.onDidOpen((nb) => {
      this.open.add(nb.uri);
      this.schedule(nb.uri, 0);
    });
    notebooks.onDidChange((e) => {
      for (const cell of e.cells?.removed ?? []) {
        if (!cell) continue;
        this.env.published.clear(cell.document);
        this.outputs.get(e.notebookDocument.uri)?.delete(cell.document);
        this.publishedCells.get(e.notebookDocument.uri)?.delete(cell.document);
      }
      this.schedule(e.notebookDocument.uri, this.env.settings.value.debounceMs);
    });
    notebooks.onDidClose((nb) => this.closed(nb));
    connection.onNotification(NOTEBOOK_OUTPUTS_NOTIFICATION, (params: NotebookOutputsParams) => this.receiveOutputs(params));
  }

  dispose(): void {
    for (const uri of this.open) this.env.scheduler.cancel(key(uri));
    this.open.clear();
    this.outputs.clear();
  }

  scheduleAll(): void {
    for (const uri of this.open) this.schedule(uri, 0);
  }

  isOpen(uri: string): boolean {
    return this.env.notebooks.getNotebookDocument(uri) !== undefined;
  }

  private closed(nb: NotebookDocument): void {
    this.open.delete(nb.uri);
    this.env.scheduler.cancel(key(nb.uri));
    for (const cell of nb.cells) this.env.published.clear(cell.document);
    for (const uri of this.publishedCells.get(nb.uri) ?? []) this.env.published.clear(uri);
    this.publishedCells.delete(nb.uri);
    this.outputs.delete(nb.uri);
    this.env.log.forget(`fail:${nb.uri}:`);
  }

  private receiveOutputs(params: NotebookOutputsParams): void {
    if (!params || typeof params.notebookUri !== 'string' || !Array.isArray(params.cells)) {
      this.env.log.warnOnce('bad-outputs', `${NOTEBOOK_OUTPUTS_NOTIFICATION}: expected { notebookUri, cells: [...] }`);
      return;
    }
    const nb = this.env.notebooks.getNotebookDocument(params.notebookUri);
    let store = this.outputs.get(params.notebookUri);
    if (!store || !params.partial) {
      store = new Map();
      this.outputs.set(params.notebookUri, store);
    }
    for (const c of params.cells) {
      if (!c || !Array.isArray(c.outputs)) continue;
      const cellUri = typeof c.uri === 'string' ? c.uri : nb && typeof c.index === 'number' ? nb.cells[c.index]?.document : undefined;
      const k = cellUri ?? `#${c.index}`;
      let budget = MAX_OUTPUT_TEXT_PER_CELL;
      const outs: NotebookOutput[] = [];
      c.outputs.forEach((o, i) => {
        if (!o || typeof o.text !== 'string' || budget <= 0) return;
        if (typeof o.mime === 'string' && o.mime.startsWith('image/')) return;
        const text = o.text.length > budget ? o.text.slice(0, budget) : o.text;
        budget -= text.length;
        const out: NotebookOutput = {
          index: outs.length,
          outputType: String(o.outputType ?? ''),
          text,
          outputIndex: typeof o.outputIndex === 'number' ? o.outputIndex : i,
        };
        if (typeof o.mime === 'string') out.mime = o.mime;
        outs.push(out);
      });
      store.set(k, outs);
    }
    if (nb) this.schedule(params.notebookUri, 0);
  }

  private outputsOf(notebookUri: string, cell: NotebookCell, index: number): NotebookOutput[] {
    const store = this.outputs.get(notebookUri);
    return store?.get(cell.document) ?? store?.get(`#${index}`) ?? [];
  }

  private schedule(uri: string, delay: number): void {
    this.env.scheduler.schedule(key(uri), delay, (isCancelled) => this.run(uri, isCancelled));
  }

  private async run(notebookUri: string, isCancelled: () => boolean): Promise<void> {
    const env = this.env;
    await env.settings.ready;
    await prepareFormat('notebook');
    const nb = env.notebooks.getNotebookDocument(notebookUri);
    if (!nb || isCancelled()) return;

    const cells = [...nb.cells];
    const docs = cells.map((c) => env.notebooks.getCellTextDocument(c));
    const cellUris = cells.map((c) => c.document);
    const cellVersions = docs.map((d) => d?.version ?? 0);
    const texts = docs.map((d) => d?.getText() ?? '');
    const inputs: NotebookCellInput[] = cells.map((c, i) => ({
      kind: c.kind === NotebookCellKind.Markup ? 'markdown' : 'code',
      language: c.kind === NotebookCellKind.Markup ? 'markdown' : (docs[i]?.languageId ?? 'python'),
      source: texts[i],
      outputs: this.outputsOf(notebookUri, c, i),
      tags: tagsOf(c.metadata),
    }));

    const filePath = uriToPath(notebookUri);
    const { config, dir: configDir } = env.configs.configFor(filePath ? path.dirname(filePath) : undefined);
    const ignored = filePath !== undefined && isConfigIgnored(configIgnoreOf(config.ignore, configDir), filePath);
    const oversize = oversizeDiagnostic(texts, env.settings.value, config, 'notebook');
    if (oversize) {
      this.publishOnly(notebookUri, cellUris, oversize);
      return;
    }

    let file;
    let findings: Finding[] = [];
    try {
      file = parseNotebookCells(notebookUri, inputs);
      if (!ignored) {
        const analysis = await analyze(file, { rules: env.rules, config, project: new Project([file]), isCancelled, budgetMs: DEFAULT_FILE_BUDGET_MS });
        for (const f of analysis.failures) {
          env.log.errorOnce(`fail:${notebookUri}:${f.ruleId}:${f.message}`, `Airlock rule ${f.ruleId} failed on ${notebookUri}: ${f.stack ?? f.message}`);
        }
        findings = analysis.findings;
      }
    } catch (e) {
      if (e instanceof Cancelled) return;
      env.log.errorOnce(`fail:${notebookUri}:analyze:${String(e)}`, `Airlock could not analyse ${notebookUri}: ${stackOf(e)}`);
      return;
    }
    if (isCancelled()) return;

    const positions = texts.map((t) => new Positions(t));
    const unit: AnalysedUnit = { kind: 'notebook', notebookUri, notebookVersion: nb.version, file, cellUris, cellVersions, cellPositions: positions };
    const outputsByCell = inputs.map((c) => c.outputs ?? []);
    const locator: Locator = {
      locate(span: Span) {
        const cell = span.cell ?? 0;
        if (!cellUris[cell]) return undefined;
        if (span.output !== undefined) return { uri: cellUris[cell], range: firstLine(positions[cell]) };
        return { uri: cellUris[cell], range: positions[cell].range(span.start, span.end) };
      },
    };

    const perCell: PublishedFinding[][] = cells.map(() => []);
    for (const f of findings) {
      const cell = f.span.cell ?? 0;
      if (!perCell[cell]) continue;
      const list = perCell[cell];
      let range;
      let suffix = '';
      if (f.span.output !== undefined) {
        const out = outputsByCell[cell].find((o) => o.index === f.span.output);
        range = firstLine(positions[cell]);
        if (out) {
          const line = new LineIndex(out.text).position(f.span.start).line + 1;
          suffix = ` (in output ${(out.outputIndex ?? out.index) + 1}, line ${line})`;
        }
      } else {
        range = positions[cell].range(f.span.start, f.span.end);
      }
      list.push({ finding: f, diagnostic: findingDiagnostic(f, range, cellVersions[cell], list.length, locator, suffix) });
    }

    const problemsByCell = cells.map(() => [] as typeof file.problems);
    for (const p of file.problems) (problemsByCell[p.span.cell ?? 0] ?? problemsByCell[0])?.push(p);

    const before = this.publishedCells.get(notebookUri) ?? new Set<string>();
    const now = new Set<string>();
    cells.forEach((_, i) => {
      now.add(cellUris[i]);
      const problems = problemDiagnostics('notebook', problemsByCell[i], (s) => positions[i].range(s.start, s.end));
      env.published.publish({ uri: cellUris[i], version: cellVersions[i], unit, findings: perCell[i] }, problems);
    });
    for (const uri of before) if (!now.has(uri)) env.published.clear(uri);
    this.publishedCells.set(notebookUri, now);
  }

  /** A notebook that is not analysed: `diagnostic` on its first cell, nothing on the others. */
  private publishOnly(notebookUri: string, cellUris: string[], diagnostic: Diagnostic): void {
    const before = this.publishedCells.get(notebookUri) ?? new Set<string>();
    for (const uri of before) if (!cellUris.includes(uri)) this.env.published.clear(uri);
    for (const [i, uri] of cellUris.entries()) this.env.published.publishPlain(uri, i === 0 ? [diagnostic] : []);
    this.publishedCells.set(notebookUri, new Set(cellUris));
  }
}

function key(uri: string): string {
  return `notebook:${uri}`;
}

function firstLine(p: Positions): { start: { line: number; character: number }; end: { line: number; character: number } } {
  return { start: { line: 0, character: 0 }, end: { line: 0, character: p.lineEnd(0) } };
}

/** Cell tags from LSP cell metadata: `tags`, or nbformat's `metadata.tags` as VS Code's ipynb support nests it. */
function tagsOf(metadata: unknown): string[] {
  const m = metadata as { tags?: unknown; metadata?: { tags?: unknown }; custom?: { metadata?: { tags?: unknown } } } | undefined;
  const tags = m?.tags ?? m?.metadata?.tags ?? m?.custom?.metadata?.tags;
  return Array.isArray(tags) ? tags.filter((t): t is string => typeof t === 'string') : [];
}
