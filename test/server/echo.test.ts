/**
 * Secrets are never echoed by the editor channel: over the real protocol, documents of every format that
 * hold a canary secret (in a finding's value, a YAML alias, an unknown tag, a bad escape) get diagnostics,
 * code actions and log lines none of which contains the canary — only masked forms.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureServerBuilt } from './build';
import { LspClient } from './lsp-client';

const ROOT = path.resolve(__dirname, '../..');
const SERVER_JS = path.join(ROOT, 'dist', 'server.js');
const CANARY = 'Xk9mQ2vL8pR4tZ7wQ3nB';
const TOKEN = `ghp_${'Zq7'.repeat(12)}`;

const DOCUMENTS: { name: string; languageId: string; text: string }[] = [
  { name: 'main.tf', languageId: 'terraform', text: `resource "aws_db_instance" "db" {\n  password = "${CANARY}"\n  token    = "${TOKEN}"\n}\n` },
  {
    name: 'alias.yaml',
    languageId: 'yaml',
    text: `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  password: *${CANARY}\n  other: !${CANARY} x\n  escaped: "\\U${CANARY.slice(0, 8)}"\n`,
  },
  {
    name: 'deploy.yaml',
    languageId: 'yaml',
    text: `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: app:1.0\n          env:\n            - name: API_TOKEN\n              value: "${CANARY}"\n`,
  },
  { name: 'train.py', languageId: 'python', text: `import openai\nopenai.api_key = "${CANARY}"\n` },
];

let dir: string;

beforeAll(async () => {
  await ensureServerBuilt();
  dir = mkdtempSync(path.join(tmpdir(), 'airlock-echo-'));
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the language server never echoes a secret', () => {
  it('in diagnostics, related information, code action titles and edits offered as titles, or logs', async () => {
    const client = LspClient.spawn(SERVER_JS, ROOT);
    try {
      await client.initialize(pathToFileURL(dir).href);
      const seen: string[] = [];
      let findings = 0;
      for (const doc of DOCUMENTS) {
        const uri = pathToFileURL(path.join(dir, doc.name)).href;
        await client.open(uri, doc.languageId, doc.text);
        const diagnostics = await client.diagnostics(uri, (d) => d.length > 0, 60_000);
        findings += diagnostics.length;
        for (const d of diagnostics) {
          seen.push(typeof d.message === 'string' ? d.message : d.message.value, ...(d.relatedInformation ?? []).map((r) => r.message));
          const actions = await client.codeActions(uri, d.range, [d]);
          seen.push(...actions.map((a) => a.title));
        }
      }
      seen.push(...client.logs.map((l) => l.message), client.stderr);
      expect(findings).toBeGreaterThanOrEqual(DOCUMENTS.length);
      for (const text of seen) {
        expect(text).not.toContain(CANARY);
        expect(text).not.toContain(TOKEN);
      }
    } finally {
      await client.shutdown();
    }
  }, 180_000);
});
