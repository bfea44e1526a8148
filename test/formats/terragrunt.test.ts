/**
 * Terragrunt files: read with the Terraform parser into blocks and the root map, each file alone (never a file of the
 * Terraform module of its folder), broken input turned into problems.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectFormat, parseFile } from '../../core';

const CLI = path.resolve(__dirname, '..', '..', 'dist', 'cli.js');

const UNIT = [
  'include "root" {',
  '  path = find_in_parent_folders("root.hcl")',
  '}',
  '',
  'locals {',
  '  env = "prod"',
  '}',
  '',
  'dependency "vpc" {',
  '  config_path = "../vpc"',
  '}',
  '',
  'terraform {',
  '  source = "git::https://github.com/acme/modules.git//mysql?ref=v1.2.0"',
  '}',
  '',
  'inputs = {',
  '  vpc_id = dependency.vpc.outputs.vpc_id',
  '}',
  '',
].join('\n');

describe('Terragrunt format', () => {
  it('reads blocks as resources of their kind and `inputs` as an attribute of the root map', async () => {
    const file = await parseFile('/live/prod/mysql/terragrunt.hcl', UNIT);
    expect(file.format).toBe('terragrunt');
    expect(file.problems).toEqual([]);
    expect(file.resources.map((r) => [r.kind, r.name])).toEqual([
      ['include', 'root'],
      ['locals', ''],
      ['dependency', 'vpc'],
      ['terraform', ''],
    ]);
    const root = file.roots[0];
    expect(root.kind === 'map' && root.entries.map((e) => [e.key, e.form])).toContainEqual(['inputs', 'attribute']);
  });

  it('reads the JSON syntax into the same blocks and root map, `inputs` and other unknown keys as attributes', async () => {
    const json = JSON.stringify(
      {
        include: { root: { path: '${find_in_parent_folders("root.hcl")}' } },
        dependency: { vpc: { config_path: '../vpc' } },
        terraform: { source: 'git::https://github.com/acme/modules.git//mysql?ref=v1.2.0' },
        inputs: { vpc_id: '${dependency.vpc.outputs.vpc_id}', name: 'orders' },
        prevent_destroy: true,
      },
      null,
      2,
    );
    const file = await parseFile('/live/prod/mysql/terragrunt.hcl.json', json);
    expect(file.format).toBe('terragrunt');
    expect(file.problems).toEqual([]);
    expect(file.resources.map((r) => [r.kind, r.name])).toEqual([
      ['include', 'root'],
      ['dependency', 'vpc'],
      ['terraform', ''],
    ]);
    const root = file.roots[0];
    const keys = root.kind === 'map' ? root.entries.map((e) => e.key) : [];
    expect(keys).toEqual(['include', 'dependency', 'terraform', 'inputs', 'prevent_destroy']);
    const inputs = root.kind === 'map' ? root.entries.find((e) => e.key === 'inputs')?.value : undefined;
    // A template is an expression with its references, as in a `.tf.json` file.
    const vpcId = inputs?.kind === 'map' ? inputs.entries.find((e) => e.key === 'vpc_id')?.value : undefined;
    expect(vpcId?.kind === 'expr' && vpcId.refs).toEqual(['dependency.vpc.outputs.vpc_id']);
  });

  it("reads a stack's unit and stack blocks as resources with their labels", async () => {
    const stack = 'unit "vpc" {\n  source = "units/vpc"\n  path   = "vpc"\n}\n\nstack "services" {\n  source = "stacks/services"\n  path   = "services"\n}\n';
    const file = await parseFile('/live/prod/terragrunt.stack.hcl', stack);
    expect(file.format).toBe('terragrunt');
    expect(file.resources.map((r) => [r.kind, r.name])).toEqual([
      ['unit', 'vpc'],
      ['stack', 'services'],
    ]);
  });

  it('knows its files by name, and other .hcl and .hcl.json files by a call of a function only Terragrunt has', () => {
    const plain = 'locals {\n  region = "eu-west-1"\n}\n';
    const calling = 'locals {\n  root = get_repo_root()\n}\n';
    expect(detectFormat('/live/terragrunt.stack.hcl', plain)).toBe('terragrunt');
    expect(detectFormat('/live/.terragrunt-stack/vpc/terragrunt.values.hcl', plain)).toBe('terragrunt');
    expect(detectFormat('/live/terragrunt.hcl.json', '{}')).toBe('terragrunt');
    expect(detectFormat('/live/terragrunt.stack.hcl.json', '{}')).toBe('terragrunt');
    expect(detectFormat('/live/_envcommon/vpc.hcl', calling)).toBe('terragrunt');
    expect(detectFormat('/live/_envcommon/vpc.hcl', plain)).toBe('text');
    expect(detectFormat('/live/env.hcl.json', '{"locals": {"root": "${get_repo_root()}"}}')).toBe('terragrunt');
    expect(detectFormat('/live/env.hcl.json', '{"locals": {"region": "eu-west-1"}}')).not.toBe('terragrunt');
    expect(detectFormat('/images/ubuntu.pkr.hcl', calling)).not.toBe('terragrunt');
  });

  it('turns half-typed input into problems, and input nested past the parser into a note with its tokens still found', async () => {
    const halfTyped = await parseFile('/live/terragrunt.hcl', 'terraform {\n  source = "git::https://github.com/acme/mod');
    expect(halfTyped.format).toBe('terragrunt');
    expect(halfTyped.problems.length).toBeGreaterThan(0);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'airlock-terragrunt-deep-'));
    const token = ['ghp', 'V6mQnBMIdiX8WEcURNGkOB9pVAT2mYS2bQ82'].join('_');
    writeFileSync(path.join(dir, 'terragrunt.hcl'), `inputs = ${'{ a = '.repeat(3000)}"${token}"${' }'.repeat(3000)}\n`);
    const run = spawnSync(process.execPath, [CLI, 'scan', '.', '--format', 'json'], { cwd: dir, encoding: 'utf8' });
    const report = JSON.parse(run.stdout) as { findings: { ruleId: string }[]; problems: { message: string }[] };
    expect(report.findings.map((f) => f.ruleId)).toEqual(['secret/known-token']);
    expect(report.problems.map((p) => p.message)).toEqual([expect.stringMatching(/^not fully analysed: the terragrunt parser failed/)]);
  });

  it('never joins the Terraform module of its folder: its locals resolve nothing in the .tf files beside it', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'airlock-terragrunt-'));
    writeFileSync(
      path.join(dir, 'main.tf'),
      'resource "aws_security_group" "admin" {\n  ingress {\n    from_port   = 22\n    to_port     = 22\n    protocol    = "tcp"\n    cidr_blocks = [local.admin_cidr]\n  }\n}\n',
    );
    writeFileSync(
      path.join(dir, 'terragrunt.hcl'),
      'locals {\n  admin_cidr = "0.0.0.0/0"\n}\n\nterraform {\n  source = "git::https://github.com/acme/modules.git//sg"\n}\n',
    );
    for (const args of [['.'], ['main.tf', 'terragrunt.hcl'], ['main.tf']]) {
      const run = spawnSync(process.execPath, [CLI, 'scan', ...args, '--format', 'json', '--severity', 'error'], { cwd: dir, encoding: 'utf8' });
      const findings = JSON.parse(run.stdout).findings as { ruleId: string; path: string }[];
      expect(
        findings.filter((f) => f.path === 'main.tf').map((f) => f.ruleId),
        args.join(' '),
      ).toEqual([]);
      expect(findings.filter((f) => f.path === 'terragrunt.hcl').map((f) => f.ruleId)).toEqual(
        args.includes('main.tf') && args.length === 1 ? [] : ['pin/module-unpinned'],
      );
    }
  });
});
