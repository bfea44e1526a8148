/**
 * The prefilter (core/prefilter.ts): a repository scan does not parse a file no enabled rule can report on.
 * It must change nothing but the time: the same findings with and without it, on the rules' fixtures (in
 * rules.test.ts), on small projects here, and on the corpora when they are present.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze, defaultConfig, defineRule, mayReport, parseFile, parseFileSync, Project, prefilterText, ruleMayReport } from '../core';
import { walkPaths } from '../core/scan';
import { batchByFolder } from '../cli/pool';
import { scanUnit, type FileResult, type UnitFile } from '../cli/unit';
import { RULES, ruleById } from '../rules';

const config = defaultConfig();

async function scanFolder(dir: string, prefilter: boolean): Promise<FileResult[]> {
  const files: UnitFile[] = walkPaths([dir], dir).files.map((f) => ({ uri: f.abs, size: f.size }));
  const results: FileResult[] = [];
  for (const batch of batchByFolder(files)) results.push(...(await scanUnit(batch, { root: dir, config, rules: RULES, prefilter })));
  return results.sort((a, b) => a.path.localeCompare(b.path));
}

const findingsOf = (results: FileResult[]) =>
  results.flatMap((r) => r.findings.map((f) => `${r.path} ${f.ruleId} ${f.line}:${f.column}-${f.endLine}:${f.endColumn} ${f.message}`));

describe('prefilter', () => {
  it('rules out a file only when no enabled rule has its strings', () => {
    const outputs = 'output "id" {\n  value = aws_instance.web.id\n}\n';
    expect(mayReport(outputs, 'terraform', RULES, config)).toBe(false);
    expect(mayReport('resource "aws_s3_bucket" "b" {}\n', 'terraform', RULES, config)).toBe(true);
    expect(mayReport('apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: app\n', 'kubernetes', RULES, config)).toBe(false);
    // Off rules do not count: with every rule off nothing is parsed.
    const off = { ...config, rules: Object.fromEntries(RULES.map((r) => [r.id, 'off' as const])) };
    expect(mayReport('resource "aws_s3_bucket" "b" {}\n', 'terraform', RULES, off)).toBe(false);
  });

  it('never trusts strings in text with escapes that can spell them', () => {
    const rule = ruleById('storage/azure-container-public')!;
    expect(ruleMayReport(rule, 'terraform', 'resource "aws_instance" "x" {}\n')).toBe(false);
    expect(ruleMayReport(rule, 'terraform', 'x = "azurerm_storage_\\u0063ontainer"\n')).toBe(true);
    expect(ruleMayReport(rule, 'terraform', 'x = "a\\x41"\n')).toBe(true);
    // YAML's escaped line break joins two lines of a double-quoted string.
    expect(ruleMayReport(ruleById('secret/kubernetes-secret-manifest')!, 'kubernetes', 'kind: "Sec\\\n  ret"\n')).toBe(true);
  });

  it("answers the same from one search for every rule's strings as from each rule's own", () => {
    const formats = [...new Set(RULES.flatMap((r) => r.formats))];
    for (const format of formats) {
      const needles = [...new Set(RULES.flatMap((r) => Object.values(r.prefilter ?? {}).flatMap((p) => (Array.isArray(p) ? p : []))))];
      // Each string alone, inside a longer one (a prefix of it found where both start), and overlapping the next.
      const texts = [
        'resource "aws_instance" "x" {}\n',
        'resource "aws_default_security_group" "d" {}\n',
        ...needles.map((n) => `x = "${n}"\n`),
        ...needles.map((n, i) => `${n.slice(0, -1)}${needles[(i + 1) % needles.length]}`),
      ];
      for (const text of texts) {
        const asked = prefilterText(text, format, RULES);
        for (const rule of RULES.filter((r) => r.formats.includes(format))) {
          expect(ruleMayReport(rule, format, text, undefined, asked), `${rule.id} on ${format}: ${text}`).toBe(ruleMayReport(rule, format, text));
        }
      }
    }
  });

  it('parses a file it rules out when a neighbour rule reads it (a variable default in variables.tf)', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'airlock-prefilter-'));
    writeFileSync(
      path.join(dir, 'main.tf'),
      'resource "aws_security_group" "ssh" {\n  ingress {\n    from_port   = 22\n    to_port     = 22\n    protocol    = "tcp"\n    cidr_blocks = var.admin_cidrs\n  }\n}\n',
    );
    const variables = 'variable "admin_cidrs" {\n  type    = list(string)\n  default = ["0.0.0.0/0"]\n}\n';
    writeFileSync(path.join(dir, 'variables.tf'), variables);
    expect(mayReport(variables, 'terraform', RULES, config)).toBe(false);
    const on = await scanFolder(dir, true);
    expect(findingsOf(on)).toEqual(findingsOf(await scanFolder(dir, false)));
    expect(on.flatMap((r) => r.findings.map((f) => [r.path, f.ruleId, f.line]))).toEqual([['main.tf', 'network/open-ingress', 6]]);
    expect(on.map((r) => [r.path, r.status])).toEqual([
      ['main.tf', 'scanned'],
      ['variables.tf', 'scanned'],
    ]);
  });

  it('keeps a variable default a neighbour uses under a secret key (the prefilter sees the folder)', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'airlock-prefilter-'));
    writeFileSync(path.join(dir, 'main.tf'), 'resource "aws_db_instance" "db" {\n  engine   = "postgres"\n  password = var.db\n}\n');
    const variables = 'variable "db" {\n  default = "Wq8-zr4T-pX2v-Lm9e"\n}\n';
    writeFileSync(path.join(dir, 'variables.tf'), variables);
    const rule = ruleById('secret/hardcoded-password')!;
    expect(ruleMayReport(rule, 'terraform', variables)).toBe(false);
    expect(ruleMayReport(rule, 'terraform', variables, () => [readFileSync(path.join(dir, 'main.tf'), 'utf8')])).toBe(true);
    const on = await scanFolder(dir, true);
    expect(findingsOf(on)).toEqual(findingsOf(await scanFolder(dir, false)));
    expect(on.flatMap((r) => r.findings.map((f) => [r.path, f.ruleId, f.line]))).toEqual([['variables.tf', 'secret/hardcoded-password', 2]]);
  });
});

describe('the runner', () => {
  it('does not run a rule whose prefilter rules the file out, when asked to', async () => {
    const ran: string[] = [];
    const rule = defineRule({
      id: 'storage/test-only',
      family: 'storage',
      severity: 'warning',
      formats: ['terraform'],
      prefilter: { terraform: ['aws_s3_bucket'] },
      docs: { summary: 'a rule for this test only', why: 'it records which files it ran on', fix: 'none' },
      check: (ctx) => {
        ran.push(ctx.file.uri);
      },
    });
    const bucket = await parseFile('/m/s3.tf', 'resource "aws_s3_bucket" "b" {}\n');
    const outputs = await parseFile('/m/outputs.tf', 'output "id" {\n  value = 1\n}\n');
    for (const file of [bucket, outputs]) await analyze(file, { rules: [rule], prefilter: true });
    expect(ran).toEqual(['/m/s3.tf']);
    await analyze(outputs, { rules: [rule] });
    expect(ran).toEqual(['/m/s3.tf', '/m/outputs.tf']);
  });
});

describe('Project', () => {
  it('parses a file added lazily only when a module() caller says its text may matter', async () => {
    const main = await parseFile('/m/main.tf', 'resource "aws_s3_bucket" "b" {}\n');
    const project = new Project([main]);
    const parsed: string[] = [];
    const lazy = (uri: string, text: string) =>
      project.addLazy(uri, 'terraform', text, () => {
        parsed.push(uri);
        return parseFileSync(uri, text, 'terraform');
      });
    lazy('/m/outputs.tf', 'output "id" {\n  value = 1\n}\n');
    lazy('/m/variables.tf', 'variable "region" {\n  default = "eu-west-1"\n}\n');
    lazy('/other/variables.tf', 'variable "region" {}\n');
    expect(project.module(main, (text) => text.includes('region')).map((f) => f.uri)).toEqual(['/m/main.tf', '/m/variables.tf']);
    expect(parsed).toEqual(['/m/variables.tf']);
    // Escapes could spell what the caller looks for: such a file always matters.
    lazy('/m/escaped.tf', 'locals {\n  x = "\\u0072egion"\n}\n');
    expect(project.module(main, (text) => text.includes('region')).map((f) => f.uri)).toEqual(['/m/main.tf', '/m/variables.tf', '/m/escaped.tf']);
    // Without a test, every file of the folder is parsed, once.
    expect(project.module(main).map((f) => f.uri)).toEqual(['/m/main.tf', '/m/outputs.tf', '/m/variables.tf', '/m/escaped.tf']);
    expect(project.module(main)).toHaveLength(4);
    expect(parsed).toEqual(['/m/variables.tf', '/m/escaped.tf', '/m/outputs.tf']);
  });
});

const CORPUS = path.resolve(__dirname, '..', '..', 'shared', 'corpus');

describe.each(['labeled', 'real'])('the %s corpus', (name) => {
  const dir = path.join(CORPUS, name);
  it.runIf(existsSync(dir))('has the same findings with and without the prefilter', { timeout: 300_000 }, async () => {
    const on = await scanFolder(dir, true);
    const off = await scanFolder(dir, false);
    expect(on.length).toBe(off.length);
    expect(findingsOf(on)).toEqual(findingsOf(off));
  });
});
