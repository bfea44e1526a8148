/**
 * Baseline fingerprints with the real rules: what keeps a finding matched (moving a block to another file
 * of its module, reformatting, reordering resources or documents, editing other lines, inserting cells)
 * and what makes it new (another module, file, address, cell or value).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runScan } from '../../cli/scan';

const temps: string[] = [];
afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

/** Scan a tree of files; the fingerprints of its findings by rule id, and their identities. */
async function fingerprints(files: Record<string, string>): Promise<{ ids: string[]; where: string[] }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'airlock-fp-'));
  temps.push(dir);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  const report = await runScan({ cwd: dir, paths: ['.'], version: '0.0.0', jobs: 1 });
  expect(report.findings.length).toBeGreaterThan(0);
  return {
    ids: report.findings.map((f) => `${f.ruleId} ${f.identity?.fingerprint}`).sort(),
    where: report.findings.map((f) => `${f.ruleId} ${f.identity?.where}`).sort(),
  };
}

const BUCKET = `resource "aws_s3_bucket_acl" "logs" {
  bucket = "logs"
  acl    = "public-read"
}
`;

const SG = `resource "aws_security_group" "web" {
  name = "web"
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
`;

describe('Terraform: module folder + resource address', () => {
  it('names the module folder, the address and the key path, never a value', async () => {
    const { where } = await fingerprints({ 'infra/main.tf': BUCKET });
    expect(where).toEqual(['storage/s3-public-acl infra/aws_s3_bucket_acl.logs acl']);
  });

  it('keeps the fingerprint when a block moves to another file of the same module', async () => {
    const before = await fingerprints({ 'infra/main.tf': BUCKET + SG, 'infra/vars.tf': 'variable "x" {}\n' });
    const after = await fingerprints({ 'infra/main.tf': SG, 'infra/s3.tf': `# buckets\n\n${BUCKET}`, 'infra/vars.tf': 'variable "x" {}\n' });
    expect(after.ids).toEqual(before.ids);
  });

  it('keeps it when the file is reformatted, resources are reordered and other lines change', async () => {
    const before = await fingerprints({ 'main.tf': BUCKET + SG });
    const reformatted = `${SG.replace('ingress {', '# SSH from the world\n  ingress   {').replace(/ {4}/g, '\t')}

resource "aws_s3_bucket_acl" "logs" {
  # shared with the analytics account
  bucket = "logs-v2"
  acl = "public-read"
}
`;
    const after = await fingerprints({ 'main.tf': reformatted });
    expect(after.ids).toEqual(before.ids);
  });

  it('is new in another module, at another address, or with another value', async () => {
    const base = await fingerprints({ 'a/main.tf': BUCKET });
    const otherModule = await fingerprints({ 'b/main.tf': BUCKET });
    const otherAddress = await fingerprints({ 'a/main.tf': BUCKET.replace('"logs" {', '"audit" {') });
    const otherValue = await fingerprints({ 'a/main.tf': BUCKET.replace('public-read', 'public-read-write') });
    for (const other of [otherModule, otherAddress, otherValue]) expect(other.ids).not.toEqual(base.ids);
  });

  it('gives a repeated finding of the same rule, address and value its own fingerprint', async () => {
    const block = SG.slice(SG.indexOf('  ingress {'), SG.lastIndexOf('}'));
    const twice = SG.replace(block, block + block);
    const { ids } = await fingerprints({ 'main.tf': twice });
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.some((id) => id.endsWith(':2'))).toBe(true);
  });
});

const SIDECAR = `        - name: sidecar
          image: busybox:1.36
`;
const APP = `        - name: app
          image: nginx:latest
`;
const DEPLOYMENT = (name: string, containers = SIDECAR + APP) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: shop
spec:
  template:
    spec:
      containers:
