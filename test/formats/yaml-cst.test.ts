import { readFileSync } from 'node:fs';
import { Parser } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseYamlDocuments, parseYamlWithComposer } from '../../core/parsers/yaml';
import type { StructuredDialect } from '../../core/parsers/yaml-model';
import { cloudFormationDialect } from '../../core/formats/cloudformation/resources';
import { kubernetesDialect } from '../../core/formats/kubernetes/resources';
import { readYamlCst } from '../../core/parsers/yaml-cst';
import type { ParsedFile } from '../../core/model';

/**
 * Reading `yaml`'s CST directly must give exactly what its composer route gives, or decline. Each text here is
 * parsed both ways and compared; the mutation test does the same for edited versions of real files.
 */

type Format = 'cloudformation' | 'kubernetes' | 'text';

const DIALECTS: Record<Format, StructuredDialect> = { cloudformation: cloudFormationDialect, kubernetes: kubernetesDialect, text: { format: 'text' } };

let fresh = 0;

function model(f: ParsedFile) {
  return { roots: f.roots, resources: f.resources, comments: f.comments, problems: f.problems };
}

function same(text: string, format: Format): void {
  const uri = `file:///cst/${fresh++}.yaml`;
  expect(model(parseYamlDocuments(uri, text, DIALECTS[format]))).toEqual(model(parseYamlWithComposer(uri, text, DIALECTS[format])));
}

function direct(text: string, format: Format): boolean {
  return readYamlCst(text, Array.from(new Parser().parse(text)), DIALECTS[format].hooks, format === 'cloudformation') !== undefined;
}

/** Texts read from the CST. */
const INSIDE: [string, Format][] = [
  ["a: 1\nb: two\nc: \"three\"\nd: 'fo''ur'\ne:\nf: ~\ng: true\nh: 0x1F\ni: 0o17\nj: 1e3\nk: .5\nl: -.inf\nm: 012\nn: .nan\n", 'text'],
  ['1: a\ntrue: b\nnull: c\n"1.0": d\n', 'text'],
  ['a:\n  b: 1\n  # c1\n# c2\nd: 2\n', 'text'],
  ['a:\n  b: 1\n    # indented\nc: 2\n', 'text'],
  ['a:\n  b:\n  # c\nd: 1\n', 'text'],
  ['a:\n- 1\n# c1\nb: 2\n', 'text'],
  ['a:\n  - 1\n  # c1\n', 'text'],
  ['a:\n  b: x # same line\n\n\n    # more\n  # less\n# none\n', 'text'],
  ['a: # c\nb: 1\n', 'text'],
  ['a: foo\n  bar\n\n\n  baz\nb: 1\n', 'text'],
  ['a: |\n  x\n\n  # y\n\nb: 1\n', 'text'],
  ['a: >-\n  folded\n  text\n\n    more\n  back\nb: |-\n    lit\n      deeper\n', 'text'],
  ['a: [x, "y" , {b: 1}, []] # c\nb: {}\nc: [x, y, ]\nd: {e: , f: g}\n', 'text'],
  ['a: [k: v, "q": , x]\n', 'text'],
  ['"quoted key": "esc \\t \\u00e9 \\x41 \\" \\\\"\n\'single\': v\n', 'text'],
  ['- a\n- b: 1\n  c: 2\n-\n- # c\n  d: 3\n', 'text'],
  ['a: !reference [x, y]\nb: !secret\nc: !custom\n  - 1\n', 'kubernetes'],
  [
    '# head\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n---\n# only a comment\n---\napiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: q}\n',
    'kubernetes',
  ],
  [
    'Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      Name: !Sub "x-${AWS::Region}"\n      Arn: !GetAtt [B, Arn]\n      Zones: !GetAZs\n      Spaced: !Sub   \n      Noted: !GetAZs  # c\n      Listed:\n        - !Ref\n        - !Ref  \n      If: !If\n        - C\n        - !Ref A\n        - {Ref: AWS::NoValue}\n      Join: !Join [ "", [ a, !Ref B ] ]\n      Az: !Select [0, Fn::GetAZs: !Ref "AWS::Region"]\n      Data: !Base64 |\n        #!/bin/bash\n        echo hi\n      Long:\n        Fn::Sub: x\n      Embedded: !Rain::Embed file.txt\n  # between\n  C:\n    Type: T\n',
    'cloudformation',
  ],
  ['a:\n  k: "x\n   y"\nb:\n- k: "x\n   y \n\n\n   z"\n- "x \\\n  y\\\n\n  z"\n', 'text'],
  ["a: 'x\n\n  y  \n   it''s'\nb:\n- - x\n  - y\n- - z: 1\n    w: 2\n", 'text'],
  ['a: :x\nb: ?y\nc: -z\n', 'text'],
  ['Resources:\n  R:\n    Properties:\n      A: !Sub\n      - x\n      - {}\n', 'cloudformation'],
  ['scalar document\n', 'text'],
  ['a: 1\r\nb: 2\r\n', 'text'],
  ['a: 1 #c\nb: 2#c\nc: x\n  #c\n', 'text'],
];

