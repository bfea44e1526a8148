/**
 * How Terraform values are read (`core/evaluate-terraform.ts`): tfvars precedence, conditionals with collections,
 * computed keys, the functions that pass values on, for-expressions, templates, `each` / `count`, module outputs,
 * resources that are never created; and an operation count that grows linearly from N to 4N.
 */
import { describe, expect, it } from 'vitest';
import { evaluations } from '../../core/evaluate';
import { evaluate, evaluateItems, evaluateStrings, get, neverCreated, type Node, parseFile, type ParsedFile, Project, str } from '../../core';

async function module(files: Record<string, string>): Promise<{ project: Project; file: (name: string) => ParsedFile }> {
  const parsed = await Promise.all(Object.entries(files).map(([name, text]) => parseFile(`/m/${name}`, text)));
  return { project: new Project(parsed), file: (name) => parsed.find((f) => f.uri === `/m/${name}`)! };
}

/** The strings an attribute of the named resource can be. */
function values(file: ParsedFile, project: Project, resource: string, attribute: string): string[] {
  const r = file.resources.find((x) => x.name === resource)!;
  return evaluateItems(get(r.body, attribute), { file, project })
    .values.map(str)
    .filter((s): s is string => s !== undefined);
}

describe('Terraform variables from tfvars files', () => {
  it('reads terraform.tfvars, then terraform.tfvars.json, then *.auto.tfvars in byte order of their names: the last one wins', async () => {
    const { project, file } = await module({
      'main.tf': [
        'variable "a" {',
        '  default = "default"',
        '}',
        'variable "b" {',
        '  default = "default"',
        '}',
        'variable "c" {',
        '  default = "default"',
        '}',
        'variable "d" {',
        '  default = "default"',
        '}',
        'resource "x" "y" {',
        '  a = var.a',
        '  b = var.b',
        '  c = var.c',
        '  d = var.d',
        '}',
      ].join('\n'),
      'terraform.tfvars': 'a = "tfvars"\nb = "tfvars"\nc = "tfvars"\nd = "tfvars"\n',
      'terraform.tfvars.json': '{ "b": "tfvars.json", "c": "tfvars.json" }',
      // `-` (0x2d) sorts before `.` (0x2e): network.auto.tfvars comes last; `Z` sorts before `a`.
      'network.auto.tfvars': 'c = "network"\n',
      'network-overrides.auto.tfvars': 'c = "network-overrides"\nd = "network-overrides"\n',
      'Zones.auto.tfvars': 'd = "Zones"\n',
      'prod.tfvars': 'a = "prod"\n',
    });
    const main = file('main.tf');
    expect(values(main, project, 'y', 'a')).toEqual(['tfvars']);
    expect(values(main, project, 'y', 'b')).toEqual(['tfvars.json']);
    expect(values(main, project, 'y', 'c')).toEqual(['network']);
    expect(values(main, project, 'y', 'd')).toEqual(['network-overrides']);
  });

  it('replaces a map default as a whole', async () => {
    const { project, file } = await module({
      'main.tf': 'variable "m" {\n  default = { ssh = "0.0.0.0/0", app = "0.0.0.0/0" }\n}\nresource "x" "y" {\n  a = values(var.m)\n}\n',
      'terraform.tfvars': 'm = { app = "10.0.0.0/8" }\n',
    });
    expect(values(file('main.tf'), project, 'y', 'a')).toEqual(['10.0.0.0/8']);
  });
});

