import { cellComments, cellPython, cellShellLines } from '../../core/cells';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { parseNotebook, parseNotebookCells } from '../../core/formats/notebook/notebook';
import type { Cell, ParsedFile, Span } from '../../core/model';
import { LineIndex } from '../../core/text';
import { loadGrammar, parserFor } from '../../core/wasm';

beforeAll(async () => {
  await loadGrammar('python');
});

/** Lines as Jupyter stores them: each with its `\n` except the last. */
function lines(src: string): string[] {
  return src.split(/(?<=\n)/);
}

const CELL1 = [
  'import os',
  'from transformers import AutoModel, pipeline',
  '',
  '!pip install transformers',
  '%pip install -q x==1.0',
  'name = "café \\"quoted\\" back\\\\slash\\ttab"  # airlock:ignore secret/x -- a test',
  'model = AutoModel.from_pretrained("org/m", revision="abc")',
  'path = hf_hub_download(repo_id="org/data", filename="w.bin")',
].join('\n');

const CELL2 = [
  'pipe = pipeline("text-generation", model="org/m")',
  'os.environ["HF_TOKEN"] = "hf_xxxxxxxxxxxxxxxx"',
  'openai.api_key = "sk-proj-ÄÖÜ😀"',
  'doc = """multi',
  'line / with \\\\ and "quotes" and </script>"""',
  '',
].join('\n');

const CELL_BASH = '%%bash\npip install torch\nhuggingface-cli login --token "$HF_TOKEN"\n';

const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==\n';

function notebookObject() {
  return {
    cells: [
      { cell_type: 'markdown', metadata: {}, source: lines('# Fine-tuning — résumé\n\nUses `AutoModel`.') },
      {
        cell_type: 'code',
        execution_count: 1,
        metadata: { tags: ['airlock:ignore pin/hf-unpinned-revision -- pinned upstream', 'parameters'] },
        outputs: [
          { name: 'stdout', output_type: 'stream', text: ['Collecting transformers\n', 'token=hf_abcdefghijklmnop "q" é\n'] },
          {
            data: { 'text/html': ['<b>ok</b>\n', '<i>é</i>'], 'text/plain': ['ok'] },
            execution_count: 1,
            metadata: {},
            output_type: 'execute_result',
          },
          { data: { 'image/png': PNG, 'text/plain': ['<Figure size 640x480 with 1 Axes>'] }, metadata: {}, output_type: 'display_data' },
          {
            data: { 'application/json': { key: 'sk-in-json', n: [1, 2] }, 'application/vnd.jupyter.widget-view+json': { model_id: 'x' } },
            metadata: {},
            output_type: 'display_data',
          },
          {
            ename: 'HTTPError',
            evalue: '401 Unauthorized for token hf_abc',
            output_type: 'error',
            traceback: [
              '\u001b[0;31m---------------------------------------------------------------------------\u001b[0m',
              '\u001b[0;31mHTTPError\u001b[0m                                 Traceback (most recent call last)',
              '\u001b[0;32m<ipython-input-1>\u001b[0m in \u001b[0;36m<module>\u001b[0;34m\u001b[0m\n\u001b[0;32m----> 1\u001b[0;31m \u001b[0mlogin\u001b[0m\u001b[0;34m(\u001b[0m\u001b[0;34m"hf_abc"\u001b[0m\u001b[0;34m)\u001b[0m',
              '\u001b[0;31mHTTPError\u001b[0m: 401 Unauthorized for token hf_abc',
            ],
          },
        ],
        source: lines(CELL1),
      },
      { cell_type: 'code', execution_count: 2, metadata: {}, outputs: [], source: CELL2 },
      { cell_type: 'code', execution_count: null, metadata: {}, outputs: [], source: lines(CELL_BASH) },
      { cell_type: 'raw', metadata: {}, source: 'token = "not python"' },
    ],
    metadata: {
      kernelspec: { display_name: 'Python 3', language: 'python', name: 'python3' },
      language_info: { name: 'python', version: '3.11.4' },
    },
    nbformat: 4,
    nbformat_minor: 5,
  };
}

/** The .ipynb text as Jupyter writes it, with `é` additionally written as `\u00e9` and `/` as `\/` in places. */
function notebookText(): string {
  return `${JSON.stringify(notebookObject(), null, 1)}\n`.replace(/é/g, '\\u00e9').replace(/<\/script>/g, '<\\/script>');
}

