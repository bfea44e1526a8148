import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectFormat, editorDocuments, FORMATS, formatHasProjects, mayBelongToProject, parseFile, projectKeyOf } from '../../core/formats';

const FORMATS_DIR = path.join(__dirname, '../../core/formats');

describe('format registry', () => {
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
    expect(detectFormat('/a/values.yaml', 'replicas: 2\n')).toBe('text');
    expect(detectFormat('/a/.env', 'TOKEN=x\n')).toBe('text');
  });

  it('parses a file of each format into a model of that format', async () => {
    const samples: Record<string, [string, string]> = {
      terraform: ['/m/main.tf', 'resource "aws_s3_bucket" "b" {}\n'],
      notebook: ['/n/a.ipynb', '{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}'],
      cloudformation: ['/c/t.yaml', 'Resources:\n  B:\n    Type: AWS::S3::Bucket\n'],
      kubernetes: ['/k/p.yaml', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n'],
      compose: ['/d/compose.yaml', 'services:\n  web:\n    image: nginx:1.27\n'],
      kustomize: ['/o/kustomization.yaml', 'resources:\n  - ../base\n'],
      python: ['/p/train.py', 'import os\n'],
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

  it('groups Terraform and Kubernetes files by folder, and keeps other files alone', () => {
    expect(projectKeyOf('terraform', '/m/main.tf')).toBe(projectKeyOf('terraform', '/m/vars.tf'));
    expect(projectKeyOf('terraform', '/m/main.tf')).not.toBe(projectKeyOf('terraform', '/n/main.tf'));
    expect(projectKeyOf('kubernetes', '/k/svc.yaml')).toBe(projectKeyOf('kubernetes', '/k/deploy.yaml'));
    expect(projectKeyOf('kubernetes', '/k/svc.yaml')).not.toBe(projectKeyOf('terraform', '/k/main.tf'));
    expect(projectKeyOf('cloudformation', '/c/a.yaml')).not.toBe(projectKeyOf('cloudformation', '/c/b.yaml'));
    expect(projectKeyOf('kustomize', '/o/kustomization.yaml')).not.toBe(projectKeyOf('kubernetes', '/o/patch.yaml'));
    expect(FORMATS.filter((f) => formatHasProjects(f.id)).map((f) => f.id)).toEqual(['terraform', 'kustomize', 'kubernetes']);
    for (const uri of ['/m/main.tf', '/m/dev.tfvars', '/k/svc.yaml', '/k/svc.yml', '/k/list.json', '/c/t.template']) expect(mayBelongToProject(uri)).toBe(true);
    for (const uri of ['/n/a.ipynb', '/p/a.py', '/t/.env', '/t/run.sh']) expect(mayBelongToProject(uri)).toBe(false);
  });

  it('gives the language server the editor documents of every format', () => {
    const { languages, extensions } = editorDocuments();
    for (const l of ['terraform', 'terraform-vars', 'yaml', 'json', 'dockercompose', 'python']) expect(languages.has(l)).toBe(true);
    expect([...extensions].sort()).toEqual(['json', 'template', 'tf', 'tfvars', 'yaml', 'yml']);
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
