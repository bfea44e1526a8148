import { describe, expect, it } from 'vitest';
import { applyEdits, ConfigError, detectFormat, mask, matchesRuleGlob, parseConfigText, parseFile, Project, snippetToText } from '../../core';
import { evaluate, evaluateItems, evaluateStrings } from '../../core/evaluate';
import { get } from '../../core/nodes';

describe('format detection', () => {
  it.each([
    ['main.tf', '', 'terraform'],
    ['prod.tfvars', 'a = 1', 'terraform'],
    ['nb.ipynb', '{}', 'notebook'],
    ['t.yaml', 'AWSTemplateFormatVersion: "2010-09-09"\nResources: {}', 'cloudformation'],
    ['t.yml', 'Resources:\n  B:\n    Type: AWS::S3::Bucket', 'cloudformation'],
    ['t.json', '{"Resources": {"B": {"Type": "AWS::S3::Bucket"}}}', 'cloudformation'],
    ['d.yaml', 'apiVersion: v1\nkind: Pod\n', 'kubernetes'],
    ['compose.yaml', 'services:\n  web:\n    image: nginx', 'compose'],
    ['kustomization.yaml', 'resources:\n  - deploy.yaml', 'kustomize'],
    ['.env', 'A=1', 'text'],
    ['package.json', '{"name": "x"}', 'text'],
  ])('%s → %s', (uri, text, format) => {
    expect(detectFormat(uri, text)).toBe(format);
  });
});

describe('masking', () => {
  it('keeps enough to recognise a key and nothing to use it', () => {
    expect(mask('AKIAZ7Q4XB2M5N8K3JPL')).toBe('AKIA…3JPL');
    expect(mask('hunter2pass')).toBe('hu…ss');
    expect(mask('abc')).toBe('…');
  });
});

describe('config', () => {
  it('parses rules, globs, ignore, sizes', () => {
    const c = parseConfigText('rules:\n  "pin/*": info\n  secret/known-token: off\nignore: [vendor/]\nmaxFileSize: 2MB\n', '.airlock.yaml');
    expect(c.rules).toEqual({ 'pin/*': 'info', 'secret/known-token': 'off' });
    expect(c.ignore).toEqual(['vendor/']);
    expect(c.maxFileSize).toBe(2 * 1024 * 1024);
  });

  it.each([
    ['rules:\n  secret/x: loud\n', /rules.secret\/x: expected one of/],
    ['colour: red\n', /unknown key "colour"/],
    ['ignore: vendor\n', /ignore must be a list/],
    ['maxFileSize: lots\n', /maxFileSize/],
    ['rules: [\n', /not valid YAML/],
  ])('rejects %j with a clear message', (text, message) => {
    expect(() => parseConfigText(text, '.airlock.yaml')).toThrow(ConfigError);
    expect(() => parseConfigText(text, '.airlock.yaml')).toThrow(message);
  });

  it('matches rule globs', () => {
    expect(matchesRuleGlob('secret/*', 'secret/known-token')).toBe(true);
    expect(matchesRuleGlob('secret/*', 'pin/image-unpinned')).toBe(false);
    expect(matchesRuleGlob('*', 'pin/image-unpinned')).toBe(true);
    expect(matchesRuleGlob('pin/hf-*', 'pin/hf-unpinned-revision')).toBe(true);
  });
});

describe('fix application', () => {
  it('applies edits back to front, keeps insertion order at one offset, drops overlaps', () => {
    const text = 'abcdef';
    expect(
      applyEdits(text, [
        { start: 6, end: 6, newText: '1' },
        { start: 6, end: 6, newText: '2' },
        { start: 1, end: 3, newText: 'X' },
        { start: 2, end: 4, newText: 'overlap' },
      ]),
    ).toBe('aXdef12');
  });

  it('reduces snippets to their placeholder text', () => {
    expect(snippetToText('revision="${1:commit-sha}"$0')).toBe('revision="commit-sha"');
    expect(snippetToText('var.${1:name}')).toBe('var.name');
  });
});

