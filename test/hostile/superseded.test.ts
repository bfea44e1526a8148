import { describe, expect, it } from 'vitest';
import type { ParsedFile } from '../../core/model';
import type { Rule } from '../../core/rule';
import { analyze } from '../../core/runner';
import { LINEAR_GROWTH_LIMIT, growthFromAsync } from './scaling';

const file: ParsedFile = { uri: '/p/a.txt', format: 'text', text: '', resources: [], roots: [], comments: [], problems: [], toFileSpan: (s) => s };

function rule(id: string, spans: (i: number) => [number, number][], n: () => number, supersedes?: string[]): Rule {
  return {
    id,
    family: 'pin',
    severity: 'warning',
    formats: ['text'],
    docs: { summary: '', why: '', fix: '' },
    supersedes,
    check(ctx) {
      for (let i = 0; i < n(); i++) for (const [start, end] of spans(i)) ctx.report({ span: { start, end }, message: id });
    },
  } as Rule;
}

/** `n` findings of a superseding rule, each covering one of the other rule's findings and missing another. */
function rules(n: () => number): Rule[] {
  return [
    rule('pin/winner', (i) => [[10 * i, 10 * i + 5]], n, ['pin/loser']),
    rule(
      'pin/loser',
      (i) => [
        [10 * i + 2, 10 * i + 3],
        [10 * i + 6, 10 * i + 7],
      ],
      n,
    ),
  ];
}

describe('superseded findings', () => {
  it('are dropped where a superseding finding overlaps them, and only there', async () => {
    const { findings } = await analyze(file, { rules: rules(() => 3) });
    expect(findings.map((f) => `${f.ruleId}@${f.span.start}`)).toEqual([
      'pin/winner@0',
      'pin/loser@6',
      'pin/winner@10',
      'pin/loser@16',
      'pin/winner@20',
      'pin/loser@26',
    ]);
  });

  it('take time linear in the number of findings', async () => {
    let n = 0;
    const all = rules(() => n);
    const ratio = await growthFromAsync(6000, async (size) => {
      n = size;
      const { findings } = await analyze(file, { rules: all });
      expect(findings).toHaveLength(2 * size);
    });
    expect(ratio).toBeLessThan(LINEAR_GROWTH_LIMIT);
  });
});

describe('a rule with very many findings', () => {
  it('keeps them all (spreading them into an array overflowed the stack)', async () => {
    const many = rule(
      'pin/many',
      (i) => [[i, i + 1]],
      () => 200_000,
    );
    const { findings, failures } = await analyze(file, { rules: [many] });
    expect(failures).toEqual([]);
    expect(findings).toHaveLength(200_000);
  });
});
