import { beforeAll, describe, expect, it } from 'vitest';
import { Edit } from 'web-tree-sitter';
import { parseTerraform, parseTerraformFile, type TerraformFile } from '../../core/formats/terraform/parse';
import type { ExprNode, ListNode, MapNode, Node, ParsedFile, ScalarNode, Span } from '../../core/model';
import { all, at, entry, get, isExpr, isList, isMap, isScalar, walk } from '../../core/nodes';
import { LineIndex } from '../../core/text';
import { loadGrammar } from '../../core/wasm';

beforeAll(async () => {
  await loadGrammar('terraform');
});

/** `[startLine, startCol, endLine, endCol]`, 0-based. */
function lc(text: string, span: Span | undefined): [number, number, number, number] {
  if (!span) throw new Error('no span');
  const idx = new LineIndex(text);
  const s = idx.position(span.start);
  const e = idx.position(span.end);
  return [s.line, s.character, e.line, e.character];
}

function scalar(n: Node | undefined): ScalarNode {
  if (!isScalar(n)) throw new Error(`expected a scalar, got ${n?.kind}`);
  return n;
}

function expr(n: Node | undefined): ExprNode {
  if (!isExpr(n)) throw new Error(`expected an expression, got ${n?.kind}`);
  return n;
}

function map(n: Node | undefined): MapNode {
  if (!isMap(n)) throw new Error(`expected a map, got ${n?.kind}`);
  return n;
}

function list(n: Node | undefined): ListNode {
  if (!isList(n)) throw new Error(`expected a list, got ${n?.kind}`);
  return n;
}

function resource(file: ParsedFile, kind: string, name: string) {
  const r = file.resources.find((x) => x.kind === kind && x.name === name);
  if (!r) throw new Error(`no ${kind} ${name} in ${file.resources.map((x) => `${x.kind}.${x.name}`).join(', ')}`);
  return r;
}

/** Everything but the tree and the function, for comparing two parses. */
function model(f: TerraformFile) {
  return { resources: f.resources, roots: f.roots, comments: f.comments, problems: f.problems };
}

const MAIN = [
  '# Storage — café ☕ and 😀 before a block', // 0
  'resource "aws_s3_bucket" "logs" {', // 1
  '  bucket = "logs-${var.env}-${local.suffix}"', // 2
  '  acl    = "public-read" # legacy', // 3
  '  tags = {', // 4
  '    Name          = "logs"', // 5
  '    "cost-center" = var.cost_center', // 6
  '  }', // 7
  '}', // 8
  '', // 9
  'resource "aws_security_group" "web" {', // 10
  '  name = "wéb 😀" # note', // 11
  '  ingress {', // 12
  '    from_port   = 22', // 13
  '    to_port     = 22', // 14
  '    protocol    = "tcp"', // 15
  '    cidr_blocks = ["0.0.0.0/0", var.office_cidr]', // 16
  '  }', // 17
  '  ingress {', // 18
  '    from_port = -1', // 19
  '    to_port   = -1', // 20
  '    protocol  = "-1"', // 21
  '    self      = true', // 22
  '  }', // 23
  '  dynamic "egress" {', // 24
  '    for_each = var.egress_rules', // 25
  '    content {', // 26
  '      cidr_blocks = egress.value.cidrs', // 27
  '      description = "egress ${egress.key}"', // 28
  '    }', // 29
  '  }', // 30
  '}', // 31
  '', // 32
  'data "aws_iam_policy_document" "p" {', // 33
  '  statement {', // 34
  '    actions   = ["s3:GetObject"]', // 35
  '    resources = ["${aws_s3_bucket.logs.arn}/*"]', // 36
  '  }', // 37
  '}', // 38
  '', // 39
  'resource "aws_ecs_task_definition" "app" {', // 40
  '  family                = "app"', // 41
  '  container_definitions = jsonencode([', // 42
  '    {', // 43
  '      name        = "app"', // 44
  '      image       = "nginx:latest"', // 45
  '      environment = [{ name = "DB_PASSWORD", value = "hunter2" }]', // 46
  '    }', // 47
  '  ])', // 48
  '  policy = <<-EOT', // 49
  '    {', // 50
  '      "Version": "2012-10-17"', // 51
  '    }', // 52
  '  EOT', // 53
  '  user_data = <<EOF', // 54
  '#!/bin/bash', // 55
  'echo ${var.greeting}', // 56
  'EOF', // 57
  '}', // 58
  '', // 59
  'module "vpc" {', // 60
  '  source  = "terraform-aws-modules/vpc/aws"', // 61
  '  version = "~> 5.0"', // 62
  '}', // 63
  '', // 64
  'provider "aws" {', // 65
  '  region = "us-east-1"', // 66
  '}', // 67
  '', // 68
  'variable "env" {', // 69
  '  default = null', // 70
  '}', // 71
  '', // 72
  'locals {', // 73
  '  suffix = lower(format("%s-%d", var.env, 3))', // 74
  '  names  = [for s in var.list : upper(s) if s != ""]', // 75
  '  ids    = aws_instance.web[*].id', // 76
  '  first  = aws_instance.web[0].private_ip', // 77
  '  ready  = var.enabled ? "yes" : null', // 78
  '  merged = merge(var.tags, { Name = local.name })', // 79
  '}', // 80
  '', // 81
  'output "arn" {', // 82
  '  value = aws_s3_bucket.logs.arn', // 83
  '}', // 84
  '', // 85
  '/* trailing', // 86
  '   block comment */', // 87
  'terraform {', // 88
  '  required_version = ">= 1.5" // pinned', // 89
  '}', // 90
  '',
].join('\n');