describe('evaluation', () => {
  it('Terraform: var from tfvars over default, local, templates; unresolved named', async () => {
    const main = await parseFile(
      '/m/main.tf',
      [
        'variable "cidr" {',
        '  default = "10.0.0.0/8"',
        '}',
        'variable "open" {',
        '  default = ["0.0.0.0/0"]',
        '}',
        'variable "unset" {}',
        'locals {',
        '  prefix = "acme"',
        '}',
        'resource "x" "y" {',
        '  a = var.cidr',
        '  b = var.open',
        '  c = "${local.prefix}-${var.cidr}"',
        '  d = var.unset',
        '  e = "${var.unset}:latest"',
        '}',
      ].join('\n'),
    );
    const tfvars = await parseFile('/m/terraform.tfvars', 'cidr = "0.0.0.0/0"\n');
    const ctx = { file: main, project: new Project([main, tfvars]) };
    const body = main.resources.find((r) => r.kind === 'resource')!.body;
    expect(evaluateStrings(get(body, 'a'), ctx)).toEqual({ strings: ['0.0.0.0/0'], unresolved: [] });
    expect(evaluateItems(get(body, 'b'), ctx).values.map((v) => (v as { value: unknown }).value)).toEqual(['0.0.0.0/0']);
    expect(evaluateStrings(get(body, 'c'), ctx).strings).toEqual(['acme-0.0.0.0/0']);
    expect(evaluate(get(body, 'd'), ctx)).toEqual({ values: [], unresolved: ['var.unset'] });
    expect(evaluate(get(body, 'e'), ctx).unresolved).toEqual(['var.unset']);
  });

  it('Terraform: both results of a conditional, lookup, element, literal keys and indexes', async () => {
    const file = await parseFile(
      '/m/main.tf',
      [
        'variable "m" {',
        '  default = { a = "0.0.0.0/0", b = "10.0.0.0/8" }',
        '}',
        'variable "l" {',
        '  default = ["::/0", "fd00::/8"]',
        '}',
        'variable "unset" {}',
        'resource "x" "y" {',
        '  a = var.unset ? "0.0.0.0/0" : "10.0.0.0/8"',
        '  b = lookup(var.m, "b")',
        '  c = lookup(var.m, "missing", "192.0.2.0/24")',
        '  d = lookup(var.m, var.unset)',
        '  e = element(var.l, 3)',
        '  f = var.m["a"]',
        '  g = var.l[1]',
        '  h = var.m.b',
        '  i = var.m["missing"]',
        '}',
      ].join('\n'),
    );
    const ctx = { file, project: new Project([file]) };
    const body = file.resources.find((r) => r.kind === 'resource')!.body;
    const strings = (k: string) => evaluateStrings(get(body, k), ctx).strings;
    expect(strings('a')).toEqual(['0.0.0.0/0', '10.0.0.0/8']);
    expect(strings('b')).toEqual(['10.0.0.0/8']);
    expect(strings('c')).toEqual(['192.0.2.0/24']);
    expect(strings('d')).toEqual(['0.0.0.0/0', '10.0.0.0/8']);
    expect(strings('e')).toEqual(['fd00::/8']);
    expect(strings('f')).toEqual(['0.0.0.0/0']);
    expect(strings('g')).toEqual(['fd00::/8']);
    expect(strings('h')).toEqual(['10.0.0.0/8']);
    expect(evaluate(get(body, 'i'), ctx)).toEqual({ values: [], unresolved: ['var.m["missing"]'] });
  });

  it('CloudFormation: Ref to a parameter default, both If branches, Sub', async () => {
    const file = await parseFile(
      '/t.yaml',
      [
        'AWSTemplateFormatVersion: "2010-09-09"',
        'Parameters:',
        '  Cidr:',
        '    Type: String',
        '    Default: 0.0.0.0/0',
        '  NoDefault:',
        '    Type: String',
        'Resources:',
        '  R:',
        '    Type: AWS::EC2::SecurityGroupIngress',
        '    Properties:',
        '      A: !Ref Cidr',
        '      B: !If [IsProd, 10.0.0.0/8, !Ref Cidr]',
        '      C: !Sub "${Cidr}"',
        '      D: !Ref NoDefault',
      ].join('\n'),
    );
    const ctx = { file, project: new Project([file]) };
    const body = file.resources.find((r) => r.name === 'R')!.body;
    expect(evaluateStrings(get(body, 'A'), ctx).strings).toEqual(['0.0.0.0/0']);
    expect(evaluateStrings(get(body, 'B'), ctx).strings).toEqual(['10.0.0.0/8', '0.0.0.0/0']);
    expect(evaluateStrings(get(body, 'C'), ctx).strings).toEqual(['0.0.0.0/0']);
    expect(evaluate(get(body, 'D'), ctx).unresolved).toEqual(['!Ref NoDefault']);
  });

  it('CloudFormation: FindInMap into Mappings (every entry of a level whose key is known only at deployment, the AllowedValues of a parameter), Select', async () => {
    const file = await parseFile(
      '/t.yaml',
      [
        'Parameters:',
        '  Tier:',
        '    Type: String',
        '    Default: public',
        '  Zone:',
        '    Type: String',
        '    AllowedValues: [private]',
        '    Default: private',
        'Mappings:',
        '  Net:',
        '    public:',
        '      Cidr: 0.0.0.0/0',
        '    private:',
        '      Cidr: 10.0.0.0/8',
        'Resources:',
        '  R:',
        '    Type: AWS::EC2::SecurityGroupIngress',
        '    Properties:',
        '      A: !FindInMap [Net, !Ref Tier, Cidr]',
        '      B: !FindInMap [Net, !Ref "AWS::Region", Cidr]',
        '      C: !FindInMap [Net, missing, Cidr]',
        '      D: !Select [1, [10.0.0.0/8, 0.0.0.0/0]]',
        '      E: !Select [0, !GetAZs ""]',
        '      F: !FindInMap [Net, !Ref Zone, Cidr]',
      ].join('\n'),
    );
    const ctx = { file, project: new Project([file]) };
    const body = file.resources.find((r) => r.name === 'R')!.body;
    // A parameter's Default is only the key used when the stack is given none: any key of the level can be chosen.
    expect(evaluateStrings(get(body, 'A'), ctx).strings).toEqual(['0.0.0.0/0', '10.0.0.0/8']);
    expect(evaluateStrings(get(body, 'B'), ctx).strings).toEqual(['0.0.0.0/0', '10.0.0.0/8']);
    expect(evaluate(get(body, 'C'), ctx)).toEqual({ values: [], unresolved: ['!FindInMap [Net, missing, Cidr]'] });
    expect(evaluateStrings(get(body, 'D'), ctx).strings).toEqual(['0.0.0.0/0']);
    expect(evaluate(get(body, 'E'), ctx).values).toEqual([]);
    expect(evaluateStrings(get(body, 'F'), ctx).strings).toEqual(['10.0.0.0/8']);
  });
});
