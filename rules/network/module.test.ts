/**
 * Network rules through local module calls: rule objects passed as a module argument and turned into `dynamic`
 * blocks inside the module are reported at the argument of the call that opens them; a call with `for_each` is
 * read one instance at a time; a module's outputs are read where they are used.
 */
import { describe, expect, it } from 'vitest';
import { analyze, parseFile, Project, type Rule } from '../../core';
import { ruleById } from '../index';

async function run(files: Record<string, string>, target: string) {
  const parsed = await Promise.all(Object.entries(files).map(([name, text]) => parseFile(`/repo/${name}`, text)));
  const rule = ruleById('network/open-ingress') as Rule;
  const file = parsed.find((f) => f.uri === `/repo/${target}`)!;
  const config = { rules: { [rule.id]: 'on' as const }, ignore: [], maxFileSize: 1e9 };
  const { findings } = await analyze(file, { rules: [rule], config, project: new Project(parsed), prefilter: true });
  return { findings, text: (i: number) => file.text.slice(findings[i].span.start, findings[i].span.end) };
}

const firewall = [
  'variable "rules" {',
  '  default = []',
  '}',
  '',
  'resource "aws_security_group" "this" {',
  '  dynamic "ingress" {',
  '    for_each = { for i, r in var.rules : i => r }',
  '    content {',
  '      from_port   = ingress.value.port',
  '      to_port     = ingress.value.port',
  '      protocol    = "tcp"',
  '      cidr_blocks = ingress.value.cidrs',
  '    }',
  '  }',
  '}',
  '',
].join('\n');

const call = (name: string, cidr: string) => `module "${name}" {\n  source = "./modules/firewall"\n  rules  = [{ port = 22, cidrs = ["${cidr}"] }]\n}\n`;

describe('network rules through local module calls', () => {
  it('reports rule objects a call passes into dynamic blocks at the argument that opens them', async () => {
    const r = await run({ 'main.tf': call('public', '0.0.0.0/0') + call('internal', '10.0.0.0/8'), 'modules/firewall/main.tf': firewall }, 'main.tf');
    expect(r.findings.map((f) => f.message)).toEqual([expect.stringMatching(/port 22 \(SSH\).*\(through module\.public\)$/)]);
    expect(r.text(0)).toBe('[{ port = 22, cidrs = ["0.0.0.0/0"] }]');
    expect(r.findings[0].related?.[0].uri).toBe('/repo/modules/firewall/main.tf');
  });

  it('reports nothing in the module itself, whose default has no rules', async () => {
    const r = await run({ 'main.tf': call('public', '0.0.0.0/0'), 'modules/firewall/main.tf': firewall }, 'modules/firewall/main.tf');
    expect(r.findings).toEqual([]);
  });

  const serviceModule = [
    'variable "port" {}',
    'variable "cidrs" {',
    '  default = []',
    '}',
    'resource "aws_vpc_security_group_ingress_rule" "this" {',
    '  for_each          = toset(var.cidrs)',
    '  security_group_id = "sg-1"',
    '  ip_protocol       = "tcp"',
    '  from_port         = var.port',
    '  to_port           = var.port',
    '  cidr_ipv4         = each.value',
    '}',
    '',
  ].join('\n');

  const services = (items: string) =>
    `locals {\n  services = {\n${items}  }\n}\n\nmodule "sg" {\n  source   = "./modules/sg"\n  for_each = local.services\n  port     = each.value.port\n  cidrs    = each.value.cidrs\n}\n`;

  it('reads a call with for_each one instance at a time: the port and the addresses an item passes go together', async () => {
    const main = services('    inference = { port = 8080, cidrs = ["10.0.0.0/8"] }\n    labeling  = { port = 5432, cidrs = ["0.0.0.0/0"] }\n');
    const r = await run({ 'main.tf': main, 'modules/sg/main.tf': serviceModule }, 'main.tf');
    expect(r.findings.map((f) => f.message)).toEqual([expect.stringMatching(/port 5432 \(PostgreSQL\).*\(through module\.sg\["labeling"\]\)$/)]);
    expect(r.text(0)).toBe('each.value.cidrs');
  });

  it('creates nothing through a call whose for_each is empty', async () => {
    const r = await run({ 'main.tf': services(''), 'modules/sg/main.tf': serviceModule.replace('default = []', 'default = ["0.0.0.0/0"]') }, 'main.tf');
    expect(r.findings).toEqual([]);
  });

  it("reads a local module's output where a rule uses it", async () => {
    const main = [
      'module "ranges" {',
      '  source = "./modules/ranges"',
      '}',
      'resource "aws_security_group" "gpu" {',
      '  ingress {',
      '    from_port   = 22',
      '    to_port     = 22',
      '    protocol    = "tcp"',
      '    cidr_blocks = module.ranges.research',
      '  }',
      '}',
      '',
    ].join('\n');
    const ranges = 'locals {\n  research = ["0.0.0.0/0"]\n}\noutput "research" {\n  value = local.research\n}\n';
    const r = await run({ 'main.tf': main, 'modules/ranges/main.tf': ranges }, 'main.tf');
    expect(r.findings.map((f) => f.message)).toEqual([expect.stringMatching(/port 22 \(SSH\) \(through module\.ranges\.research\)$/)]);
    expect(r.text(0)).toBe('module.ranges.research');
  });

  describe('a condition the code fixes picks its result; a top module variable leaves both', () => {
    const optional = [
      'variable "create" {',
      '  default = true',
      '}',
      'variable "enabled" {',
      '  default = true',
      '}',
      'variable "cidrs" {',
      '  default = ["10.0.0.0/8"]',
      '}',
      'locals {',
      '  create = var.create && var.enabled',
      '}',
      'resource "aws_security_group_rule" "ssh" {',
      '  count             = local.create ? 1 : 0',
      '  type              = "ingress"',
      '  security_group_id = "sg-1"',
      '  from_port         = 22',
      '  to_port           = 22',
      '  protocol          = "tcp"',
      '  cidr_blocks       = var.cidrs',
      '}',
      '',
    ].join('\n');
    const caller = (create: string) => `module "admin" {\n  source = "./modules/admin"\n  create = ${create}\n  cidrs  = ["0.0.0.0/0"]\n}\n`;

    it("creates nothing through a call that sets create = false (the called module's other default fixed too)", async () => {
      const r = await run({ 'main.tf': caller('false'), 'modules/admin/main.tf': optional }, 'main.tf');
      expect(r.findings).toEqual([]);
    });

    it('reports through a call that sets create = true', async () => {
      const r = await run({ 'main.tf': caller('true'), 'modules/admin/main.tf': optional }, 'main.tf');
      expect(r.findings.map((f) => f.message)).toEqual([expect.stringMatching(/port 22 \(SSH\).*\(through module\.admin\)$/)]);
    });

    it('reads both results where the condition reads a variable of the module analysed at the top (its tfvars may set it)', async () => {
      const top = optional
        .replace('default = true\n}\nvariable "enabled"', 'default = false\n}\nvariable "enabled"')
        .replace('["10.0.0.0/8"]', '["0.0.0.0/0"]');
      const r = await run({ 'main.tf': top }, 'main.tf');
      expect(r.findings.map((f) => f.message)).toEqual([expect.stringMatching(/port 22 \(SSH\)/)]);
    });

    it('picks the result of a literal condition', async () => {
      const literal = optional.replace('local.create ? 1 : 0', 'false ? 1 : 0').replace('["10.0.0.0/8"]', '["0.0.0.0/0"]');
      expect((await run({ 'main.tf': literal }, 'main.tf')).findings).toEqual([]);
    });
  });
});