/** The decoded text of a file span that lies inside one JSON string token. */
function decodedAt(text: string, fs: Span): string {
  return JSON.parse(`"${text.slice(fs.start, fs.end)}"`) as string;
}

function cell(file: ParsedFile, i: number): Cell {
  const c = file.cells?.[i];
  if (!c) throw new Error(`no cell ${i}`);
  return c;
}

/** Every single character of every cell source and output maps to exactly its encoded form. */
function expectCharExact(file: ParsedFile) {
  for (const c of file.cells ?? []) {
    const check = (txt: string, output?: number) => {
      for (let i = 0; i < txt.length; i++) {
        const fs = file.toFileSpan({ start: i, end: i + 1, cell: c.index, output });
        const enc = file.text.slice(fs.start, fs.end);
        const ch = txt[i];
        const what = `cell ${c.index} output ${output} char ${i}`;
        // raw characters (a surrogate half, JSON data taken as written) are the character itself
        if (enc === ch) continue;
        // joiners between traceback frames are not in the file: zero width
        if (enc === '' && output !== undefined && c.outputs[output].outputType === 'error') continue;
        expect(JSON.parse(`"${enc}"`), what).toBe(ch);
      }
    };
    check(c.source);
    for (const o of c.outputs) check(o.text, o.index);
  }
}

