import { describe, expect, it } from 'vitest';
import { parseFile } from './formats';
import { embeddedJson } from './embedded';
import { get, isExpr, isMap, str } from './nodes';
import type { Node, ParsedFile } from './model';

async function policyOf(uri: string, text: string, key = 'policy'): Promise<{ file: ParsedFile; json: Node | undefined }> {
  const file = await parseFile(uri, text);
  const r = file.resources[0];
  return { file, json: embeddedJson(file, get(r.body, key)) };
}

const principal = (json: Node | undefined) => {
  const statement = get(json, 'Statement');
  return statement?.kind === 'list' ? get(statement.items[0], 'Principal') : undefined;
};

describe('embeddedJson', () => {
  it('maps a heredoc JSON value to file offsets', async () => {
    const text = 'resource "aws_s3_bucket_policy" "p" {\n  policy = <<EOF\n{"Statement": [{"Effect": "Allow", "Principal": "*"}]}\nEOF\n}\n';
    const { file, json } = await policyOf('main.tf', text);
    const p = principal(json)!;
    expect(str(p)).toBe('*');
    expect(file.text.slice(p.span.start, p.span.end)).toBe('"*"');
  });

  it('keeps offsets through an indented heredoc and turns interpolations into expressions', async () => {
    const text =
      'resource "aws_s3_bucket_policy" "p" {\n  policy = <<-EOF\n    {"Statement": [{"Principal": {"AWS": "*"}, "Resource": "${aws_s3_bucket.b.arn}/*", "Sid": ${jsonencode(var.sid)}}]}\n  EOF\n}\n';
    const { file, json } = await policyOf('main.tf', text);
    const statement = get(json, 'Statement');
    const first = statement?.kind === 'list' ? statement.items[0] : undefined;
    const aws = get(get(first, 'Principal'), 'AWS')!;
    expect(file.text.slice(aws.span.start, aws.span.end)).toBe('"*"');
    const resource = get(first, 'Resource')!;
    expect(isExpr(resource) && resource.text).toBe('"${aws_s3_bucket.b.arn}/*"');
    expect(isExpr(resource) && resource.refs).toEqual(['aws_s3_bucket.b.arn']);
    expect(isExpr(resource) && resource.literalParts).toEqual(['', '/*']);
    const sid = get(first, 'Sid')!;
    expect(isExpr(sid) && sid.text).toBe('${jsonencode(var.sid)}');
  });

  it('reads a quoted string with escapes, pointing every node at the string', async () => {
    const text = 'resource "aws_s3_bucket" "b" {\n  policy = "{\\"Statement\\": [{\\"Principal\\": \\"*\\"}]}"\n}\n';
    const { file, json } = await policyOf('main.tf', text);
    const p = principal(json)!;
    expect(str(p)).toBe('*');
    expect(file.text.slice(p.span.start, p.span.end)).toBe('{\\"Statement\\": [{\\"Principal\\": \\"*\\"}]}');
  });

  it('reads a YAML block scalar with file offsets', async () => {
    const text =
      'Resources:\n  Repo:\n    Type: AWS::ECR::Repository\n    Properties:\n      RepositoryPolicyText: |\n        {"Statement": [{"Principal": "*"}]}\n';
    const { file, json } = await policyOf('t.yaml', text, 'RepositoryPolicyText');
    const p = principal(json)!;
    expect(file.text.slice(p.span.start, p.span.end)).toBe('"*"');
  });

  it('returns nothing for strings that are not JSON documents', async () => {
    const { json } = await policyOf('main.tf', 'resource "x" "y" {\n  policy = "arn:aws:iam::aws:policy/ReadOnlyAccess"\n}\n');
    expect(json).toBeUndefined();
    const { json: map } = await policyOf('main.tf', 'resource "x" "y" {\n  policy = <<EOF\n{"a": 1}\nEOF\n}\n');
    expect(isMap(map)).toBe(true);
  });
});