describe('terraform adapter: a realistic file', () => {
  let file: TerraformFile;
  beforeAll(() => {
    file = parseTerraform('file:///main.tf', MAIN);
  });

  it('is a clean terraform parse', () => {
    expect(file.format).toBe('terraform');
    expect(file.uri).toBe('file:///main.tf');
    expect(file.text).toBe(MAIN);
    expect(file.problems).toEqual([]);
    expect(file.toFileSpan({ start: 3, end: 9 })).toEqual({ start: 3, end: 9 });
    expect(file.tree.rootNode.type).toBe('config_file');
  });

  it('makes every top-level block a resource, with kind, type and name', () => {
    expect(file.resources.map((r) => [r.kind, r.type, r.name])).toEqual([
      ['resource', 'aws_s3_bucket', 'logs'],
      ['resource', 'aws_security_group', 'web'],
      ['data', 'aws_iam_policy_document', 'p'],
      ['resource', 'aws_ecs_task_definition', 'app'],
      ['module', '', 'vpc'],
      ['provider', 'aws', 'aws'],
      ['variable', '', 'env'],
      ['locals', '', ''],
      ['output', '', 'arn'],
      ['terraform', '', ''],
    ]);
  });

  it('gives exact JS-string spans after non-ASCII text (é, ☕, 😀)', () => {
    const logs = resource(file, 'resource', 'logs');
    expect(lc(MAIN, logs.span)).toEqual([1, 0, 8, 1]);
    expect(lc(MAIN, logs.nameSpan)).toEqual([1, 0, 1, 31]);
    expect(MAIN.slice(logs.nameSpan.start, logs.nameSpan.end)).toBe('resource "aws_s3_bucket" "logs"');
    expect(lc(MAIN, logs.body.span)).toEqual([1, 32, 8, 1]);

    const sg = resource(file, 'resource', 'web');
    const name = scalar(get(sg.body, 'name'));
    expect(name.value).toBe('wéb 😀');
    expect(lc(MAIN, name.span)).toEqual([11, 9, 11, 17]);
    expect(lc(MAIN, name.contentSpan)).toEqual([11, 10, 11, 16]);
    expect(MAIN.slice(name.contentSpan!.start, name.contentSpan!.end)).toBe('wéb 😀');
    const note = file.comments.find((c) => c.text === ' note');
    expect(lc(MAIN, note?.span)).toEqual([11, 18, 11, 24]);
  });

  it('maps attributes with key spans and literal scalars', () => {
    const logs = resource(file, 'resource', 'logs');
    const acl = entry(logs.body, 'acl')!;
    expect(acl.form).toBe('attribute');
    expect(lc(MAIN, acl.keySpan)).toEqual([3, 2, 3, 5]);
    const v = scalar(acl.value);
    expect(v.value).toBe('public-read');
    expect(v.path).toEqual(['acl']);
    expect(lc(MAIN, v.span)).toEqual([3, 11, 3, 24]);
    expect(lc(MAIN, v.contentSpan)).toEqual([3, 12, 3, 23]);
  });

  it('maps objects with identifier and string keys', () => {
    const tags = map(get(resource(file, 'resource', 'logs').body, 'tags'));
    expect(lc(MAIN, tags.span)).toEqual([4, 9, 7, 3]);
    expect(tags.entries.map((e) => e.key)).toEqual(['Name', 'cost-center']);
    expect(lc(MAIN, tags.entries[0].keySpan)).toEqual([5, 4, 5, 8]);
    expect(lc(MAIN, tags.entries[1].keySpan)).toEqual([6, 4, 6, 17]);
    expect(scalar(tags.entries[0].value).value).toBe('logs');
    expect(tags.entries[0].value.path).toEqual(['tags', 'Name']);
    const cc = expr(tags.entries[1].value);
    expect(cc.refs).toEqual(['var.cost_center']);
    expect(cc.text).toBe('var.cost_center');
    expect(lc(MAIN, cc.span)).toEqual([6, 20, 6, 35]);
  });

  it('keeps interpolated strings as expressions with refs and literal parts', () => {
    const bucket = expr(get(resource(file, 'resource', 'logs').body, 'bucket'));
    expect(bucket.text).toBe('"logs-${var.env}-${local.suffix}"');
    expect(bucket.refs).toEqual(['var.env', 'local.suffix']);
    expect(bucket.literalParts).toEqual(['logs-', '-', '']);
    expect(lc(MAIN, bucket.span)).toEqual([2, 11, 2, 44]);

    const arn = expr(at(resource(file, 'data', 'p').body, 'statement', 'resources', 0));
    expect(arn.refs).toEqual(['aws_s3_bucket.logs.arn']);
    expect(arn.literalParts).toEqual(['', '/*']);
    expect(arn.path).toEqual(['statement', 'resources', 0]);
  });

  it('maps repeated nested blocks under the same key, in order', () => {
    const sg = resource(file, 'resource', 'web');
    const ingress = all(sg.body, 'ingress');
    expect(ingress).toHaveLength(2);
    const first = map(ingress[0]);
    expect(lc(MAIN, first.span)).toEqual([12, 10, 17, 3]);
    expect(first.path).toEqual(['ingress']);
    const e = sg.body.entries.find((x) => x.key === 'ingress')!;
    expect(e.form).toBe('block');
    expect(e.labels).toEqual([]);
    expect(lc(MAIN, e.keySpan)).toEqual([12, 2, 12, 9]);

    const cidrs = list(get(first, 'cidr_blocks'));
    expect(cidrs.path).toEqual(['ingress', 'cidr_blocks']);
    const open = scalar(cidrs.items[0]);
    expect(open.value).toBe('0.0.0.0/0');
    expect(open.path).toEqual(['ingress', 'cidr_blocks', 0]);
    expect(lc(MAIN, open.contentSpan)).toEqual([16, 20, 16, 29]);
    expect(expr(cidrs.items[1]).refs).toEqual(['var.office_cidr']);
    expect(scalar(get(first, 'from_port')).value).toBe(22);

    const second = map(ingress[1]);
    const from = scalar(get(second, 'from_port'));
    expect(from.value).toBe(-1);
    expect(lc(MAIN, from.span)).toEqual([19, 16, 19, 18]);
    expect(scalar(get(second, 'protocol')).value).toBe('-1');
    expect(scalar(get(second, 'self')).value).toBe(true);
  });

  it('keeps dynamic blocks and also files their content under the dynamic label', () => {
    const sg = resource(file, 'resource', 'web');
    const dyn = entry(sg.body, 'dynamic')!;
    expect(dyn.form).toBe('block');
    expect(dyn.labels).toEqual(['egress']);
    expect(expr(get(dyn.value, 'for_each')).refs).toEqual(['var.egress_rules']);

    const egress = all(sg.body, 'egress');
    expect(egress).toHaveLength(1);
    const content = map(egress[0]);
    expect(content).toBe(get(dyn.value, 'content'));
    expect(lc(MAIN, content.span)).toEqual([26, 12, 29, 5]);
    expect(content.path).toEqual(['egress']);
    const alias = entry(sg.body, 'egress')!;
    expect(alias.form).toBe('block');
    expect(lc(MAIN, alias.keySpan)).toEqual([24, 10, 24, 18]);

    const cidrs = expr(get(content, 'cidr_blocks'));
    expect(cidrs.refs).toEqual(['egress.value.cidrs']);
    expect(cidrs.path).toEqual(['egress', 'cidr_blocks']);
    const desc = expr(get(content, 'description'));
    expect(desc.literalParts).toEqual(['egress ', '']);
  });

  it('converts function calls: jsonencode arguments are structured nodes', () => {
    const task = resource(file, 'resource', 'app');
    const defs = expr(get(task.body, 'container_definitions'));
    expect(defs.fn).toBe('jsonencode');
    expect(lc(MAIN, defs.span)).toEqual([42, 26, 48, 4]);
    expect(defs.args).toHaveLength(1);
    const containers = list(defs.args![0]);
    expect(containers.path).toEqual(['container_definitions']);
    const image = scalar(at(containers, 0, 'image'));
    expect(image.value).toBe('nginx:latest');
    expect(image.path).toEqual(['container_definitions', 0, 'image']);
    expect(lc(MAIN, image.span)).toEqual([45, 20, 45, 34]);
    expect(lc(MAIN, image.contentSpan)).toEqual([45, 21, 45, 33]);
    const password = scalar(at(containers, 0, 'environment', 0, 'value'));
    expect(password.value).toBe('hunter2');
    expect(lc(MAIN, password.contentSpan)).toEqual([46, 54, 46, 61]);

    // walk() reaches values inside call arguments
    const values = [...walk(task.body)]
      .map((v) => v.node)
      .filter(isScalar)
      .map((n) => n.value);
    expect(values).toContain('hunter2');
  });

  it('reads heredocs: a literal one is a scalar (dedented for <<-), an interpolated one an expression', () => {
    const task = resource(file, 'resource', 'app');
    const policy = scalar(get(task.body, 'policy'));
    expect(policy.value).toBe('{\n  "Version": "2012-10-17"\n}\n');
    expect(lc(MAIN, policy.span)).toEqual([49, 11, 53, 5]);
    expect(lc(MAIN, policy.contentSpan)).toEqual([50, 0, 53, 0]);

    const userData = expr(get(task.body, 'user_data'));
    expect(userData.refs).toEqual(['var.greeting']);
    expect(userData.literalParts).toEqual(['#!/bin/bash\necho ', '\n']);
    expect(lc(MAIN, userData.span)).toEqual([54, 14, 57, 3]);
  });

  it('collects refs through calls, conditionals, splats and indexes, not for-iterators or object keys', () => {
    const locals = resource(file, 'locals', '');
    const suffix = expr(get(locals.body, 'suffix'));
    expect(suffix.fn).toBe('lower');
    expect(suffix.refs).toEqual(['var.env']);
    const inner = expr(suffix.args![0]);
    expect(inner.fn).toBe('format');
    expect(inner.args!.map((a) => (isScalar(a) ? a.value : (a as ExprNode).text))).toEqual(['%s-%d', 'var.env', 3]);

    const names = expr(get(locals.body, 'names'));
    expect(names.refs).toEqual(['var.list']);
    expect(expr(get(locals.body, 'ids')).refs).toEqual(['aws_instance.web.id']);
    expect(expr(get(locals.body, 'first')).refs).toEqual(['aws_instance.web.private_ip']);
    const ready = expr(get(locals.body, 'ready'));
    expect(ready.refs).toEqual(['var.enabled']);
    expect(ready.text).toBe('var.enabled ? "yes" : null');
    const merged = expr(get(locals.body, 'merged'));
    expect(merged.refs).toEqual(['var.tags', 'local.name']);
    expect(map(merged.args![1]).entries.map((e) => e.key)).toEqual(['Name']);

    expect(expr(get(resource(file, 'output', 'arn').body, 'value')).refs).toEqual(['aws_s3_bucket.logs.arn']);
    expect(scalar(get(resource(file, 'variable', 'env').body, 'default')).value).toBeNull();
  });

  it('collects every comment without its marker', () => {
    expect(file.comments.map((c) => c.text)).toEqual([
      ' Storage — café ☕ and 😀 before a block',
      ' legacy',
      ' note',
      ' trailing\n   block comment ',
      ' pinned',
    ]);
    expect(lc(MAIN, file.comments[0].span)).toEqual([0, 0, 0, 40]);
    expect(lc(MAIN, file.comments[3].span)).toEqual([86, 0, 87, 19]);
    expect(lc(MAIN, file.comments[4].span)).toEqual([89, 30, 89, 39]);
  });

  it('exposes the file body as the root map, sharing the resource bodies', () => {
    expect(file.roots).toHaveLength(1);
    const root = map(file.roots[0]);
    expect(root.span).toEqual({ start: 0, end: MAIN.length });
    expect(root.entries.map((e) => [e.key, ...(e.labels ?? [])])).toEqual([
      ['resource', 'aws_s3_bucket', 'logs'],
      ['resource', 'aws_security_group', 'web'],
      ['data', 'aws_iam_policy_document', 'p'],
      ['resource', 'aws_ecs_task_definition', 'app'],
      ['module', 'vpc'],
      ['provider', 'aws'],
      ['variable', 'env'],
      ['locals'],
      ['output', 'arn'],
      ['terraform'],
    ]);
    expect(root.entries.every((e) => e.form === 'block')).toBe(true);
    expect(root.entries[0].value).toBe(file.resources[0].body);
  });
});