describe('parseNotebook: cells and sources', () => {
  const text = notebookText();
  let file: ParsedFile;
  beforeAll(() => {
    file = parseNotebook('file:///nb/demo.ipynb', text);
  });

  it('reads cells, kinds, languages, tags and decoded sources', () => {
    expect(text).toContain('caf\\u00e9 \\\\\\"quoted\\\\\\" back\\\\\\\\slash');
    expect(file.format).toBe('notebook');
    expect(file.problems).toEqual([]);
    expect(file.cells?.map((c) => [c.kind, c.language])).toEqual([
      ['markdown', 'markdown'],
      ['code', 'python'],
      ['code', 'python'],
      ['code', 'python'],
      ['raw', 'raw'],
    ]);
    expect(cell(file, 1).source).toBe(CELL1);
    expect(cell(file, 2).source).toBe(CELL2);
    expect(cell(file, 0).source).toBe('# Fine-tuning — résumé\n\nUses `AutoModel`.');
    expect(cell(file, 1).tags).toEqual(['airlock:ignore pin/hf-unpinned-revision -- pinned upstream', 'parameters']);
    expect(cellPython(cell(file, 0))).toBeUndefined();
    expect(cellPython(cell(file, 4))).toBeUndefined();
  });

  it('maps every character of sources and outputs to its encoded form', () => {
    expectCharExact(file);
  });

  it('maps calls, kwargs, strings, comments and shell lines to the exact .ipynb text', () => {
    const spans: Span[] = [];
    for (const c of file.cells ?? []) {
      const py = cellPython(c);
      if (!py) continue;
      for (const call of py.calls)
        spans.push(call.span, call.calleeSpan, ...call.args.map((a) => a.span), ...call.kwargs.flatMap((k) => [k.keySpan, k.value.span]));
      for (const s of py.strings) spans.push(s.span, s.contentSpan!);
      for (const a of py.assignments) spans.push(a.span, a.targetSpan, a.value.span);
      for (const s of py.shell) spans.push(s.span);
      for (const cm of cellComments(c)) spans.push(cm.span);
    }
    expect(spans.length).toBeGreaterThan(40);
    for (const s of spans) {
      const src = cell(file, s.cell!).source;
      const want = src.slice(s.start, s.end);
      const fs = file.toFileSpan(s);
      if (want.includes('\n') && Array.isArray(notebookObject().cells[s.cell!].source)) continue; // crosses list items
      expect(decodedAt(text, fs), JSON.stringify(want)).toBe(want);
    }
  });

  it('maps spans without escapes to the same text, and positions with LineIndex', () => {
    const c1 = cell(file, 1);
    const call = cellPython(c1)!.calls.find((c) => c.callee === 'AutoModel.from_pretrained')!;
    const fs = file.toFileSpan(call.calleeSpan);
    expect(text.slice(fs.start, fs.end)).toBe('AutoModel.from_pretrained');
    const rev = call.kwargs.find((k) => k.key === 'revision')!;
    const contentFs = file.toFileSpan((rev.value as { contentSpan: Span }).contentSpan);
    expect(text.slice(contentFs.start, contentFs.end)).toBe('abc');
    const quoted = file.toFileSpan(rev.value.span);
    expect(text.slice(quoted.start, quoted.end)).toBe('\\"abc\\"');

    const idx = new LineIndex(text);
    const fileLines = text.split('\n');
    const line = fileLines.findIndex((l) => l.includes('AutoModel.from_pretrained('));
    expect(idx.position(fs.start)).toEqual({ line, character: fileLines[line].indexOf('AutoModel.from_pretrained(') });
    // the non-ASCII string: `é` is written `\u00e9` in the file (6 characters for 1)
    const cafe = cellPython(c1)!.strings.find((s) => String(s.value).startsWith('café'))!;
    expect(cafe.value).toBe('café "quoted" back\\slash\ttab');
    const cfs = file.toFileSpan(cafe.contentSpan!);
    expect(text.slice(cfs.start, cfs.end)).toBe('caf\\u00e9 \\\\\\"quoted\\\\\\" back\\\\\\\\slash\\\\ttab');
    // a string-source cell with emoji and a `\/` escape
    const c2 = cell(file, 2);
    const key = cellPython(c2)!.assignments.find((a) => a.target === 'openai.api_key')!;
    const kfs = file.toFileSpan((key.value as { contentSpan: Span }).contentSpan);
    expect(text.slice(kfs.start, kfs.end)).toBe('sk-proj-ÄÖÜ😀');
    const doc = cellPython(c2)!.strings.find((s) => String(s.value).startsWith('multi'))!;
    const dfs = file.toFileSpan(doc.span);
    expect(decodedAt(text, dfs)).toBe('"""multi\nline / with \\\\ and "quotes" and </script>"""');
    expect(text.slice(dfs.start, dfs.end)).toContain('<\\/script>');
  });

  it('extracts the Python structure of notebook cells', () => {
    const p1 = cellPython(cell(file, 1))!;
    expect(p1.calls.map((c) => c.callee)).toEqual(['AutoModel.from_pretrained', 'hf_hub_download']);
    expect(p1.shell.map((s) => s.text)).toEqual(['!pip install transformers', '%pip install -q x==1.0']);
    expect(p1.imports.map((i) => [i.module, i.names])).toEqual([
      ['os', []],
      ['transformers', ['AutoModel', 'pipeline']],
    ]);
    expect(cellComments(cell(file, 1)).map((c) => c.text)).toEqual([' airlock:ignore secret/x -- a test']);
    const p2 = cellPython(cell(file, 2))!;
    expect(p2.calls.map((c) => c.callee)).toEqual(['pipeline']);
    expect(p2.assignments.map((a) => a.target)).toEqual(['pipe', 'os.environ["HF_TOKEN"]', 'openai.api_key', 'doc']);
    const p3 = cellPython(cell(file, 3))!;
    expect(p3.shell.map((s) => s.text)).toEqual(['%%bash', 'pip install torch', 'huggingface-cli login --token "$HF_TOKEN"']);
    const fs = file.toFileSpan(p3.shell[2].span);
    expect(decodedAt(text, fs)).toBe('huggingface-cli login --token "$HF_TOKEN"');
  });

  it('insertAt maps to where an inserted keyword argument lands in the cell', () => {
    const call = cellPython(cell(file, 1))!.calls.find((c) => c.callee === 'hf_hub_download')!;
    const fs = file.toFileSpan(call.insertAt);
    expect(fs.start).toBe(fs.end);
    const insert = JSON.stringify(', revision="0123abc"').slice(1, -1);
    const fixed = text.slice(0, fs.start) + insert + text.slice(fs.end);
    const again = parseNotebook('file:///nb/demo.ipynb', fixed);
    expect(again.problems).toEqual([]);
    expect(cell(again, 1).source).toContain('hf_hub_download(repo_id="org/data", filename="w.bin", revision="0123abc")');
    // the end of a cell's source maps to the end of its last string
    const end = file.toFileSpan({ start: CELL2.length, end: CELL2.length, cell: 2 });
    expect(text.slice(end.start - 2, end.start + 1)).toBe('\\n"');
  });

  it('reads outputs of each type; never images or widget payloads', () => {
    const outs = cell(file, 1).outputs;
    expect(outs.map((o) => [o.index, o.outputIndex, o.outputType, o.mime])).toEqual([
      [0, 0, 'stream', undefined],
      [1, 1, 'execute_result', 'text/html'],
      [2, 1, 'execute_result', 'text/plain'],
      [3, 2, 'display_data', 'text/plain'],
      [4, 3, 'display_data', 'application/json'],
      [5, 4, 'error', undefined],
    ]);
    expect(outs[0].text).toBe('Collecting transformers\ntoken=hf_abcdefghijklmnop "q" é\n');
    expect(outs[1].text).toBe('<b>ok</b>\n<i>é</i>');
    expect(outs.some((o) => o.text.includes('iVBOR'))).toBe(false);
    expect(JSON.parse(outs[4].text)).toEqual({ key: 'sk-in-json', n: [1, 2] });
    const tb = outs[5].text.split('\n');
    expect(tb).toHaveLength(5); // 4 frames, one with an embedded line break
    expect(tb[0].startsWith('\u001b[0;31m---')).toBe(true);
    expect(tb[4]).toBe('\u001b[0;31mHTTPError\u001b[0m: 401 Unauthorized for token hf_abc');

    // output spans map into the .ipynb
    const s = outs[0].text.indexOf('hf_abc');
    const fs = file.toFileSpan({ start: s, end: s + 21, cell: 1, output: 0 });
    expect(text.slice(fs.start, fs.end)).toBe('hf_abcdefghijklmnop \\"');
    const j = outs[4].text.indexOf('sk-in-json');
    const jfs = file.toFileSpan({ start: j, end: j + 10, cell: 1, output: 4 });
    expect(text.slice(jfs.start, jfs.end)).toBe('sk-in-json');
    // a span over a traceback frame boundary stops at the end of the first frame's string
    const t = outs[5].text;
    const last = t.lastIndexOf('hf_abc');
    const tfs = file.toFileSpan({ start: last, end: last + 6, cell: 1, output: 5 });
    expect(text.slice(tfs.start, tfs.end)).toBe('hf_abc');
    const crossing = file.toFileSpan({ start: tb[0].length - 4, end: tb[0].length + 1, cell: 1, output: 5 });
    expect(text.slice(crossing.start, crossing.end)).toBe('\\u001b[0m');
  });

  it('gives the file spans of cells and their outputs', () => {
    const c1 = cell(file, 1);
    const obj = JSON.parse(text.slice(c1.span!.start, c1.span!.end));
    expect(obj.execution_count).toBe(1);
    const outputs = JSON.parse(text.slice(c1.outputsSpan!.start, c1.outputsSpan!.end));
    expect(outputs).toHaveLength(5);
    expect(cell(file, 0).outputsSpan).toBeUndefined();
  });

  it('toFileSpan: identity without a cell, clamped for out-of-range spans', () => {
    expect(file.toFileSpan({ start: 3, end: 7 })).toEqual({ start: 3, end: 7 });
    const whole = file.toFileSpan({ start: 0, end: Infinity, cell: 2 });
    expect(decodedAt(text, whole)).toBe(CELL2);
    const missing = file.toFileSpan({ start: 0, end: 1, cell: 99 });
    expect(missing.start).toBe(missing.end);
    const noOutput = file.toFileSpan({ start: 0, end: 1, cell: 2, output: 3 });
    expect(noOutput.start).toBe(noOutput.end);
  });
});

