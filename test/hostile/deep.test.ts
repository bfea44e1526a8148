import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../core/config';
import type { Rule } from '../../core/rule';
import { analyze } from '../../core/runner';
import { type FileOutcome, scanFiles } from '../../core/scan/pipeline';
import { parseFile } from '../../core/formats';
import { RULES } from '../../rules';

const SECRET = 'ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8';

/** The scan of one file given as text: its rule ids found and its problem messages. */
async function scanOne(uri: string, text: string): Promise<{ rules: string[]; problems: string[] }> {
  const outcomes: FileOutcome[] = [];
  await scanFiles([{ uri, text }], { config: defaultConfig(), rules: RULES }, (o) => {
    outcomes.push(o);
  });
  const [o] = outcomes;
  if (o.kind !== 'analysed') throw new Error(`not analysed: ${o.kind}`);
  return { rules: o.analysis.findings.map((f) => f.ruleId), problems: o.file.problems.map((p) => p.message) };
}

describe('deeply nested input keeps its secrets or says what was not analysed', () => {
  const cases: Array<[string, string]> = [
    ['/p/main.tf', `token = "${SECRET}"\n${'a {\n'.repeat(1500)}${'}\n'.repeat(1500)}`],
    [
      '/p/t.json',
      `{"AWSTemplateFormatVersion":"2010-09-09","Resources":{"B":{"Type":"AWS::S3::Bucket","Properties":{"T":"${SECRET}","X":${'['.repeat(10000)}${']'.repeat(10000)}}}}}`,
    ],
    ['/p/one-line.json', `{"k":"${SECRET}","X":${'['.repeat(6000)}${']'.repeat(6000)}}`],
    ['/p/main.tf.json', `{"resource":{"a":{"b":{"token":"${SECRET}","x":${'['.repeat(10000)}${']'.repeat(10000)}}}}}`],
    [
      '/p/plan.json',
      `{"format_version":"1.2","planned_values":{"root_module":{"resources":[{"address":"a.b","values":{"t":"${SECRET}","x":${'['.repeat(10000)}${']'.repeat(10000)}}}]}}}`,
    ],
    // YAML held in a chart value (read as YAML by the values readers) nested past what they read.
    ['/p/chart/values.yaml', `token: ${SECRET}\nextraEnv: |\n  - name: A\n    value: ${'['.repeat(6000)}${']'.repeat(6000)}\n`],
    ['/p/pod.yaml', `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  x: ${'['.repeat(6000)}${']'.repeat(6000)}\n  t: ${SECRET}\n`],
    [
      '/p/n.ipynb',
      JSON.stringify({
        nbformat: 4,
        nbformat_minor: 5,
        metadata: {},
        cells: [
          {
            cell_type: 'code',
            id: 'c',
            metadata: {},
            execution_count: null,
            outputs: [],
            source: [`t = "${SECRET}"\nx = ${'['.repeat(3000)}${']'.repeat(3000)}\n`],
          },
        ],
      }),
    ],
  ];
  for (const [uri, text] of cases) {
    it(uri.slice(3), async () => {
      const { rules } = await scanOne(uri, text);
      expect(rules).toContain('secret/known-token');
    });
  }

  it('a file whose parser gives up says so', async () => {
    const { problems } = await scanOne(cases[0][0], cases[0][1]);
    expect(problems.join('\n')).toMatch(/^not fully analysed: the terraform parser failed/m);
  });
});

describe('the per-file time budget', () => {
  const rule = (id: string, ms: number): Rule =>
    ({
      id,
      family: 'pin',
      severity: 'warning',
      formats: ['text'],
      docs: { summary: '', why: '', fix: '' },
      check(ctx) {
        const until = performance.now() + ms;
        while (performance.now() < until);
        ctx.report({ span: { start: 0, end: 1 }, message: id });
      },
    }) as Rule;

  it('skips the rules left once a file is past it, and says which', async () => {
    const file = await parseFile('/p/a.txt', 'x\n');
    const { findings } = await analyze(file, { rules: [rule('pin/slow', 30), rule('pin/next', 0)], budgetMs: 10 });
    expect(findings.map((f) => f.ruleId)).toEqual(['pin/slow']);
    expect(file.problems.map((p) => p.message)).toEqual(['not fully analysed: its rules took longer than 10 ms; not run: pin/next']);
  });
});
