/**
 * A kustomization in the editor, analysed alone: the bases it names are read from disk as a scan of the tree
 * would hold them (an open one as typed), a JSON 6902 patch file it names applies to their containers, and the extension-less
 * `Kustomization` name is one.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LspClient, rangeOf } from './lsp-client';

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    spec:
      containers:
        - name: api
          image: registry.example/api
`;
const OVERLAY = `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - ../../base
images:
  - name: registry.example/api
    newName: mirror.example/api
`;
const PATCH = '- op: replace\n  path: /spec/template/spec/containers/0/image\n  value: registry.example/api:2.4.1\n';

describe('kustomizations in the language server', () => {
  let client: LspClient;
  let dir: string;
  const uriOf = (...parts: string[]) => pathToFileURL(path.join(dir, ...parts)).href;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'airlock-kustomize-'));
    mkdirSync(path.join(dir, 'base'), { recursive: true });
    mkdirSync(path.join(dir, 'overlays', 'prod'), { recursive: true });
    mkdirSync(path.join(dir, 'overlays', 'pinned'), { recursive: true });
    writeFileSync(path.join(dir, 'base', 'kustomization.yaml'), 'resources:\n  - deployment.yaml\n');
    writeFileSync(path.join(dir, 'base', 'deployment.yaml'), DEPLOYMENT);
    writeFileSync(path.join(dir, 'overlays', 'pinned', 'image.yaml'), PATCH);
    client = LspClient.inProcess({ debounceMs: 0 });
    await client.initialize(pathToFileURL(dir).href);
  });

  afterAll(async () => {
    await client?.shutdown();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads the bases from disk: a newName keeps the base image with no tag, shown where the base uses it', async () => {
    const uri = uriOf('overlays', 'prod', 'kustomization.yaml');
    await client.open(uri, 'yaml', OVERLAY);
    const ds = await client.diagnostics(uri, (d) => d.length > 0);
    expect(ds.map((d) => d.code)).toEqual(['pin/image-unpinned']);
    expect(ds[0].range).toEqual(rangeOf(OVERLAY, 'mirror.example/api'));
    expect(ds[0].relatedInformation?.map((r) => [r.location.uri, r.location.range.start.line, r.message])).toEqual([
      [uriOf('base', 'deployment.yaml'), 9, 'registry.example/api is used here'],
    ]);

    // The base opened and tagged, unsaved: the overlay is checked again and keeps the tag.
    const base = uriOf('base', 'deployment.yaml');
    await client.open(base, 'yaml', DEPLOYMENT);
    await client.change(base, [{ range: rangeOf(DEPLOYMENT, 'registry.example/api'), text: 'registry.example/api:3.0.2' }]);
    expect(await client.diagnostics(uri, (d) => d.length === 0)).toEqual([]);
    await client.close(base);
    await client.close(uri);
  });

  it('applies a JSON 6902 patch file to the base container, and reads an extension-less Kustomization', async () => {
    const uri = uriOf('overlays', 'pinned', 'Kustomization');
    const text = `${OVERLAY}patches:\n  - path: image.yaml\n    target:\n      kind: Deployment\n      name: api\n`;
    await client.open(uri, 'plaintext', text);
    // The patch pins 2.4.1: the renamed image keeps that tag.
    expect(await client.diagnostics(uri)).toEqual([]);
    const unpinned = text.replace('    newName: mirror.example/api\n', '    newName: mirror.example/api\n    newTag: latest\n');
    await client.change(uri, [{ range: rangeOf(text, text), text: unpinned }]);
    const ds = await client.diagnostics(uri, (d) => d.length > 0);
    expect(ds.map((d) => d.code)).toEqual(['pin/image-unpinned']);
    expect(ds[0].relatedInformation?.map((r) => [r.location.uri, r.location.range.start.line, r.message])).toEqual([
      [uriOf('overlays', 'pinned', 'image.yaml'), 2, 'registry.example/api:2.4.1 is used here'],
    ]);
    await client.close(uri);
  });
});
