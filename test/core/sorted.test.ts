import { describe, expect, it } from 'vitest';
import { partitionPoint } from '../../core/sorted';

describe('partitionPoint', () => {
  const starts = [1, 3, 3, 7, 9];
  it('counts the leading items for which the test holds', () => {
    expect(partitionPoint(starts.length, (i) => starts[i] < 3)).toBe(1);
    expect(partitionPoint(starts.length, (i) => starts[i] <= 3)).toBe(3);
    expect(partitionPoint(starts.length, (i) => starts[i] < 0)).toBe(0);
    expect(partitionPoint(starts.length, (i) => starts[i] < 100)).toBe(5);
    expect(partitionPoint(0, () => true)).toBe(0);
  });
});
