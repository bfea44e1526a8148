import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze, ConfigError, FOREIGN_CHECKS, matchesRuleGlob, parseConfigText, parseFile, rulesForCheck } from '../../core';
import { RULES } from '../../rules';
import { rule, scan } from './helpers';

const ACL = ['storage/s3-public-acl'];
const bucket = (comment: string) =>
  ['resource "aws_s3_bucket" "site" {', `  acl = "public-read" ${comment}`, '}', 'resource "aws_s3_bucket" "logs" {', '  acl = "private"', '}'].join('\n');

describe('unused suppressions', () => {
  it('an airlock:ignore that hides a finding is not reported; one that hides nothing is, with where it is written', async () => {
    expect((await scan('/p/main.tf', bucket('# airlock:ignore storage/s3-public-acl -- website'), ACL)).unused).toEqual([]);
    const text = `${bucket('')}\n# airlock:ignore storage/s3-public-acl -- was public once`;
    const r = await scan('/p/main.tf', text, ACL);
    expect(r.unused).toEqual([
      { uri: '/p/main.tf', span: expect.anything(), ids: ['storage/s3-public-acl'], kind: 'unused', reason: 'was public once', tool: undefined },
    ]);
    expect(text.slice(r.unused[0].span.start, r.unused[0].span.end)).toContain('airlock:ignore storage/s3-public-acl');
  });

  it('reports each id of a list on its own: the used one is left out; an id naming no rule is unknown', async () => {
    const r = await scan('/p/main.tf', bucket('# airlock:ignore storage/s3-public-acl, network/open-ingress, storage/no-such-rule'), [
      ...ACL,
      'network/open-ingress',
    ]);
    expect(r.unused.map((u) => [u.kind, u.ids])).toEqual([
      ['unused', ['network/open-ingress']],
      ['unknown-rule', ['storage/no-such-rule']],
    ]);
  });

  it('a scanner marker naming a mapped check that hides nothing is unused; an unmapped one is unmapped', async () => {
    const unused = await scan('/p/main.tf', bucket('').replace('"logs" {', '"logs" {\n  #checkov:skip=CKV_AWS_20'), ACL);
    expect(unused.unused).toEqual([expect.objectContaining({ tool: 'checkov', ids: ['CKV_AWS_20'], kind: 'unused' })]);
    const r = await scan('/p/main.tf', bucket('#tfsec:ignore:aws-s3-enable-versioning'), ACL);
    expect(r.unused).toEqual([expect.objectContaining({ tool: 'tfsec', ids: ['aws-s3-enable-versioning'], kind: 'unmapped' })]);
    expect(r.lines).toEqual([2]);
  });

  it('is computed only when asked for, and found even in a file with no finding', async () => {
    const file = await parseFile('/p/main.tf', '# airlock:ignore storage/s3-public-acl\nlocals {}\n');
    expect((await analyze(file, { rules: [rule('storage/s3-public-acl')] })).unusedSuppressions).toBeUndefined();
    const asked = await analyze(file, { rules: [rule('storage/s3-public-acl')], reportUnusedSuppressions: true });
    expect(asked.unusedSuppressions?.map((u) => u.kind)).toEqual(['unused']);
  });
});

describe('the table of other scanners’ check ids', () => {
  it('maps only to rules that exist (a glob matches at least one)', () => {
    const ids = RULES.map((r) => r.id);
    for (const check of FOREIGN_CHECKS) {
      for (const target of check.rules)
        expect(
          ids.some((id) => matchesRuleGlob(target, id)),
          `${check.ids[0]} → ${target}`,
        ).toBe(true);
    }
  });

  it('matches ids without case, Trivy globs against the table, and checkov secret checks by family', () => {
    expect(rulesForCheck('trivy', 'avd-aws-0092')).toEqual(['storage/s3-public-acl']);
    expect(rulesForCheck('trivy', 'aws-s3-*')).toContain('storage/s3-public-access-block-missing');
    expect(rulesForCheck('checkov', 'CKV_SECRET_13')).toEqual(['secret/*']);
    expect(rulesForCheck('checkov', 'CKV_AWS_18')).toEqual([]);
    expect(rulesForCheck('kics', 'CKV_AWS_20')).toEqual([]);
  });
});

describe('config: foreignSuppressions', () => {
  it('takes true or false and nothing else', () => {
    expect(parseConfigText('foreignSuppressions: false\n', '.airlock.yaml').foreignSuppressions).toBe(false);
    expect(parseConfigText('rules: {}\n', '.airlock.yaml').foreignSuppressions).toBeUndefined();
    expect(() => parseConfigText('foreignSuppressions: "no"\n', '.airlock.yaml')).toThrow(ConfigError);
    expect(() => parseConfigText('foreignSuppressions: "no"\n', '.airlock.yaml')).toThrow(/foreignSuppressions must be true or false/);
  });
});

describe('the README', () => {
  it('lists every check id of the table', () => {
    const readme = readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8');
    for (const check of FOREIGN_CHECKS) expect(readme, check.ids[0]).toContain(`\`${check.ids[0]}\``);
  });
});
