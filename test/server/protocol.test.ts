/**
 * The language server over real JSON-RPC: (a) in this process over a pair of pipes, (b) the bundled
 * `dist/server.js --stdio` as a child process. The same scenarios run against both; the ones that need
 * rules injected into the server (a rule that throws, a slow rule) run in-process.
 */
import { fork } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureServerBuilt } from './build';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-protocol';
import { createMessageConnection, IPCMessageReader, IPCMessageWriter } from 'vscode-jsonrpc/node';
import type { Rule } from '../../core/rule';
import { ruleDocsUrl } from '../../core/report/meta';
import { prepareFormat } from '../../core/formats';
import {
  Commands,
  FIX_ALL_KIND,
  NOTEBOOK_OUTPUTS_NOTIFICATION,
  PARSE_ERROR_CODE,
  RULE_DOCS_BASE_URL,
  type DiagnosticData,
  type ScanWorkspaceResult,
  SERVER_NODE_OPTIONS,
  type ShowRuleDocsResult,
} from '../../protocol';
// @ts-expect-error: the benchmark is plain JavaScript
import { SERVER_NODE_OPTIONS as BENCH_SERVER_NODE_OPTIONS } from '../../bench/lib/lsp.mjs';
import { CAPABILITIES, LspClient, positionAt, rangeOf } from './lsp-client';
import { CFN_JSON, CFN_YAML, HF_TOKEN, K8S_YAML, NOTEBOOK_CELLS, TF_MAIN, TF_TWO_BUCKETS } from './fixtures';

const ROOT = path.resolve(__dirname, '../..');
const SERVER_JS = path.join(ROOT, 'dist', 'server.js');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Injected in-process: throws on documents containing THROW. */
const throwingRule: Rule = {
  id: 'storage/test-throws',
  family: 'storage',
  severity: 'error',
  formats: ['terraform', 'cloudformation', 'kubernetes'],
  docs: { summary: 'test', why: 'test', fix: 'test' },
  check({ file }) {
    if (file.text.includes('THROW')) throw new Error('boom from the test rule');
  },
};

/** Texts the slow rule has started on (the in-process server runs in this process). */
const slowStarted: string[] = [];

/** Injected in-process: slow on documents containing SLOW, so a newer edit arrives while it runs. */
const slowRule: Rule = {
  id: 'pin/test-slow',
  family: 'pin',
  severity: 'info',
  formats: ['terraform'],
  docs: { summary: 'test', why: 'test', fix: 'test' },
  async check({ file }) {
    if (!file.text.includes('SLOW')) return;
    slowStarted.push(file.text);
    await sleep(300);
  },
};

/** Rules these tests are about; other rules may also fire on the fixtures and are left out of the comparisons. */
const KNOWN = new Set([
  'network/open-egress',
  'network/open-ingress',
  'network/port-published-all-interfaces',
  'pin/hf-unpinned-revision',
  'pin/image-unpinned',
  'secret/hardcoded-password',
  'secret/known-token',
  'storage/s3-public-acl',
  'parse-error',
]);

function codes(ds: Diagnostic[]): string[] {
  return ds
    .map((d) => String(d.code))
    .filter((c) => KNOWN.has(c))
    .sort();
}

function msg(d: Diagnostic): string {
  return typeof d.message === 'string' ? d.message : d.message.value;
}

/** Wait predicate: exactly `n` diagnostics of the known rules. */
const count = (n: number) => (ds: Diagnostic[]) => codes(ds).length === n;

function only(ds: Diagnostic[], code: string): Diagnostic[] {
  return ds.filter((d) => d.code === code);
}

function uriOf(p: string): string {
  return pathToFileURL(p).href;
}

/** Publishes of one URI never go back in version. */
function expectMonotonic(client: LspClient, uri: string): void {
  const versions = client.publishes.filter((p) => p.uri === uri && p.version !== undefined).map((p) => p.version!);
  for (let i = 1; i < versions.length; i++) expect(versions[i], `publish versions for ${uri}: ${versions.join(',')}`).toBeGreaterThanOrEqual(versions[i - 1]);
}

beforeAll(async () => {
  await ensureServerBuilt();
});

const MODES: [string, () => LspClient][] = [
  ['in-process', () => LspClient.inProcess({ debounceMs: 0, rules: [throwingRule, slowRule] })],
  ['spawned dist/server.js --stdio', () => LspClient.spawn(SERVER_JS, ROOT)],
];

