/**
 * The server's per-document parse state with the real parsers: Terraform re-parsed from edited trees gives
 * the same model as a fresh parse, and the mid-typing policy keeps the findings of untouched text.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze } from '../../core/runner';
import { defaultConfig, ruleSetting } from '../../core/config';
import { parseFileSync, prepareFormat } from '../../core/formats';
import type { ParsedFile } from '../../core/model';
import { RULES } from '../../rules/index';
import { applyChanges } from '../../server/documents';
import { DocState, dirtyRange } from '../../server/incremental';
import { positionAt } from './lsp-client';
import { TF_MAIN } from './fixtures';

const URI = 'file:///tmp/airlock-incremental/main.tf';

beforeAll(async () => {
  await prepareFormat('terraform');
});

/** A small deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shape(file: ParsedFile) {
  return {
    resources: file.resources.map((r) => [r.kind, r.type, r.name, r.span.start, r.span.end, r.nameSpan.start]),
    problems: file.problems.map((p) => [p.span.start, p.span.end, p.message]),
  };
}

describe('dirtyRange', () => {
  it('covers every change: text before it and after it is the same in the old and the new text', () => {
    const random = rng(7);
    for (let round = 0; round < 300; round++) {
      const original = 'abcdefghijklmnopqrstuvwxyz0123456789'.repeat(3);
      let text = original;
      const edits: { start: number; oldEnd: number; newEnd: number }[] = [];
      const n = 1 + Math.floor(random() * 5);
      for (let i = 0; i < n; i++) {
        const start = Math.floor(random() * (text.length + 1));
        const oldEnd = Math.min(text.length, start + Math.floor(random() * 6));
        const insert = 'XYZ'.slice(0, Math.floor(random() * 4));
        text = text.slice(0, start) + insert + text.slice(oldEnd);
        edits.push({ start, oldEnd, newEnd: start + insert.length });
      }
      const d = dirtyRange(edits)!;
      expect(text.slice(0, d.start)).toBe(original.slice(0, d.start));
      expect(text.slice(d.newEnd)).toBe(original.slice(d.oldEnd));
      expect(d.newEnd - d.oldEnd).toBe(text.length - original.length);
    }
  });
});

describe('incremental Terraform parsing', () => {
  it('gives the same resources, problems and findings as a fresh parse after each of 200 random edits', async () => {
    const random = rng(42);
    const doc = TextDocument.create(URI, 'terraform', 1, TF_MAIN + TF_MAIN.replace(/"(db|ssh|logs)"/g, '"$1_2"'));
    const state = new DocState(URI);
    state.parse(doc.getText(), 1);
    const pieces = [
      '\n',
      ' ',
      '# note 😀\n',
      '  tags = { a = "b" }\n',
      'x',
      '"',
      '{',
      '}',
      'é',
      '😀',
      '  port = 22\n',
      'resource "aws_s3_bucket" "n" {\n  acl = "public-read"\n}\n',
    ];
    let compared = 0;
    for (let version = 2; version < 202; version++) {
      const text = doc.getText();
      const changes = [];
      const k = 1 + Math.floor(random() * 3);
      let current = text;
      for (let i = 0; i < k; i++) {
        const start = Math.floor(random() * (current.length + 1));
        const del = random() < 0.4 ? Math.floor(random() * 8) : 0;
        // Never split a surrogate pair: editors do not.
        let s = start;
        let e = Math.min(current.length, start + del);
        if (/[\udc00-\udfff]/.test(current[s] ?? '')) s--;
        if (/[\udc00-\udfff]/.test(current[e] ?? '')) e++;
        const insert = random() < 0.7 ? pieces[Math.floor(random() * pieces.length)] : '';
        changes.push({ range: { start: positionAt(current, s), end: positionAt(current, e) }, text: insert });
        current = current.slice(0, s) + insert + current.slice(e);
      }
      applyChanges(doc, changes, version, (edit) => state.applyEdit(edit));
      expect(doc.getText()).toBe(current);
      const incremental = state.parse(doc.getText(), version);
      const fresh = parseFileSync(URI, doc.getText(), 'terraform');
      // Error recovery may legitimately differ between an incremental and a fresh parse; valid text may not.
      if (fresh.problems.length === 0) {
        expect(shape(incremental)).toEqual(shape(fresh));
        const a = await analyze(incremental, { rules: RULES });
        const b = await analyze(fresh, { rules: RULES });
        expect(a.findings.map((f) => [f.ruleId, f.span.start, f.span.end])).toEqual(b.findings.map((f) => [f.ruleId, f.span.start, f.span.end]));
        compared++;
      }
      // Broken text: edit on for a round or two, then start again from a valid text, so that most rounds compare.
      if (fresh.problems.length && random() < 0.6) {
        const whole = TF_MAIN;
        applyChanges(doc, [{ text: whole }], ++version, (edit) => state.applyEdit(edit));
      }
    }
    expect(compared).toBeGreaterThan(20);
    state.dispose();
  });
});

describe('mid-typing policy', () => {
  async function step(state: DocState, doc: TextDocument, changes: Parameters<typeof applyChanges>[1]) {
    applyChanges(doc, changes, doc.version + 1, (e) => state.applyEdit(e));
    const file = state.parse(doc.getText(), doc.version);
    const { findings } = await analyze(file, { rules: RULES });
    return { file, ...state.reconcile(file, doc.version, findings, defaultSetting) };
  }

  const defaultSetting = (id: string) => {
    const rule = RULES.find((r) => r.id === id);
    return rule ? ruleSetting(rule, defaultConfig()) : undefined;
  };

  const ids = (fs: { ruleId: string }[]) =>
    fs.map((f) => f.ruleId).filter((id) => ['network/open-ingress', 'secret/hardcoded-password', 'storage/s3-public-acl'].includes(id));

  it('keeps the findings after an unterminated string, moved to where their text now is', async () => {
    const doc = TextDocument.create(URI, 'terraform', 1, TF_MAIN);
    const state = new DocState(URI);
    const first = await step(state, doc, []);
    expect(first.degraded).toBe(false);
    expect(ids(first.findings)).toEqual(['secret/hardcoded-password', 'network/open-ingress', 'storage/s3-public-acl']);

    const at = positionAt(doc.getText(), doc.getText().indexOf('  ingress {'));
    const broken = await step(state, doc, [{ range: { start: at, end: at }, text: '  name = "web\n' }]);
    expect(broken.degraded).toBe(true);
    expect(broken.file.problems.some((p) => p.message.includes('unterminated string'))).toBe(true);
    const text = doc.getText();
    expect(ids(broken.findings)).toEqual(['secret/hardcoded-password', 'network/open-ingress', 'storage/s3-public-acl']);
    for (const f of broken.findings) {
      const value = { 'secret/hardcoded-password': 'Sup3rS3cretPassw0rd', 'network/open-ingress': '0.0.0.0/0', 'storage/s3-public-acl': 'public-read' }[
        f.ruleId as string
      ];
      if (value) expect(text.slice(f.span.start, f.span.end)).toBe(value);
    }
    // Carried fixes point at the current text too.
    const acl = broken.findings.find((f) => f.ruleId === 'storage/s3-public-acl')!;
    const edit = acl.fixes![0].edits[0];
    expect(text.slice(edit.span.start, edit.span.end)).toBe('public-read');

    // More typing in the string: still carried. Closing it: a good result again.
    const p = positionAt(text, text.indexOf('"web') + 4);
    const typing = await step(state, doc, [{ range: { start: p, end: p }, text: ' servers' }]);
    expect(typing.degraded).toBe(true);
    expect(ids(typing.findings)).toHaveLength(3);
    const q = positionAt(doc.getText(), doc.getText().indexOf('web servers') + 'web servers'.length);
    const closed = await step(state, doc, [{ range: { start: q, end: q }, text: '"' }]);
    expect(closed.degraded).toBe(false);
    expect(closed.problems).toEqual([]);
    expect(ids(closed.findings)).toEqual(['secret/hardcoded-password', 'network/open-ingress', 'storage/s3-public-acl']);
    state.dispose();
  });

  it('carried findings follow settings changed while the file is broken', async () => {
    const doc = TextDocument.create(URI, 'terraform', 1, TF_MAIN);
    const state = new DocState(URI);
    const first = await step(state, doc, []);
    const at = positionAt(doc.getText(), doc.getText().indexOf('  ingress {'));
    applyChanges(doc, [{ range: { start: at, end: at }, text: '  name = "web\n' }], 2, (e) => state.applyEdit(e));
    const file = state.parse(doc.getText(), 2);
    const { findings } = await analyze(file, { rules: RULES });
    const setting = (id: string) =>
      id === 'network/open-ingress' ? 'off' : id === 'storage/s3-public-acl' ? 'warning' : RULES.find((r) => r.id === id)?.severity;
    const out = state.reconcile(file, 2, findings, setting);
    expect(out.degraded).toBe(true);
    expect(ids(out.findings)).toEqual(['secret/hardcoded-password', 'storage/s3-public-acl']);
    expect(out.findings.find((f) => f.ruleId === 'storage/s3-public-acl')?.severity).toBe('warning');
    expect(first.findings.find((f) => f.ruleId === 'storage/s3-public-acl')?.severity).toBe('error');
    state.dispose();
  });

  it('holds on in a .tfvars file too (attributes, no resources)', async () => {
    const uri = 'file:///tmp/airlock-incremental/prod.tfvars';
    const token = ['ghp', 'aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789'].join('_');
    const text = `region = "eu-west-1"\nname = "web"\ndb_password = "Sup3rS3cretPassw0rd"\ntoken = "${token}"\n`;
    const doc = TextDocument.create(uri, 'terraform', 1, text);
    const state = new DocState(uri);
    const first = await step(state, doc, []);
    const before = first.findings.map((f) => f.ruleId);
    expect(before.length).toBeGreaterThan(0);
    const at = positionAt(text, text.indexOf('name = '));
    const broken = await step(state, doc, [{ range: { start: at, end: at }, text: 'owner = "ops\n' }]);
    expect(broken.degraded).toBe(true);
    expect(broken.findings.map((f) => f.ruleId)).toEqual(before);
    broken.findings.forEach((f, i) => {
      const was = first.findings[i];
      expect(doc.getText().slice(f.span.start, f.span.end)).toBe(text.slice(was.span.start, was.span.end));
    });
    state.dispose();
  });

  it('re-parses a terragrunt.hcl from its edited tree, as a Terragrunt file, with the findings of a fresh parse', async () => {
    const uri = 'file:///tmp/airlock-incremental/live/vpc/terragrunt.hcl';
    const text = 'terraform {\n  source = "git::https://github.com/acme/modules.git//vpc?ref=v1.2.0"\n}\n\ninputs = {\n  name = "vpc"\n}\n';
    const doc = TextDocument.create(uri, 'hcl', 1, text);
    const state = new DocState(uri);
    const first = await step(state, doc, []);
    expect(first.file.format).toBe('terragrunt');
    expect(first.findings).toEqual([]);
    const tree = state.tree;
    const at = positionAt(text, text.indexOf('?ref=v1.2.0'));
    const edited = await step(state, doc, [{ range: { start: at, end: positionAt(text, text.indexOf('"\n}')) }, text: '?ref=main' }]);
    expect(edited.file.format).toBe('terragrunt');
    expect(state.tree).toBeDefined();
    expect(state.tree).not.toBe(tree);
    const fresh = parseFileSync(uri, doc.getText());
    expect(shape(edited.file)).toEqual(shape(fresh));
    expect(edited.findings.map((f) => f.ruleId)).toEqual(['pin/module-unpinned']);
    state.dispose();
  });

  it('a resource deleted on purpose (the file still parses) is not held on to', async () => {
    const doc = TextDocument.create(URI, 'terraform', 1, TF_MAIN);
    const state = new DocState(URI);
    await step(state, doc, []);
    const text = doc.getText();
    const start = text.indexOf('resource "aws_s3_bucket"');
    const gone = await step(state, doc, [{ range: { start: positionAt(text, start), end: positionAt(text, text.length) }, text: '' }]);
    expect(gone.degraded).toBe(false);
    expect(ids(gone.findings)).toEqual(['secret/hardcoded-password', 'network/open-ingress']);
    state.dispose();
  });
});
