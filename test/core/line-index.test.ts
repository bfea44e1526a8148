import { describe, expect, it } from 'vitest';
import { LineIndex, lineIndexOf } from '../../core/text';

describe('lineIndexOf', () => {
  it('gives the same positions as a new LineIndex, and reuses the index for the same text', () => {
    const text = 'a\nbb\r\nccc\rd';
    const shared = lineIndexOf(text);
    expect(lineIndexOf(text)).toBe(shared);
    const fresh = new LineIndex(text);
    for (let o = 0; o <= text.length; o++) expect(shared.position(o)).toEqual(fresh.position(o));
    const other = lineIndexOf('x\ny');
    expect(other).not.toBe(shared);
    expect(other.position(2)).toEqual({ line: 1, character: 0 });
  });
});
