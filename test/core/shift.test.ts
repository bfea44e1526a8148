import { describe, expect, it } from 'vitest';
import type { MapNode, ScalarNode } from '../../core/model';
import { shiftNode, shiftSpan } from '../../core/parsers/shift';

describe('shiftNode', () => {
  it('moves every span of a tree, keeps shared nodes shared and a cell span relative to its cell', () => {
    const value: ScalarNode = { kind: 'scalar', span: { start: 5, end: 8 }, path: ['a'], value: 'x', contentSpan: { start: 6, end: 7 } };
    const map: MapNode = {
      kind: 'map',
      span: { start: 0, end: 10 },
      path: [],
      entries: [
        { key: 'a', keySpan: { start: 1, end: 2 }, value },
        { key: 'b', keySpan: { start: 3, end: 4 }, value },
      ],
    };
    const moved = shiftNode(map, 100) as MapNode;
    expect(moved.span).toEqual({ start: 100, end: 110 });
    expect(moved.entries.map((e) => e.keySpan.start)).toEqual([101, 103]);
    expect(moved.entries[0].value).toBe(moved.entries[1].value);
    expect(moved.entries[0].value).toMatchObject({ span: { start: 105, end: 108 }, contentSpan: { start: 106, end: 107 } });
    expect(map.span).toEqual({ start: 0, end: 10 });
    expect(shiftSpan({ start: 1, end: 2, cell: 3 }, 4)).toEqual({ start: 5, end: 6, cell: 3 });
  });
});
