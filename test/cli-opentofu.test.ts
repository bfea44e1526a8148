/**
 * OpenTofu's files are Terraform's: `.tofu` and `.tofu.json` files are read into the Terraform model, form one
 * module with the folder's `.tf` and `.tfvars` files, bring that module along when a pre-commit hook names one
 * of them, and are followed through local module calls.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';

const CLI = path.resolve(__dirname, '..', 'dist', 'cli.js');

type Finding = { ruleId: string; path: string; line: number; message: string };

function scan(dir: string, args: string[]): Finding[] {
  const run = spawnSync(process.execPath, [CLI, 'scan', ...args, '--format', 'json'], { cwd: dir, encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(1);
  return JSON.parse(run.stdout).findings as Finding[];
}

const SSH_FROM = (cidr: string) =>
  `resource "aws_security_group" "admin" {\n  ingress {\n    from_port   = 22\n    to_port     = 22\n    protocol    = "tcp"\n    cidr_blocks = [${cidr}]\n  }\n}\n`;

function module(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'airlock-tofu-'));
  writeFileSync(path.join(dir, 'variables.tofu'), 'variable "admin_cidr" {\n  default = "10.0.0.0/8"\n}\n');
  writeFileSync(path.join(dir, 'terraform.tfvars'), 'admin_cidr = "0.0.0.0/0"\n');
  writeFileSync(path.join(dir, 'main.tofu'), SSH_FROM('var.admin_cidr'));
  writeFileSync(
    path.join(dir, 'bucket.tofu.json'),
    '{\n  "resource": {\n    "aws_s3_bucket_acl": {\n      "logs": {\n        "bucket": "logs",\n        "acl": "public-read"\n      }\n    }\n  }\n}\n',
  );
  return dir;
}

it('reads .tofu and .tofu.json files as one module, whose terraform.tfvars sets the variable', () => {
  const findings = scan(module(), ['.']);
  expect(findings.map((f) => [f.ruleId, f.path, f.line])).toEqual([
    ['storage/s3-public-acl', 'bucket.tofu.json', 6],
    ['network/open-ingress', 'main.tofu', 6],
  ]);
  expect(findings[1].message).toContain('(through var.admin_cidr)');
});

it('brings the whole module along when only one .tofu file is named (what a pre-commit hook passes)', () => {
  const findings = scan(module(), ['main.tofu']);
  expect(findings.map((f) => [f.ruleId, f.path])).toEqual([
    ['storage/s3-public-acl', 'bucket.tofu.json'],
    ['network/open-ingress', 'main.tofu'],
  ]);
});

it('follows a local module call into a module written in .tofu files', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'airlock-tofu-call-'));
  mkdirSync(path.join(dir, 'modules', 'admin'), { recursive: true });
  writeFileSync(path.join(dir, 'main.tofu'), 'module "admin" {\n  source = "./modules/admin"\n  cidr   = "0.0.0.0/0"\n}\n');
  writeFileSync(path.join(dir, 'modules', 'admin', 'variables.tofu'), 'variable "cidr" {\n  default = "10.0.0.0/8"\n}\n');
  writeFileSync(path.join(dir, 'modules', 'admin', 'main.tofu'), SSH_FROM('var.cidr'));
  const findings = scan(dir, ['main.tofu']);
  expect(findings.map((f) => [f.ruleId, f.path, f.line])).toEqual([['network/open-ingress', 'main.tofu', 3]]);
  expect(findings[0].message).toContain('(through module.admin)');
});
