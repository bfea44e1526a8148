import { describe, expect, it } from 'vitest';
import { parseFile } from '../../core/parse';
import { convertFindings } from '../../core/report/convert';
import { analyze } from '../../core/runner';
import { RULES } from '../../rules';
import { growthFromAsync } from './scaling';

/** Parse, analyse with every rule and convert to report findings, as a scan does; the number of findings. */
async function scan(uri: string, text: string): Promise<number> {
  const file = await parseFile(uri, text);
  const { findings } = await analyze(file, { rules: RULES });
  return convertFindings(file, findings, { root: '/p' }).length;
}

describe('inputs built to be slow scan in time linear in their size', () => {
  it('a stream of Kubernetes documents, each with an unpinned image', async () => {
    const doc = (i: number) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p${i}\nspec:\n  containers:\n    - name: c\n      image: nginx:latest\n`;
    const ratio = await growthFromAsync(1000, async (n) => {
      const text = Array.from({ length: n }, (_, i) => doc(i)).join('---\n');
      expect(await scan('/p/pods.yaml', text)).toBe(n);
    });
    expect(ratio).toBeLessThan(8);
  });

  it('a notebook cell installing many unpinned packages on one line', async () => {
    const ratio = await growthFromAsync(4000, async (n) => {
      const line = `!pip install ${Array.from({ length: n }, (_, i) => `pkg${i}`).join(' ')}`;
      const text = JSON.stringify({
        nbformat: 4,
        nbformat_minor: 5,
        metadata: {},
        cells: [{ cell_type: 'code', id: 'c1', metadata: {}, execution_count: null, outputs: [], source: [line] }],
      });
      expect(await scan('/p/n.ipynb', text)).toBeGreaterThanOrEqual(n);
    });
    expect(ratio).toBeLessThan(8);
  });
});