describe('parseNotebook: format variations', () => {
  it('CRLF files, minified files and `\\uXXXX` surrogate pairs', () => {
    const nb = {
      cells: [{ cell_type: 'code', metadata: {}, outputs: [], source: ['x = "😀"\n', 'pipeline("a", model="m")'] }],
      metadata: {},
      nbformat: 4,
      nbformat_minor: 5,
    };
    for (const text of [JSON.stringify(nb, null, 1).replace(/\n/g, '\r\n'), JSON.stringify(nb), JSON.stringify(nb).replace(/😀/g, '\\ud83d\\ude00')]) {
      const file = parseNotebook('a.ipynb', text);
      expect(file.problems).toEqual([]);
      expect(cell(file, 0).source).toBe('x = "😀"\npipeline("a", model="m")');
      expectCharExact(file);
      const s = cellPython(cell(file, 0))!.strings[0];
      expect(decodedAt(text, file.toFileSpan(s.span))).toBe('"😀"');
      const call = cellPython(cell(file, 0))!.calls[0];
      expect(text.slice(...(({ start, end }) => [start, end])(file.toFileSpan(call.calleeSpan)))).toBe('pipeline');
    }
  });

  it('kernel language from language_info, non-Python kernels, and VS Code cell languages', () => {
    const mk = (metadata: object, cellMeta: object = {}) =>
      parseNotebook(
        'a.ipynb',
        JSON.stringify({ cells: [{ cell_type: 'code', metadata: cellMeta, outputs: [], source: 'library(x) # airlock:ignore a/b -- r' }], metadata }),
      );
    expect(cell(mk({ language_info: { name: 'R' } }), 0).language).toBe('r');
    expect(cellPython(cell(mk({ language_info: { name: 'R' } }), 0))).toBeUndefined();
    expect(cellComments(cell(mk({ language_info: { name: 'R' } }), 0)).map((c) => c.text)).toEqual([' airlock:ignore a/b -- r']);
    expect(cell(mk({}), 0).language).toBe('python');
    expect(cell(mk({ kernelspec: { language: '' } }), 0).language).toBe('python');
    expect(cellPython(cell(mk({}, { vscode: { languageId: 'sql' } }), 0))).toBeUndefined();
  });

  it('reads the nbformat 3 worksheets layout', () => {
    const text = JSON.stringify({
      metadata: { name: 'old' },
      nbformat: 3,
      worksheets: [
        {
          cells: [
            {
              cell_type: 'code',
              collapsed: false,
              input: ['import openai\n', 'openai.api_key = "sk-old"'],
              language: 'python',
              outputs: [
                { output_type: 'pyout', text: ['42'], html: ['<b>42</b>'], png: 'iVBOR' },
                { output_type: 'pyerr', ename: 'E', evalue: 'v', traceback: [] },
              ],
            },
          ],
        },
      ],
    });
    const file = parseNotebook('old.ipynb', text);
    expect(file.problems).toEqual([]);
    const c = cell(file, 0);
    expect(cellPython(c)!.assignments[0].target).toBe('openai.api_key');
    expect(c.outputs.map((o) => [o.outputType, o.mime, o.text])).toEqual([
      ['execute_result', 'text/plain', '42'],
      ['execute_result', 'text/html', '<b>42</b>'],
      ['error', undefined, 'E: v'],
    ]);
    expectCharExact(file);
  });
});