describe('terraform adapter: strings and literals', () => {
  it('unescapes quoted strings and keeps $${ literal', () => {
    const text = 'a = "say \\"hi\\"\\n\\u00e9\\U0001F600"\nb = "cost $${var.x} 100%%{x}"\nc = 0x1F\nd = 1.5e3\ne = false\n';
    const f = parseTerraform('x.tfvars', text);
    const root = map(f.roots[0]);
    expect(scalar(get(root, 'a')).value).toBe('say "hi"\né😀');
    expect(scalar(get(root, 'b')).value).toBe('cost ${var.x} 100%{x}');
    expect(scalar(get(root, 'c')).value).toBe(31);
    expect(scalar(get(root, 'd')).value).toBe(1500);
    expect(scalar(get(root, 'e')).value).toBe(false);
    expect(f.problems).toEqual([]);
  });

  it('keeps leading and trailing blanks of string content', () => {
    const f = parseTerraform('x.tf', 'x = "  padded "\n');
    const v = scalar(get(f.roots[0], 'x'));
    expect(v.value).toBe('  padded ');
    expect(v.contentSpan).toEqual({ start: 5, end: 14 });
  });

  it('reads template directives as expressions', () => {
    const f = parseTerraform('x.tf', 'x = "%{ for n in var.names }${n},%{ endfor }"\n');
    const v = expr(get(f.roots[0], 'x'));
    expect(v.refs).toEqual(['var.names']);
    expect(v.literalParts).toEqual(['', '', ',', '']);
  });

  it('handles a heredoc with CRLF line endings and JSON content as a plain scalar', () => {
    const text = 'resource "aws_ecs_task_definition" "t" {\r\n  container_definitions = <<EOF\r\n[{"image": "nginx"}]\r\nEOF\r\n}\r\n';
    const f = parseTerraform('x.tf', text);
    const v = scalar(get(f.resources[0].body, 'container_definitions'));
    expect(v.value).toBe('[{"image": "nginx"}]\r\n');
    expect(f.problems).toEqual([]);
  });
});

