/**
 * Storage rules that look across the files of a folder: a Terraform module (bucket in one file, its public
 * access block or policy document in another) and Kubernetes manifests (Service and workload apart).
 */
import { describe, expect, it } from 'vitest';
import { analyze, parseFile, Project, type Rule } from '../../core';
import { ruleById } from '../index';

async function run(ruleId: string, files: Record<string, string>, target: string) {
  const parsed = await Promise.all(Object.entries(files).map(([name, text]) => parseFile(`/work/module/${name}`, text)));
  const project = new Project(parsed);
  const rule = ruleById(ruleId) as Rule;
  const file = parsed.find((f) => f.uri.endsWith(`/${target}`))!;
  const { findings } = await analyze(file, { rules: [rule], config: { rules: { [rule.id]: 'on' }, ignore: [], maxFileSize: 1e9 }, project });
  return { file, findings };
}

const bucket = 'resource "aws_s3_bucket" "data" {\n  bucket = "training-data"\n}\n';

describe('storage rules across the files of a module', () => {
  it("finds a bucket's public access block in another file", async () => {
    const block =
      'resource "aws_s3_bucket_public_access_block" "data" {\n  bucket = aws_s3_bucket.data.id\n\n  block_public_acls       = true\n  block_public_policy     = false\n  ignore_public_acls      = true\n  restrict_public_buckets = true\n}\n';
    const missing = await run('storage/s3-public-access-block-missing', { 'main.tf': bucket, 's3.tf': block }, 'main.tf');
    expect(missing.findings).toEqual([]);
    const alone = await run('storage/s3-public-access-block-missing', { 'main.tf': bucket, 'other.tf': 'resource "aws_s3_bucket" "logs" {}\n' }, 'main.tf');
    expect(alone.findings.map((f) => f.message)).toEqual([expect.stringContaining('"data" has no public access block')]);

    const disabled = await run('storage/s3-public-access-block-disabled', { 'main.tf': bucket, 's3.tf': block }, 's3.tf');
    expect(disabled.findings).toHaveLength(1);
    expect(disabled.findings[0].related).toEqual([
      { span: { start: 0, end: 31 }, message: 'the bucket it applies to (aws_s3_bucket.data)', uri: '/work/module/main.tf' },
    ]);
  });

  it('reads a policy document defined in another file and reports where the bucket uses it', async () => {
    const doc =
      'data "aws_iam_policy_document" "open" {\n  statement {\n    principals {\n      type        = "AWS"\n      identifiers = ["*"]\n    }\n    actions = ["s3:GetObject"]\n  }\n}\n';
    const policy = 'resource "aws_s3_bucket_policy" "data" {\n  bucket = aws_s3_bucket.data.id\n  policy = data.aws_iam_policy_document.open.json\n}\n';
    const { file, findings } = await run('storage/s3-public-policy', { 'main.tf': policy, 'iam.tf': doc }, 'main.tf');
    expect(findings).toHaveLength(1);
    expect(file.text.slice(findings[0].span.start, findings[0].span.end)).toBe('data.aws_iam_policy_document.open.json');
    expect(findings[0].related?.[0].uri).toBe('/work/module/iam.tf');
  });

  it('matches a Service to the vector database it selects in another manifest', async () => {
    const deployment =
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: milvus\nspec:\n  template:\n    metadata:\n      labels:\n        app: milvus\n    spec:\n      containers:\n        - name: milvus\n          image: milvusdb/milvus:v2.4.1\n';
    const service =
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: milvus\nspec:\n  type: LoadBalancer\n  selector:\n    app: milvus\n  ports:\n    - port: 19530\n';
    const { findings } = await run('storage/vector-db-exposed', { 'deployment.yaml': deployment, 'service.yaml': service }, 'service.yaml');
    expect(findings.map((f) => f.message)).toEqual([expect.stringContaining('exposes milvus (Deployment "milvus")')]);
    expect(findings[0].related?.[0].uri).toBe('/work/module/deployment.yaml');
  });
});

describe('policies resolved from variables', () => {
  it('reads a policy held in a tfvars value and reports it on the reference', async () => {
    const policy =
      'variable "bucket_policy" {}\n\nresource "aws_s3_bucket_policy" "data" {\n  bucket = aws_s3_bucket.data.id\n  policy = var.bucket_policy\n}\n';
    const tfvars = 'bucket_policy = "{\\"Statement\\": [{\\"Effect\\": \\"Allow\\", \\"Principal\\": \\"*\\", \\"Action\\": \\"s3:GetObject\\"}]}"\n';
    const { file, findings } = await run('storage/s3-public-policy', { 'main.tf': policy, 'terraform.tfvars': tfvars }, 'main.tf');
    expect(findings.map((f) => file.text.slice(f.span.start, f.span.end))).toEqual(['var.bucket_policy']);
    expect(findings[0].message).toContain('(from var.bucket_policy)');
  });
});

describe('blocks that are never created', () => {
  const acl = [
    'variable "create" {',
    '  default = true',
    '}',
    '',
    'variable "acl" {',
    '  default = "private"',
    '}',
    '',
    'resource "aws_s3_bucket_acl" "this" {',
    '  count  = var.create ? 1 : 0',
    '  bucket = "site"',
    '  acl    = var.acl',
    '}',
    '',
  ].join('\n');
  const call = (create: string) => `module "site" {\n  source = "./modules/site"\n  acl    = "public-read"\n  create = ${create}\n}\n`;

  it('reports through a call that may create the resource, not through one that never does', async () => {
    const created = await run('storage/s3-public-acl', { 'modules/site/acl.tf': acl, 'root.tf': call('true') }, 'root.tf');
    expect(created.findings.map((f) => created.file.text.slice(f.span.start, f.span.end))).toEqual(['public-read']);
    expect(created.findings[0].message).toContain('(through module.site)');
    const disabled = await run('storage/s3-public-acl', { 'modules/site/acl.tf': acl, 'root.tf': call('false') }, 'root.tf');
    expect(disabled.findings).toEqual([]);
    // Written in the module itself: a block never created exposes nothing, one that may be created does.
    const never = acl.replace('var.create ? 1 : 0', '0').replace('var.acl', '"public-read"');
    expect((await run('storage/s3-public-acl', { 'acl.tf': never }, 'acl.tf')).findings).toEqual([]);
    const maybe = acl.replace('var.acl', '"public-read"');
    expect((await run('storage/s3-public-acl', { 'acl.tf': maybe }, 'acl.tf')).findings).toHaveLength(1);
  });

  it('keeps the secrets written in a block that is never created: they are in the repository all the same', async () => {
    const db = 'resource "aws_db_instance" "old" {\n  count    = 0\n  password = "Zx81Qm4Lp9Rt2Vw7Kc3N"\n}\n';
    const { file, findings } = await run('secret/hardcoded-password', { 'main.tf': db }, 'main.tf');
    expect(findings.map((f) => file.text.slice(f.span.start, f.span.end))).toEqual(['Zx81Qm4Lp9Rt2Vw7Kc3N']);
  });
});
