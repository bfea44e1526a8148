/**
 * Editor parity: every document the CLI checks gets diagnostics as it is typed. The client's document selector and
 * the server's text document sync registration are one list (`protocol/documents.ts`), which must equal what the
 * format registry says; through the bundled server over stdio, a workflow, a Python file, a dotenv file, a file the
 * editor calls `dockerfile` and untitled buffers each get diagnostics after an edit.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectFormat, editorDocuments } from '../../core/formats';
import { DOCUMENT_EXTENSIONS, DOCUMENT_FILENAMES, DOCUMENT_LANGUAGES, textDocumentSelector } from '../../protocol';
import { isSupportedDocument } from '../../server/documents';
import { ensureServerBuilt } from './build';
import { CAPABILITIES, LspClient } from './lsp-client';

const ROOT = path.resolve(__dirname, '../..');
const SERVER_JS = path.join(ROOT, 'dist', 'server.js');

const sorted = (xs: Iterable<string>) => [...xs].sort();
const codes = (ds: Diagnostic[]) => ds.map((d) => String(d.code)).sort();

describe('document selector', () => {
  it('is the format registry’s list of languages, extensions and file names', () => {
    const registry = editorDocuments();
    expect(sorted(DOCUMENT_LANGUAGES)).toEqual(sorted(registry.languages));
    expect(sorted(DOCUMENT_EXTENSIONS)).toEqual(sorted(registry.extensions));
    expect(sorted(DOCUMENT_FILENAMES)).toEqual(sorted(registry.filenames));
  });

  it('activates the extension on every language of the list', () => {
    const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { activationEvents: string[] };
    for (const language of DOCUMENT_LANGUAGES) expect(manifest.activationEvents).toContain(`onLanguage:${language}`);
  });

  it('covers saved and untitled buffers of each language, and files by extension or name', () => {
    const selector = textDocumentSelector();
    for (const language of ['github-actions-workflow', 'yaml', 'python', 'dockerfile', 'dotenv', 'shellscript', 'properties', 'ini', 'plaintext']) {
      expect(selector).toContainEqual({ scheme: 'file', language });
      expect(selector).toContainEqual({ scheme: 'untitled', language });
    }
    expect(selector).toContainEqual({ scheme: 'file', pattern: `**/*.{${DOCUMENT_EXTENSIONS.join(',')}}` });
    expect(selector).toContainEqual({ scheme: 'file', pattern: `**/{${DOCUMENT_FILENAMES.join(',')}}` });
  });

  it('lets the server take dotenv files, .npmrc, Dockerfiles and scripts whatever the editor calls them', () => {
    for (const uri of [
      'file:///r/.env',
      'file:///r/.env.production',
      'file:///r/.npmrc',
      'file:///r/Dockerfile',
      'file:///r/api.dockerfile',
      'file:///r/run.sh',
      'file:///r/Makefile',
      'file:///r/build/rules.mk',
      'file:///r/Jenkinsfile',
      'file:///r/Jenkinsfile.release',
      'file:///r/Vagrantfile',
      'file:///r/deploy/app.service',
      'file:///r/.git-credentials',
      'file:///r/.pgpass',
      'file:///r/.s3cfg',
      'file:///r/.terraformrc',
    ]) {
      expect(isSupportedDocument(uri, 'unknown-language'), uri).toBe(true);
    }
    expect(isSupportedDocument('file:///r/notes.md', 'markdown')).toBe(false);
    expect(isSupportedDocument('untitled:Untitled-1', 'python')).toBe(true);
  });

  it('takes the format of an untitled buffer from its language id; a file’s name decides over its language', () => {
    expect(detectFormat('untitled:Untitled-1', 'import os\n', 'python')).toBe('python');
    expect(detectFormat('untitled:Untitled-2', 'on: push\n', 'github-actions-workflow')).toBe('github-actions');
    expect(detectFormat('untitled:Untitled-3', 'apiVersion: v1\nkind: Pod\n', 'yaml')).toBe('kubernetes');
    expect(detectFormat('untitled:Untitled-4', 'a: 1\n', 'yaml')).toBe('text');
    expect(detectFormat('untitled:Untitled-5', 'resource "x" "y" {}\n', 'terraform')).toBe('terraform');
    expect(detectFormat('untitled:Untitled-7', 'resource "x" "y" {}\n', 'opentofu')).toBe('terraform');
    expect(detectFormat('file:///r/main.tofu', 'resource "x" "y" {}\n')).toBe('terraform');
    expect(detectFormat('file:///r/stack.tofu.json', '{}')).toBe('terraform-json');
    expect(detectFormat('untitled:Untitled-6', 'TOKEN=x\n', 'dotenv')).toBe('text');
    expect(detectFormat('file:///r/notes.txt', 'import os\n', 'python')).toBe('text');
  });
});

describe('language server over stdio: diagnostics after an edit', () => {
  let client: LspClient;
  let dir: string;

  beforeAll(async () => {
    await ensureServerBuilt();
    dir = mkdtempSync(path.join(tmpdir(), 'airlock-parity-'));
    client = LspClient.spawn(SERVER_JS, ROOT);
    // As VS Code does: text document sync by registration, from the server's selector.
    const capabilities = { ...CAPABILITIES, textDocument: { ...CAPABILITIES.textDocument, synchronization: { didSave: true, dynamicRegistration: true } } };
    await client.initialize(pathToFileURL(dir).href, { debounceMs: 0 }, capabilities);
    const open = await client.until(() => client.registrations.find((r) => r.method === 'textDocument/didOpen'), 'didOpen registration');
    expect((open.registerOptions as { documentSelector: unknown }).documentSelector).toEqual(textDocumentSelector());
  });

  afterAll(async () => {
    await client?.shutdown();
    rmSync(dir, { recursive: true, force: true });
  });

  function file(name: string, text: string): string {
    const p = path.join(dir, name);
    mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, text);
    return pathToFileURL(p).href;
  }

  /** Open a clean document, type `typed` at its end, and wait for the diagnostics of that version. */
  async function typeInto(uri: string, languageId: string, text: string, typed: string): Promise<Diagnostic[]> {
    await client.open(uri, languageId, text);
    await client.diagnostics(uri);
    const version = await client.insert(uri, text.length, typed);
    return client.diagnostics(uri, (ds) => ds.length > 0 && client.latest(uri)?.version === version);
  }

  it('a workflow', async () => {
    const text = 'on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n';
    const uri = file('.github/workflows/ci.yml', text);
    const ds = await typeInto(uri, 'github-actions-workflow', text, '      - uses: actions/checkout@v4\n');
    expect(codes(ds)).toEqual(['pin/action-unpinned']);
    expect(ds[0].range.start).toEqual({ line: 6, character: 14 });
  });

  it('an OpenTofu file, whose variable in a .tofu file of the folder opens the port', async () => {
    file('tofu/variables.tofu', 'variable "admin_cidr" {\n  default = "0.0.0.0/0"\n}\n');
    const text = 'resource "aws_security_group" "admin" {\n}\n';
    const uri = file('tofu/main.tofu', text);
    await client.open(uri, 'opentofu', text);
    await client.diagnostics(uri);
    const version = await client.insert(
      uri,
      'resource "aws_security_group" "admin" {\n'.length,
      '  ingress {\n    from_port   = 22\n    to_port     = 22\n    protocol    = "tcp"\n    cidr_blocks = [var.admin_cidr]\n  }\n',
    );
    const ds = await client.diagnostics(uri, (d) => d.length > 0 && client.latest(uri)?.version === version);
    expect(codes(ds)).toEqual(['network/open-ingress']);
    expect(ds[0].range.start).toEqual({ line: 5, character: 19 });
  });

  it('a Python file', async () => {
    const text = 'import os\n';
    const uri = file('train.py', text);
    expect(codes(await typeInto(uri, 'python', text, 'api_key = "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"\n'))).toEqual(['secret/known-token']);
  });

  it('a dotenv file', async () => {
    const text = 'APP_ENV=dev\n';
    const uri = file('.env', text);
    expect(codes(await typeInto(uri, 'dotenv', text, 'AWS_ACCESS_KEY_ID=AKIAZ7Q4XB2M5N8K3JPL\n'))).toEqual(['secret/known-token']);
  });

  it('an .npmrc the editor calls properties', async () => {
    const text = 'registry=https://registry.npmjs.org/\n';
    const uri = file('.npmrc', text);
    expect(codes(await typeInto(uri, 'properties', text, '//registry.npmjs.org/:_authToken=npm_Xk9mQ2vL8pR4tW7yB3nF6hJ1cD5gS0aZqE2u\n'))).toEqual([
      'secret/known-token',
    ]);
  });

  it('a file the editor calls dockerfile (checked as text for tokens)', async () => {
    const text = 'FROM python:3.12\n';
    const uri = file('Dockerfile', text);
    expect(codes(await typeInto(uri, 'dockerfile', text, 'ENV HF_TOKEN=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\n'))).toContain('secret/known-token');
  });

  it('source code: a TypeScript and a Go declaration, and "ignore on this line" writes the language\'s own comment', async () => {
    const ts = 'export const region = "eu-west-1";\n';
    const tsUri = file('src/config.ts', ts);
    const tsDs = await typeInto(tsUri, 'typescript', ts, 'export const adminPassword = "Xk9#mP2$vL7qR4";\n');
    expect(codes(tsDs)).toEqual(['secret/hardcoded-password']);
    const action = (await client.codeActions(tsUri, tsDs[0].range, tsDs)).find((a) => a.title === 'Ignore secret/hardcoded-password on this line');
    await client.applyEdit(action!.edit!);
    await client.diagnostics(tsUri, (x) => x.length === 0);
    expect(client.text(tsUri)).toContain('// airlock:ignore secret/hardcoded-password -- <reason>\nexport const adminPassword');
    const go = 'package main\n';
    expect(codes(await typeInto(file('main.go', go), 'go', go, 'var dbPassword = "q7Vt!m29Lx#pR4"\n'))).toEqual(['secret/hardcoded-password']);
  });

  it('a Makefile the editor calls makefile, and a Jenkinsfile whose "ignore on this line" writes a // comment', async () => {
    const make = 'REGISTRY ?= registry.example.com\n';
    expect(codes(await typeInto(file('Makefile', make), 'makefile', make, 'SENTRY_AUTH_TOKEN ?= 9f3c1a7e5b2d8064c1f3a9e7b5d2c8041f6a3e9b\n'))).toEqual([
      'secret/hardcoded-password',
    ]);
    const jenkins = 'pipeline {\n  agent any\n}\n';
    const uri = file('Jenkinsfile', jenkins);
    const ds = await typeInto(uri, 'groovy', jenkins, 'sh \'docker login -u ci -p "Hn5tV9qZ2mXc8LwR" registry.example.com\'\n');
    expect(codes(ds)).toEqual(['secret/hardcoded-password']);
    const action = (await client.codeActions(uri, ds[0].range, ds)).find((a) => a.title === 'Ignore secret/hardcoded-password on this line');
    await client.applyEdit(action!.edit!);
    await client.diagnostics(uri, (x) => x.length === 0);
    expect(client.text(uri)).toContain("// airlock:ignore secret/hardcoded-password -- <reason>\nsh 'docker login");
  });

  it('an XML configuration file, which has no line comment to suppress with', async () => {
    const xml = '<settings>\n</settings>\n';
    const uri = file('settings.xml', xml);
    await client.open(uri, 'xml', xml);
    await client.diagnostics(uri);
    const version = await client.insert(uri, '<settings>\n'.length, '  <servers><server><id>r</id><password>Zq8$wV3!kP7m</password></server></servers>\n');
    const ds = await client.diagnostics(uri, (d) => d.length > 0 && client.latest(uri)?.version === version);
    expect(codes(ds)).toEqual(['secret/hardcoded-password']);
    const titles = (await client.codeActions(uri, ds[0].range, ds)).map((a) => a.title);
    expect(titles).not.toContain('Ignore secret/hardcoded-password on this line');
  });

  it('an Ollama Modelfile the editor calls plaintext', async () => {
    const text = 'PARAMETER temperature 0.2\n';
    const uri = file('Modelfile', text);
    expect(codes(await typeInto(uri, 'plaintext', text, 'FROM llama3.2\n'))).toEqual(['pin/model-mutable-alias']);
  });

  it('"ignore on this line" in a workflow, a dotenv file, a shell script and a Modelfile writes a # comment that silences the finding', async () => {
    const cases: [string, string, string, string, string][] = [
      [
        '.github/workflows/release.yml',
        'github-actions-workflow',
        'on: push\njobs:\n  a:\n    steps:\n      - uses: actions/checkout@v4\n',
        'pin/action-unpinned',
        '      # airlock:ignore pin/action-unpinned -- <reason>\n      - uses: actions/checkout@v4\n',
      ],
      [
        'ignored/.env',
        'dotenv',
        'AWS_ACCESS_KEY_ID=AKIAZ7Q4XB2M5N8K3JPL\n',
        'secret/known-token',
        '# airlock:ignore secret/known-token -- <reason>\nAWS_ACCESS_KEY_ID=AKIAZ7Q4XB2M5N8K3JPL\n',
      ],
      [
        'deploy.sh',
        'shellscript',
        '#!/bin/sh\nexport HF_TOKEN=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\n',
        'secret/known-token',
        '#!/bin/sh\n# airlock:ignore secret/known-token -- <reason>\nexport HF_TOKEN=',
      ],
      [
        'ollama/Modelfile',
        'plaintext',
        'FROM llama3.2\nPARAMETER temperature 0.2\n',
        'pin/model-mutable-alias',
        '# airlock:ignore pin/model-mutable-alias -- <reason>\nFROM llama3.2\n',
      ],
    ];
    for (const [name, languageId, text, code, expected] of cases) {
      const uri = file(name, text);
      await client.open(uri, languageId, text);
      const ds = await client.diagnostics(uri, (d) => d.some((x) => x.code === code));
      const d = ds.find((x) => x.code === code)!;
      const action = (await client.codeActions(uri, d.range, [d])).find((a) => a.title === `Ignore ${code} on this line`);
      expect(action, `ignore action for ${code} on ${name}`).toBeTruthy();
      await client.applyEdit(action!.edit!);
      await client.diagnostics(uri, (x) => !x.some((y) => y.code === code));
      expect(client.text(uri)).toContain(expected);
      await client.close(uri);
    }
  });

  it('untitled buffers, read in the format their language id names', async () => {
    const python = await typeInto('untitled:Untitled-1', 'python', 'from transformers import AutoModel\n', 'm = AutoModel.from_pretrained("org/model")\n');
    expect(codes(python)).toEqual(['pin/hf-unpinned-revision']);
    const workflow = await typeInto(
      'untitled:Untitled-2',
      'github-actions-workflow',
      'on: push\njobs:\n  a:\n    steps:\n',
      '      - uses: actions/setup-node@v4\n',
    );
    expect(codes(workflow)).toEqual(['pin/action-unpinned']);
  });
});
