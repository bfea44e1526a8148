/**
 * "Pin to <commit>… (cached from <ref>)" through the language server protocol: code actions read a fake
 * Hugging Face cache (the `hfCache` setting), the fix applied by the client makes the finding go, in a
 * Python document and in a notebook cell; an untrusted workspace's setting is not followed.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { fakeHubCache, sha } from '../hub-cache/fake-cache';
import { LspClient } from './lsp-client';

const RULE = 'pin/hf-unpinned-revision';
const MAIN = sha('a');
const OLD = sha('b');
const cache = fakeHubCache([
  {
    repo: 'org/model',
    snapshots: [
      { sha: OLD, at: 1_000 },
      { sha: MAIN, at: 2_000 },
    ],
    refs: { main: MAIN },
  },
]);
const root = mkdtempSync(path.join(tmpdir(), 'airlock-hf-ws-'));
const uri = (name: string) => pathToFileURL(path.join(root, name)).href;
const TITLES = [`Pin to ${'a'.repeat(12)}… (cached from main)`, `Pin to ${'b'.repeat(12)}… (cached; no branch points to it now)`, 'Pin to a commit sha'];

let client: LspClient | undefined;
const environmentCache = process.env.HF_HUB_CACHE;
afterEach(async () => {
  await client?.shutdown();
  client = undefined;
  if (environmentCache === undefined) delete process.env.HF_HUB_CACHE;
  else process.env.HF_HUB_CACHE = environmentCache;
});

async function start(options: Record<string, unknown>): Promise<LspClient> {
  // The environment's cache is empty: only the setting can lead to the fake one.
  process.env.HF_HUB_CACHE = mkdtempSync(path.join(tmpdir(), 'airlock-hf-none-'));
  client = LspClient.inProcess({ debounceMs: 0 });
  await client.initialize(pathToFileURL(root).href, { debounceMs: 0, ...options });
  return client;
}

const hub = (ds: Diagnostic[]) => ds.filter((d) => d.code === RULE);

describe('cached commit pins in the editor', () => {
  it('offers one pin per cached commit, newest first, and applying one clears the finding', async () => {
    const c = await start({ hfCache: cache });
    const doc = uri('train.py');
    await c.open(doc, 'python', 'from transformers import AutoModel\r\nm = AutoModel.from_pretrained("org/model")\r\n');
    const [finding] = hub(await c.diagnostics(doc, (d) => hub(d).length === 1));
    const actions = await c.codeActions(doc, finding.range, [finding]);
    expect(actions.map((a) => a.title).slice(0, 3)).toEqual(TITLES);
    expect(actions[0].isPreferred).toBeUndefined();
    await c.applyEdit(actions[0].edit!);
    expect(c.text(doc)).toBe(`from transformers import AutoModel\r\nm = AutoModel.from_pretrained("org/model", revision="${MAIN}")\r\n`);
    expect(hub(await c.diagnostics(doc))).toEqual([]);
  });

  it('pins a load in a notebook cell', async () => {
    const c = await start({ hfCache: cache });
    const [, cell] = await c.openNotebook(uri('nb.ipynb'), [
      { kind: 'code', text: 'from transformers import pipeline' },
      { kind: 'code', text: 'clf = pipeline("text-classification", model="org/model")' },
    ]);
    const [finding] = hub(await c.diagnostics(cell, (d) => hub(d).length === 1));
    const actions = await c.codeActions(cell, finding.range, [finding]);
    expect(actions[0].title).toBe(TITLES[0]);
    await c.applyEdit(actions[1].edit!);
    expect(c.text(cell)).toBe(`clf = pipeline("text-classification", model="org/model", revision="${OLD}")`);
    expect(hub(await c.diagnostics(cell))).toEqual([]);
  });

  it('offers only the placeholder when nothing is cached, and ignores an untrusted workspace setting', async () => {
    const c = await start({ hfCache: cache, trusted: false });
    const doc = uri('untrusted.py');
    await c.open(doc, 'python', 'from transformers import AutoModel\nm = AutoModel.from_pretrained("org/model")\n');
    const [finding] = hub(await c.diagnostics(doc, (d) => hub(d).length === 1));
    const titles = (await c.codeActions(doc, finding.range, [finding])).map((a) => a.title);
    expect(titles.filter((t) => t.startsWith('Pin to'))).toEqual(['Pin to a commit sha']);
  });
});
