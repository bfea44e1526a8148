// A minimal LSP client for the benchmark: spawns `dist/server.js --stdio` and talks JSON-RPC to it.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import rpc from 'vscode-jsonrpc/node';

const CAPABILITIES = {
  workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true }, workspaceFolders: true, applyEdit: true },
  textDocument: {
    synchronization: { didSave: true },
    publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
  },
  notebookDocument: { synchronization: { dynamicRegistration: false, executionSummarySupport: false } },
  window: { workDoneProgress: true },
};

/** Offset → LSP position (UTF-16 code units, `\n` line breaks). */
export function positionAt(text, offset) {
  let line = 0;
  let start = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, character: offset - start };
}

/** Node options the server is started with: the VS Code extension's (`SERVER_NODE_OPTIONS`, protocol/index.ts; a test keeps them equal). */
export const SERVER_NODE_OPTIONS = ['--min-semi-space-size=16'];

export class Server {
  constructor(serverJs, { cwd, debounceMs = 0, nodeArgs = [] } = {}) {
    this.t0 = performance.now();
    this.child = spawn(process.execPath, [...SERVER_NODE_OPTIONS, ...nodeArgs, serverJs, '--stdio'], { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    this.stderr = '';
    this.child.stderr.on('data', (d) => (this.stderr += d));
    this.debounceMs = debounceMs;
    this.waiters = new Map();
    this.latest = new Map();
    this.conn = rpc.createMessageConnection(new rpc.StreamMessageReader(this.child.stdout), new rpc.StreamMessageWriter(this.child.stdin));
    this.conn.onNotification('textDocument/publishDiagnostics', (p) => {
      const at = performance.now();
      this.latest.set(p.uri, { ...p, at });
      const list = this.waiters.get(p.uri);
      if (!list) return;
      for (const w of [...list]) {
        if (w.accept(p)) {
          list.splice(list.indexOf(w), 1);
          w.resolve({ ...p, at });
        }
      }
    });
    this.conn.onNotification('window/logMessage', () => undefined);
    this.conn.onNotification('window/showMessage', () => undefined);
    this.conn.onNotification('$/progress', () => undefined);
    this.conn.onRequest('workspace/configuration', (p) => p.items.map((i) => (i.section === 'airlock' ? { debounceMs: this.debounceMs } : null)));
    this.conn.onRequest('client/registerCapability', () => null);
    this.conn.onRequest('client/unregisterCapability', () => null);
    this.conn.onRequest('window/workDoneProgress/create', () => null);
    this.conn.listen();
  }

  get pid() {
    return this.child.pid;
  }

  async initialize(rootUri) {
    const result = await this.conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri,
      capabilities: CAPABILITIES,
      initializationOptions: { debounceMs: this.debounceMs },
      workspaceFolders: rootUri ? [{ uri: rootUri, name: 'bench' }] : null,
    });
    await this.conn.sendNotification('initialized', {});
    return result;
  }

  /** The next publish for `uri` that `accept` takes (registered before the change is sent). */
  next(uri, accept = () => true, timeoutMs = 60_000) {
    return new Promise((resolve, reject) => {
      const w = { accept, resolve };
      const list = this.waiters.get(uri) ?? [];
      list.push(w);
      this.waiters.set(uri, list);
      const t = setTimeout(() => {
        const l = this.waiters.get(uri);
        if (l?.includes(w)) l.splice(l.indexOf(w), 1);
        reject(new Error(`no diagnostics for ${uri} within ${timeoutMs} ms${this.stderr ? `; server stderr: ${this.stderr.slice(-500)}` : ''}`));
      }, timeoutMs);
      w.resolve = (v) => {
        clearTimeout(t);
        resolve(v);
      };
    });
  }

  open(uri, languageId, text, version = 1) {
    return this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
  }

  change(uri, version, changes) {
    return this.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
  }

  close(uri) {
    return this.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  openNotebook(uri, cells, version = 1) {
    return this.conn.sendNotification('notebookDocument/didOpen', {
      notebookDocument: { uri, notebookType: 'jupyter-notebook', version, cells: cells.map((c) => ({ kind: c.kind === 'markdown' ? 1 : 2, document: c.uri })) },
      cellTextDocuments: cells.map((c) => ({ uri: c.uri, languageId: c.kind === 'markdown' ? 'markdown' : 'python', version: 1, text: c.text })),
    });
  }

  changeCell(nbUri, nbVersion, cellUri, cellVersion, changes) {
    return this.conn.sendNotification('notebookDocument/didChange', {
      notebookDocument: { uri: nbUri, version: nbVersion },
      change: { cells: { textContent: [{ document: { uri: cellUri, version: cellVersion }, changes }] } },
    });
  }

  /** Resident set size of the server process now and at its peak (Linux `/proc`), in MB. */
  memory() {
    try {
      const status = readFileSync(`/proc/${this.child.pid}/status`, 'utf8');
      const kb = (k) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(status)?.[1]);
      return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
    } catch {
      return { rssMb: undefined, peakMb: undefined };
    }
  }

  async stop() {
    try {
      await Promise.race([this.conn.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      await this.conn.sendNotification('exit');
    } catch {
      // already gone
    }
    await new Promise((resolve) => {
      if (this.child.exitCode !== null) return resolve();
      const t = setTimeout(() => {
        this.child.kill();
        resolve();
      }, 2000);
      this.child.once('exit', () => {
        clearTimeout(t);
        resolve();
      });
    });
    this.conn.dispose();
  }
}