describe('terraform adapter: tfvars', () => {
  it('puts the attributes of a .tfvars file in the root map', () => {
    const text = ['# env settings', 'region   = "eu-west-1"', 'db_password = "s3cr3t" # oops', 'cidrs = ["10.0.0.0/8"]', ''].join('\n');
    const f = parseTerraform('file:///prod.tfvars', text);
    expect(f.resources).toEqual([]);
    expect(f.problems).toEqual([]);
    const root = map(f.roots[0]);
    expect(root.entries.map((e) => [e.key, e.form])).toEqual([
      ['region', 'attribute'],
      ['db_password', 'attribute'],
      ['cidrs', 'attribute'],
    ]);
    const pw = scalar(get(root, 'db_password'));
    expect(pw.path).toEqual(['db_password']);
    expect(lc(text, pw.contentSpan)).toEqual([2, 15, 2, 21]);
    expect(scalar(at(root, 'cidrs', 0)).path).toEqual(['cidrs', 0]);
    expect(f.comments.map((c) => c.text)).toEqual([' env settings', ' oops']);
  });

  it('reads a .tfvars.json object as the root map', () => {
    const text = '{\n  "region": "us-east-1",\n  "zones": ["a", "b"]\n}\n';
    const f = parseTerraform('file:///x.tfvars.json', text);
    const root = map(f.roots[0]);
    expect(root.entries.map((e) => e.key)).toEqual(['region', 'zones']);
    expect(lc(text, scalar(get(root, 'region')).contentSpan)).toEqual([1, 13, 1, 22]);
    expect(list(get(root, 'zones')).items).toHaveLength(2);
    expect(f.problems).toEqual([]);
  });
});