/** Texts left to the composer: anchors, other tags, directives, explicit keys, merge and duplicate keys, errors. */
const OUTSIDE: [string, Format][] = [
  ['a: &x 1\nb: *x\n', 'text'],
  ['a: !!str 1\n', 'text'],
  ['a: !custom 1\n', 'cloudformation'],
  ['%YAML 1.2\n---\na: 1\n', 'text'],
  ['a: 1\na: 2\n', 'text'],
  ['1: a\n1.0: b\n', 'text'],
  ['<<: {a: 1}\nb: 2\n', 'text'],
  ['a: 1\n  b: 2\n', 'text'],
  ['a:\tb\n', 'text'],
  ['a:\n\t- b\n', 'text'],
  ['? complex\n: key\n', 'text'],
  ['a: b: c\n', 'text'],
  ['a: [x,, y]\n', 'text'],
  ['a: "unclosed\n', 'text'],
  ['a: @x\n', 'text'],
  ['a: "x"#c\n', 'text'],
  ['--- !Ref x\n', 'cloudformation'],
  ['...\n---\na: 1\n', 'text'],
];

describe('reading the YAML CST directly', () => {
  it.each(INSIDE)('reads %j as the composer does', (text, format) => {
    expect(direct(text, format)).toBe(true);
    same(text, format);
  });

  it.each(OUTSIDE)('leaves %j to the composer', (text, format) => {
    expect(direct(text, format)).toBe(false);
    same(text, format);
  });

  it('agrees with the composer on edited versions of real files', () => {
    const files: [string, Format][] = [
      ['examples/cloudformation/training.yaml', 'cloudformation'],
      ['examples/kubernetes/search.yaml', 'kubernetes'],
      ['examples/kubernetes/vector-db.yaml', 'kubernetes'],
      ['test/fixtures/cli/project/cfn/template.yaml', 'cloudformation'],
      ['test/fixtures/cli/project/k8s/deployment.yaml', 'kubernetes'],
    ];
    const snippets = [
      '# c',
      '\t',
      'a\t: b',
      'x: 1',
      'y: "q" # c',
      '- a',
      '---',
      'k: |',
      't',
      'v: [a, {c: d}]',
      'w: !Ref X',
      'e:',
      'long: a\n  b',
      ':',
      ' x',
      'f: [a: b, ]',
      'g: !Rain::X y',
      '!t z',
    ];
    let seed = 7;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    let inside = 0;
    for (const [file, format] of [...files, ...INSIDE]) {
      const original = file.includes('\n') ? file : readFileSync(file, 'utf8');
      for (let v = 0; v < 40; v++) {
        const lines = original.split('\n');
        for (let m = 0; m <= rnd(3); m++) {
          const i = rnd(lines.length + 1);
          const op = rnd(6);
          if (op === 0) lines.splice(i, 0, ' '.repeat(rnd(7)) + snippets[rnd(snippets.length)]);
          else if (op === 1) lines.splice(i, 1);
          else if (op === 2 && i < lines.length) lines[i] = ' '.repeat(1 + rnd(2)) + lines[i];
          else if (op === 3 && i < lines.length) lines[i] = lines[i].replace(/^ {1,2}/, '');
          else if (op === 4 && i < lines.length) lines[i] += [' # t', '#t', ' ', ':', ' x', '\t', '\t# t', ',', ' ]', ' &a'][rnd(10)];
          else lines.length = Math.max(1, i);
        }
        const text = lines.join('\n');
        if (direct(text, format)) inside++;
        same(text, format);
      }
    }
    // Most edits keep the text readable directly: the comparison above is not vacuous.
    expect(inside).toBeGreaterThan(300);
  });
});