describe('Terraform expressions', () => {
  it('reads both results of a conditional whose results are collections, and keys computed from other values', async () => {
    const { project, file } = await module({
      'main.tf': [
        'variable "public" {',
        '  default = false',
        '}',
        'variable "env" {',
        '  default = "staging"',
        '}',
        'locals {',
        '  by_env = { production = { cidrs = ["10.0.0.0/8"] }, staging = { cidrs = ["0.0.0.0/0"] } }',
        '}',
        'resource "x" "y" {',
        '  a = var.public ? ["0.0.0.0/0"] : ["10.0.0.0/8"]',
        '  b = local.by_env[var.env].cidrs',
        '  c = local.by_env[var.unknown].cidrs',
        '}',
      ].join('\n'),
    });
    const main = file('main.tf');
    expect(values(main, project, 'y', 'a')).toEqual(['0.0.0.0/0', '10.0.0.0/8']);
    expect(values(main, project, 'y', 'b')).toEqual(['0.0.0.0/0']);
    expect(values(main, project, 'y', 'c')).toEqual(['10.0.0.0/8', '0.0.0.0/0']);
  });

  it('passes values through concat, flatten, compact, coalesce, try, merge, setproduct, values, keys and length', async () => {
    const { project, file } = await module({
      'main.tf': [
        'variable "unset_null" {',
        '  default = null',
        '}',
        'variable "settings" {',
        '  default = {}',
        '}',
        'locals {',
        '  a = ["10.0.0.0/8"]',
        '  b = ["0.0.0.0/0"]',
        '  m = { x = 1 }',
        '}',
        'resource "x" "y" {',
        '  concat   = concat(local.a, local.b)',
        '  flatten  = flatten([local.a, [local.b]])',
        '  compact  = compact([var.unset_null, "10.0.0.0/8", ""])',
        '  coalesce = [coalesce(var.unset_null, "", "0.0.0.0/0")]',
        '  try      = try(var.settings.cidrs, local.b)',
        '  merge    = keys(merge(local.m, { y = 2 }, { x = 3 }))',
        '  values   = values(merge(local.m, { x = 3 }))',
        '  product  = flatten(setproduct(local.a, local.b))',
        '  length   = [length(local.b)]',
        '}',
      ].join('\n'),
    });
    const main = file('main.tf');
    const v = (a: string) => values(main, project, 'y', a);
    expect(v('concat')).toEqual(['10.0.0.0/8', '0.0.0.0/0']);
    expect(v('flatten')).toEqual(['10.0.0.0/8', '0.0.0.0/0']);
    expect(v('compact')).toEqual(['10.0.0.0/8']);
    expect(v('coalesce')).toEqual(['0.0.0.0/0']);
    expect(v('try')).toEqual(['0.0.0.0/0']);
    expect(v('merge')).toEqual(['x', 'y']);
    expect(v('values')).toEqual(['3']);
    expect(v('product')).toEqual(['10.0.0.0/8', '0.0.0.0/0']);
    expect(v('length')).toEqual(['1']);
  });

  it('reads for-expressions (projections, objects keyed by templates, filters it can read) and templates over their names', async () => {
    const { project, file } = await module({
      'main.tf': [
        'locals {',
        '  rules = [{ port = 22, cidr = "0.0.0.0/0", on = true }, { port = 80, cidr = "10.0.0.0/8", on = false }]',
        '  ips   = { berlin = "198.51.100.17" }',
        '}',
        'resource "x" "y" {',
        '  projection = [for r in local.rules : r.cidr]',
        '  object     = values({ for r in local.rules : "${r.port}-${r.cidr}" => r.port })',
        '  keys       = keys({ for r in local.rules : "${r.port}-${r.cidr}" => r })',
        '  filtered   = [for r in local.rules : r.cidr if r.on]',
        '  negated    = [for r in local.rules : r.cidr if !r.on && r.port != 22]',
        '  unknown    = [for r in local.rules : r.cidr if contains(var.x, r.port)]',
        '  template   = [for name, ip in local.ips : "${name}:${ip}/32"]',
        '}',
      ].join('\n'),
    });
    const main = file('main.tf');
    const v = (a: string) => values(main, project, 'y', a);
    expect(v('projection')).toEqual(['0.0.0.0/0', '10.0.0.0/8']);
    expect(v('object')).toEqual(['22', '80']);
    expect(v('keys')).toEqual(['22-0.0.0.0/0', '80-10.0.0.0/8']);
    expect(v('filtered')).toEqual(['0.0.0.0/0']);
    expect(v('negated')).toEqual(['10.0.0.0/8']);
    // A filter that cannot be read: which items are kept is not guessed.
    expect(v('unknown')).toEqual([]);
    expect(v('template')).toEqual(['berlin:198.51.100.17/32']);
  });

  it('reads splats and boolean expressions, every value each side can have', async () => {
    const { project, file } = await module({
      'main.tf': [
        'variable "acl" {',
        '  default = "private"',
        '}',
        'locals {',
        '  sources = [{ cidr = "10.0.0.0/8" }, { cidr = "0.0.0.0/0" }]',
        '}',
        'resource "x" "y" {',
        '  for_each = { a = "private", b = "public-read" }',
        '  splat    = local.sources[*].cidr',
        '  legacy   = local.sources.*.cidr',
        '  is_var   = [var.acl == "private"]',
        '  per_item = [each.value == "private"]',
        '  combined = [!(each.value == "private") || var.acl != "private"]',
        '  template = ["a==b"]',
        '}',
      ].join('\n'),
    });
    const main = file('main.tf');
    const v = (a: string) => values(main, project, 'y', a);
    expect(v('splat')).toEqual(['10.0.0.0/8', '0.0.0.0/0']);
    expect(v('legacy')).toEqual(['10.0.0.0/8', '0.0.0.0/0']);
    expect(v('is_var')).toEqual(['true']);
    expect(v('per_item').sort()).toEqual(['false', 'true']);
    expect(v('combined').sort()).toEqual(['false', 'true']);
    expect(v('template')).toEqual(['a==b']);
  });

  it('reads each and count of the enclosing block, and tells resources that are never created', async () => {
    const { project, file } = await module({
      'main.tf': [
        'variable "on" {',
        '  default = false',
        '}',
        'variable "ports" {',
        '  default = []',
        '}',
        'resource "x" "each" {',
        '  for_each = { a = "0.0.0.0/0", b = "10.0.0.0/8" }',
        '  cidr     = each.value',
        '  name     = each.key',
        '}',
        'resource "x" "counted" {',
        '  count = 2',
        '  index = count.index',
        '}',
        'resource "x" "zero" {',
        '  count = 0',
        '}',
        'resource "x" "empty" {',
        '  count = length(var.ports)',
        '}',
        'resource "x" "no_items" {',
        '  for_each = toset([])',
        '}',
        'resource "x" "maybe" {',
        '  count = var.on ? 1 : 0',
        '}',
      ].join('\n'),
    });
    const main = file('main.tf');
    expect(values(main, project, 'each', 'cidr')).toEqual(['0.0.0.0/0', '10.0.0.0/8']);
    expect(values(main, project, 'each', 'name')).toEqual(['a', 'b']);
    expect(values(main, project, 'counted', 'index')).toEqual(['0', '1']);
    const created = (name: string) => !neverCreated(main.resources.find((r) => r.name === name)!, { file: main, project });
    expect(['each', 'counted', 'zero', 'empty', 'no_items', 'maybe'].filter(created)).toEqual(['each', 'counted', 'maybe']);
  });

  it("reads a local module's outputs, with the call's arguments", async () => {
    const { project, file } = await module({
      'main.tf': 'module "ranges" {\n  source = "./ranges"\n  extra  = "192.0.2.0/24"\n}\nresource "x" "y" {\n  a = module.ranges.cidrs\n}\n',
      'ranges/main.tf': 'variable "extra" {}\nlocals {\n  open = ["0.0.0.0/0"]\n}\noutput "cidrs" {\n  value = concat(local.open, [var.extra])\n}\n',
    });
    expect(values(file('main.tf'), project, 'y', 'a')).toEqual(['0.0.0.0/0', '192.0.2.0/24']);
  });
});

