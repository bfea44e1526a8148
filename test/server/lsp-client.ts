/**
 * A small LSP client for protocol tests: real JSON-RPC over streams (an in-process pipe pair or a spawned
 * server's stdio), keeping its own copy of each document's text, applying WorkspaceEdits itself.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type {
  ClientCapabilities,
  CodeAction,
  Diagnostic,
  InitializeResult,
  NotebookCell,
  Position,
  PublishDiagnosticsParams,
  Range,
  TextEdit,
  WorkspaceEdit,
} from 'vscode-languageserver-protocol';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer, type ServerOptions } from '../../server/server';

export interface Publish {
  uri: string;
  version?: number;
  diagnostics: Diagnostic[];
  at: number;
}

interface OpenDoc {
  uri: string;
  languageId: string;
  version: number;
  text: string;
}

interface OpenNotebook {
  uri: string;
  version: number;
  cells: { uri: string; kind: 1 | 2 }[];
}

export const CAPABILITIES: ClientCapabilities = {
  workspace: {
    configuration: true,
    didChangeConfiguration: { dynamicRegistration: true },
    didChangeWatchedFiles: { dynamicRegistration: true },
    workspaceFolders: true,
    applyEdit: true,
    workspaceEdit: { documentChanges: false },
  },
  textDocument: {
    synchronization: { didSave: true },
    publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
    codeAction: {
      codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source', 'source.fixAll'] } },
      dataSupport: true,
      isPreferredSupport: true,
    },
  },
  notebookDocument: { synchronization: { dynamicRegistration: false, executionSummarySupport: false } },
  window: { workDoneProgress: true, showDocument: { support: true } },
};

/** Offsets ↔ positions the way LSP counts them (UTF-16, \n, \r\n or \r line breaks). */
export function offsetAt(text: string, pos: Position): number {
  let line = 0;
  let i = 0;
  while (line < pos.line && i < text.length) {
    const c = text.charCodeAt(i++);
    if (c === 10 || (c === 13 && text.charCodeAt(i) !== 10)) line++;
  }
  let end = i;
  while (end < text.length && text.charCodeAt(end) !== 10 && text.charCodeAt(end) !== 13) end++;
  return Math.min(i + pos.character, end);
}

export function positionAt(text: string, offset: number): Position {
  let line = 0;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
      line++;
      start = i + 1;
    }
  }
  return { line, character: Math.min(offset, text.length) - start };
}

export function rangeOf(text: string, needle: string, from = 0): Range {
  const i = text.indexOf(needle, from);
  if (i < 0) throw new Error(`"${needle}" not in text`);
  return { start: positionAt(text, i), end: positionAt(text, i + needle.length) };
}

/** Apply edits to a text (LSP semantics: all ranges refer to the original text). */
export function applyTextEdits(text: string, edits: TextEdit[]): string {
  const withOffsets = edits.map((e, i) => ({ s: offsetAt(text, e.range.start), e: offsetAt(text, e.range.end), t: e.newText, i }));
  withOffsets.sort((a, b) => b.s - a.s || b.i - a.i);
  let out = text;
  for (const x of withOffsets) out = out.slice(0, x.s) + x.t + out.slice(x.e);
  return out;
}

export class LspClient {
  readonly publishes: Publish[] = [];
  readonly logs: { type: number; message: string }[] = [];
  readonly shownDocuments: string[] = [];
  /** Capabilities the server registered (`client/registerCapability`). */
  readonly registrations: { method: string; registerOptions?: unknown }[] = [];
  readonly progress: unknown[] = [];
  readonly docs = new Map<string, OpenDoc>();
  readonly notebooks = new Map<string, OpenNotebook>();
  settings: Record<string, unknown> = {};
  private waiters: (() => void)[] = [];
  private child?: ChildProcess;
  stderr = '';