describe('terraform adapter: broken input', () => {
  const blocks = (middle: string[]) =>
    [
      'resource "aws_s3_bucket" "first" {',
      '  bucket = "one"',
      '}',
      '',
      'resource "aws_s3_bucket" "second" {',
      ...middle,
      '}',
      '',
      'resource "aws_s3_bucket" "third" {',
      '  acl = "private"',
      '}',
      '',
    ].join('\n');

  it('keeps the blocks around a half-typed attribute and names the problem', () => {
    const text = blocks(['  acl =', '  bucket = "two"']);
    const f = parseTerraform('x.tf', text);
    expect(f.resources.map((r) => r.name)).toEqual(['first', 'second', 'third']);
    expect(scalar(get(resource(f, 'resource', 'first').body, 'bucket')).value).toBe('one');
    expect(scalar(get(resource(f, 'resource', 'third').body, 'acl')).value).toBe('private');
    expect(lc(text, resource(f, 'resource', 'third').span)).toEqual([9, 0, 11, 1]);
    const second = resource(f, 'resource', 'second');
    expect(second.body.entries.map((e) => e.key)).toEqual(['bucket']);
    expect(lc(text, entry(second.body, 'bucket')!.keySpan)).toEqual([6, 2, 6, 8]);
    expect(scalar(get(second.body, 'bucket')).value).toBe('two');
    expect(f.problems).toEqual([{ span: expect.any(Object), message: 'missing value for "acl"' }]);
    expect(lc(text, f.problems[0].span)).toEqual([5, 2, 5, 7]);
  });

  it('keeps the blocks around a half-typed expression', () => {
    for (const middle of [['  policy = jsonencode('], ['  acl = var.'], ['  n = 1 +', '  m = 2']]) {
      const text = blocks(middle);
      const f = parseTerraform('x.tf', text);
      expect(f.resources.map((r) => r.name)).toEqual(['first', 'second', 'third']);
      expect(scalar(get(resource(f, 'resource', 'third').body, 'acl')).value).toBe('private');
      expect(f.problems.length).toBeGreaterThan(0);
      expect(f.problems.length).toBeLessThanOrEqual(5);
      expect(f.problems[0].message).toMatch(/^(syntax error|missing)/);
      expect(lc(text, f.problems[0].span)[0]).toBe(5);
    }
  });

  it('keeps what precedes an unclosed list that swallows the rest', () => {
    const text = blocks(['  cidrs = ["10.0.0.0/8", ']);
    const f = parseTerraform('x.tf', text);
    expect(f.resources.map((r) => r.name).slice(0, 2)).toEqual(['first', 'second']);
    expect(scalar(at(resource(f, 'resource', 'second').body, 'cidrs', 0)).value).toBe('10.0.0.0/8');
    expect(f.problems.some((p) => p.message.startsWith('missing ]'))).toBe(true);
  });

  it('reports `name =` with nothing after it as a missing value and drops the empty attribute', () => {
    const text = blocks(['  acl =']);
    const f = parseTerraform('x.tf', text);
    expect(f.resources.map((r) => r.name)).toEqual(['first', 'second', 'third']);
    expect(resource(f, 'resource', 'second').body.entries).toEqual([]);
    expect(f.problems).toEqual([{ span: expect.any(Object), message: 'missing value for "acl"' }]);
    expect(lc(text, f.problems[0].span)).toEqual([5, 2, 5, 7]);
    expect(scalar(get(resource(f, 'resource', 'third').body, 'acl')).value).toBe('private');
  });

  it('keeps the next blocks when a block misses its closing brace', () => {
    const text = [
      'resource "aws_s3_bucket" "first" {',
      '  bucket = "one"',
      '  versioning {',
      '    enabled = true',
      '',
      'resource "aws_s3_bucket" "second" {',
      '  acl = "public-read"',
      '}',
      '',
    ].join('\n');
    const f = parseTerraform('x.tf', text);
    expect(f.resources.map((r) => r.name)).toEqual(['first', 'second']);
    const first = resource(f, 'resource', 'first');
    expect(scalar(at(first.body, 'versioning', 'enabled')).value).toBe(true);
    expect(entry(first.body, 'resource')).toBeUndefined();
    expect(lc(text, first.span)).toEqual([0, 0, 3, 18]);
    const second = resource(f, 'resource', 'second');
    expect(lc(text, second.span)).toEqual([5, 0, 7, 1]);
    expect(scalar(get(second.body, 'acl')).path).toEqual(['acl']);
    expect(map(f.roots[0]).entries.map((e) => e.labels?.[1])).toEqual(['first', 'second']);
    // Both `first` and `versioning` are left open: each is reported on its opening line.
    expect(f.problems.map((p) => [lc(text, p.span)[0], p.message])).toEqual([
      [0, 'missing }: this block is not closed before the end of the file'],
      [2, 'missing }: this block is not closed before the end of the file'],
    ]);
  });

  it('does not throw on an unterminated string, keeps what comes before it and reports it', () => {
    const text = blocks(['  bucket = "two', '  acl = "private"']);
    const f = parseTerraform('x.tf', text);
    expect(f.resources[0].name).toBe('first');
    expect(scalar(get(f.resources[0].body, 'bucket')).value).toBe('one');
    const p = f.problems.find((x) => x.message.startsWith('unterminated string'));
    expect(p).toBeDefined();
    expect(lc(text, p!.span)).toEqual([5, 11, 5, 15]);
    expect(f.problems.length).toBeLessThanOrEqual(5);
  });

  it('reports an unterminated interpolation at the end of the file', () => {
    const text = 'x = "a${var.b';
    const f = parseTerraform('x.tf', text);
    expect(f.problems).toEqual([{ span: { start: 6, end: 13 }, message: 'unterminated interpolation: missing }' }]);
  });

  it('reports an unterminated heredoc', () => {
    const f = parseTerraform('x.tf', 'x = <<EOT\nabc\n');
    expect(f.problems.map((p) => p.message)).toEqual(['missing heredoc end marker']);
  });

  it('survives binary garbage', () => {
    const bytes = Array.from({ length: 2000 }, (_, i) => String.fromCharCode((i * 7919) % 65536)).join('');
    const texts = [bytes, '\u0000\u0001\uFFFD garbage {{{ ]]] "', 'resource "a" "b" {\n\u0000\u0007 = 1\n}\n', '}}}}', '{', '"', '<<', '${'];
    for (const text of texts) {
      const f = parseTerraform('x.tf', text);
      expect(Array.isArray(f.resources)).toBe(true);
      expect(f.problems.length).toBeGreaterThan(0);
      expect(f.problems.length).toBeLessThanOrEqual(5);
      for (const p of f.problems) {
        expect(p.span.start).toBeGreaterThanOrEqual(0);
        expect(p.span.end).toBeLessThanOrEqual(text.length);
        expect(p.span.end).toBeGreaterThanOrEqual(p.span.start);
        expect(p.message.length).toBeGreaterThan(0);
      }
    }
  });

  it('handles an empty file and a file of comments', () => {
    const empty = parseTerraform('x.tf', '');
    expect(empty.resources).toEqual([]);
    expect(empty.problems).toEqual([]);
    expect(empty.comments).toEqual([]);
    expect(map(empty.roots[0]).entries).toEqual([]);

    const comments = parseTerraform('x.tf', '# one\n// two\n/* three */\n');
    expect(comments.comments.map((c) => c.text)).toEqual([' one', ' two', ' three ']);
    expect(comments.problems).toEqual([]);
  });

  it('never throws on any prefix of a real file, and spans stay inside the text', () => {
    for (let n = 0; n <= MAIN.length; n += 7) {
      const text = MAIN.slice(0, n);
      const f = parseTerraform('x.tf', text);
      for (const r of f.resources) {
        for (const { node } of walk(r.body)) {
          expect(node.span.start).toBeGreaterThanOrEqual(0);
          expect(node.span.end).toBeLessThanOrEqual(text.length);
        }
      }
      expect(f.problems.length).toBeLessThanOrEqual(5);
    }
  });
});

