/**
 * Hostile input against the bundled server over stdio: a large document is analysed off the main thread
 * while other requests are answered; documents over the size limit get one diagnostic and no parse;
 * broken message framing ends the server with a message instead of a stall; bad command arguments get
 * `InvalidParams`; an untrusted workspace's `.airlock.yaml` is not read.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { Commands, NOT_ANALYSED_CODE, TOO_LARGE_CODE, type ShowRuleDocsResult } from '../../protocol';
import { ensureServerBuilt } from './build';
import { TF_MAIN } from './fixtures';
import { LspClient } from './lsp-client';

const ROOT = path.resolve(__dirname, '../..');
const SERVER_JS = path.join(ROOT, 'dist', 'server.js');

let dir: string;
const uriOf = (name: string) => pathToFileURL(path.join(dir, name)).href;
const codes = (ds: Diagnostic[]) => ds.map((d) => String(d.code)).sort();

/** Terraform of about `bytes` bytes: many plain resources, one public bucket at the end. */
function largeTerraform(bytes: number): string {
  const block = (i: number) => `resource "null_resource" "n${i}" {\n  triggers = { name = "item-${i}", team = "data" }\n}\n\n`;
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const b = block(i);
    parts.push(b);
    size += b.length;
  }
  parts.push('resource "aws_s3_bucket" "public" {\n  acl = "public-read"\n}\n');
  return parts.join('');
}

