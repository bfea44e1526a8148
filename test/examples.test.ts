/**
 * The README's first command scans examples/: it must show every rule that is on by default, across
 * Terraform, CloudFormation YAML and JSON, Kubernetes, Compose, Kustomize, Helm, a workflow, a notebook, a Dockerfile,
 * Python and a Terragrunt stack, and exit 1.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { expect, it } from 'vitest';
import { RULES } from '../rules';

const ROOT = path.resolve(__dirname, '..');

it('airlock scan examples/ shows every default rule in every format and exits 1', () => {
  const run = spawnSync(process.execPath, ['dist/cli.js', 'scan', 'examples/', '--format', 'json'], { cwd: ROOT, encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(1);
  const report = JSON.parse(run.stdout) as { findings: { ruleId: string; path: string }[] };
  const seen = new Set(report.findings.map((f) => f.ruleId));
  expect(RULES.filter((r) => !r.defaultOff && !seen.has(r.id)).map((r) => r.id)).toEqual([]);
  const kinds = new Set(report.findings.map((f) => path.extname(f.path)));
  expect([...kinds].sort()).toEqual(['', '.hcl', '.ipynb', '.json', '.py', '.tf', '.yaml']);
});
