import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  detectFormat,
  editorDocuments,
  FORMATS,
  formatHasProjects,
  isTerraformModuleFile,
  mayBelongToProject,
  parseFile,
  projectKeyOf,
} from '../../core/formats';

const FORMATS_DIR = path.join(__dirname, '../../core/formats');

describe('format registry', () => {
  it('names the files of a Terraform module folder by the Terraform formats (what the CLI brings along and the editor watches)', () => {
    for (const name of [
      'main.tf',
      'main.tofu',
      'prod.tfvars',
      'stack.tf.json',
      'stack.tofu.json',
      'x.auto.tfvars.json',
      'C:\\repo\\VARS.TF',
      '/r/m/Outputs.Tofu',
    ])
      expect(isTerraformModuleFile(name), name).toBe(true);
    // A Terragrunt file beside a module's `.tf` files is not one of them: Terraform never reads it.
    for (const name of ['plan.json', 'main.tf.bak', 'terraform.tfstate', 'values.yaml', '/r/main.tf/readme.md', '.tf', '/m/terragrunt.hcl'])
      expect(isTerraformModuleFile(name), name).toBe(false);
  });

  it('lists every format folder once, each with detection, a parser and an id matching its folder', () => {
    const folders = readdirSync(FORMATS_DIR).filter((n) => statSync(path.join(FORMATS_DIR, n)).isDirectory());
    expect(FORMATS.map((f) => f.id).sort()).toEqual(folders.sort());
    for (const f of FORMATS) {
      expect(typeof f.detect).toBe('function');
      expect(typeof f.parse).toBe('function');
    }
  });

  it('puts the fallback last: only text claims every file', () => {
    expect(FORMATS[FORMATS.length - 1].id).toBe('text');
    expect(FORMATS.filter((f) => f.extensions.length === 0).map((f) => f.id)).toEqual(['text']);
  });

  it('detects in registry order: CloudFormation before Kubernetes for a file that looks like both', () => {
    const both = 'AWSTemplateFormatVersion: "2010-09-09"\napiVersion: v1\nkind: Pod\n';
    expect(detectFormat('/a/t.yaml', both)).toBe('cloudformation');
    expect(detectFormat('/a/p.yaml', 'apiVersion: v1\nkind: Pod\n')).toBe('kubernetes');
    expect(detectFormat('/a/main.tf', 'apiVersion: v1\nkind: Pod\n')).toBe('terraform');
    expect(detectFormat('/a/n.ipynb', '{}')).toBe('notebook');
    expect(detectFormat('/a/train.py', 'import os\n')).toBe('python');
    expect(detectFormat('/a/GUI.PYW', '')).toBe('python');
    expect(detectFormat('/a/setup.cfg', '[metadata]\n')).toBe('text');
    expect(detectFormat('/a/values.yaml', 'replicas: 2\n')).toBe('helm');
    expect(detectFormat('/a/settings.yaml', 'replicas: 2\n')).toBe('text');
    // Helm before Kubernetes: a chart's template is a manifest with actions.
    expect(detectFormat('/c/templates/d.yaml', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Release.Name }}\n')).toBe('helm');
    expect(detectFormat('/a/.env', 'TOKEN=x\n')).toBe('text');
    for (const name of ['Dockerfile', 'dockerfile.prod', 'api.Dockerfile', 'Containerfile', 'Containerfile.gpu'])
      expect(detectFormat(`/a/${name}`, 'FROM alpine:3.20\n')).toBe('dockerfile');
    expect(detectFormat('/a/Dockerfile.dockerignore', 'node_modules\n')).toBe('text');
    expect(detectFormat('/a/build.dockerfile.md', '# notes\n')).toBe('text');
    for (const name of ['Modelfile', 'modelfile', 'Modelfile.dev', 'llama3.Modelfile'])
      expect(detectFormat(`/a/${name}`, 'FROM llama3.1:8b\n')).toBe('modelfile');
    // `Modelfile.<variant>` must open with a Modelfile instruction: source code and notes named so stay text.
    expect(detectFormat('/a/modelfile.go', 'package parser\n')).toBe('text');
    expect(detectFormat('/a/Modelfile.md', '# Modelfile notes\n\nSee the docs.\n')).toBe('text');
    // Terraform's JSON syntax by name; a plan by content, whatever its name.
    // Terragrunt: its own file names, and other `.hcl` files by a call of its functions (Packer's and plain HCL stay text).
    expect(detectFormat('/live/prod/vpc/terragrunt.hcl', '')).toBe('terragrunt');
    expect(detectFormat('/live/root.hcl', 'locals {}\n')).toBe('terragrunt');
    expect(detectFormat('/live/_envcommon/mysql.hcl', 'locals {\n  env = read_terragrunt_config(find_in_parent_folders("env.hcl"))\n}\n')).toBe('terragrunt');
    expect(detectFormat('/live/account.hcl', 'locals {\n  account_id = "123456789012"\n}\n')).toBe('text');
    expect(detectFormat('/p/build.pkr.hcl', 'locals { dir = find_in_parent_folders("x") }\n')).toBe('text');
    expect(detectFormat('/a/main.tf.json', '{}')).toBe('terraform-json');
    expect(detectFormat('/a/prod.tfvars.json', '{}')).toBe('terraform-json');
    expect(detectFormat('/a/out.json', '{"format_version":"1.2","resource_changes":[]}')).toBe('terraform-plan');
    expect(detectFormat('/a/state.json', '{"format_version":"1.0","values":{}}')).not.toBe('terraform-plan');
  });

  it('parses a file of each format into a model of that format', async () => {
    const samples: Record<string, [string, string]> = {
      terraform: ['/m/main.tf', 'resource "aws_s3_bucket" "b" {}\n'],
      'terraform-json': ['/m/main.tf.json', '{"resource": {"aws_s3_bucket": {"b": {}}}}'],
      'terraform-plan': ['/m/plan.json', '{"format_version": "1.2", "planned_values": {"root_module": {}}}'],
      terragrunt: ['/live/vpc/terragrunt.hcl', 'terraform {\n  source = "../modules//vpc"\n}\n'],
      notebook: ['/n/a.ipynb', '{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}'],
      cloudformation: ['/c/t.yaml', 'Resources:\n  B:\n    Type: AWS::S3::Bucket\n'],
      kubernetes: ['/k/p.yaml', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n'],
      'github-actions': ['/r/.github/workflows/ci.yml', 'on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n'],
      helm: ['/h/templates/pod.yaml', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ include "h.fullname" . }}\n'],
      compose: ['/d/compose.yaml', 'services:\n  web:\n    image: nginx:1.27\n'],
      kustomize: ['/o/kustomization.yaml', 'resources:\n  - ../base\n'],
      python: ['/p/train.py', 'import os\n'],
      dockerfile: ['/d/Dockerfile', 'FROM alpine:3.20\n'],
      modelfile: ['/o/Modelfile', 'FROM llama3.1:8b\n'],
      text: ['/t/.env', 'A=1\n'],
    };
    for (const f of FORMATS) {
      const [uri, text] = samples[f.id];
      expect(detectFormat(uri, text)).toBe(f.id);
      const parsed = await parseFile(uri, text);
      expect(parsed.format).toBe(f.id);
      expect(parsed.problems).toEqual([]);
    }
  });

  it('groups Terraform, Kubernetes and Dockerfiles by folder, Helm files by chart, and keeps other files alone', () => {
    expect(projectKeyOf('terraform', '/m/main.tf')).toBe(projectKeyOf('terraform', '/m/vars.tf'));
    expect(projectKeyOf('terraform', '/m/main.tf')).not.toBe(projectKeyOf('terraform', '/n/main.tf'));
    expect(projectKeyOf('kubernetes', '/k/svc.yaml')).toBe(projectKeyOf('kubernetes', '/k/deploy.yaml'));
    expect(projectKeyOf('kubernetes', '/k/svc.yaml')).not.toBe(projectKeyOf('terraform', '/k/main.tf'));
    expect(projectKeyOf('cloudformation', '/c/a.yaml')).not.toBe(projectKeyOf('cloudformation', '/c/b.yaml'));
    // Terragrunt files stand alone, apart from the Terraform module of their folder.
    expect(projectKeyOf('terragrunt', '/m/terragrunt.hcl')).not.toBe(projectKeyOf('terraform', '/m/main.tf'));
    expect(projectKeyOf('terragrunt', '/m/terragrunt.hcl')).not.toBe(projectKeyOf('terragrunt', '/m/root.hcl'));
    // A module's `.tf.json` files are part of it; a plan stands alone.
    expect(projectKeyOf('terraform-json', '/m/extra.tf.json')).toBe(projectKeyOf('terraform', '/m/main.tf'));
    expect(projectKeyOf('terraform-plan', '/m/plan.json')).not.toBe(projectKeyOf('terraform', '/m/main.tf'));
    expect(projectKeyOf('helm', '/h/templates/d.yaml')).toBe(projectKeyOf('helm', '/h/values.yaml'));
    expect(projectKeyOf('helm', '/h/charts/sub/templates/d.yaml')).toBe(projectKeyOf('helm', '/h/charts/sub/Chart.yaml'));
    // A folder's Dockerfiles are one project: a Compose file that builds from them reads them (and a Compose file is alone).
    expect(projectKeyOf('dockerfile', '/d/Dockerfile')).toBe(projectKeyOf('dockerfile', '/d/Dockerfile.gpu'));
    expect(FORMATS.filter((f) => formatHasProjects(f.id)).map((f) => f.id)).toEqual([
      'terraform',
      'terraform-json',
      'helm',
      'kustomize',
      'kubernetes',
      'dockerfile',
    ]);
    expect(mayBelongToProject('/m/main.tf.json')).toBe(true);
    expect(projectKeyOf('kustomize', '/o/kustomization.yaml')).not.toBe(projectKeyOf('kubernetes', '/o/patch.yaml'));
    for (const uri of ['/m/main.tf', '/m/dev.tfvars', '/k/svc.yaml', '/k/svc.yml', '/k/list.json', '/c/t.template', '/d/Dockerfile'])
      expect(mayBelongToProject(uri)).toBe(true);
    for (const uri of ['/n/a.ipynb', '/p/a.py', '/t/.env', '/t/run.sh']) expect(mayBelongToProject(uri)).toBe(false);
  });

  it('gives the language server the editor documents of every format', () => {
    const { languages, extensions, filenames } = editorDocuments();
    for (const l of [
      'terraform',
      'terraform-vars',
      'yaml',
      'json',
      'dockercompose',
      'python',
      'github-actions-workflow',
      'dotenv',
      'shellscript',
      'dockerfile',
      'helm',
    ])
      expect(languages.has(l)).toBe(true);
    for (const e of ['json', 'template', 'tf', 'tfvars', 'yaml', 'yml', 'env', 'sh', 'dockerfile', 'tpl']) expect(extensions.has(e)).toBe(true);
    for (const n of ['.env', '.npmrc', 'Dockerfile', 'Modelfile', 'Modelfile.*', '*.Modelfile']) expect(filenames.has(n)).toBe(true);
  });

  // The public index may export a format's helpers for rules (Kubernetes pod specs); the engine itself may not depend on one.
  it('needs one registry line for a new format: nothing in the engine outside the registry names a format folder', () => {
    const core = path.join(__dirname, '../../core');
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const p = path.join(dir, name);
        if (statSync(p).isDirectory()) {
          if (p !== FORMATS_DIR) walk(p);
        } else if (p.endsWith('.ts') && p !== path.join(core, 'index.ts') && /from '\.[./]*\/formats\/[a-z-]+\//.test(readFileSync(p, 'utf8')))
          offenders.push(path.relative(core, p));
      }
    };
    walk(core);
    expect(offenders).toEqual([]);
  });
});