beforeAll(async () => {
  await ensureServerBuilt();
  dir = mkdtempSync(path.join(tmpdir(), 'airlock-hostile-'));
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('large documents', () => {
  it('are analysed off the main thread: a small document and a command are answered before a large one is done', async () => {
    const client = LspClient.spawn(SERVER_JS, ROOT);
    try {
      await client.initialize(pathToFileURL(dir).href);
      const large = uriOf('large/main.tf');
      const small = uriOf('small/main.tf');
      await client.open(large, 'terraform', largeTerraform(3 * 1024 * 1024));
      await client.open(small, 'terraform', TF_MAIN);
      const docs = client.request<ShowRuleDocsResult>('workspace/executeCommand', { command: Commands.showRuleDocs, arguments: ['storage/s3-public-acl'] });
      const smallDiagnostics = await client.diagnostics(small, (d) => d.length > 0, 60_000);
      const docsAnsweredAt = await docs.then((r) => {
        expect(r.ruleId).toBe('storage/s3-public-acl');
        return performance.now();
      });
      const largeDiagnostics = await client.diagnostics(large, (d) => d.length > 0, 120_000);
      expect(codes(smallDiagnostics)).toContain('storage/s3-public-acl');
      expect(codes(largeDiagnostics)).toContain('storage/s3-public-acl');
      const at = (uri: string) => client.publishes.find((p) => p.uri === uri && p.diagnostics.length > 0)!.at;
      expect(at(small)).toBeLessThan(at(large));
      expect(docsAnsweredAt).toBeLessThan(at(large));
    } finally {
      await client.shutdown();
    }
  }, 180_000);

  it('a newer edit supersedes the analysis of a large document: only the latest version is published', async () => {
    const client = LspClient.spawn(SERVER_JS, ROOT);
    try {
      await client.initialize(pathToFileURL(dir).href);
      const uri = uriOf('edited/main.tf');
      const text = largeTerraform(1024 * 1024);
      await client.open(uri, 'terraform', text);
      // Make the last bucket private while the first version is analysed.
      const acl = text.lastIndexOf('public-read');
      await client.change(uri, [{ range: rangeAt(text, acl, acl + 'public-read'.length), text: 'private' }]);
      const ds = await client.diagnostics(uri, () => true, 120_000);
      expect(codes(ds)).not.toContain('storage/s3-public-acl');
      expect(client.publishes.filter((p) => p.uri === uri).every((p) => p.version === 2)).toBe(true);
    } finally {
      await client.shutdown();
    }
  }, 180_000);
  it('after the analysis thread ended for want of work, an edit gets the same diagnostics and quick fixes from a new one', async () => {
    const client = LspClient.spawn(SERVER_JS, ROOT);
    try {
      await client.initialize(pathToFileURL(dir).href);
      const uri = uriOf('idle/main.tf');
      const text = largeTerraform(1024 * 1024);
      await client.open(uri, 'terraform', text);
      const shown = async () => {
        const ds = await client.diagnostics(uri, (d) => d.length > 0, 120_000);
        const fixes = await client.codeActions(uri, ds[0].range, ds);
        return { ds: ds.map(({ data: _, ...d }) => d), fixes: fixes.map((a) => ({ title: a.title, edit: a.edit })) };
      };
      const before = await shown();
      expect(codes(before.ds)).toContain('storage/s3-public-acl');
      expect(before.fixes.length).toBeGreaterThan(0);
      // Past the worker's idle time; then an edit of the same length that changes no finding.
      await new Promise((r) => setTimeout(r, 1_500));
      const at = text.indexOf('item-0"');
      await client.change(uri, [{ range: rangeAt(text, at, at + 'item-0'.length), text: 'item-x' }]);
      expect(await shown()).toEqual(before);
    } finally {
      await client.shutdown();
    }
  }, 180_000);
});

describe('the size limit of open documents', () => {
  it('a document over airlock.maxDocumentSize gets one diagnostic saying so, and is analysed once the limit is raised', async () => {
    const client = LspClient.spawn(SERVER_JS, ROOT);
    try {
      await client.initialize(pathToFileURL(dir).href, { debounceMs: 0, maxDocumentSize: 100 });
      const uri = uriOf('limit/main.tf');
      await client.open(uri, 'terraform', TF_MAIN);
      const ds = await client.diagnostics(uri, (d) => d.length > 0);
      expect(ds).toHaveLength(1);
      expect(ds[0]).toMatchObject({ code: TOO_LARGE_CODE, range: { start: { line: 0, character: 0 } } });
      expect(ds[0].message).toBe(`Not analysed: the document is ${Buffer.byteLength(TF_MAIN)} bytes, over the 100 bytes limit set by airlock.maxDocumentSize`);
      client.settings = { airlock: { maxDocumentSize: 1024 * 1024 } };
      await client.setSettings(client.settings);
      const analysed = await client.diagnostics(uri, (d) => d.some((x) => x.code === 'storage/s3-public-acl'));
      expect(codes(analysed)).not.toContain(TOO_LARGE_CODE);
    } finally {
      await client.shutdown();
    }
  }, 60_000);

  it('a notebook whose cells are over the limit gets the diagnostic on its first cell', async () => {
    const client = LspClient.spawn(SERVER_JS, ROOT);
    try {
      await client.initialize(pathToFileURL(dir).href, { debounceMs: 0, maxDocumentSize: 1000 });
      const cells = await client.openNotebook(uriOf('limit/nb.ipynb'), [
        { kind: 'code', text: `token = "hf_${'a'.repeat(34)}"\n` },
        { kind: 'code', text: `print("${'x'.repeat(1000)}")\n` },
      ]);
      const first = await client.diagnostics(cells[0], (d) => d.length > 0);
      expect(first).toHaveLength(1);
      expect(first[0].code).toBe(TOO_LARGE_CODE);
      expect(first[0].message).toMatch(/^Not analysed: the notebook is 1\.\d KB, over the 1000 bytes limit set by airlock\.maxDocumentSize$/);
      await client.until(() => client.latest(cells[1]), 'a publish on the second cell');
      expect(client.latest(cells[1])?.diagnostics).toEqual([]);
    } finally {
      await client.shutdown();
    }
  }, 60_000);

  it('a 30 MB .tf gets the diagnostic, not a crash, and the server goes on serving', async () => {
    const client = LspClient.spawn(SERVER_JS, ROOT);
    try {
      await client.initialize(pathToFileURL(dir).href);
      const uri = uriOf('huge/main.tf');
      await client.open(uri, 'terraform', largeTerraform(30 * 1024 * 1024));
      const ds = await client.diagnostics(uri, (d) => d.length > 0, 60_000);
      expect(ds).toHaveLength(1);
      expect(ds[0].code).toBe(TOO_LARGE_CODE);
      expect(ds[0].message).toMatch(/^Not analysed: the document is 30\.0 MB, over the 5 MB limit of airlock\.maxDocumentSize$/);
      const small = uriOf('huge/other.tf');
      await client.open(small, 'terraform', TF_MAIN);
      expect(codes(await client.diagnostics(small, (d) => d.length > 0))).toContain('storage/s3-public-acl');
      expect(client.exited).toBeUndefined();
    } finally {
      await client.shutdown();
    }
  }, 120_000);

  it('a document the analysis thread cannot finish gets a diagnostic that says why', async () => {
    const client = LspClient.spawn(SERVER_JS, ROOT);
    try {
      // Over the limit of nothing: the parser of a 30 MB document runs out of WebAssembly memory.
      await client.initialize(pathToFileURL(dir).href, { debounceMs: 0, maxDocumentSize: 1024 * 1024 * 1024 });
      const uri = uriOf('abort/main.tf');
      await client.open(uri, 'terraform', largeTerraform(30 * 1024 * 1024));
      const ds = await client.diagnostics(uri, (d) => d.length > 0, 120_000);
      expect(codes(ds)).toEqual([NOT_ANALYSED_CODE]);
      expect(ds[0].message).toBe('Not analysed: the parser failed: Aborted()');
      // A new analysis thread takes the next large document.
      const next = uriOf('abort-next/main.tf');
      await client.open(next, 'terraform', largeTerraform(200 * 1024));
      const nextDiagnostics = await client.diagnostics(next, (d) => d.length > 0, 60_000);
      expect(codes(nextDiagnostics), JSON.stringify(nextDiagnostics)).toContain('storage/s3-public-acl');
    } finally {
      await client.shutdown();
    }
  }, 180_000);
});

/** Start the bundled server on stdio, write `input`, and wait for it to exit. */
function runWithInput(input: string): Promise<{ code: number | null; stderr: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(process.execPath, [SERVER_JS, '--stdio'], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += String(d)));
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`the server was still running after 20 s; stderr: ${stderr}`));
    }, 20_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, ms: Date.now() - started });
    });
    // Kept open: a server that waits for more input must not be ended by the input closing.
    child.stdin.write(input);
  });
}