describe('Terraform evaluation grows linearly', () => {
  /** Evaluations to read every attribute of a module of `n` blocks of each construct. */
  async function count(n: number): Promise<number> {
    const blocks: string[] = ['locals {'];
    for (let i = 0; i < n; i++) blocks.push(`  r${i} = [{ port = ${i}, cidr = "10.${i % 250}.0.0/16", on = true }]`, `  m${i} = { a${i} = "0.0.0.0/0" }`);
    blocks.push('}');
    for (let i = 0; i < n; i++) {
      blocks.push(
        `resource "x" "r${i}" {`,
        `  for_each = { for r in local.r${i} : "\${r.port}-\${r.cidr}" => r if r.on }`,
        '  cidr = each.value.cidr',
        `  a = var.public ? ["0.0.0.0/0"] : try(local.m${i}.missing, values(merge(local.m${i}, {})))`,
        `  b = flatten([for k, v in local.m${i} : [v, coalesce(var.unset, v)]])`,
        `  c = local.r${i}[*].cidr`,
        '  d = [each.value.on == true && !var.public]',
        '}',
      );
    }
    const { project, file } = await module({ 'main.tf': blocks.join('\n') });
    const main = file('main.tf');
    const before = evaluations.count;
    for (const r of main.resources) {
      if (r.kind !== 'resource') continue;
      for (const e of r.body.entries) evaluate(e.value as Node, { file: main, project });
    }
    return evaluations.count - before;
  }

  it('evaluates a module four times as large with about four times the evaluations', async () => {
    const small = await count(200);
    const large = await count(800);
    expect(small).toBeGreaterThan(200);
    expect(large / small).toBeLessThan(4.5);
  });

  it('reads an attribute of a large for_each, or a long chain of locals, in evaluations linear in its size', async () => {
    const chain = async (n: number) => {
      const lines = ['locals {', '  l0 = ["0.0.0.0/0"]'];
      for (let i = 1; i < n; i++) lines.push(`  l${i} = concat(local.l${i - 1}, [])`);
      lines.push(`  big = { ${Array.from({ length: n }, (_, i) => `k${i} = { cidr = "10.0.0.${i % 250}/32" }`).join(', ')} }`, '}');
      lines.push('resource "x" "y" {', '  for_each = local.big', '  cidr = each.value.cidr', `  deep = local.l${n - 1}`, '}');
      const { project, file } = await module({ 'main.tf': lines.join('\n') });
      const main = file('main.tf');
      const r = main.resources.find((x) => x.name === 'y')!;
      const before = evaluations.count;
      for (const e of r.body.entries) evaluate(e.value as Node, { file: main, project });
      return evaluations.count - before;
    };
    const small = await chain(100);
    const large = await chain(400);
    expect(large / small).toBeLessThan(4.5);
  });
});

it('evaluateStrings of a template over a for-expression name is one string', async () => {
  const { project, file } = await module({ 'main.tf': 'resource "x" "y" {\n  a = "${var.p}/0"\n}\nvariable "p" {\n  default = "0.0.0.0"\n}\n' });
  const main = file('main.tf');
  expect(evaluateStrings(get(main.resources[0].body, 'a'), { file: main, project }).strings).toEqual(['0.0.0.0/0']);
});
