/**
 * Fixes that add a line next to an entry, on entries that share their line: a provider written as a
 * one-line object, a module block on one line. The addition goes inside the object, or is not offered.
 */
import { describe, expect, it } from 'vitest';
import { analyze, applyEdits, fileEditsOf, parseFile, Project, snippetToText } from '../../core';
import { RULES } from '../../rules';

async function fixed(ruleId: string, text: string): Promise<string[]> {
  const rule = RULES.find((r) => r.id === ruleId);
  if (!rule) throw new Error(ruleId);
  const file = await parseFile('main.tf', text);
  const config = { rules: { [ruleId]: 'on' as const }, ignore: [], maxFileSize: 1e9 };
  const { findings } = await analyze(file, { rules: [rule], config, project: new Project([file]) });
  expect(findings.length).toBeGreaterThan(0);
  const out: string[] = [];
  for (const fix of findings.flatMap((f) => f.fixes ?? [])) {
    const result = applyEdits(text, fileEditsOf(file, [fix]));
    expect((await parseFile('main.tf', result)).problems).toEqual([]);
    out.push(snippetToText(result));
  }
  return out;
}

describe('a fix next to an entry that shares its line', () => {
  it('adds a provider version inside a one-line object', async () => {
    const text = 'terraform {\n  required_providers {\n    aws = { source = "hashicorp/aws" }\n  }\n}\n';
    expect(await fixed('pin/provider-unversioned', text)).toEqual([
      'terraform {\n  required_providers {\n    aws = { source = "hashicorp/aws", version = "~> x.y" }\n  }\n}\n',
    ]);
  });

  it('offers no module version for a module block on one line', async () => {
    const text = 'module "vpc" { source = "terraform-aws-modules/vpc/aws" }\n';
    expect(await fixed('pin/module-unpinned', text)).toEqual([]);
  });
});
