/**
 * A folder is one project for the rules that look across files, in Kubernetes as in Terraform: a Service in
 * one manifest that exposes a vector database deployed by another manifest of the folder is found.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const CLI = path.resolve(__dirname, '..', 'dist', 'cli.js');

it('matches a Service to the Deployment of another manifest in the folder', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'airlock-k8s-'));
  writeFileSync(
    path.join(dir, 'deployment.yaml'),
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: qdrant\nspec:\n  selector:\n    matchLabels: { app: qdrant }\n  template:\n    metadata:\n      labels: { app: qdrant }\n    spec:\n      containers:\n        - name: qdrant\n          image: qdrant/qdrant:v1.9.0\n',
  );
  writeFileSync(
    path.join(dir, 'service.yaml'),
    'apiVersion: v1\nkind: Service\nmetadata:\n  name: qdrant\nspec:\n  type: LoadBalancer\n  selector: { app: qdrant }\n  ports:\n    - port: 6333\n',
  );
  const run = spawnSync(process.execPath, [CLI, 'scan', '.', '--format', 'json'], { cwd: dir, encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(1);
  const findings = JSON.parse(run.stdout).findings as { ruleId: string; path: string; line: number; column: number }[];
  expect(findings.map((f) => [f.ruleId, f.path, f.line, f.column])).toEqual([['storage/vector-db-exposed', 'service.yaml', 6, 9]]);
});

it('follows a local module call into a module folder the scan does not name (read from disk as context)', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'airlock-tfcall-'));
  mkdirSync(path.join(dir, 'modules', 'bucket'), { recursive: true });
  writeFileSync(path.join(dir, 'main.tf'), 'module "bucket" {\n  source = "./modules/bucket"\n  acl    = "public-read"\n}\n');
  writeFileSync(
    path.join(dir, 'modules', 'bucket', 'main.tf'),
    'variable "acl" {\n  default = "private"\n}\n\nresource "aws_s3_bucket_acl" "this" {\n  bucket = "data"\n  acl    = var.acl\n}\n',
  );
  // Only the calling file is named: its module is read for the project, not reported on.
  const run = spawnSync(process.execPath, [CLI, 'scan', 'main.tf', '--format', 'json'], { cwd: dir, encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(1);
  const findings = JSON.parse(run.stdout).findings as { ruleId: string; path: string; line: number; message: string }[];
  expect(findings.map((f) => [f.ruleId, f.path, f.line])).toEqual([['storage/s3-public-acl', 'main.tf', 3]]);
  expect(findings[0].message).toContain('(through module.bucket)');
});

describe("a plan's findings name their block in the configuration, however the scan was batched", () => {
  const FIXTURES = path.resolve(__dirname, 'fixtures', 'terraform-formats');

  /** The fixture module in `syntax` with its plan, and `filler` files in a folder of their own. */
  function planProject(syntax: 'hcl' | 'json', filler: number): string {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'airlock-tfplan-'));
    cpSync(path.join(FIXTURES, syntax), dir, { recursive: true });
    cpSync(path.join(FIXTURES, 'hcl', 'plan.json'), path.join(dir, 'plan.json'));
    mkdirSync(path.join(dir, 'docs'));
    for (let i = 0; i < filler; i++) writeFileSync(path.join(dir, 'docs', `note-${i}.txt`), 'nothing to see\n');
    return dir;
  }

  function aclRelated(dir: string, args: string[]): string[][] {
    const run = spawnSync(process.execPath, [CLI, 'scan', ...args, '--format', 'json'], { cwd: dir, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(1);
    const findings = JSON.parse(run.stdout).findings as { ruleId: string; path: string; related?: { path: string; message: string }[] }[];
    return findings
      .filter((f) => f.ruleId === 'storage/s3-public-acl' && f.path === 'plan.json')
      .map((f) => (f.related ?? []).map((r) => `${r.path}: ${r.message}`));
  }

  const expected = (ext: string) => [
    ['plan.json: planned resource aws_s3_bucket_acl.shared', `main${ext}: resource "aws_s3_bucket_acl" "shared" is declared here`],
    ['plan.json: planned resource module.data.aws_s3_bucket_acl.raw["eu"]', `modules/data/main${ext}: resource "aws_s3_bucket_acl" "raw" is declared here`],
    ['plan.json: planned resource module.data.aws_s3_bucket_acl.raw["us"]', `modules/data/main${ext}: resource "aws_s3_bucket_acl" "raw" is declared here`],
  ];

  it('when only the plan is named: the root and module folders are read from disk as context', () => {
    expect(aclRelated(planProject('hcl', 0), ['plan.json'])).toEqual(expected('.tf'));
    expect(aclRelated(planProject('json', 0), ['plan.json'])).toEqual(expected('.tf.json'));
  });

  it('when the plan and its module folder land in different batches (a folder of 60 files between them)', () => {
    // Folders are packed into batches of about 48 files in path order: the root, docs/ and modules/data/ make
    // three. A root module in JSON syntax: no `source = "./…"` call in HCL brings the module folder in.
    expect(aclRelated(planProject('json', 60), ['.'])).toEqual(expected('.tf.json'));
    expect(aclRelated(planProject('json', 60), ['.', '--jobs', '2'])).toEqual(expected('.tf.json'));
    expect(aclRelated(planProject('hcl', 60), ['.'])).toEqual(expected('.tf'));
  });
});

