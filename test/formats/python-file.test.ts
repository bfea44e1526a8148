import { describe, expect, it } from 'vitest';
import { analyze, cellPython, parseFile } from '../../core';
import { RULES } from '../../rules';
import { LINEAR_GROWTH_LIMIT, growthFromAsync } from '../hostile/scaling';
import { notebook, scan } from '../suppress/helpers';

const slice = (src: string, s: { start: number; end: number }) => src.slice(s.start, s.end);

describe('python format: a .py file read as one code unit', () => {
  it('holds the file as one code cell whose spans are file offsets without a cell index', async () => {
    const text = '#!/usr/bin/env python\nfrom transformers import AutoModel\n\nm = AutoModel.from_pretrained("org/m")  # load\nTOKEN = "x"\n';
    const file = await parseFile('/p/train.py', text);
    expect(file.format).toBe('python');
    expect(file.problems).toEqual([]);
    expect(file.cells).toHaveLength(1);
    const [unit] = file.cells ?? [];
    expect(unit).toMatchObject({ index: 0, kind: 'code', language: 'python', source: text });
    const py = cellPython(unit);
    const call = py?.calls.find((c) => c.callee === 'AutoModel.from_pretrained');
    expect(call && slice(text, call.span)).toBe('AutoModel.from_pretrained("org/m")');
    expect(call && 'cell' in call.span).toBe(false);
    expect(call && 'cell' in call.args[0].span).toBe(false);
    expect(py?.assignments.map((a) => a.target)).toEqual(['m', 'TOKEN']);
    expect(py?.imports.map((i) => i.module)).toEqual(['transformers']);
    expect(file.comments.map((c) => [c.text, 'cell' in c.span])).toEqual([
      ['!/usr/bin/env python', false],
      [' load', false],
    ]);
  });

  it('reads the statements after a syntax error', async () => {
    const text = 'x = (\ndef broken(:\n    pass\nm = AutoModel.from_pretrained("org/m")\n';
    const file = await parseFile('/p/broken.py', text);
    const calls = cellPython(file.cells?.[0] ?? ({} as never))?.calls ?? [];
    expect(calls.map((c) => c.callee)).toContain('AutoModel.from_pretrained');
  });

  it('honours airlock:ignore on the line or the line before, and other scanners’ Python markers', async () => {
    const text = [
      'from transformers import AutoModel',
      'a = AutoModel.from_pretrained("org/a")  # airlock:ignore pin/hf-unpinned-revision -- evaluated at a fixed commit elsewhere',
      '# airlock:ignore pin/hf-unpinned-revision -- same',
      'b = AutoModel.from_pretrained("org/b")',
      'c = AutoModel.from_pretrained("org/c")',
      'PASSWORD = "Zq8vYt3LmN4pRw7e"  # pragma: allowlist secret',
      'DB_PASSWORD = "Hb5xKc2JdF9gTs6u"',
      '',
    ].join('\n');
    const r = await scan('/p/s.py', text, ['pin/hf-unpinned-revision', 'secret/hardcoded-password']);
    expect(r.ids).toEqual(['pin/hf-unpinned-revision', 'secret/hardcoded-password']);
    expect(r.lines).toEqual([5, 7]);
    expect(r.suppressed).toBe(3);
  });
});

describe('the same code in a notebook cell and in a .py file', () => {
  const code = [
    'import os',
    'import subprocess',
    'from transformers import AutoModel',
    'from huggingface_hub import login',
    'subprocess.run(["pip", "install", "transformers"])',
    'model = AutoModel.from_pretrained("bert-base-uncased", revision="main")',
    'login(token="hf_kLmNoPqRsTuVwXyZaBcDeFgHiJkLmNoPqR")',
    'client = Client(password="correct-horse-battery")',
    '',
  ].join('\n');

  async function findings(uri: string, text: string) {
    const file = await parseFile(uri, text);
    const { findings, failures } = await analyze(file, { rules: RULES });
    expect(failures).toEqual([]);
    return findings.map((f) => ({
      ruleId: f.ruleId,
      message: f.message,
      text: slice(f.span.cell === undefined ? file.text : (file.cells?.[f.span.cell].source ?? ''), f.span),
      fixes: (f.fixes ?? []).map((x) => x.title),
    }));
  }

  it('gives the same rule ids, messages, ranges and fix titles for Python code', async () => {
    const inFile = await findings('/p/train.py', code);
    const inCell = await findings('/p/train.ipynb', notebook(code));
    // `subprocess` is how a script installs; a notebook runs `!pip`, which a .py file cannot hold.
    const python = (list: typeof inFile) => list.filter((f) => f.ruleId !== 'pin/pip-unpinned');
    expect(python(inFile)).toEqual(python(inCell));
    expect(inFile.map((f) => f.ruleId).sort()).toEqual(['pin/hf-unpinned-revision', 'pin/pip-unpinned', 'secret/hardcoded-password', 'secret/known-token']);
    const model = inFile.find((f) => f.ruleId === 'pin/hf-unpinned-revision');
    expect(model).toMatchObject({ text: 'main', fixes: ['Pin to a commit sha'] });
  });
});

describe('a large Python file scans in time linear in its size', () => {
  async function scanCount(text: string): Promise<number> {
    const file = await parseFile('/p/big.py', text);
    return (await analyze(file, { rules: RULES })).findings.length;
  }

  it('many string literals and Hub loads (a string is read within its own range)', async () => {
    const ratio = await growthFromAsync(400, async (n) => {
      const lines = Array.from({ length: n }, (_, i) => `m${i} = AutoModel.from_pretrained("org/m${i}")  # load ${i}`);
      expect(await scanCount(`from transformers import AutoModel\n${lines.join('\n')}\n`)).toBe(n);
    });
    expect(ratio).toBeLessThan(LINEAR_GROWTH_LIMIT);
  });

  it('many secrets with comments (placeholder comments are indexed by line once)', async () => {
    const ratio = await growthFromAsync(400, async (n) => {
      const lines = Array.from({ length: n }, (_, i) => `X${i}_PASSWORD = "Zq8vYt3LmN4pRw${(i * 7919).toString(36)}x"  # prod`);
      expect(await scanCount(`${lines.join('\n')}\n`)).toBe(n);
    });
    expect(ratio).toBeLessThan(LINEAR_GROWTH_LIMIT);
  });
});
