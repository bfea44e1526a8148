/**
 * Local module calls: a `module` block with a `./` source passes its arguments into the module's variables,
 * per call, and a finding an argument decides is reported at that argument in the calling file.
 */
import { describe, expect, it } from 'vitest';
import { analyze, parseFile, Project, type Rule } from '../../core';
import { resolveFolder } from '../../core/formats/terraform/module-calls';
import { ruleById } from '../../rules';

async function run(ruleIds: string[], files: Record<string, string>, target: string) {
  const parsed = await Promise.all(Object.entries(files).map(([name, text]) => parseFile(`/repo/${name}`, text)));
  const project = new Project(parsed);
  const rules = ruleIds.map((id) => ruleById(id) as Rule);
  const file = parsed.find((f) => f.uri === `/repo/${target}`)!;
  const config = { rules: Object.fromEntries(ruleIds.map((id) => [id, 'on' as const])), ignore: [], maxFileSize: 1e9 };
  const { findings } = await analyze(file, { rules, config, project, prefilter: true });
  return { file, findings, text: (i: number) => file.text.slice(findings[i].span.start, findings[i].span.end) };
}

const bucketModule = [
  'variable "acl" {',
  '  type    = string',
  '  default = "private"',
  '}',
  '',
  'resource "aws_s3_bucket_acl" "this" {',
  '  bucket = aws_s3_bucket.this.id',
  '  acl    = var.acl',
  '}',
  '',
].join('\n');

describe('local module calls', () => {
  it('reports an argument that makes the bucket public at the call, through module.bucket', async () => {
    const main =
      'module "bucket" {\n  source = "./modules/bucket"\n  acl    = "public-read"\n}\n\nmodule "logs" {\n  source = "./modules/bucket"\n  acl    = "log-delivery-write"\n}\n';
    const r = await run(['storage/s3-public-acl'], { 'main.tf': main, 'modules/bucket/main.tf': bucketModule }, 'main.tf');
    expect(r.findings).toHaveLength(1);
    expect(r.text(0)).toBe('public-read');
    expect(r.findings[0].message).toBe('S3 ACL "public-read" (from var.acl): anyone on the internet can list and read objects (through module.bucket)');
    expect(r.findings[0].fixes).toBeUndefined();
    const [related] = r.findings[0].related!;
    expect(related.uri).toBe('/repo/modules/bucket/main.tf');
    expect(bucketModule.slice(related.span.start, related.span.end)).toBe('var.acl');
    expect(related.message).toBe('aws_s3_bucket_acl.this in module.bucket takes the value here');
  });

  it('reports nothing in the module itself when its default is private, and nothing at a private call', async () => {
    const main = 'module "bucket" {\n  source = "./modules/bucket"\n}\n';
    expect((await run(['storage/s3-public-acl'], { 'main.tf': main, 'modules/bucket/main.tf': bucketModule }, 'main.tf')).findings).toEqual([]);
    expect((await run(['storage/s3-public-acl'], { 'main.tf': main, 'modules/bucket/main.tf': bucketModule }, 'modules/bucket/main.tf')).findings).toEqual([]);
  });

  it('follows an argument through a module that passes it to its own local submodule', async () => {
    const main = 'module "sg" {\n  source = "./modules/sg"\n  cidrs  = ["0.0.0.0/0"]\n}\n';
    const sg =
      'variable "cidrs" {}\n\nresource "aws_security_group" "this" {}\n\nmodule "rules" {\n  source = "../rules"\n  cidr_blocks = var.cidrs\n  group = aws_security_group.this.id\n}\n';
    const rules =
      'variable "cidr_blocks" {}\nvariable "group" {}\n\nresource "aws_security_group_rule" "ssh" {\n  type = "ingress"\n  security_group_id = var.group\n  protocol = "tcp"\n  from_port = 22\n  to_port = 22\n  cidr_blocks = var.cidr_blocks\n}\n';
    const files = { 'main.tf': main, 'modules/sg/main.tf': sg, 'modules/rules/main.tf': rules };
    const r = await run(['network/open-ingress'], files, 'main.tf');
    expect(r.findings.map((f) => f.message)).toEqual([expect.stringMatching(/port 22 \(SSH\).*\(through module\.sg\.module\.rules\)$/)]);
    expect(r.text(0)).toBe('["0.0.0.0/0"]');
    expect(r.findings[0].related?.[0].uri).toBe('/repo/modules/rules/main.tf');
  });

  it('does not follow registry or git sources, nor a module that calls itself', async () => {
    const main =
      'module "a" {\n  source = "terraform-aws-modules/s3-bucket/aws"\n  acl = "public-read"\n}\nmodule "self" {\n  source = "./"\n  acl = "public-read"\n}\n';
    const r = await run(['storage/s3-public-acl'], { 'main.tf': main }, 'main.tf');
    expect(r.findings.map((f) => f.message)).toEqual([expect.stringContaining('"public-read"')]);
    expect(r.findings[0].message).not.toContain('through module');
  });

  it('stops at a cycle of modules calling each other', async () => {
    const a = 'module "b" {\n  source = "../b"\n  acl = var.acl\n}\nvariable "acl" {}\nresource "aws_s3_bucket_acl" "a" {\n  acl = var.acl\n}\n';
    const b = 'module "a" {\n  source = "../a"\n  acl = var.acl\n}\nvariable "acl" {}\n';
    const main = 'module "a" {\n  source = "./a"\n  acl = "public-read"\n}\n';
    const r = await run(['storage/s3-public-acl'], { 'main.tf': main, 'a/main.tf': a, 'b/main.tf': b }, 'main.tf');
    expect(r.findings.map((f) => f.message)).toEqual([expect.stringContaining('(through module.a)')]);
  });

  it("neither parses nor checks a file of the called module that reads none of the call's arguments", async () => {
    const main = 'module "bucket" {\n  source = "./modules/bucket"\n  acl    = "public-read"\n}\n';
    // Public on its own: the module's own analysis reports it, a call cannot change it.
    const fixed = 'resource "aws_s3_bucket_acl" "fixed" {\n  acl = "public-read"\n}\n';
    const project = new Project([await parseFile('/repo/main.tf', main)]);
    const parses: string[] = [];
    for (const [uri, text] of [
      ['/repo/modules/bucket/main.tf', bucketModule],
      ['/repo/modules/bucket/fixed.tf', fixed],
    ]) {
      const parsed = await parseFile(uri, text);
      project.addLazy(uri, 'terraform', text, () => {
        parses.push(uri);
        return parsed;
      });
    }
    const config = { rules: { 'storage/s3-public-acl': 'on' as const }, ignore: [], maxFileSize: 1e9 };
    const { findings } = await analyze(project.get('/repo/main.tf')!, { rules: [ruleById('storage/s3-public-acl') as Rule], config, project, prefilter: true });
    expect(findings.map((f) => f.message)).toEqual([expect.stringContaining('(through module.bucket)')]);
    expect(parses).toEqual(['/repo/modules/bucket/main.tf']);
  });

  it('resolves relative sources', () => {
    expect(resolveFolder('/repo/envs/prod', '../../modules/net/')).toBe('/repo/modules/net');
    expect(resolveFolder('/repo', './modules//bucket')).toBe('/repo/modules/bucket');
  });
});
