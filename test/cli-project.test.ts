/**
 * A folder is one project for the rules that look across files, in Kubernetes as in Terraform: a Service in
 * one manifest that exposes a vector database deployed by another manifest of the folder is found.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';

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