describe('parseNotebook: bad input never throws', () => {
  it('truncated files keep the cells read so far, with JSON problems', () => {
    const text = notebookText();
    for (let cut = 0; cut < text.length; cut += 37) {
      const part = text.slice(0, cut);
      let file: ParsedFile | undefined;
      expect(() => (file = parseNotebook('t.ipynb', part))).not.toThrow();
      expect(file!.problems.length).toBeGreaterThan(0);
      expectCharExact(file!);
    }
    const half = parseNotebook('t.ipynb', text.slice(0, text.indexOf('openai.api_key') + 5));
    expect(half.problems[0].message).toMatch(/^JSON: /);
    expect(half.problems[0].span.cell).toBeUndefined();
    expect(cell(half, 2).source).toBe(CELL2.slice(0, CELL2.indexOf('openai.api_key') + 5));
    expect(cellPython(cell(half, 1))!.calls).toHaveLength(2);
  });

  it('reports "not a notebook" and odd field types', () => {
    for (const text of ['', '{}', '[]', '"cells"', 'null', '{"cells": 3}', '{"cells": {"a": 1}}']) {
      const file = parseNotebook('x.ipynb', text);
      expect(file.cells).toEqual([]);
      expect(file.problems.map((p) => p.message)).toContain('not a Jupyter notebook: no "cells" array');
    }
    const odd = parseNotebook(
      'x.ipynb',
      JSON.stringify({
        cells: [
          { cell_type: 'code', source: 42 },
          { cell_type: 'code', source: { a: 'b' }, outputs: 'none', metadata: { tags: 'x' } },
          { cell_type: 'code', source: ['ok = 1\n', 7, null, 'b = 2'], outputs: [null, 3, { output_type: 'stream' }, { output_type: 'error' }] },
          { cell_type: 'mystery' },
          'not a cell',
          { cell_type: 'code', source: 'x = 1', outputs: [{ output_type: 'execute_result', data: { 'text/plain': 5, 'image/svg+xml': '<svg/>' } }] },
        ],
      }),
    );
    expect(odd.problems).toEqual([]);
    expect(odd.cells?.map((c) => c.source)).toEqual(['', '', 'ok = 1\nb = 2', '', '', 'x = 1']);
    expect(cellPython(cell(odd, 2))!.assignments.map((a) => a.target)).toEqual(['ok', 'b']);
    expect(cell(odd, 2).outputs).toEqual([]);
    expect(cell(odd, 5).outputs.map((o) => [o.mime, o.text])).toEqual([['text/plain', '5']]);
    expectCharExact(odd);
  });

  it('binary garbage and deep nesting', () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % 256;
    const garbage = String.fromCharCode(...Array.from({ length: 4000 }, rnd));
    for (const text of [garbage, `\u0000PNG\r\n\u001a\n${garbage}`, '['.repeat(200_000), `{"cells": [${'{"a": ['.repeat(50_000)}`]) {
      expect(() => parseNotebook('bin.ipynb', text)).not.toThrow();
      const file = parseNotebook('bin.ipynb', text);
      expect(file.problems.length).toBeGreaterThan(0);
      expect(file.problems.length).toBeLessThanOrEqual(21);
    }
  });
});

