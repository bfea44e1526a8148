import { describe, expect, it } from 'vitest';
import { analyze, defineRule, parseFile, type Rule } from '../../core';
import { RULES } from '../../rules';

const byId = (id: string) => RULES.find((r) => r.id === id)!;

async function ruleIds(uri: string, text: string, rules: readonly Rule[] = RULES) {
  const file = await parseFile(uri, text);
  const { findings, suppressed } = await analyze(file, { rules });
  return { ids: findings.map((f) => f.ruleId), suppressed, findings, file };
}

describe('airlock:ignore suppressions', () => {
  it('Terraform: a comment on the line, or alone on the line above, suppresses that rule only', async () => {
    const text = [
      'resource "aws_s3_bucket" "a" {',
      '  acl = "public-read" # airlock:ignore storage/s3-public-acl -- static website, reviewed',
      '}',
      'resource "aws_s3_bucket" "b" {',
      '  # airlock:ignore network/open-ingress -- wrong rule: does not cover the ACL',
      '  acl = "public-read"',
      '}',
    ].join('\n');
    const r = await ruleIds('/p/main.tf', text, [byId('storage/s3-public-acl')]);
    expect(r.ids).toEqual(['storage/s3-public-acl']);
    expect(r.file.text.slice(r.findings[0].span.start, r.findings[0].span.end)).toBe('public-read');
    expect(r.findings[0].span.start).toBeGreaterThan(text.indexOf('"b"'));
    expect(r.suppressed).toBe(1);
  });

  it('Terraform: a comment above a block covers the whole block; globs and lists of ids work', async () => {
    const text = [
      '# airlock:ignore network/*, storage/s3-public-acl -- lab account, torn down nightly',
      'resource "aws_security_group" "lab" {',
      '  ingress {',
      '    from_port   = 22',
      '    to_port     = 22',
      '    protocol    = "tcp"',
      '    cidr_blocks = ["0.0.0.0/0"]',
      '  }',
      '}',
      'resource "aws_security_group_rule" "other" {',
      '  type        = "ingress"',
      '  from_port   = 22',
      '  to_port     = 22',
      '  protocol    = "tcp"',
      '  cidr_blocks = ["0.0.0.0/0"]',
      '}',
    ].join('\n');
    const r = await ruleIds('/p/sg.tf', text, [byId('network/open-ingress')]);
    expect(r.findings.map((f) => r.file.text.slice(0, f.span.start).split('\n').length)).toEqual([15]);
    expect(r.suppressed).toBe(1);
  });

  it('YAML: a comment above a mapping covers it', async () => {
    const text = [
      'AWSTemplateFormatVersion: "2010-09-09"',
      'Resources:',
      '  # airlock:ignore storage/s3-public-acl -- public website bucket',
      '  Site:',
      '    Type: AWS::S3::Bucket',
      '    Properties:',
      '      AccessControl: PublicRead',
      '  Data:',
      '    Type: AWS::S3::Bucket',
      '    Properties:',
      '      AccessControl: PublicRead',
    ].join('\n');
    const r = await ruleIds('/p/t.yaml', text, [byId('storage/s3-public-acl')]);
    expect(r.findings.map((f) => r.file.text.slice(0, f.span.start).split('\n').length)).toEqual([11]);
  });

  it('CloudFormation JSON: Metadata.airlock.ignore on the resource', async () => {
    const text = JSON.stringify(
      {
        Resources: {
          Site: { Type: 'AWS::S3::Bucket', Metadata: { airlock: { ignore: ['storage/s3-public-acl'] } }, Properties: { AccessControl: 'PublicRead' } },
          Data: { Type: 'AWS::S3::Bucket', Properties: { AccessControl: 'PublicRead' } },
        },
      },
      null,
      2,
    );
    const r = await ruleIds('/p/t.json', text, [byId('storage/s3-public-acl')]);
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0].span.start).toBeGreaterThan(text.indexOf('"Data"'));
  });

  it('notebooks: a comment in the cell, or a cell tag for the whole cell and its outputs', async () => {
    const nb = {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: {},
      cells: [
        {
          cell_type: 'code',
          metadata: {},
          outputs: [],
          execution_count: null,
          source: ['# airlock:ignore pin/hf-unpinned-revision -- local mirror\n', 'm = AutoModel.from_pretrained("org/a")'],
        },
        {
          cell_type: 'code',
          metadata: { tags: ['airlock:ignore pin/*'] },
          outputs: [],
          execution_count: null,
          source: ['m = AutoModel.from_pretrained("org/b")'],
        },
        { cell_type: 'code', metadata: {}, outputs: [], execution_count: null, source: ['m = AutoModel.from_pretrained("org/c")'] },
      ],
    };
    const r = await ruleIds('/p/n.ipynb', JSON.stringify(nb), [byId('pin/hf-unpinned-revision')]);
    expect(r.findings.map((f) => f.span.cell)).toEqual([2]);
    expect(r.suppressed).toBe(2);
  });
});

describe('runner', () => {
  it('a rule that throws is recorded; the other rules still report', async () => {
    const boom = defineRule({
      id: 'secret/boom',
      family: 'secret',
      severity: 'error',
      formats: ['terraform'],
      docs: { summary: 'x', why: 'x', fix: 'x' },
      check() {
        throw new Error('kaboom');
      },
    });
    const file = await parseFile('/p/main.tf', 'resource "aws_s3_bucket" "a" {\n  acl = "public-read"\n}\n');
    const result = await analyze(file, { rules: [boom, byId('storage/s3-public-acl')] });
    expect(result.failures).toEqual([expect.objectContaining({ ruleId: 'secret/boom', message: 'kaboom' })]);
    expect(result.findings.map((f) => f.ruleId)).toEqual(['storage/s3-public-acl']);
  });

  it('a provider-format token supersedes the key-name finding on the same value', async () => {
    const file = await parseFile('/p/main.tf', 'provider "aws" {\n  access_key = "AKIAZ7Q4XB2M5N8K3JPL"\n}\n');
    const { findings } = await analyze(file, { rules: RULES });
    expect(findings.map((f) => f.ruleId)).toEqual(['secret/known-token']);
  });

  it('config: off, severity overrides, globs, and rules off by default', async () => {
    const file = await parseFile('/p/main.tf', 'resource "aws_s3_bucket" "a" {\n  acl = "public-read"\n}\n');
    const rule = byId('storage/s3-public-acl');
    const base = { ignore: [], maxFileSize: 1e6 };
    expect((await analyze(file, { rules: [rule], config: { ...base, rules: { 'storage/*': 'off' } } })).findings).toEqual([]);
    expect(
      (await analyze(file, { rules: [rule], config: { ...base, rules: { 'storage/*': 'off', 'storage/s3-public-acl': 'info' } } })).findings[0].severity,
    ).toBe('info');
    const strict = defineRule({ ...rule, id: 'storage/strict-variant', defaultOff: true });
    expect((await analyze(file, { rules: [strict] })).findings).toEqual([]);
    expect((await analyze(file, { rules: [strict], config: { ...base, rules: { 'storage/strict-variant': 'on' } } })).findings).toHaveLength(1);
  });
});