describe('terraform adapter: incremental re-parse', () => {
  function edit(prev: TerraformFile, text: string, start: number, deleted: number, inserted: string) {
    const next = text.slice(0, start) + inserted + text.slice(start + deleted);
    const point = (t: string, offset: number) => {
      const p = new LineIndex(t).position(offset);
      return { row: p.line, column: p.character };
    };
    prev.tree.edit(
      new Edit({
        startIndex: start,
        oldEndIndex: start + deleted,
        newEndIndex: start + inserted.length,
        startPosition: point(text, start),
        oldEndPosition: point(text, start + deleted),
        newEndPosition: point(next, start + inserted.length),
      }),
    );
    return { next, file: parseTerraform('x.tf', next, prev.tree) };
  }

  it('gives the same model as a fresh parse after edits, including ones that break the syntax', () => {
    let text = MAIN;
    let file = parseTerraform('x.tf', text);
    // [anchor, offset in anchor, characters deleted, text inserted]
    const edits: [string, number, number, string][] = [
      ['"public-read"', 1, 0, 'X'], // typing inside a string
      ['"tcp"', 0, 0, '\n'], // a line break before a value
      ['cidrs', 0, 5, 'ranges'], // renaming a traversal
      ['module "vpc" {', 0, 0, '# '], // commenting out a header: breaks the file
      ['# module "vpc" {', 0, 2, ''], // and fixing it again
      ['required_version', 0, 0, 'x = "'], // an unterminated string
      ['x = "required_version', 0, 5, ''],
      ['"app"', 0, 1, ''], // delete a quote inside a block after earlier blocks
      ['app"', 0, 0, '"'],
    ];
    for (const [anchor, offset, deleted, inserted] of edits) {
      const pos = text.indexOf(anchor);
      expect(pos).toBeGreaterThanOrEqual(0);
      const { next, file: inc } = edit(file, text, pos + offset, deleted, inserted);
      const fresh = parseTerraform('x.tf', next);
      expect(model(inc)).toEqual(model(fresh));
      text = next;
      file = inc;
    }
    expect(text).not.toBe(MAIN);
    expect(file.problems).toEqual([]);
  });

  it('reuses unchanged blocks before the edit and moves the ones after it', () => {
    const file = parseTerraform('x.tf', MAIN);
    const pos = MAIN.indexOf('"tcp"') + 1;
    const { next, file: inc } = edit(file, MAIN, pos, 0, 'x');
    expect(inc.resources[0]).toBe(file.resources[0]);
    const moved = resource(inc, 'resource', 'app');
    expect(moved).not.toBe(resource(file, 'resource', 'app'));
    const image = scalar(at2(moved.body));
    expect(next.slice(image.contentSpan!.start, image.contentSpan!.end)).toBe('nginx:latest');
    expect(scalar(at(resource(inc, 'resource', 'web').body, 'ingress', 'protocol')).value).toBe('xtcp');
  });

  function at2(body: MapNode): Node | undefined {
    return at(expr(get(body, 'container_definitions')).args![0], 0, 'image');
  }
});

