/**
 * A Helm chart in the editor, through the real protocol: an open template resolves `.Values` from the chart's
 * `values.yaml` on disk (related information at the values line), an unsaved change is analysed as typed, and
 * a valid template gets no parse diagnostic. Over stdio: an unsaved values.yaml is what an open template
 * resolves from, and editing it re-checks the template.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { ensureServerBuilt } from './build';
import { LspClient, positionAt, rangeOf } from './lsp-client';

const TEMPLATE = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "web.fullname" . }}
  labels:
    {{- include "web.labels" . | nindent 4 }}
spec:
  template:
    spec:
      containers:
        - name: {{ .Chart.Name }}
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}"
`;
const VALUES = 'image:\n  repository: nginx\n  tag: latest\n';
const CHART = 'apiVersion: v2\nname: web\nversion: 0.1.0\nappVersion: "1.27.0"\n';

const codes = (ds: Diagnostic[]) => ds.map((d) => String(d.code)).sort();

describe('Helm chart in the language server', () => {
  let client: LspClient;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'airlock-helm-'));
    mkdirSync(path.join(dir, 'web', 'templates'), { recursive: true });
    writeFileSync(path.join(dir, 'web', 'Chart.yaml'), CHART);
    writeFileSync(path.join(dir, 'web', 'values.yaml'), VALUES);
    client = LspClient.inProcess({ debounceMs: 0 });
    await client.initialize(pathToFileURL(dir).href);
  });

  afterAll(async () => {
    await client?.shutdown();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports an image through values.yaml at the template line, with the values line as related information', async () => {
    const uri = pathToFileURL(path.join(dir, 'web', 'templates', 'deployment.yaml')).href;
    await client.open(uri, 'helm', TEMPLATE);
    const ds = await client.diagnostics(uri, (d) => d.length > 0);
    expect(codes(ds)).toEqual(['pin/image-unpinned']);
    const image = '{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}';
    expect(ds[0].range).toEqual(rangeOf(TEMPLATE, image));
    const related = ds[0].relatedInformation ?? [];
    expect(related.map((r) => r.message)).toEqual(['through values.yaml: image.repository = nginx', 'through values.yaml: image.tag = latest']);
    expect(related[1].location.uri).toBe(pathToFileURL(path.join(dir, 'web', 'values.yaml')).href);
    expect(related[1].location.range.start).toEqual(positionAt(VALUES, VALUES.indexOf('latest')));

    // Typing a pinned tag default in place of the values lookup: the finding goes.
    const from = TEMPLATE.indexOf('{{ .Values.image.tag');
    const to = TEMPLATE.indexOf('}}"', from) + 2;
    await client.change(uri, [{ range: { start: positionAt(TEMPLATE, from), end: positionAt(TEMPLATE, to) }, text: '1.27.0' }]);
    expect(codes(await client.diagnostics(uri, (d) => d.length === 0))).toEqual([]);
    await client.close(uri);
  });
});

describe('Helm chart over stdio: an open values.yaml', () => {
  let client: LspClient;
  let dir: string;

  beforeAll(async () => {
    const serverJs = await ensureServerBuilt();
    dir = mkdtempSync(path.join(tmpdir(), 'airlock-helm-open-'));
    mkdirSync(path.join(dir, 'web', 'templates'), { recursive: true });
    writeFileSync(path.join(dir, 'web', 'Chart.yaml'), CHART);
    writeFileSync(path.join(dir, 'web', 'values.yaml'), VALUES);
    client = LspClient.spawn(serverJs, dir);
    await client.initialize(pathToFileURL(dir).href);
  });

  afterAll(async () => {
    await client?.shutdown();
    rmSync(dir, { recursive: true, force: true });
  });

  it('re-checks an open template when its values.yaml is edited, unsaved, and reads the buffer, not the disk', async () => {
    const template = pathToFileURL(path.join(dir, 'web', 'templates', 'deployment.yaml')).href;
    const values = pathToFileURL(path.join(dir, 'web', 'values.yaml')).href;
    await client.open(template, 'helm', TEMPLATE);
    expect(codes(await client.diagnostics(template, (d) => d.length > 0))).toEqual(['pin/image-unpinned']);
    await client.open(values, 'yaml', VALUES);
    await client.diagnostics(values, (d) => d.length > 0);

    // `tag: latest` → `tag: 1.2.3`, never saved: the template's finding goes.
    const at = VALUES.indexOf('latest');
    await client.change(values, [{ range: { start: positionAt(VALUES, at), end: positionAt(VALUES, at + 'latest'.length) }, text: '1.2.3' }]);
    expect(codes(await client.diagnostics(template, (d) => d.length === 0))).toEqual([]);

    // Back to latest: it comes back, pointing at the buffer's line.
    const edited = VALUES.replace('latest', '1.2.3');
    const from = edited.indexOf('1.2.3');
    await client.change(values, [{ range: { start: positionAt(edited, from), end: positionAt(edited, from + 5) }, text: 'latest' }]);
    const ds = await client.diagnostics(template, (d) => d.length > 0);
    expect(codes(ds)).toEqual(['pin/image-unpinned']);
    expect(ds[0].relatedInformation?.map((r) => r.message)).toEqual([
      'through values.yaml: image.repository = nginx',
      'through values.yaml: image.tag = latest',
    ]);
    await client.close(values);
    await client.close(template);
  });
});

describe('Helm values.yaml in the language server, its templates closed', () => {
  const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    spec:
      hostNetwork: {{ .Values.hostNetwork }}
      containers:
        - name: api
          image: "nginx@sha256:{{ .Values.digest }}"
          env:
            - name: DB_PASSWORD
              value: {{ .Values.db.connection | quote }}
`;
  const values = 'hostNetwork: true\ndigest: 0123abcd\ndb:\n  connection: Pr0d-Xk92-Lq7w\n';
  let client: LspClient;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'airlock-helm-values-'));
    mkdirSync(path.join(dir, 'api', 'templates'), { recursive: true });
    writeFileSync(path.join(dir, 'api', 'Chart.yaml'), CHART);
    writeFileSync(path.join(dir, 'api', 'values.yaml'), values);
    writeFileSync(path.join(dir, 'api', 'templates', 'deployment.yaml'), deployment);
    client = LspClient.inProcess({ debounceMs: 0 });
    await client.initialize(pathToFileURL(dir).href);
  });

  afterAll(async () => {
    await client?.shutdown();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows the findings its lines decide in a closed template, at the values line, until the template is opened', async () => {
    const valuesUri = pathToFileURL(path.join(dir, 'api', 'values.yaml')).href;
    const templateUri = pathToFileURL(path.join(dir, 'api', 'templates', 'deployment.yaml')).href;
    await client.open(valuesUri, 'yaml', values);
    const ds = await client.diagnostics(valuesUri, (d) => d.length >= 2);
    expect(ds.map((d) => [String(d.code), values.slice(...offsets(values, d))])).toEqual([
      ['network/host-network', 'true'],
      ['secret/hardcoded-password', 'Pr0d-Xk92-Lq7w'],
    ]);
    const host = ds[0].relatedInformation ?? [];
    expect(host.map((r) => [r.location.uri, r.location.range.start.line, r.message])).toEqual([[templateUri, 7, 'the value is used in deployment.yaml']]);
    expect(ds[1].message).not.toContain('Pr0d-Xk92-Lq7w');

    // Opened, the template shows them itself (with the values lines as related information).
    await client.open(templateUri, 'helm', deployment);
    expect(codes(await client.diagnostics(templateUri, (d) => d.length >= 2))).toEqual(['network/host-network', 'secret/hardcoded-password']);
    // values.yaml keeps what its own lines say: `hostNetwork: true`, which charts pass to their pod specs as it is.
    expect(codes(await client.diagnostics(valuesUri, (d) => d.length === 1))).toEqual(['network/host-network']);
    await client.close(templateUri);
    expect(codes(await client.diagnostics(valuesUri, (d) => d.length === 2))).toEqual(['network/host-network', 'secret/hardcoded-password']);
    await client.close(valuesUri);
  });
});

function offsets(text: string, d: Diagnostic): [number, number] {
  const at = (p: { line: number; character: number }) => {
    let o = 0;
    for (let l = 0; l < p.line; l++) o = text.indexOf('\n', o) + 1;
    return o + p.character;
  };
  return [at(d.range.start), at(d.range.end)];
}
