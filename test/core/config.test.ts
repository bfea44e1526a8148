import { describe, expect, it } from 'vitest';
import { matchesRuleGlob } from '../../core/config';

/** Milliseconds for `runs` calls of `fn`. */
function timeOf(runs: number, fn: () => void): number {
  const t0 = performance.now();
  for (let i = 0; i < runs; i++) fn();
  return performance.now() - t0;
}

describe('rule globs', () => {
  it.each([
    ['secret/*', 'secret/known-token', true],
    ['secret/*', 'pin/image-unpinned', false],
    ['*', 'pin/image-unpinned', true],
    ['all', 'pin/image-unpinned', true],
    ['pin/hf-*', 'pin/hf-unpinned-revision', true],
    ['*/*-unpinned', 'pin/image-unpinned', true],
    ['*/*-unpinned', 'pin/image-unpinned-x', false],
    ['**pin**', 'pin/image-unpinned', true],
    ['pin*pin', 'pin', false],
    ['p*n*d', 'pin/image-unpinned', true],
    ['*.?', 'a.b', false],
    ['*.?', 'a.?', true],
    ['secret/known-token', 'secret/known-token', true],
    ['secret/known', 'secret/known-token', false],
  ])('%j against %j → %j', (pattern, id, expected) => {
    expect(matchesRuleGlob(pattern, id)).toBe(expected);
  });

  it('takes time linear in the pattern for a run of stars that cannot match (no backtracking)', () => {
    const id = 'secret/kubernetes-secret-manifest-and-some-more-words';
    const stars = (n: number) => `${'*'.repeat(n)}!`;
    // A backtracking matcher takes C(id + n, n) steps here: already hours at 12 stars.
    expect(matchesRuleGlob(stars(12), id)).toBe(false);
    matchesRuleGlob(stars(400), id);
    const small = timeOf(2000, () => matchesRuleGlob(stars(100), id));
    const large = timeOf(2000, () => matchesRuleGlob(stars(400), id));
    expect(large / small).toBeLessThan(8);
  });
});