  constructor(readonly connection: MessageConnection) {
    connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      this.publishes.push({ uri: p.uri, version: p.version, diagnostics: p.diagnostics, at: performance.now() });
      this.wake();
    });
    connection.onNotification('window/logMessage', (p: { type: number; message: string }) => {
      this.logs.push(p);
      this.wake();
    });
    connection.onNotification('window/showMessage', (p: { type: number; message: string }) => {
      this.logs.push(p);
    });
    connection.onNotification('$/progress', (p: unknown) => {
      this.progress.push(p);
    });
    connection.onRequest('workspace/configuration', (p: { items: { section?: string }[] }) =>
      p.items.map((i) => (i.section ? (this.settings[i.section] ?? null) : this.settings)),
    );
    connection.onRequest('client/registerCapability', (p: { registrations: { method: string; registerOptions?: unknown }[] }) => {
      this.registrations.push(...p.registrations);
      this.wake();
      return null;
    });
    connection.onRequest('client/unregisterCapability', () => null);
    connection.onRequest('window/workDoneProgress/create', () => null);
    connection.onRequest('window/showDocument', (p: { uri: string }) => {
      this.shownDocuments.push(p.uri);
      return { success: true };
    });
    connection.listen();
  }

  /** A server in this process, over a pair of pipes. */
  static inProcess(options: ServerOptions = {}): LspClient {
    const toServer = new PassThrough();
    const toClient = new PassThrough();
    const server = createConnection(ProposedFeatures.all, new StreamMessageReader(toServer), new StreamMessageWriter(toClient));
    startServer(server, options);
    server.listen();
    return new LspClient(createMessageConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer)));
  }

  /** `node <serverJs> --stdio` as a child process. */
  static spawn(serverJs: string, cwd: string): LspClient {
    const child = spawn(process.execPath, [serverJs, '--stdio'], { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    const client = new LspClient(createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!)));
    client.watch(child);
    return client;
  }

  /** Follow a server process: its stderr goes into failure messages, and waits stop if it exits. */
  watch(child: ChildProcess): void {
    this.child = child;
    child.stderr?.on('data', (d) => (this.stderr += String(d)));
    child.once('exit', (code, signal) => {
      this.exited = `server process exited (code ${code}, signal ${signal})`;
      this.wake();
      for (const reject of this.pending.splice(0)) reject(new Error(`${this.exited}; stderr: ${this.stderr.slice(-2000)}`));
    });
  }

  private readonly pending: ((e: Error) => void)[] = [];

  /** A request that fails, rather than hangs, when the server process dies. */
  request<R>(method: string, params?: unknown): Promise<R> {
    if (this.exited) return Promise.reject(new Error(this.exited));
    return new Promise<R>((resolve, reject) => {
      this.pending.push(reject);
      const done = () => {
        const i = this.pending.indexOf(reject);
        if (i >= 0) this.pending.splice(i, 1);
      };
      (this.connection.sendRequest(method, params) as Promise<R>).then(
        (r) => {
          done();
          resolve(r);
        },
        (e) => {
          done();
          reject(e);
        },
      );
    });
  }

  /** Set when the server process is gone. */
  exited: string | undefined;

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  async initialize(rootUri: string | null, initializationOptions: unknown = { debounceMs: 0 }, capabilities = CAPABILITIES): Promise<InitializeResult> {
    const result = (await this.request('initialize', {
      processId: process.pid,
      rootUri,
      capabilities,
      initializationOptions,
      workspaceFolders: rootUri ? [{ uri: rootUri, name: 'root' }] : null,
    })) as InitializeResult;
    await this.connection.sendNotification('initialized', {});
    return result;
  }

  async shutdown(): Promise<void> {
    try {
      await this.connection.sendRequest('shutdown');
      await this.connection.sendNotification('exit');
    } catch {
      // already gone
    }
    this.connection.dispose();
    if (this.child && this.child.exitCode === null) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          this.child?.kill();
          resolve();
        }, 2000);
        this.child!.once('exit', () => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  // ---------------------------------------------------------------- text documents

  async open(uri: string, languageId: string, text: string): Promise<void> {
    this.docs.set(uri, { uri, languageId, version: 1, text });
    await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
  }

  /** Send incremental changes (each in the coordinates of the text after the previous ones). */
  async change(uri: string, changes: { range: Range; text: string }[]): Promise<number> {
    const doc = this.docs.get(uri)!;
    for (const c of changes) {
      doc.text = doc.text.slice(0, offsetAt(doc.text, c.range.start)) + c.text + doc.text.slice(offsetAt(doc.text, c.range.end));
    }
    doc.version++;
    await this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: doc.version }, contentChanges: changes });
    return doc.version;
  }

  /** Insert text at an offset of the current text. */
  async insert(uri: string, offset: number, text: string): Promise<number> {
    const doc = this.docs.get(uri)!;
    const p = positionAt(doc.text, offset);
    return this.change(uri, [{ range: { start: p, end: p }, text }]);
  }

  async close(uri: string): Promise<void> {
    this.docs.delete(uri);
    await this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  text(uri: string): string {
    return this.docs.get(uri)!.text;
  }

  version(uri: string): number {
    return this.docs.get(uri)!.version;
  }

  // ---------------------------------------------------------------- notebooks

  async openNotebook(
    uri: string,
    cells: { kind: 'code' | 'markdown'; text: string; language?: string; metadata?: Record<string, unknown> }[],
  ): Promise<string[]> {
    const nb: OpenNotebook = { uri, version: 1, cells: [] };
    const lspCells: NotebookCell[] = [];
    const docs = cells.map((c, i) => {
      const cellUri = this.cellUri(uri, i);
      const kind = c.kind === 'markdown' ? 1 : 2;
      nb.cells.push({ uri: cellUri, kind });
      lspCells.push({ kind, document: cellUri, ...(c.metadata ? { metadata: c.metadata } : {}) });
      const doc: OpenDoc = { uri: cellUri, languageId: c.language ?? (c.kind === 'markdown' ? 'markdown' : 'python'), version: 1, text: c.text };
      this.docs.set(cellUri, doc);
      return { uri: cellUri, languageId: doc.languageId, version: 1, text: c.text };
    });
    this.notebooks.set(uri, nb);
    await this.connection.sendNotification('notebookDocument/didOpen', {
      notebookDocument: { uri, notebookType: 'jupyter-notebook', version: 1, cells: lspCells },
      cellTextDocuments: docs,
    });
    return nb.cells.map((c) => c.uri);
  }

  private cellCounter = 100;
  private cellUri(nbUri: string, n: number): string {
    return `vscode-notebook-cell:${nbUri.replace(/^file:\/\//, '')}#W${n}s${this.cellCounter++}`;
  }

  /** Insert and/or delete cells at `start`. Returns the new cells' URIs. */
  async notebookStructure(
    uri: string,
    start: number,
    deleteCount: number,
    added: { kind: 'code' | 'markdown'; text: string; language?: string }[],
  ): Promise<string[]> {
    const nb = this.notebooks.get(uri)!;
    const newCells = added.map((c) => ({ uri: this.cellUri(uri, start), kind: (c.kind === 'markdown' ? 1 : 2) as 1 | 2, c }));
    const removed = nb.cells.splice(start, deleteCount, ...newCells.map((x) => ({ uri: x.uri, kind: x.kind })));
    for (const r of removed) this.docs.delete(r.uri);
    const didOpen = newCells.map((x) => {
      const languageId = x.c.language ?? (x.c.kind === 'markdown' ? 'markdown' : 'python');
      this.docs.set(x.uri, { uri: x.uri, languageId, version: 1, text: x.c.text });
      return { uri: x.uri, languageId, version: 1, text: x.c.text };
    });
    nb.version++;
    await this.connection.sendNotification('notebookDocument/didChange', {
      notebookDocument: { uri, version: nb.version },
      change: {
        cells: {
          structure: {
            array: { start, deleteCount, cells: newCells.map((x) => ({ kind: x.kind, document: x.uri })) },
            didOpen,
            didClose: removed.map((r) => ({ uri: r.uri })),
          },
        },
      },
    });
    return newCells.map((x) => x.uri);
  }

  /** Edit a cell's text (incremental changes). */
  async changeCell(nbUri: string, cellUri: string, changes: { range: Range; text: string }[]): Promise<number> {
    const nb = this.notebooks.get(nbUri)!;
    const doc = this.docs.get(cellUri)!;
    for (const c of changes) doc.text = doc.text.slice(0, offsetAt(doc.text, c.range.start)) + c.text + doc.text.slice(offsetAt(doc.text, c.range.end));
    doc.version++;
    nb.version++;
    await this.connection.sendNotification('notebookDocument/didChange', {
      notebookDocument: { uri: nbUri, version: nb.version },
      change: { cells: { textContent: [{ document: { uri: cellUri, version: doc.version }, changes }] } },
    });
    return doc.version;
  }

  async closeNotebook(uri: string): Promise<void> {
    const nb = this.notebooks.get(uri)!;
    this.notebooks.delete(uri);
    for (const c of nb.cells) this.docs.delete(c.uri);
    await this.connection.sendNotification('notebookDocument/didClose', {
      notebookDocument: { uri },
      cellTextDocuments: nb.cells.map((c) => ({ uri: c.uri })),
    });
  }

  // ---------------------------------------------------------------- diagnostics

  latest(uri: string): Publish | undefined {
    for (let i = this.publishes.length - 1; i >= 0; i--) if (this.publishes[i].uri === uri) return this.publishes[i];
    return undefined;
  }

  /** Wait until `check` accepts something; `describe` says what was seen when it times out. */
  async until<T>(check: () => T | undefined | false, what: string, timeoutMs = 15_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = check();
      if (v) return v;
      const left = deadline - Date.now();
      if (left <= 0 || this.exited) {
        const logs = this.logs
          .filter((l) => l.type <= 2)
          .slice(-5)
          .map((l) => l.message.slice(0, 500));
        throw new Error(
          `${this.exited ? `${this.exited} while` : 'timed out'} waiting for ${what}; last publishes: ${JSON.stringify(this.publishes.slice(-5).map((p) => ({ uri: p.uri, version: p.version, codes: p.diagnostics.map((d) => d.code) })))}; server errors: ${JSON.stringify(logs)}; stderr: ${this.stderr.slice(-2000)}`,
        );
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Diagnostics published for the document's current version (cells: any version ≥ the given one). */
  async diagnostics(uri: string, accept: (d: Diagnostic[]) => boolean = () => true, timeoutMs?: number): Promise<Diagnostic[]> {
    const p = await this.until(
      () => {
        const l = this.latest(uri);
        const doc = this.docs.get(uri);
        if (!l) return undefined;
        if (doc && l.version !== undefined && l.version !== doc.version) return undefined;
        return accept(l.diagnostics) ? l : undefined;
      },
      `diagnostics on ${uri}`,
      timeoutMs,
    );
    return p.diagnostics;
  }

  // ---------------------------------------------------------------- code actions and edits

  async codeActions(uri: string, range: Range, diagnostics: Diagnostic[], only?: string[]): Promise<CodeAction[]> {
    return (await this.request('textDocument/codeAction', {
      textDocument: { uri },
      range,
      context: { diagnostics, ...(only ? { only } : {}) },
    })) as CodeAction[];
  }

  /**
   * Apply a WorkspaceEdit: open documents get the edits as incremental didChange (last position first, so
   * every range is still valid when it is applied); files that are not open are written on disk and
   * announced with didChangeWatchedFiles.
   */
  async applyEdit(edit: WorkspaceEdit): Promise<void> {
    for (const [uri, edits] of Object.entries(edit.changes ?? {})) {
      const doc = this.docs.get(uri);
      if (doc) {
        const sorted = edits
          .map((e, i) => ({ e, i, s: offsetAt(doc.text, e.range.start) }))
          .sort((a, b) => b.s - a.s || b.i - a.i)
          .map((x) => ({ range: x.e.range, text: x.e.newText }));
        const nb = [...this.notebooks.values()].find((n) => n.cells.some((c) => c.uri === uri));
        if (nb) await this.changeCell(nb.uri, uri, sorted);
        else await this.change(uri, sorted);
      } else {
        const p = fileURLToPath(uri);
        writeFileSync(p, applyTextEdits(readFileSync(p, 'utf8'), edits));
        await this.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri, type: 2 }] });
      }
    }
  }

  async executeCommand(command: string, args: unknown[] = [], workDoneToken?: string): Promise<unknown> {
    return this.request('workspace/executeCommand', { command, arguments: args, ...(workDoneToken ? { workDoneToken } : {}) });
  }

  async setSettings(settings: Record<string, unknown>): Promise<void> {
    this.settings = settings;
    await this.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
  }
}
