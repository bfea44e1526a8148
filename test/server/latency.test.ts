/**
 * Latency through the real protocol (spawned `dist/server.js --stdio`, debounce 0): open → diagnostics and
 * edit → diagnostics on a 1,000-line Terraform file. Measured and printed, not asserted (beyond sanity):
 * the numbers depend on the machine.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureServerBuilt } from './build';
import { LspClient, positionAt } from './lsp-client';

const ROOT = path.resolve(__dirname, '../..');

/** About 1,000 lines: buckets, security groups, databases, instances, with a few findings among them. */
function bigTerraform(lines = 1000): string {
  const blocks: string[] = [];
  let n = 0;
  let count = 0;
  while (count < lines) {
    let b: string;
    switch (n % 4) {
      case 0:
        b = `resource "aws_s3_bucket" "b${n}" {\n  bucket = "data-${n}"\n  acl    = "${n % 20 === 0 ? 'public-read' : 'private'}"\n  tags = {\n    Team = "ml"\n    Env  = "prod"\n  }\n}\n`;
        break;
      case 1:
        b = `resource "aws_security_group" "sg${n}" {\n  name = "sg-${n}"\n  ingress {\n    from_port   = 443\n    to_port     = 443\n    protocol    = "tcp"\n    cidr_blocks = ["${n % 21 === 0 ? '0.0.0.0/0' : '10.0.0.0/8'}"]\n  }\n  egress {\n    from_port   = 0\n    to_port     = 0\n    protocol    = "-1"\n    cidr_blocks = ["10.0.0.0/8"]\n  }\n}\n`;
        break;
      case 2:
        b = `resource "aws_db_instance" "db${n}" {\n  engine         = "postgres"\n  instance_class = "db.t3.micro"\n  username       = "app"\n  password       = ${n % 22 === 0 ? '"Sup3rS3cretPassw0rd"' : 'var.db_password'}\n}\n`;
        break;
      default:
        b = `variable "v${n}" {\n  type    = string\n  default = "value-${n}"\n}\n\nlocals {\n  name${n} = "\${var.v${n}}-x"\n}\n`;
    }
    blocks.push(b);
    count += b.split('\n').length;
    n++;
  }
  return blocks.join('\n');
}

function stats(xs: number[]): { median: number; p95: number; min: number; max: number } {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
  return { median: at(0.5), p95: at(0.95), min: s[0], max: s[s.length - 1] };
}

const fmt = (x: number) => `${x.toFixed(1)} ms`;

describe('latency through the protocol (spawned server, debounce 0)', () => {
  let client: LspClient;
  let dir: string;

  beforeAll(async () => {
    await ensureServerBuilt();
    dir = mkdtempSync(path.join(tmpdir(), 'airlock-latency-'));
    client = LspClient.spawn(path.join(ROOT, 'dist', 'server.js'), ROOT);
    await client.initialize(pathToFileURL(dir).href, { debounceMs: 0 });
  });

  afterAll(async () => {
    await client?.shutdown();
    rmSync(dir, { recursive: true, force: true });
  });

  it('measures open → diagnostics and edit → diagnostics on a 1,000-line .tf file', async () => {
    const text = bigTerraform();
    const lineCount = text.split('\n').length;

    // Open: the first open also loads the grammar; report it apart from the next ones.
    const opens: number[] = [];
    for (let i = 0; i < 21; i++) {
      const uri = pathToFileURL(path.join(dir, `open${i}`, 'main.tf')).href;
      const t0 = performance.now();
      await client.open(uri, 'terraform', text);
      await client.diagnostics(uri, (d) => d.length > 0, 30_000);
      opens.push(performance.now() - t0);
      await client.close(uri);
    }

    const uri = pathToFileURL(path.join(dir, 'edit', 'main.tf')).href;
    await client.open(uri, 'terraform', text);
    const initial = await client.diagnostics(uri, (d) => d.length > 0, 30_000);
    const edits: number[] = [];
    // Type 50 characters into a string in the middle of the file, one keystroke at a time.
    const target = client.text(uri).indexOf('"data-', Math.floor(text.length / 2)) + 1;
    for (let i = 0; i < 50; i++) {
      const at = positionAt(client.text(uri), target + i);
      const t0 = performance.now();
      await client.change(uri, [{ range: { start: at, end: at }, text: 'abcdefghij'[i % 10] }]);
      await client.diagnostics(uri, () => true, 30_000);
      edits.push(performance.now() - t0);
    }
    const final = await client.diagnostics(uri);
    expect(final.length).toBe(initial.length);

    const o = stats(opens.slice(1));
    const e = stats(edits);
    const report = [
      `Airlock LSP latency, ${lineCount}-line .tf file, ${initial.length} diagnostics, spawned server, debounce 0:`,
      `  first open (grammar load included): ${fmt(opens[0])}`,
      `  open → diagnostics (20 opens):  median ${fmt(o.median)}, p95 ${fmt(o.p95)} (min ${fmt(o.min)}, max ${fmt(o.max)})`,
      `  edit → diagnostics (50 edits):  median ${fmt(e.median)}, p95 ${fmt(e.p95)} (min ${fmt(e.min)}, max ${fmt(e.max)})`,
    ].join('\n');
    console.log(report);
    expect(lineCount).toBeGreaterThanOrEqual(1000);
  }, 180_000);
});
