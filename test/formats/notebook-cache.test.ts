import { cellPython } from '../../core/cells';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseNotebook, parseNotebookCells } from '../../core/formats/notebook/notebook';
import { loadGrammar } from '../../core/wasm';

beforeAll(async () => {
  await loadGrammar('python');
});

const cells = (second: string) => [
  { kind: 'code' as const, language: 'python', source: 'from transformers import AutoModel\nm = AutoModel.from_pretrained("org/a")\n' },
  { kind: 'code' as const, language: 'python', source: second },
  { kind: 'markdown' as const, language: 'markdown', source: '# notes\n' },
];

describe('editor notebooks: unchanged cells are not analysed again', () => {
  it('reuses the Python structure of a cell whose source and index are unchanged, and re-reads an edited one', () => {
    const v1 = parseNotebookCells('vscode-notebook:///cache-test.ipynb', cells('token = "abc"\nlogin(token=token)\n'));
    const v2 = parseNotebookCells('vscode-notebook:///cache-test.ipynb', cells('token = "abcd"\nlogin(token=token)\n'));
    expect(cellPython(v2.cells![0])!.calls).toBe(cellPython(v1.cells![0])!.calls);
    expect(cellPython(v2.cells![1])!.calls).not.toBe(cellPython(v1.cells![1])!.calls);
    expect(cellPython(v2.cells![1])!.assignments.map((a) => a.target)).toEqual(['token']);
    expect(cellPython(v2.cells![1])!.strings.map((s) => s.value)).toEqual(['abcd']);
  });

  it('a cell that moved to another index gets spans with its new index', () => {
    const a = parseNotebookCells('vscode-notebook:///cache-move.ipynb', cells('x = "1"\n'));
    const moved = parseNotebookCells(
      'vscode-notebook:///cache-move.ipynb',
      [a.cells![2], a.cells![0], a.cells![1]].map((c) => ({ kind: c.kind, language: c.language, source: c.source })),
    );
    expect(cellPython(moved.cells![1])!.calls).not.toBe(cellPython(a.cells![0])!.calls);
    expect(cellPython(moved.cells![1])!.calls.every((c) => c.span.cell === 1)).toBe(true);
    expect(cellPython(moved.cells![1])!.calls.map((c) => c.callee)).toEqual(cellPython(a.cells![0])!.calls.map((c) => c.callee));
  });
});

describe('notebook files: a cell repeated in another notebook is analysed once', () => {
  const ipynb = (sources: string[]) =>
    JSON.stringify({ cells: sources.map((s) => ({ cell_type: 'code', metadata: {}, source: s, outputs: [] })), metadata: {}, nbformat: 4, nbformat_minor: 5 });

  it('shares the structure of a cell with the same source and index, and each file reads its own spans', () => {
    const a = parseNotebook('file:///a.ipynb', ipynb(['import os\n', 'login(token="x")\n']));
    const b = parseNotebook('file:///b.ipynb', ipynb(['# other\n', 'login(token="x")\n']));
    const c = parseNotebook('file:///c.ipynb', ipynb(['login(token="x")\n']));
    expect(cellPython(b.cells![1])!.calls).toBe(cellPython(a.cells![1])!.calls);
    expect(cellPython(c.cells![0])!.calls).not.toBe(cellPython(a.cells![1])!.calls);
    expect(cellPython(c.cells![0])!.calls[0].span.cell).toBe(0);
    expect(b.toFileSpan(cellPython(b.cells![1])!.calls[0].span)).not.toEqual(a.toFileSpan(cellPython(a.cells![1])!.calls[0].span));
  });

  it('copies the structure of a source met at another index with the spans moved and shared objects still shared', () => {
    const a = parseNotebook('file:///moved-a.ipynb', ipynb(['f(g(token="x"))\n']));
    const b = parseNotebook('file:///moved-b.ipynb', ipynb(['import os\n', 'f(g(token="x"))\n']));
    const [fa, ga] = cellPython(a.cells![0])!.calls;
    const [fb, gb] = cellPython(b.cells![1])!.calls;
    expect(gb.kwargs).not.toBe(ga.kwargs);
    expect([fb.span.cell, gb.span.cell, gb.kwargs[0].keySpan.cell, gb.kwargs[0].value.span.cell]).toEqual([1, 1, 1, 1]);
    expect({ ...gb, span: ga.span, calleeSpan: ga.calleeSpan, insertAt: ga.insertAt, kwargs: [] }).toEqual({ ...ga, kwargs: [] });
    const nested = (f: typeof fa) => (f.args[0] as { args: { entries: unknown[] }[] }).args[0].entries[0];
    expect(nested(fa)).toBe(ga.kwargs[0]);
    expect(nested(fb)).toBe(gb.kwargs[0]);
  });
});
