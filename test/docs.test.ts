/**
 * Rule docs and the README table are generated from rule metadata. This test fails when they are stale;
 * `npm run docs` rewrites them.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderRuleDoc, withRulesTable } from '../core/docs';
import { renderCheckDoc, SUPPRESSION_CHECKS } from '../core/report';
import { RULES } from '../rules';
import { providerDefaultsMarkdown } from '../rules/lib/provider-defaults';

const repo = path.resolve(__dirname, '..');
const update = process.env.UPDATE_DOCS === '1';

function check(file: string, expected: string) {
  if (update) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, expected);
  }
  expect(existsSync(file), `${path.relative(repo, file)} is missing: run npm run docs`).toBe(true);
  expect(readFileSync(file, 'utf8'), `${path.relative(repo, file)} is stale: run npm run docs`).toBe(expected);
}

describe('generated docs', () => {
  it.each(RULES.map((r) => [r.id, r] as const))('docs/rules/%s.md is current', (id, rule) => {
    check(path.join(repo, 'docs', 'rules', `${id}.md`), renderRuleDoc(rule));
  });

  it.each(SUPPRESSION_CHECKS.map((c) => [c.id, c] as const))('docs/rules/%s.md is current', (id, suppressionCheck) => {
    check(path.join(repo, 'docs', 'rules', `${id}.md`), renderCheckDoc(suppressionCheck));
  });

  it('docs/provider-defaults.md is current', () => {
    check(path.join(repo, 'docs', 'provider-defaults.md'), providerDefaultsMarkdown());
  });

  it('README rules table is current', () => {
    const readmePath = path.join(repo, 'README.md');
    check(readmePath, withRulesTable(readFileSync(readmePath, 'utf8'), RULES));
  });

  it('has no docs for rules that do not exist', () => {
    const ids = new Set([...RULES, ...SUPPRESSION_CHECKS].map((r) => r.id));
    const docs = readdirSync(path.join(repo, 'docs', 'rules'), { recursive: true, withFileTypes: true })
      .filter((d) => d.isFile() && d.name.endsWith('.md'))
      .map((d) => path.relative(path.join(repo, 'docs', 'rules'), path.join(d.parentPath, d.name)).replace(/\.md$/, ''));
    expect(docs.filter((d) => !ids.has(d))).toEqual([]);
  });
});
