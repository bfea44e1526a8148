/**
 * Secret rules across the files of a Terraform module: a secret attribute in one file set to `var.x`
 * makes the literal default of `x` in another file a finding there.
 */
import { describe, expect, it } from 'vitest';
import { analyze, parseFile, Project } from '../core';
import { ruleById } from '../rules';

describe('secret/hardcoded-password across a module', () => {
  it('reports the default of a variable that a secret attribute in another file references', async () => {
    const main = await parseFile('/m/main.tf', 'resource "aws_db_instance" "db" {\n  password = var.admin\n}\n');
    const vars = await parseFile('/m/variables.tf', 'variable "admin" {\n  default = "Gl4cier-Bay-91"\n}\n\nvariable "region" {\n  default = "eu-west-1"\n}\n');
    const project = new Project([main, vars]);
    const rule = ruleById('secret/hardcoded-password')!;
    const inVars = await analyze(vars, { rules: [rule], project });
    expect(inVars.findings.map((f) => vars.text.slice(f.span.start, f.span.end))).toEqual(['Gl4cier-Bay-91']);
    const inMain = await analyze(main, { rules: [rule], project });
    expect(inMain.findings).toEqual([]);
  });
});