describe('broken message framing', () => {
  const initialize = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } });

  it('a Content-Length that is not a number ends the server with a message', async () => {
    const { code, stderr } = await runWithInput(`Content-Length: abc\r\n\r\n${initialize}`);
    expect(code).toBe(1);
    expect(stderr).toContain('Airlock language server: cannot read a message from the client: Content-Length value must be a number. Got abc; exiting.');
  }, 30_000);

  it('a Content-Length larger than the body ends the server with a message once no more input comes', async () => {
    const { code, stderr } = await runWithInput(`Content-Length: 99999999\r\n\r\n${initialize}`);
    expect(code).toBe(1);
    expect(stderr).toContain('Airlock language server: the client sent part of a message and nothing more for 5000 ms');
  }, 30_000);
});

describe('command arguments', () => {
  it('airlock.scanWorkspace answers InvalidParams for arguments of the wrong shape', async () => {
    const client = LspClient.spawn(SERVER_JS, ROOT);
    try {
      await client.initialize(pathToFileURL(dir).href);
      const cases: [unknown[], string][] = [
        [[{ folders: [42] }], 'folders[0] must be a file: URI of a folder, got number'],
        [[{ folders: ['untitled:x'] }], 'folders[0] must be a file: URI of a folder, got "untitled:x"'],
        [[{ folders: 'file:///tmp' }], 'folders must be an array of folder URIs, got "file:///tmp"'],
        [['file:///tmp'], 'expected an object { folders?: string[] }, got "file:///tmp"'],
      ];
      for (const [args, message] of cases) {
        const error = await client.executeCommand(Commands.scanWorkspace, args).then(
          () => undefined,
          (e: { code: number; message: string }) => e,
        );
        expect(error, JSON.stringify(args)).toMatchObject({ code: -32602, message: `${Commands.scanWorkspace}: ${message}` });
      }
      // Still serving.
      const docs = (await client.executeCommand(Commands.showRuleDocs, ['storage/s3-public-acl'])) as ShowRuleDocsResult;
      expect(docs.ruleId).toBe('storage/s3-public-acl');
    } finally {
      await client.shutdown();
    }
  }, 60_000);
});

describe('untrusted workspaces', () => {
  it('the server reads no .airlock.yaml when initialized with trusted: false', async () => {
    const config = path.join(dir, '.airlock.yaml');
    writeFileSync(config, 'rules:\n  storage/s3-public-acl: "off"\n');
    const findings = async (options: Record<string, unknown>) => {
      const client = LspClient.inProcess({ debounceMs: 0 });
      try {
        await client.initialize(pathToFileURL(dir).href, options);
        const uri = uriOf('trust/main.tf');
        await client.open(uri, 'terraform', TF_MAIN);
        return codes(await client.diagnostics(uri, (d) => d.length > 0));
      } finally {
        await client.shutdown();
      }
    };
    try {
      expect(await findings({ debounceMs: 0, trusted: false })).toContain('storage/s3-public-acl');
      expect(await findings({ debounceMs: 0 })).not.toContain('storage/s3-public-acl');
    } finally {
      rmSync(config, { force: true });
    }
  }, 60_000);

  it('the extension declares limited support and restricts the settings that can hide findings', () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    const untrusted = pkg.capabilities.untrustedWorkspaces;
    expect(untrusted.supported).toBe('limited');
    expect(untrusted.description).toMatch(/\.airlock\.yaml/);
    expect([...untrusted.restrictedConfigurations].sort()).toEqual(['airlock.hfCache', 'airlock.maxDocumentSize', 'airlock.rules']);
    for (const key of untrusted.restrictedConfigurations) expect(pkg.contributes.configuration.properties[key], key).toBeDefined();
    expect(pkg.contributes.configuration.properties['airlock.maxDocumentSize']).toMatchObject({ type: ['number', 'null'], default: null });
  });
});

function rangeAt(text: string, start: number, end: number) {
  const pos = (o: number) => {
    const before = text.slice(0, o);
    const line = before.split('\n').length - 1;
    return { line, character: o - (before.lastIndexOf('\n') + 1) };
  };
  return { start: pos(start), end: pos(end) };
}
