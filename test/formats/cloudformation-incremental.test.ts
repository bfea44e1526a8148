import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseYamlDocuments } from '../../core/parsers/yaml';
import { reparseCloudFormationResource } from '../../core/formats/cloudformation/incremental';
import { cloudFormationDialect } from '../../core/formats/cloudformation/resources';
import type { ParsedFile } from '../../core/model';

let fresh = 0;
/** A full parse: a URI never parsed before, so nothing is reused. */
function full(text: string): ParsedFile {
  return parseYamlDocuments(`file:///full/${fresh++}.yaml`, text, cloudFormationDialect);
}

function plain(f: ParsedFile) {
  return { format: f.format, text: f.text, roots: f.roots, resources: f.resources, comments: f.comments, problems: f.problems };
}

function template(n: number): string {
  const out = ['AWSTemplateFormatVersion: "2010-09-09"', '# network and data', 'Parameters:', '  Env:', '    Type: String', 'Resources:'];
  for (let i = 0; i < n; i++) {
    out.push(
      `  Bucket${i}:`,
      '    Type: AWS::S3::Bucket',
      '    Properties:',
      `      BucketName: !Sub "data-\${Env}-${i}"  # named per env`,
      `      AccessControl: ${i % 3 === 0 ? 'PublicRead' : 'Private'}`,
      '      Tags:',
      '        - Key: team',
      `          Value: 'ml ${i}'`,
      `  Sg${i}:`,
      '    Type: AWS::EC2::SecurityGroup',
      '    Properties:',
      '      GroupDescription: >-',
      `        web ${i}`,
      '      SecurityGroupIngress:',
      `        - { IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: ${i % 2 ? '0.0.0.0/0' : '10.0.0.0/8'} }`,
      '      VpcId: !Ref Vpc',
      '',
    );
  }
  out.push('Outputs:', '  Name:', '    Value: !GetAtt Bucket0.Arn');
  return `${out.join('\n')}\n`;
}

/** Deterministic pseudo-random numbers. */
function rng(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (x * 1664525 + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
}

const TYPED = ['a', 'Z', '1', ' ', ' ', '\n', ':', '-', '#', '"', "'", '!', '{', ']', ',', '\t'];

/** Edits one character at a time and checks every incremental re-parse against a full parse of the same text. */
function check(text: string, edits: number, seed: number, wide = false): number {
  const random = rng(seed);
  let prev = full(text);
  let current = text;
  let reused = 0;
  for (let k = 0; k < edits; k++) {
    const at = Math.floor(random() * current.length);
    const r = random();
    const span = 1 + Math.floor(random() * (wide ? 24 : 1));
    const typed = Array.from({ length: span }, () => TYPED[Math.floor(random() * TYPED.length)]).join('');
    // Delete, type, or replace a range (a paste, a selection typed over).
    const next =
      r < 0.3
        ? current.slice(0, at) + current.slice(at + span)
        : r < 0.8
          ? current.slice(0, at) + typed + current.slice(at)
          : current.slice(0, at) + typed + current.slice(at + span);
    const expected = full(next);
    const got = reparseCloudFormationResource(prev, next);
    if (got) {
      reused++;
      expect(plain(got)).toEqual(plain(expected));
    }
    // Keep typing from a text that parses (a typo is fixed before the next one).
    if (expected.problems.length === 0) {
      prev = got ?? expected;
      current = next;
    }
  }
  return reused;
}

describe('CloudFormation YAML: re-parsing only the edited resource gives the full parse', () => {
  it('random one-character edits of a template', () => {
    let reused = 0;
    for (const seed of [7, 8, 9]) reused += check(template(12), 300, seed);
    if (process.env.SHOW_REUSE) console.log(`template: ${reused} of 900 edits re-parsed one resource`);
    expect(reused).toBeGreaterThan(200);
  });

  it('random edits of ranges (pastes, deletions, typing over a selection)', () => {
    let reused = 0;
    for (const seed of [11, 12]) reused += check(template(12), 300, seed, true);
    expect(reused).toBeGreaterThan(50);
  });

  it('typing inside one resource of a large template reuses the rest', () => {
    const text = template(60);
    const prev = full(text);
    const at = text.indexOf('web 31') + 3;
    const next = `${text.slice(0, at)}x${text.slice(at)}`;
    const got = reparseCloudFormationResource(prev, next);
    expect(got).toBeDefined();
    expect(plain(got!)).toEqual(plain(full(next)));
  });

  it('a change on a resource key line, at the last resource, or with anchors goes to a full parse', () => {
    const text = template(3);
    const prev = full(text);
    const key = text.indexOf('  Sg1:') + 4;
    expect(reparseCloudFormationResource(prev, `${text.slice(0, key)}X${text.slice(key)}`)).toBeUndefined();
    const last = text.indexOf('web 2') + 3;
    expect(reparseCloudFormationResource(prev, `${text.slice(0, last)}X${text.slice(last)}`)).toBeUndefined();
    const anchored = text.replace('Type: AWS::S3::Bucket', 'Type: &t AWS::S3::Bucket');
    const prevA = full(anchored);
    const inside = anchored.indexOf('web 0') + 3;
    expect(reparseCloudFormationResource(prevA, `${anchored.slice(0, inside)}X${anchored.slice(inside)}`)).toBeUndefined();
  });

  it('random edits of the corpus templates', () => {
    const root = path.resolve(__dirname, '../../../shared/corpus/real');
    if (!existsSync(root)) return;
    const files: string[] = [];
    const visit = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) visit(p);
        else if (/\.ya?ml$/.test(e.name) && files.length < 10) {
          const t = readFileSync(p, 'utf8');
          if (/^AWSTemplateFormatVersion/m.test(t) && t.length < 60_000) files.push(t);
        }
      }
    };
    visit(root);
    let reused = 0;
    files.forEach((t, i) => {
      reused += check(t, 30, 100 + i);
    });
    if (process.env.SHOW_REUSE) console.log(`corpus: ${files.length} templates, ${reused} of ${files.length * 30} edits re-parsed one resource`);
    expect(reused).toBeGreaterThan(0);
  });
});