describe('parseNotebook: Python structure on demand', () => {
  it('reads comments and the Python structure when first used', () => {
    const text = JSON.stringify({ cells: [{ cell_type: 'code', metadata: {}, outputs: [], source: ['import os  # airlock:ignore a/b -- c\n', 'f(x=1)'] }] });
    const file = parseNotebook('a.ipynb', text);
    const c = cell(file, 0);
    expect(cellComments(c).map((x) => x.text)).toEqual([' airlock:ignore a/b -- c']);
    const first = cellPython(c);
    expect(first?.calls.map((x) => x.callee)).toEqual(['f']);
    expect(cellPython(c)).toBe(first);
    expect(file.problems).toEqual([]);
  });

  it('gives shell lines without parsing the cell; calls, assignments, imports and strings parse it once', () => {
    const text = JSON.stringify({ cells: [{ cell_type: 'code', metadata: {}, outputs: [], source: ['!pip install x\n', 'import os\n', 'k = f("s")'] }] });
    const parse = vi.spyOn(parserFor('python'), 'parse');
    try {
      const c = cell(parseNotebook('a.ipynb', text), 0);
      expect(cellShellLines(c)?.map((s) => s.text)).toEqual(['!pip install x']);
      expect(parse).not.toHaveBeenCalled();
      const py = cellPython(c)!;
      expect(py.shell.map((s) => s.text)).toEqual(['!pip install x']);
      expect(py.calls.map((x) => x.callee)).toEqual(['f']);
      expect(py.assignments.map((x) => x.target)).toEqual(['k']);
      expect(py.imports.map((x) => x.module)).toEqual(['os']);
      expect(py.strings.map((x) => x.value)).toEqual(['s']);
      expect(cellPython(c)).toBe(py);
      expect(parse).toHaveBeenCalledTimes(1);
    } finally {
      parse.mockRestore();
    }
  });
});

describe('parseNotebookCells', () => {
  it('analyses cells sent separately; spans stay cell-relative', () => {
    const file = parseNotebookCells('vscode-notebook:///nb.ipynb', [
      { kind: 'markdown', language: 'markdown', source: '# Title' },
      { kind: 'code', language: 'python', source: 'm = AutoModel.from_pretrained("org/m")\n!pip install x', tags: ['t'] },
      {
        kind: 'code',
        language: 'python',
        source: 'print(1)',
        outputs: [{ index: 0, outputType: 'stream', text: 'hf_abc\n' }],
      },
    ]);
    expect(file.format).toBe('notebook');
    expect(file.cells?.map((c) => c.index)).toEqual([0, 1, 2]);
    const c1 = cell(file, 1);
    expect(c1.tags).toEqual(['t']);
    expect(cellPython(c1)!.calls[0].calleeSpan).toEqual({ start: 4, end: 29, cell: 1 });
    expect(cellPython(c1)!.shell[0].text).toBe('!pip install x');
    expect(file.toFileSpan(cellPython(c1)!.calls[0].calleeSpan)).toEqual({ start: 4, end: 29, cell: 1 });
    expect(cell(file, 2).outputs[0].text).toBe('hf_abc\n');
    expect(cellPython(cell(file, 0))).toBeUndefined();
  });
});