describe("an overlay's findings name the base's container, however the scan was named or batched", () => {
  /** A base, an overlay whose `images:` entry leaves the base's image on a mutable tag, and `filler` files between them. */
  function overlayProject(filler: number): string {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'airlock-kustomize-'));
    mkdirSync(path.join(dir, 'base'));
    mkdirSync(path.join(dir, 'overlays', 'prod'), { recursive: true });
    writeFileSync(path.join(dir, 'base', 'kustomization.yaml'), 'resources:\n  - deployment.yaml\n');
    writeFileSync(
      path.join(dir, 'base', 'deployment.yaml'),
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          image: example/api:1.0\n',
    );
    writeFileSync(path.join(dir, 'overlays', 'prod', 'kustomization.yaml'), 'resources:\n  - ../../base\nimages:\n  - name: example/api\n    newTag: latest\n');
    mkdirSync(path.join(dir, 'docs'));
    for (let i = 0; i < filler; i++) writeFileSync(path.join(dir, 'docs', `note-${i}.txt`), 'nothing to see\n');
    return dir;
  }

  function overlayFindings(dir: string, args: string[]): string[][] {
    const run = spawnSync(process.execPath, [CLI, 'scan', ...args, '--format', 'json'], { cwd: dir, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(1);
    const findings = JSON.parse(run.stdout).findings as {
      ruleId: string;
      path: string;
      line: number;
      related?: { path: string; line: number; message: string }[];
    }[];
    return findings
      .filter((f) => f.path === 'overlays/prod/kustomization.yaml')
      .map((f) => [`${f.ruleId} ${f.path}:${f.line}`, ...(f.related ?? []).map((r) => `${r.path}:${r.line}: ${r.message}`)]);
  }

  const expected = [['pin/image-unpinned overlays/prod/kustomization.yaml:5', 'base/deployment.yaml:10: example/api:1.0 is used here']];

  it('when only the overlay is named (a pre-commit hook): its base is read from disk as context, not reported on', () => {
    const dir = overlayProject(0);
    expect(overlayFindings(dir, ['overlays/prod/kustomization.yaml'])).toEqual(expected);
    const run = spawnSync(process.execPath, [CLI, 'scan', 'overlays/prod/kustomization.yaml', '--format', 'json'], { cwd: dir, encoding: 'utf8' });
    expect((JSON.parse(run.stdout).findings as { path: string }[]).map((f) => f.path)).toEqual(['overlays/prod/kustomization.yaml']);
  });

  it('when the base and the overlay land in different batches (a folder of 60 files between them)', () => {
    expect(overlayFindings(overlayProject(60), ['.'])).toEqual(expected);
    expect(overlayFindings(overlayProject(60), ['.', '--jobs', '2'])).toEqual(expected);
  });

  it('reads the patch files an overlay names alone: the container is as the patch leaves it', () => {
    const dir = overlayProject(0);
    writeFileSync(
      path.join(dir, 'overlays', 'prod', 'kustomization.yaml'),
      'resources:\n  - ../../base\npatches:\n  - path: image.yaml\nimages:\n  - name: example/api\n    newTag: latest\n',
    );
    writeFileSync(
      path.join(dir, 'overlays', 'prod', 'image.yaml'),
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          image: example/api:2.0\n',
    );
    expect(overlayFindings(dir, ['overlays/prod/kustomization.yaml'])).toEqual([
      ['pin/image-unpinned overlays/prod/kustomization.yaml:7', 'overlays/prod/image.yaml:10: example/api:2.0 is used here'],
    ]);
  });

  it('never reads a base outside the folder the scan runs in', () => {
    const dir = overlayProject(0);
    const run = spawnSync(process.execPath, [CLI, 'scan', 'kustomization.yaml', '--format', 'json'], {
      cwd: path.join(dir, 'overlays', 'prod'),
      encoding: 'utf8',
    });
    expect(run.status, run.stderr).toBe(1);
    const findings = JSON.parse(run.stdout).findings as { ruleId: string; related?: unknown[] }[];
    expect(findings.map((f) => [f.ruleId, f.related])).toEqual([['pin/image-unpinned', undefined]]);
  });
});

it('follows an Ingress to the Service and Deployment of other manifests, and sees the folder’s NetworkPolicies', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'airlock-k8s-ingress-'));
  writeFileSync(
    path.join(dir, 'deployment.yaml'),
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: qdrant\nspec:\n  selector:\n    matchLabels: { app: qdrant }\n  template:\n    metadata:\n      labels: { app: qdrant }\n    spec:\n      containers:\n        - name: qdrant\n          image: qdrant/qdrant:v1.9.0\n',
  );
  writeFileSync(
    path.join(dir, 'service.yaml'),
    'apiVersion: v1\nkind: Service\nmetadata:\n  name: qdrant\nspec:\n  selector: { app: qdrant }\n  ports:\n    - port: 6333\n',
  );
  writeFileSync(
    path.join(dir, 'ingress.yaml'),
    'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: qdrant\nspec:\n  defaultBackend:\n    service:\n      name: qdrant\n      port: { number: 6333 }\n',
  );
  writeFileSync(
    path.join(dir, 'policy.yaml'),
    'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: api\nspec:\n  podSelector:\n    matchLabels: { app: api }\n',
  );
  const run = spawnSync(process.execPath, [CLI, 'scan', '.', '--format', 'json', '--severity', 'info'], { cwd: dir, encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(1);
  const findings = JSON.parse(run.stdout).findings as { ruleId: string; path: string; line: number; related?: { path?: string; line: number }[] }[];
  expect(findings.map((f) => [f.ruleId, f.path, f.line, f.related?.map((r) => [r.path, r.line])])).toEqual([
    [
      'storage/vector-db-exposed',
      'deployment.yaml',
      4,
      [
        ['deployment.yaml', 14],
        ['policy.yaml', 7],
      ],
    ],
    [
      'storage/vector-db-exposed',
      'ingress.yaml',
      8,
      [
        ['service.yaml', 4],
        ['deployment.yaml', 14],
      ],
    ],
  ]);
});
