import { describe, expect, it } from 'vitest';
import type { Comment, ParsedFile } from '../../core/model';
import type { Rule } from '../../core/rule';
import { analyze } from '../../core/runner';
import { LINEAR_GROWTH_LIMIT, growthFromAsync } from './scaling';

const LINE = '# airlock:ignore pin/x -- vendored\nvalue\n';

/** `n` suppression comments, each above a line with a finding; every other one names another rule. */
function suppressedFile(n: number): { file: ParsedFile; rule: Rule } {
  const text = LINE.repeat(n);
  const comments: Comment[] = [];
  for (let i = 0; i < n; i++) {
    const at = i * LINE.length;
    comments.push({ span: { start: at, end: at + LINE.indexOf('\n') }, text: i % 2 ? ' airlock:ignore pin/other' : ' airlock:ignore pin/x -- vendored' });
  }
  const file: ParsedFile = { uri: '/p/a.txt', format: 'text', text, resources: [], roots: [], comments, problems: [], toFileSpan: (s) => s };
  const rule = {
    id: 'pin/x',
    family: 'pin',
    severity: 'warning',
    formats: ['text'],
    docs: { summary: '', why: '', fix: '' },
    check(ctx) {
      for (let i = 0; i < n; i++) {
        const at = i * LINE.length + LINE.indexOf('value');
        ctx.report({ span: { start: at, end: at + 5 }, message: 'x' });
      }
    },
  } as Rule;
  return { file, rule };
}

describe('suppression comments', () => {
  it('hide the findings they cover, in time linear in their number', async () => {
    const ratio = await growthFromAsync(4000, async (n) => {
      const { file, rule } = suppressedFile(n);
      const { findings, suppressed } = await analyze(file, { rules: [rule] });
      expect(suppressed).toBe(n / 2);
      expect(findings).toHaveLength(n / 2);
    });
    expect(ratio).toBeLessThan(LINEAR_GROWTH_LIMIT);
  });

  it('that hide nothing or name no rule are found in time linear in their number', async () => {
    const ratio = await growthFromAsync(4000, async (n) => {
      const { file, rule } = suppressedFile(n);
      const { unusedSuppressions } = await analyze(file, { rules: [rule], reportUnusedSuppressions: true });
      // Every other comment names pin/other, a rule that does not exist here.
      expect(unusedSuppressions?.filter((u) => u.kind === 'unknown-rule')).toHaveLength(n / 2);
    });
    expect(ratio).toBeLessThan(LINEAR_GROWTH_LIMIT);
  });
});
