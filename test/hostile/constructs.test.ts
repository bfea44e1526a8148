import { describe, expect, it } from 'vitest';
import { parseFile } from '../../core/formats';
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
    const ratio = await growthFromAsync(600, async (n) => {
      const text = Array.from({ length: n }, (_, i) => doc(i)).join('---\n');
      expect(await scan('/p/pods.yaml', text)).toBe(n);
    });
    expect(ratio).toBeLessThan(8);
  });
});