${containers}`;

describe('Kubernetes and CloudFormation: file + object + key path', () => {
  it('names the object and the container by name', async () => {
    const { where } = await fingerprints({ 'k8s/app.yaml': DEPLOYMENT('api') });
    expect(where).toEqual(['pin/image-unpinned k8s/app.yaml Deployment/shop/api spec template spec containers [name=app] image']);
  });

  it('keeps the fingerprint when documents or containers are reordered and the file reformatted', async () => {
    const before = await fingerprints({ 'app.yaml': `${DEPLOYMENT('api')}---\n${DEPLOYMENT('web')}` });
    const after = await fingerprints({ 'app.yaml': `# services\n${DEPLOYMENT('web', APP + SIDECAR)}---\n\n${DEPLOYMENT('api')}` });
    expect(after.ids).toEqual(before.ids);
  });

  it('is new in another file or for another object', async () => {
    const base = await fingerprints({ 'app.yaml': DEPLOYMENT('api') });
    expect((await fingerprints({ 'other.yaml': DEPLOYMENT('api') })).ids).not.toEqual(base.ids);
    expect((await fingerprints({ 'app.yaml': DEPLOYMENT('web') })).ids).not.toEqual(base.ids);
  });

  it('names a CloudFormation resource by its logical id', async () => {
    const template = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Web:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: web
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 22
          ToPort: 22
          CidrIp: 0.0.0.0/0
`;
    const { where } = await fingerprints({ 'stack.yaml': template });
    expect(where).toEqual(['network/open-ingress stack.yaml resource.Web Properties SecurityGroupIngress 0 CidrIp']);
  });
});

function notebook(cells: { id?: string; source: string }[]): string {
  return JSON.stringify(
    {
      cells: cells.map((c) => ({ cell_type: 'code', ...(c.id ? { id: c.id } : {}), metadata: {}, execution_count: null, outputs: [], source: [c.source] })),
      metadata: { kernelspec: { name: 'python3', language: 'python', display_name: 'Python 3' } },
      nbformat: 4,
      nbformat_minor: 5,
    },
    null,
    1,
  );
}

const LOAD = 'from transformers import AutoModel\nmodel = AutoModel.from_pretrained("bert-base-uncased")\n';

describe('notebooks: file + cell id + call', () => {
  it('names the cell id and the call', async () => {
    const { where } = await fingerprints({ 'nb.ipynb': notebook([{ id: 'load-model', source: LOAD }]) });
    expect(where).toEqual(['pin/hf-unpinned-revision nb.ipynb cell:load-model AutoModel.from_pretrained()']);
  });

  it('keeps the fingerprint when cells are inserted before it and the call is reformatted', async () => {
    const before = await fingerprints({ 'nb.ipynb': notebook([{ id: 'load-model', source: LOAD }]) });
    const after = await fingerprints({
      'nb.ipynb': notebook([
        { id: 'intro', source: 'import os\n' },
        { id: 'load-model', source: `# the model\n\n${LOAD.replace('("bert', '(\n    "bert')}` },
      ]),
    });
    expect(after.ids).toEqual(before.ids);
  });

  it('is new in another cell', async () => {
    const before = await fingerprints({ 'nb.ipynb': notebook([{ id: 'load-model', source: LOAD }]) });
    const after = await fingerprints({ 'nb.ipynb': notebook([{ id: 'other', source: LOAD }]) });
    expect(after.ids).not.toEqual(before.ids);
  });
});

describe('text files: file + the name a value is assigned to', () => {
  const key = ['AKIA', 'Z7Q4XB2M5N8K3JPL'].join('');

  it('keeps the fingerprint when lines move, and never shows the value', async () => {
    const before = await fingerprints({ '.env': `AWS_ACCESS_KEY_ID=${key}\n` });
    const after = await fingerprints({ '.env': `# keys\nREGION=eu-west-1\n\nAWS_ACCESS_KEY_ID=${key}\n` });
    expect(after.ids).toEqual(before.ids);
    expect(before.where.join()).not.toContain(key.slice(4, -4));
    expect(before.where).toContain('secret/known-token .env AWS_ACCESS_KEY_ID');
  });
});