describe('transports', () => {
  it('the benchmark starts the server with the Node options the extension uses', () => {
    expect(BENCH_SERVER_NODE_OPTIONS).toEqual(SERVER_NODE_OPTIONS);
  });

  it('serves over --node-ipc (the transport the VS Code client uses)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'airlock-ipc-'));
    const child = fork(SERVER_JS, ['--node-ipc'], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    const client = new LspClient(createMessageConnection(new IPCMessageReader(child), new IPCMessageWriter(child)));
    client.watch(child);
    try {
      await client.initialize(uriOf(dir));
      const uri = uriOf(path.join(dir, 'main.tf'));
      await client.open(uri, 'terraform', TF_MAIN);
      expect(codes(await client.diagnostics(uri, count(3)))).toEqual(['network/open-ingress', 'secret/hardcoded-password', 'storage/s3-public-acl']);
      await client.shutdown();
      const code = await new Promise<number | null>((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', resolve)));
      expect(code).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('debounce', () => {
  it('opens are analysed at once; edits wait for the debounce from initializationOptions; settings can change it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'airlock-debounce-'));
    const client = LspClient.inProcess();
    try {
      await prepareFormat('terraform'); // the grammar loaded: the open below measures analysis, not start-up
      await client.initialize(uriOf(dir), { debounceMs: 3000 });
      const uri = uriOf(path.join(dir, 'main.tf'));
      const t0 = Date.now();
      await client.open(uri, 'terraform', TF_MAIN);
      // Well under the debounce, with room for a busy machine.
      await client.diagnostics(uri, count(3), 2500);
      expect(Date.now() - t0).toBeLessThan(2500);

      const sent = Date.now();
      await client.insert(uri, 0, '# a comment\n');
      await sleep(1000);
      expect(client.latest(uri)?.version).toBe(1);
      await client.diagnostics(uri, count(3), 8000);
      expect(Date.now() - sent).toBeGreaterThanOrEqual(2950);

      // The setting wins over initializationOptions.
      await client.setSettings({ airlock: { debounceMs: 0 } });
      await sleep(50);
      const again = Date.now();
      await client.insert(uri, 0, '# another\n');
      await client.diagnostics(uri, count(3), 2500);
      expect(Date.now() - again).toBeLessThan(2500);
    } finally {
      await client.shutdown();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.each(MODES)('language server (%s)', (mode, make) => {
  let client: LspClient;
  let dir: string;
  const inProcess = mode === 'in-process';

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'airlock-lsp-'));
    client = make();
    const init = await client.initialize(uriOf(dir));
    expect(init.capabilities.textDocumentSync).toMatchObject({ openClose: true, change: 2 });
  });

  afterAll(async () => {
    await client?.shutdown();
    rmSync(dir, { recursive: true, force: true });
  });

  function file(name: string, text?: string): string {
    const p = path.join(dir, name);
    mkdirSync(path.dirname(p), { recursive: true });
    if (text !== undefined) writeFileSync(p, text);
    return uriOf(p);
  }

  it('announces its capabilities', async () => {
    const c = LspClient.inProcess({ debounceMs: 0 });
    const init = await c.initialize(null);
    const caps = init.capabilities;
    expect(caps.textDocumentSync).toEqual({ openClose: true, change: 2, save: { includeText: false } });
    expect(caps.notebookDocumentSync).toEqual({
      notebookSelector: [{ notebook: { notebookType: 'jupyter-notebook' }, cells: [{ language: 'python' }, { language: 'markdown' }] }],
      save: true,
    });
    expect(caps.codeActionProvider).toEqual({ codeActionKinds: ['quickfix', FIX_ALL_KIND], resolveProvider: false });
    expect(caps.executeCommandProvider).toEqual({ commands: [Commands.scanWorkspace, Commands.showRuleDocs] });
    expect(init.serverInfo?.name).toBe('airlock');
    await c.shutdown();
  });

  it('registers text document sync for the formats when the client takes it by registration', async () => {
    const c = LspClient.inProcess({ debounceMs: 0 });
    const capabilities = { ...CAPABILITIES, textDocument: { ...CAPABILITIES.textDocument, synchronization: { didSave: true, dynamicRegistration: true } } };
    const init = await c.initialize(uriOf(dir), { debounceMs: 0 }, capabilities);
    expect(init.capabilities.textDocumentSync).toBe(0);
    const open = await c.until(() => c.registrations.find((r) => r.method === 'textDocument/didOpen'), 'didOpen registration');
    const selector = (open.registerOptions as { documentSelector: { language?: string; pattern?: string; scheme?: string }[] }).documentSelector;
    for (const language of ['terraform', 'terraform-vars', 'terraform-json', 'yaml', 'json', 'dockercompose', 'dockerfile'])
      expect(selector).toContainEqual({ scheme: 'file', language });
    expect(selector).toContainEqual({ scheme: 'file', pattern: expect.stringMatching(/^\*\*\/\*\.\{tf,tofu,tfvars,/) });
    expect(c.registrations.map((r) => r.method)).toEqual(expect.arrayContaining(['textDocument/didChange', 'textDocument/didClose', 'textDocument/didSave']));
    const uri = file('dynamic/main.tf', TF_MAIN);
    await c.open(uri, 'terraform', TF_MAIN);
    expect(codes(await c.diagnostics(uri, (d) => codes(d).length > 0))).toContain('secret/hardcoded-password');
    await c.shutdown();
  });

  it('reports a hard-coded password with its exact range, docs link and no secret in the message', async () => {
    const uri = file('a/main.tf');
    await client.open(uri, 'terraform', TF_MAIN);
    const ds = await client.diagnostics(uri, (d) => codes(d).length > 0);
    expect(codes(ds)).toEqual(['network/open-ingress', 'secret/hardcoded-password', 'storage/s3-public-acl']);
    const [pw] = only(ds, 'secret/hardcoded-password');
    expect(pw.range).toEqual(rangeOf(TF_MAIN, 'Sup3rS3cretPassw0rd'));
    expect(pw.source).toBe('airlock');
    expect(pw.severity).toBe(1);
    expect(pw.codeDescription?.href).toBe(`${RULE_DOCS_BASE_URL}secret/hardcoded-password.md`);
    expect(pw.codeDescription?.href).toBe(ruleDocsUrl('secret/hardcoded-password'));
    expect(msg(pw)).not.toContain('Sup3rS3cretPassw0rd');
    expect(msg(pw)).toContain('password');
    expect(pw.data).toEqual({ ruleId: 'secret/hardcoded-password', version: 1, index: expect.any(Number) } satisfies DiagnosticData);
    expect(only(ds, 'network/open-ingress')[0].range).toEqual(rangeOf(TF_MAIN, '0.0.0.0/0'));
    await client.close(uri);
    expect(await client.until(() => client.latest(uri)?.diagnostics.length === 0 && true, 'cleared on close')).toBe(true);
  });

  it('shows an airlock:ignore naming no rule as a warning, and one that hides nothing faded out as a hint', async () => {
    const text = '# airlock:ignore secret/knwon-token\n# airlock:ignore storage/s3-public-acl\nlocals {}\n';
    const uri = file('suppressions/main.tf');
    await client.open(uri, 'terraform', text);
    const ds = await client.diagnostics(uri, (d) => d.length === 2);
    expect(ds.map((d) => [d.code, d.severity, d.tags, msg(d), d.range.start.line])).toEqual([
      ['airlock/unknown-rule-id', 2, undefined, 'Unknown rule id "secret/knwon-token" in airlock:ignore', 0],
      ['airlock/unused-suppression', 4, [1], 'Unused airlock:ignore: no storage/s3-public-acl finding here', 1],
    ]);
    expect(ds[0].codeDescription?.href).toBe(ruleDocsUrl('airlock/unknown-rule-id'));
    await client.close(uri);
  });

  it('follows incremental edits, keeps findings while a string is unterminated, and drops nothing stale', async () => {
    const uri = file('b/main.tf');
    await client.open(uri, 'terraform', TF_MAIN);
    await client.diagnostics(uri, count(3));

    // 1. several edits in one change: a line above everything, and typing right after an emoji (UTF-16 columns).
    const t = client.text(uri);
    const afterEmoji = positionAt(t, t.indexOf('😀"') + 2);
    await client.change(uri, [
      { range: { start: afterEmoji, end: afterEmoji }, text: '-x' },
      { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# owner: data team\n' },
    ]);
    let ds = await client.diagnostics(uri, count(3));
    let text = client.text(uri);
    expect(text).toContain('"pøstgres😀-x"');
    expect(only(ds, 'secret/hardcoded-password')[0].range).toEqual(rangeOf(text, 'Sup3rS3cretPassw0rd'));
    expect(only(ds, 'storage/s3-public-acl')[0].range).toEqual(rangeOf(text, 'public-read'));

    // 2. the password becomes a reference.
    const pw = rangeOf(text, '"Sup3rS3cretPassw0rd"');
    await client.change(uri, [{ range: pw, text: 'var.db_password' }]);
    ds = await client.diagnostics(uri, count(2));
    expect(codes(ds)).toEqual(['network/open-ingress', 'storage/s3-public-acl']);

    // 3. mid-typing: an opening quote that swallows the rest of the file.
    text = client.text(uri);
    const ingress = text.indexOf('  ingress {');
    await client.insert(uri, ingress, '  description = "\n');
    ds = await client.diagnostics(uri);
    text = client.text(uri);
    expect(ds.length).toBeGreaterThan(0);
    expect(only(ds, 'network/open-ingress').map((d) => d.range)).toEqual([rangeOf(text, '0.0.0.0/0')]);
    expect(only(ds, 'storage/s3-public-acl').map((d) => d.range)).toEqual([rangeOf(text, 'public-read')]);
    const parse = only(ds, 'parse-error');
    expect(parse.length).toBeGreaterThan(0);
    expect(parse[0].severity).toBe(3);
    expect(parse.some((d) => /^Airlock could not parse this Terraform file: .*unterminated string/.test(msg(d)))).toBe(true);

    // 4. keep typing inside the string, then close it: back to a clean parse with the same findings.
    await client.insert(uri, client.text(uri).indexOf('description = "') + 'description = "'.length, 'ssh from anywhere');
    ds = await client.diagnostics(uri);
    text = client.text(uri);
    expect(only(ds, 'storage/s3-public-acl').map((d) => d.range)).toEqual([rangeOf(text, 'public-read')]);
    await client.insert(uri, text.indexOf('ssh from anywhere') + 'ssh from anywhere'.length, '"');
    ds = await client.diagnostics(uri);
    text = client.text(uri);
    expect(codes(ds)).toEqual(['network/open-ingress', 'storage/s3-public-acl']);
    expect(only(ds, 'network/open-ingress')[0].range).toEqual(rangeOf(text, '0.0.0.0/0'));

    // 5. a burst of edits sent without waiting: only the last version's diagnostics are final.
    for (let i = 0; i < 15; i++) await client.insert(uri, 0, `# ${i}\n`);
    ds = await client.diagnostics(uri);
    text = client.text(uri);
    expect(only(ds, 'storage/s3-public-acl')[0].range).toEqual(rangeOf(text, 'public-read'));
    expectMonotonic(client, uri);
    await client.close(uri);
  });

  it('reports open ingress in a CloudFormation YAML template and an unpinned image in a Kubernetes manifest', async () => {
    const cfn = file('c/template.yaml');
    const k8s = file('c/pod.yaml');
    await client.open(cfn, 'yaml', CFN_YAML);
    await client.open(k8s, 'yaml', K8S_YAML);
    const a = await client.diagnostics(cfn, (d) => codes(d).length > 0);
    expect(codes(a)).toEqual(['network/open-ingress']);
    expect(a[0].range).toEqual(rangeOf(CFN_YAML, '0.0.0.0/0'));
    const b = await client.diagnostics(k8s, (d) => codes(d).length > 0);
    expect(codes(b)).toEqual(['pin/image-unpinned']);
    expect(b[0].range).toEqual(rangeOf(K8S_YAML, 'nginx:latest'));
    await client.close(cfn);
    await client.close(k8s);
  });

  it('analyses Compose files (dockercompose or yaml documents) and kustomizations as they are typed, with their fixes and ignore comments', async () => {
    const compose = file('h/docker-compose.yml');
    const composeText = 'services:\n  db:\n    image: postgres:16.4\n    ports:\n      - "5432:5432"\n';
    await client.open(compose, 'dockercompose', composeText);
    let ds = await client.diagnostics(compose, (d) => codes(d).length > 0);
    expect(codes(ds)).toEqual(['network/port-published-all-interfaces']);
    expect(ds[0].range).toEqual(rangeOf(composeText, '5432:5432'));
    const bind = (await client.codeActions(compose, ds[0].range, [ds[0]])).find((a) => a.title === 'Publish the port on 127.0.0.1 only') as CodeAction;
    await client.applyEdit(bind.edit!);
    await client.diagnostics(compose, (d) => codes(d).length === 0);
    expect(client.text(compose)).toContain('- "127.0.0.1:5432:5432"');
    await client.change(compose, [{ range: rangeOf(client.text(compose), 'postgres:16.4'), text: 'postgres' }]);
    ds = await client.diagnostics(compose, (d) => codes(d).includes('pin/image-unpinned'));
    const ignore = (await client.codeActions(compose, ds[0].range, [ds[0]])).find((a) => a.title === 'Ignore pin/image-unpinned on this line') as CodeAction;
    await client.applyEdit(ignore.edit!);
    await client.diagnostics(compose, (d) => codes(d).length === 0);
    expect(client.text(compose)).toContain('    # airlock:ignore pin/image-unpinned -- <reason>\n    image: postgres\n');
    await client.close(compose);

    const overlay = file('h/overlay/kustomization.yaml');
    const overlayText = 'images:\n  - name: vllm/vllm-openai\n    newTag: latest\n';
    await client.open(overlay, 'yaml', overlayText);
    ds = await client.diagnostics(overlay, (d) => codes(d).length > 0);
    expect(codes(ds)).toEqual(['pin/image-unpinned']);
    expect(ds[0].range).toEqual(rangeOf(overlayText, 'latest'));
    await client.close(overlay);
  });

  it('analyses notebooks cell by cell through notebook sync, as cells are added, removed and edited', async () => {
    const nb = file('d/train.ipynb');
    const [md, code] = await client.openNotebook(nb, NOTEBOOK_CELLS);
    const ds = await client.diagnostics(code, (d) => codes(d).length > 0);
    expect(codes(ds)).toEqual(['pin/hf-unpinned-revision']);
    const hf = only(ds, 'pin/hf-unpinned-revision')[0];
    expect(hf.range).toEqual(rangeOf(NOTEBOOK_CELLS[1].text, 'org/m'));
    expect(hf.range.start.character).toBe('x = "😀"; m = AutoModel.from_pretrained("'.length);
    expect(codes(await client.diagnostics(md))).toEqual([]);

    // A new first cell, the markdown cell removed, the model cell edited.
    const [first] = await client.notebookStructure(nb, 0, 0, [{ kind: 'code', text: 'import os\n' }]);
    await client.notebookStructure(nb, 1, 1, []);
    await client.changeCell(nb, code, [{ range: rangeOf(client.text(code), 'org/m'), text: 'team/model-v2' }]);
    const after = only(
      await client.diagnostics(code, (d) => msg(only(d, 'pin/hf-unpinned-revision')[0] ?? { message: '' }).includes('team/model-v2')),
      'pin/hf-unpinned-revision',
    );
    expect(after.map((d) => d.range)).toEqual([rangeOf(client.text(code), 'team/model-v2')]);
    expect(codes(await client.diagnostics(first))).toEqual([]);
    expect(client.latest(md)?.diagnostics).toEqual([]);

    // A Hugging Face token printed by the first cell.
    await client.connection.sendNotification(NOTEBOOK_OUTPUTS_NOTIFICATION, {
      notebookUri: nb,
      cells: [{ index: 0, uri: first, outputs: [{ outputType: 'stream', text: `loading...\ntoken is ${HF_TOKEN}\n` }] }],
    });
    const all = await client.diagnostics(first, (d) => codes(d).length > 0);
    expect(codes(all)).toEqual(['secret/known-token']);
    const out = only(all, 'secret/known-token');
    expect(out[0].range).toEqual({ start: { line: 0, character: 0 }, end: { line: 0, character: 'import os'.length } });
    expect(msg(out[0])).toContain('in output 1, line 2');
    expect(msg(out[0])).not.toContain(HF_TOKEN);
    const actions = await client.codeActions(first, out[0].range, out);
    const clear = actions.find((a) => a.command?.command === Commands.clearCellOutputs);
    expect(clear?.command?.arguments).toEqual([nb, 0, first]);

    // Outputs cleared by the client: the finding goes.
    await client.connection.sendNotification(NOTEBOOK_OUTPUTS_NOTIFICATION, { notebookUri: nb, cells: [] });
    await client.until(() => codes(client.latest(first)?.diagnostics ?? [1 as never]).length === 0, 'output finding cleared');
    await client.closeNotebook(nb);
    await client.until(() => client.latest(code)?.diagnostics.length === 0, 'notebook diagnostics cleared on close');
  });

  it('applies a quick fix, re-checks, and the finding is gone', async () => {
    const uri = file('e/main.tf');
    await client.open(uri, 'terraform', TF_MAIN);
    const ds = await client.diagnostics(uri, count(3));
    const acl = only(ds, 'storage/s3-public-acl')[0];
    const actions = await client.codeActions(uri, acl.range, [acl]);
    const titles = actions.map((a) => a.title);
    expect(titles).toContain('Set the ACL to private');
    expect(titles).toContain('Ignore storage/s3-public-acl on this line');
    expect(titles).toContain('Show documentation for storage/s3-public-acl');
    const fix = actions.find((a) => a.title === 'Set the ACL to private')!;
    expect(fix.isPreferred).toBe(true);
    await client.applyEdit(fix.edit!);
    const after = await client.diagnostics(uri);
    expect(codes(after)).toEqual(['network/open-ingress', 'secret/hardcoded-password']);
    expect(client.text(uri)).toContain('acl = "private"');

    // A snippet fix: the placeholder is inserted as plain text.
    const ingress = only(after, 'network/open-ingress')[0];
    const open = (await client.codeActions(uri, ingress.range, [ingress])).find((a) => a.title === 'Replace the open range with a variable')!;
    expect(Object.values(open.edit!.changes!)[0][0].newText as string).toBe('var.allowed_ingress_cidr');

    // A stale diagnostic (older version) gets no fix.
    expect(await client.codeActions(uri, acl.range, [acl])).toEqual([]);
    await client.close(uri);
  });

  it('fix-all applies only safe fixes; "fix all <rule>" fixes every finding of the rule', async () => {
    const uri = file('f/main.tf');
    await client.open(uri, 'terraform', TF_TWO_BUCKETS);
    const ds = await client.diagnostics(uri, count(3));
    const all = await client.codeActions(uri, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, [], [FIX_ALL_KIND]);
    expect(all.map((a) => [a.title, a.kind])).toEqual([['Fix all safe Airlock issues', FIX_ALL_KIND]]);
    // Only quick fixes without `only`.
    const acl = only(ds, 'storage/s3-public-acl');
    const quick = await client.codeActions(uri, acl[0].range, [acl[0]]);
    expect(quick.some((a) => a.kind === FIX_ALL_KIND)).toBe(false);
    expect(quick.find((a) => a.title === 'Fix all storage/s3-public-acl in this file')?.edit?.changes?.[uri]).toHaveLength(2);

    await client.applyEdit(all[0].edit!);
    const after = await client.diagnostics(uri);
    expect(codes(after)).toEqual(['secret/hardcoded-password']);
    expect(client.text(uri)).toContain('Sup3rS3cretPassw0rd'); // the unsafe fix was not applied
    expect(client.text(uri).match(/acl = "private"/g)).toHaveLength(2);
    await client.close(uri);
  });

  it('"ignore on this line" silences the finding in Terraform, YAML, CloudFormation JSON and a notebook cell', async () => {
    const ignoreAndCheck = async (uri: string, code: string) => {
      const ds = await client.diagnostics(uri, (d) => d.some((x) => x.code === code));
      const d = only(ds, code)[0];
      const action = (await client.codeActions(uri, d.range, [d])).find((a) => a.title === `Ignore ${code} on this line`) as CodeAction;
      expect(action, `ignore action for ${code} on ${uri}`).toBeTruthy();
      await client.applyEdit(action.edit!);
      await client.diagnostics(uri, (x) => !x.some((y) => y.code === code));
      return client.text(uri);
    };

    const tf = file('g/main.tf');
    await client.open(tf, 'terraform', TF_MAIN);
    const tfText = await ignoreAndCheck(tf, 'network/open-ingress');
    expect(tfText).toContain('    # airlock:ignore network/open-ingress -- <reason>\n    cidr_blocks = ["0.0.0.0/0"]');
    expect(codes(await client.diagnostics(tf))).toEqual(['secret/hardcoded-password', 'storage/s3-public-acl']);

    const yaml = file('g/pod.yaml');
    await client.open(yaml, 'yaml', K8S_YAML);
    expect(await ignoreAndCheck(yaml, 'pin/image-unpinned')).toContain('      # airlock:ignore pin/image-unpinned -- <reason>\n      image: nginx:latest');

    const json = file('g/template.json');
    await client.open(json, 'json', CFN_JSON);
    const jsonText = await ignoreAndCheck(json, 'network/open-ingress');
    expect(JSON.parse(jsonText).Resources.Web.Metadata).toEqual({ airlock: { ignore: ['network/open-ingress'] } });
    expect(jsonText).toContain(
      '\n      },\n      "Metadata": {\n        "airlock": {\n          "ignore": ["network/open-ingress"]\n        }\n      }\n    }',
    );

    const nb = file('g/nb.ipynb');
    const [, code] = await client.openNotebook(nb, NOTEBOOK_CELLS);
    expect(await ignoreAndCheck(code, 'pin/hf-unpinned-revision')).toBe(
      'from transformers import AutoModel\n# airlock:ignore pin/hf-unpinned-revision -- <reason>\nx = "😀"; m = AutoModel.from_pretrained("org/m")\n',
    );
    for (const u of [tf, yaml, json]) await client.close(u);
    await client.closeNotebook(nb);
  });

  it('offers no "ignore on this line" inside a heredoc, where a comment would become text', async () => {
    const uri = file('h/heredoc.tf');
    const text = 'resource "aws_db_instance" "db" {\n  password = <<EOT\nSup3rS3cretPassw0rd\nEOT\n}\n';
    await client.open(uri, 'terraform', text);
    const ds = await client.diagnostics(uri, (d) => only(d, 'secret/hardcoded-password').length > 0);
    const d = only(ds, 'secret/hardcoded-password')[0];
    expect(d.range.start.line).toBe(2);
    const titles = (await client.codeActions(uri, d.range, [d])).map((a) => a.title);
    expect(titles).toContain('Show documentation for secret/hardcoded-password');
    expect(titles).not.toContain('Ignore secret/hardcoded-password on this line');
    await client.close(uri);
  });

  it('adds to an existing Metadata.airlock.ignore list in CloudFormation JSON', async () => {
    const json = file('h/template.json');
    const text = CFN_JSON.replace(
      '"Type": "AWS::EC2::SecurityGroup",',
      '"Type": "AWS::EC2::SecurityGroup",\n      "Metadata": { "airlock": { "ignore": ["secret/*"] } },',
    );
    await client.open(json, 'json', text);
    const [d] = await client.diagnostics(json, count(1));
    const action = (await client.codeActions(json, d.range, [d])).find((a) => a.title.startsWith('Ignore'))!;
    await client.applyEdit(action.edit!);
    // What is left: the hint that the list's first id hides nothing on a security group.
    expect((await client.diagnostics(json)).map(msg)).toEqual(['Unused airlock:ignore: no secret/* finding here']);
    expect(JSON.parse(client.text(json)).Resources.Web.Metadata.airlock.ignore).toEqual(['secret/*', 'network/open-ingress']);
    await client.close(json);
  });

  it('follows settings: a rule turned off vanishes, a severity override applies', async () => {
    const uri = file('i/main.tf');
    await client.open(uri, 'terraform', TF_MAIN);
    await client.diagnostics(uri, count(3));
    await client.setSettings({ airlock: { rules: { 'network/open-ingress': 'off', 'storage/*': 'warning' } } });
    const ds = await client.diagnostics(uri, (d) => !d.some((x) => x.code === 'network/open-ingress'));
    expect(codes(ds)).toEqual(['secret/hardcoded-password', 'storage/s3-public-acl']);
    expect(only(ds, 'storage/s3-public-acl')[0].severity).toBe(2);
    expect(only(ds, 'secret/hardcoded-password')[0].severity).toBe(1);
    await client.setSettings({});
    await client.diagnostics(uri, count(3));
    await client.close(uri);
  });

  it('layers .airlock.yaml under the settings', async () => {
    file('j/.airlock.yaml', 'rules:\n  storage/s3-public-acl: "off"\n  secret/hardcoded-password: info\n');
    const uri = file('j/main.tf');
    await client.open(uri, 'terraform', TF_MAIN);
    const ds = await client.diagnostics(uri, (d) => codes(d).length > 0);
    expect(codes(ds)).toEqual(['network/open-ingress', 'secret/hardcoded-password']);
    expect(only(ds, 'secret/hardcoded-password')[0].severity).toBe(3);
    await client.setSettings({ airlock: { rules: { 'secret/hardcoded-password': 'error' } } });
    await client.diagnostics(uri, (d) => only(d, 'secret/hardcoded-password')[0]?.severity === 1);
    await client.setSettings({});
    await client.close(uri);
  }, 30_000);

  it('a Terraform folder is one project: the secret fix adds the variable to variables.tf on disk', async () => {
    const variables = file('k/variables.tf', 'variable "region" {\n  type = string\n}\n');
    const main = file('k/main.tf');
    await client.open(main, 'terraform', TF_MAIN);
    const ds = await client.diagnostics(main, count(3));
    const pw = only(ds, 'secret/hardcoded-password')[0];
    const fix = (await client.codeActions(main, pw.range, [pw])).find((a) => a.title.startsWith('Move the secret'))!;
    expect(fix.title).toBe('Move the secret to a sensitive variable "db_password"');
    expect(Object.keys(fix.edit!.changes!).sort()).toEqual([main, variables].sort());
    expect(fix.edit!.changes![main]).toEqual([{ range: rangeOf(TF_MAIN, '"Sup3rS3cretPassw0rd"'), newText: 'var.db_password' }]);
    expect(fix.edit!.changes![variables][0].range.start).toEqual({ line: 3, character: 0 });
    await client.applyEdit(fix.edit!);
    const after = await client.diagnostics(main, count(2));
    expect(codes(after)).toEqual(['network/open-ingress', 'storage/s3-public-acl']);
    expect(readFileSync(new URL(variables), 'utf8')).toBe(
      'variable "region" {\n  type = string\n}\n\nvariable "db_password" {\n  type      = string\n  sensitive = true\n}\n',
    );
    expect(client.text(main)).toContain('password = var.db_password');
    await client.close(main);
  });

  it('an unsaved buffer of the folder overrides its file on disk', async () => {
    const variables = file('l/variables.tf', 'variable "region" {\n  type = string\n}\n');
    const main = file('l/main.tf');
    await client.open(variables, 'terraform', 'variable "region" {\n  type = string\n}\n\nvariable "other" {}\n');
    await client.open(main, 'terraform', TF_MAIN);
    const ds = await client.diagnostics(main, count(3));
    const pw = only(ds, 'secret/hardcoded-password')[0];
    const fix = (await client.codeActions(main, pw.range, [pw])).find((a) => a.title.startsWith('Move the secret'))!;
    // Appended after the buffer's text, not the shorter file on disk.
    expect(fix.edit!.changes![variables][0].range.start).toEqual({ line: 5, character: 0 });
    await client.close(main);
    await client.close(variables);
  });

  it('sees values defined in another file of the folder (relatedInformation), and re-reads it when it changes on disk', async () => {
    const variablesText = 'variable "admin_cidr" {\n  type    = string\n  default = "0.0.0.0/0"\n}\n';
    const variables = file('o/variables.tf', variablesText);
    const main = file('o/main.tf');
    const mainText =
      'resource "aws_security_group" "ssh" {\n  ingress {\n    from_port   = 22\n    to_port     = 22\n    protocol    = "tcp"\n    cidr_blocks = [var.admin_cidr]\n  }\n}\n';
    await client.open(main, 'terraform', mainText);
    const ds = await client.diagnostics(main, (d) => only(d, 'network/open-ingress').length > 0);
    const d = only(ds, 'network/open-ingress')[0];
    expect(d.range).toEqual(rangeOf(mainText, 'var.admin_cidr'));
    expect(d.relatedInformation).toContainEqual({
      location: { uri: variables, range: rangeOf(variablesText, '0.0.0.0/0') },
      message: 'the open range is defined here',
    });

    // The variable changes on disk: the watched-files notification makes the folder's files be read again.
    writeFileSync(new URL(variables), variablesText.replace('0.0.0.0/0', '10.0.0.0/8'));
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: variables, type: 2 }] });
    await client.until(() => {
      const l = client.latest(main);
      return l && l.version === client.version(main) && only(l.diagnostics, 'network/open-ingress').length === 0;
    }, 'the finding to go after variables.tf changed');
    await client.close(main);
  });

  it('scans the workspace: unopened files get diagnostics, with progress and counts', async () => {
    const root = path.join(dir, 'scan');
    file('scan/net/main.tf', TF_MAIN);
    file('scan/k8s/pod.yaml', K8S_YAML);
    file('scan/clean/main.tf', 'resource "aws_s3_bucket" "ok" {\n  acl = "private"\n}\n');
    file('scan/ignored/main.tf', TF_MAIN);
    file('scan/.gitignore', 'ignored/\n');
    file('scan/vendor/pod.yaml', K8S_YAML);
    const notebook = JSON.stringify(
      {
        cells: [
          {
            cell_type: 'code',
            metadata: {},
            source: ['print(token)\n'],
            execution_count: 1,
            outputs: [{ output_type: 'stream', name: 'stdout', text: [`token: ${HF_TOKEN}\n`] }],
          },
        ],
        metadata: {},
        nbformat: 4,
        nbformat_minor: 5,
      },
      null,
      1,
    );
    file('scan/nb/run.ipynb', notebook);
    file('scan/.airlock.yaml', 'ignore:\n  - vendor/\n');
    const result = (await client.executeCommand(Commands.scanWorkspace, [{ folders: [uriOf(root)] }], 'scan-token-1')) as ScanWorkspaceResult;
    expect(result).toMatchObject({ files: 4, open: 0, skipped: 0, errors: 0, cancelled: false });
    // A notebook on disk: the finding in its output points into the .ipynb text.
    const nbDiags = only(client.latest(uriOf(path.join(root, 'nb/run.ipynb')))!.diagnostics, 'secret/known-token');
    expect(nbDiags.map((d) => d.range)).toEqual([rangeOf(notebook, HF_TOKEN)]);
    // Other rules may add findings on these files; at least these: 3 errors in net/main.tf, 1 in the notebook, 1 warning in k8s/pod.yaml.
    expect(result.filesWithFindings).toBeGreaterThanOrEqual(3);
    expect(result.findings).toBe(result.bySeverity.error + result.bySeverity.warning + result.bySeverity.info);
    expect(result.bySeverity.error).toBeGreaterThanOrEqual(4);
    expect(result.bySeverity.warning).toBeGreaterThanOrEqual(1);
    expect(codes(client.latest(uriOf(path.join(root, 'k8s/pod.yaml')))!.diagnostics)).toEqual(['pin/image-unpinned']);
    const tf = client.latest(uriOf(path.join(root, 'net/main.tf')));
    expect(codes(tf!.diagnostics)).toEqual(['network/open-ingress', 'secret/hardcoded-password', 'storage/s3-public-acl']);
    expect(client.latest(uriOf(path.join(root, 'ignored/main.tf')))).toBeUndefined();
    expect(client.latest(uriOf(path.join(root, 'vendor/pod.yaml')))).toBeUndefined();
    const kinds = client.progress.filter((p) => (p as { token: string }).token === 'scan-token-1').map((p) => (p as { value: { kind: string } }).value.kind);
    expect(kinds[0]).toBe('begin');
    expect(kinds[kinds.length - 1]).toBe('end');
  });

  it('the workspace scan reads the files the editor analyses by name or language: Dockerfiles, Python files, Terragrunt units', async () => {
    file('kinds/Dockerfile', 'FROM python:latest\n');
    file('kinds/app.py', 'from transformers import AutoModel\n\nmodel = AutoModel.from_pretrained("bert-base-uncased")\n');
    file('kinds/live/terragrunt.hcl', 'terraform {\n  source = "git::https://github.com/acme/infra-modules.git//vpc"\n}\n');
    file('kinds/NOTES.md', 'Nothing the editor analyses.\n');
    const root = path.join(dir, 'kinds');
    const result = (await client.executeCommand(Commands.scanWorkspace, [{ folders: [uriOf(root)] }])) as ScanWorkspaceResult;
    expect(result).toMatchObject({ files: 3, open: 0, errors: 0 });
    expect(codes(client.latest(uriOf(path.join(root, 'Dockerfile')))!.diagnostics)).toContain('pin/image-unpinned');
    expect(codes(client.latest(uriOf(path.join(root, 'app.py')))!.diagnostics)).toContain('pin/hf-unpinned-revision');
    expect(client.latest(uriOf(path.join(root, 'live/terragrunt.hcl')))!.diagnostics.map((d) => d.code)).toContain('pin/module-unpinned');
    expect(client.latest(uriOf(path.join(root, 'NOTES.md')))).toBeUndefined();
  });

  it('scanning a folder inside a git repository applies the .gitignore files above it', async () => {
    mkdirSync(path.join(dir, 'repo', '.git'), { recursive: true });
    file('repo/.gitignore', '**/generated.tf\n');
    file('repo/infra/generated.tf', TF_MAIN);
    file('repo/infra/main.tf', TF_MAIN);
    const result = (await client.executeCommand(Commands.scanWorkspace, [{ folders: [uriOf(path.join(dir, 'repo', 'infra'))] }])) as ScanWorkspaceResult;
    expect(result.files).toBe(1);
    expect(client.latest(uriOf(path.join(dir, 'repo/infra/generated.tf')))).toBeUndefined();
    expect(codes(client.latest(uriOf(path.join(dir, 'repo/infra/main.tf')))!.diagnostics)).toContain('secret/hardcoded-password');
  });

  it("the workspace scan sees open buffers and the folder's other files as the CLI and the editor do", async () => {
    const sg =
      'resource "aws_security_group" "ssh" {\n  ingress {\n    from_port   = 22\n    to_port     = 22\n    protocol    = "tcp"\n    cidr_blocks = [var.admin_cidr]\n  }\n}\n';
    // An open buffer stands in for its file: the module's variable is open to the world only in the buffer.
    const variables = file('w/tf/variables.tf', 'variable "admin_cidr" {\n  default = "10.0.0.0/8"\n}\n');
    file('w/tf/main.tf', sg);
    await client.open(variables, 'terraform', 'variable "admin_cidr" {\n  default = "0.0.0.0/0"\n}\n');
    // A Service in one manifest exposes the vector database of a Deployment in another.
    file(
      'w/k8s/svc.yaml',
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: qdrant\nspec:\n  type: LoadBalancer\n  selector:\n    app: qdrant\n  ports:\n    - port: 6333\n',
    );
    file(
      'w/k8s/deploy.yaml',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: qdrant\nspec:\n  selector:\n    matchLabels:\n      app: qdrant\n  template:\n    metadata:\n      labels:\n        app: qdrant\n    spec:\n      containers:\n        - name: qdrant\n          image: qdrant/qdrant:v1.7.4\n',
    );
    // A Helm template: read with its actions masked, it has no YAML error to show.
    file(
      'w/k8s/account.yaml',
      'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: {{ include "app.name" . }}\n  labels:\n    {{- include "app.labels" . | nindent 4 }}\n',
    );
    const root = path.join(dir, 'w');
    const result = (await client.executeCommand(Commands.scanWorkspace, [{ folders: [uriOf(root)] }])) as ScanWorkspaceResult;
    expect(result).toMatchObject({ files: 4, open: 1, errors: 0 });
    expect(codes(client.latest(uriOf(path.join(root, 'tf/main.tf')))!.diagnostics)).toContain('network/open-ingress');
    expect(client.latest(uriOf(path.join(root, 'k8s/svc.yaml')))!.diagnostics.map((d) => d.code)).toContain('storage/vector-db-exposed');
    const account = client.latest(uriOf(path.join(root, 'k8s/account.yaml')));
    expect(account?.diagnostics.map((d) => d.code) ?? []).not.toContain(PARSE_ERROR_CODE);
    await client.close(variables);
  });

  it('documents not edited lately keep only what was published: edits, code actions and the heredoc check work as before', async () => {
    // More documents than the server keeps trees and models for (16): the first ones let theirs go.
    const heredoc = 'resource "aws_db_instance" "db" {\n  password = <<EOT\nSup3rS3cretPassw0rd\nEOT\n}\n';
    const first = file('r/first/main.tf');
    const doc = file('r/doc/main.tf');
    const json = file('r/template.json');
    await client.open(first, 'terraform', TF_MAIN);
    await client.open(doc, 'terraform', heredoc);
    await client.open(json, 'json', CFN_JSON);
    const others: string[] = [];
    for (let i = 0; i < 20; i++) {
      const u = file(`r/f${i}/main.tf`);
      others.push(u);
      await client.open(u, 'terraform', TF_MAIN);
    }
    for (const u of others) await client.diagnostics(u, count(3));

    // The heredoc document's model is parsed again for the code action: still no comment inside the heredoc.
    const hd = only(await client.diagnostics(doc, (d) => only(d, 'secret/hardcoded-password').length > 0), 'secret/hardcoded-password')[0];
    const titles = (await client.codeActions(doc, hd.range, [hd])).map((a) => a.title);
    expect(titles).toContain('Show documentation for secret/hardcoded-password');
    expect(titles).not.toContain('Ignore secret/hardcoded-password on this line');

    // CloudFormation JSON: the ignore goes into the resource's Metadata, which needs the model.
    const jd = only(await client.diagnostics(json, (d) => only(d, 'network/open-ingress').length > 0), 'network/open-ingress')[0];
    const jsonIgnore = (await client.codeActions(json, jd.range, [jd])).find((a) => a.title === 'Ignore network/open-ingress on this line') as CodeAction;
    await client.applyEdit(jsonIgnore.edit!);
    await client.diagnostics(json, (d) => only(d, 'network/open-ingress').length === 0);
    expect(JSON.parse(client.text(json)).Resources.Web.Metadata).toEqual({ airlock: { ignore: ['network/open-ingress'] } });

    // Editing a document whose tree was let go: a full parse, the same findings at the right places.
    await client.insert(first, 0, '# moved\n');
    const ds = await client.diagnostics(first, (d) => codes(d).length === 3 && d.every((x) => x.range.start.line > 0));
    const text = client.text(first);
    expect(only(ds, 'secret/hardcoded-password')[0].range).toEqual(rangeOf(text, 'Sup3rS3cretPassw0rd'));
    expect(only(ds, 'network/open-ingress')[0].range).toEqual(rangeOf(text, '0.0.0.0/0'));
    const pw = rangeOf(text, '"Sup3rS3cretPassw0rd"');
    await client.change(first, [{ range: pw, text: 'var.db_password' }]);
    expect(codes(await client.diagnostics(first, count(2)))).toEqual(['network/open-ingress', 'storage/s3-public-acl']);

    for (const u of [first, doc, json, ...others]) await client.close(u);
  });

  it('shows rule docs', async () => {
    const r = (await client.executeCommand(Commands.showRuleDocs, ['network/open-ingress'])) as ShowRuleDocsResult;
    expect(r.url).toBe(ruleDocsUrl('network/open-ingress'));
    expect(r.markdown).toContain('# network/open-ingress');
    expect(r.shown).toBe(true);
    expect(client.shownDocuments).toContain(r.url);
    await expect(client.executeCommand(Commands.showRuleDocs, ['nope/nope'])).rejects.toThrow(/unknown rule/);
  });

  it.runIf(inProcess)('a rule that throws is logged with its stack; the server keeps serving', async () => {
    const bad = file('m/bad.tf');
    await client.open(bad, 'terraform', `# THROW\n${TF_MAIN}`);
    const ds = await client.diagnostics(bad, (d) => codes(d).length > 0);
    expect(codes(ds)).toEqual(['network/open-ingress', 'secret/hardcoded-password', 'storage/s3-public-acl']);
    const log = await client.until(() => client.logs.find((l) => l.message.includes('storage/test-throws')), 'the failure in the log');
    expect(log.type).toBe(1);
    expect(log.message).toContain('boom from the test rule');
    expect(log.message).toMatch(/\n\s+at /);
    const k8s = file('m/pod.yaml');
    await client.open(k8s, 'yaml', `# THROW\n${K8S_YAML}`);
    expect(codes(await client.diagnostics(k8s, (d) => codes(d).length > 0))).toEqual(['pin/image-unpinned']);
    const good = file('m/good.yaml');
    await client.open(good, 'yaml', CFN_YAML);
    expect(codes(await client.diagnostics(good, (d) => codes(d).length > 0))).toEqual(['network/open-ingress']);
    for (const u of [bad, k8s, good]) await client.close(u);
  });

  it.runIf(inProcess)('a newer version cancels the running analysis: nothing is published for the old one', async () => {
    const uri = file('n/main.tf');
    await client.open(uri, 'terraform', `# SLOW\n${TF_MAIN}`);
    await client.diagnostics(uri, count(3));
    const v2 = await client.insert(uri, 0, '# edit 1\n');
    await client.until(() => slowStarted.some((t) => t.startsWith('# edit 1\n')), "v2's analysis inside the slow rule");
    const v3 = await client.insert(uri, 0, '# edit 2\n');
    await client.diagnostics(uri, count(3));
    const versions = client.publishes.filter((p) => p.uri === uri).map((p) => p.version);
    expect(versions).not.toContain(v2);
    expect(versions[versions.length - 1]).toBe(v3);
    await client.close(uri);
  });
});