describe('terraform adapter: the same text again', () => {
  it('gets its own copy of the earlier result', () => {
    const text = MAIN.replace('logs', 'copied'); // not parsed before in this file
    const first = parseTerraformFile('a/main.tf', text);
    const again = parseTerraformFile('b/main.tf', text);
    expect(again.uri).toBe('b/main.tf');
    expect(model(again)).toEqual(model(first));
    expect(model(again)).toEqual(model(parseTerraform('c/main.tf', text)));
    expect(again.resources[0]).not.toBe(first.resources[0]);
    expect(again.resources[0].body).toBe((again.roots[0] as MapNode).entries.find((e) => e.form === 'block')!.value);
    // Each result owns its tree.
    first.tree.delete();
    expect(again.tree.rootNode.type).toBe('config_file');
    again.tree.delete();
    expect(model(parseTerraformFile('d/main.tf', text))).toEqual(model(first));
  });

  it('with its problems', () => {
    const text = 'resource "a" "copied" {\n  acl =\n  name = "x"\n';
    const first = parseTerraformFile('a/main.tf', text);
    const again = parseTerraformFile('b/main.tf', text);
    expect(first.problems.length).toBeGreaterThan(0);
    expect(model(again)).toEqual(model(first));
    expect(again.problems[0]).not.toBe(first.problems[0]);
    first.tree.delete();
    again.tree.delete();
  });
});

describe('parse problems never quote values', () => {
  beforeAll(async () => {
    await loadGrammar('terraform');
  });

  it('a stray token is reported by position, not by its text', () => {
    const text = 'resource "aws_iam_access_key" "k" {\n  id = "x" AKIAZ7Q4XB2M5N8K3JPL\n}\n';
    const file = parseTerraform('/m/k.tf', text);
    expect(file.problems.length).toBeGreaterThan(0);
    expect(file.problems.filter((p) => p.message.includes('AKIA'))).toEqual([]);
  });

  it('punctuation is still quoted', () => {
    const file = parseTerraform('/m/p.tf', 'resource "a" "b" {\n  x = 1 ]\n}\n');
    expect(file.problems.map((p) => p.message)).toContain('syntax error: unexpected "]"');
  });
});
