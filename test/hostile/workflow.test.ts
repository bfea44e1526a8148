import { describe, expect, it } from 'vitest';
import { parseFile } from '../../core/formats';
import { analyze } from '../../core/runner';
import { RULES } from '../../rules';
import { LINEAR_GROWTH_LIMIT, growthFromAsync } from './scaling';

const HEAD = '# yaml-language-server: $schema=https://json.schemastore.org/github-workflow.json\non: push\njobs:\n';

async function parsed(uri: string, text: string): Promise<void> {
  const file = await parseFile(uri, text);
  expect(file.format).toBe('github-actions');
  expect(file.shellScripts?.length).toBe(1);
}

async function findings(uri: string, text: string): Promise<string[]> {
  const file = await parseFile(uri, text);
  expect(file.format).toBe('github-actions');
  return (await analyze(file, { rules: RULES })).findings.map((f) => f.ruleId);
}

describe('GitHub Actions input built to be slow scans in time linear in its size', () => {
  it('a workflow of many jobs, each with an unpinned action, an unpinned service and a literal secret', async () => {
    const job = (i: number) =>
      `  j${i}:\n    runs-on: ubuntu-latest\n    services:\n      db:\n        image: postgres\n    env:\n      API_TOKEN: tk-${i}-9f8e7d6c5b4a\n    steps:\n      - uses: actions/checkout@v4\n      - run: echo \${{ github.sha }} ${i}\n`;
    const ratio = await growthFromAsync(150, async (n) => {
      const ids = await findings('/r/.github/workflows/ci.yml', HEAD + Array.from({ length: n }, (_, i) => job(i)).join(''));
      expect(ids.length).toBe(3 * n);
    });
    expect(ratio).toBeLessThan(LINEAR_GROWTH_LIMIT);
  });

  // The format's own reading (expressions as references, run: scripts): the rules over such text are tested elsewhere.
  // From 16,000 up: parse time steps up once between 8,000 and 16,000 (measured 5.9 ms, 38 ms, then 90 ms at 32,000),
  // a one-off step that reads as a ratio of 6 to 11 across it and that larger sizes do not repeat.
  it('one value of many ${{ }} expressions, one long word in an expression, and one unclosed', async () => {
    const ratio = await growthFromAsync(16000, async (n) => {
      const value = `${'${{ matrix.a }}-'.repeat(n)}\${{ ${'w'.repeat(20 * n)} }}\${{ matrix.b`;
      await parsed(
        '/r/.github/workflows/ci.yml',
        `${HEAD}  a:\n    container: "${value}"\n    steps:\n      - run: |\n${'          echo ${{ env.X }}\n'.repeat(n)}`,
      );
    });
    expect(ratio).toBeLessThan(LINEAR_GROWTH_LIMIT);
  });
});
