import { beforeAll, describe, expect, it } from 'vitest';
import { analyzePython, preparePythonCell, pythonCellComments } from '../../core/parsers/python';
import { decodePythonString } from '../../core/parsers/python/strings';
import type { ExprNode, Node, PyCall, ScalarNode, Span } from '../../core/model';
import { loadGrammar } from '../../core/wasm';

beforeAll(async () => {
  await loadGrammar('python');
});

const slice = (src: string, s: Span) => src.slice(s.start, s.end);

function call(src: string, callee: string, cell = 0): PyCall {
  const c = analyzePython(src, cell).calls.find((x) => x.callee === callee);
  if (!c) throw new Error(`no call ${callee} in ${JSON.stringify(src)}`);
  return c;
}

function kw(c: PyCall, key: string): Node {
  const e = c.kwargs.find((k) => k.key === key);
  if (!e) throw new Error(`no kwarg ${key}`);
  return e.value;
}

describe('analyzePython: calls', () => {
  it('AutoModel.from_pretrained with a pinned revision', () => {
    const src = 'from transformers import AutoModel\nm = AutoModel.from_pretrained("org/m", revision="abc")\n';
    const c = call(src, 'AutoModel.from_pretrained', 3);
    expect(slice(src, c.calleeSpan)).toBe('AutoModel.from_pretrained');
    expect(slice(src, c.span)).toBe('AutoModel.from_pretrained("org/m", revision="abc")');
    expect(c.span.cell).toBe(3);
    expect(c.args).toHaveLength(1);
    const a = c.args[0] as ScalarNode;
    expect(a).toMatchObject({ kind: 'scalar', value: 'org/m', path: [0] });
    expect(slice(src, a.span)).toBe('"org/m"');
    expect(slice(src, a.contentSpan!)).toBe('org/m');
    expect(a.span.cell).toBe(3);
    expect(a.contentSpan!.cell).toBe(3);
    const rev = c.kwargs[0];
    expect(rev.key).toBe('revision');
    expect(slice(src, rev.keySpan)).toBe('revision');
    expect(rev.value).toMatchObject({ kind: 'scalar', value: 'abc', path: ['revision'] });
    expect(slice(src, rev.value.span)).toBe('"abc"');
    // insertAt: zero width, right after the last argument
    expect(c.insertAt.start).toBe(c.insertAt.end);
    expect(src.slice(0, c.insertAt.start).endsWith('revision="abc"')).toBe(true);
    expect(src[c.insertAt.start]).toBe(')');
  });

  it('pipeline with a task and a model keyword', () => {
    const src = 'from transformers import pipeline\npipe = pipeline("text-generation", model="org/m")\n';
    const c = call(src, 'pipeline');
    expect((c.args[0] as ScalarNode).value).toBe('text-generation');
    expect((kw(c, 'model') as ScalarNode).value).toBe('org/m');
    const fixed = `${src.slice(0, c.insertAt.start)}, revision="123"${src.slice(c.insertAt.end)}`;
    expect(fixed).toContain('pipeline("text-generation", model="org/m", revision="123")');
  });

  it('hf_hub_download with references and literals', () => {
    const src = 'path = hf_hub_download(repo_id=REPO, filename=cfg.name, token=os.environ["HF_TOKEN"], local_dir=None, force=True, n=-1)';
    const c = call(src, 'hf_hub_download');
    expect(kw(c, 'repo_id')).toMatchObject({ kind: 'expr', text: 'REPO', refs: ['REPO'] });
    expect(kw(c, 'filename')).toMatchObject({ kind: 'expr', text: 'cfg.name', refs: ['cfg.name'] });
    expect(kw(c, 'token')).toMatchObject({ kind: 'expr', text: 'os.environ["HF_TOKEN"]', refs: ['os.environ["HF_TOKEN"]'] });
    expect(kw(c, 'local_dir')).toMatchObject({ kind: 'scalar', value: null });
    expect(kw(c, 'force')).toMatchObject({ kind: 'scalar', value: true });
    expect(kw(c, 'n')).toMatchObject({ kind: 'scalar', value: -1 });
  });

  it('insertAt for empty, trailing-comma and multi-line calls', () => {
    const empty = 'f()';
    expect(call(empty, 'f').insertAt).toEqual({ start: 2, end: 2, cell: 0 });
    const trailing = 'AutoModel.from_pretrained(\n    "org/m",\n    torch_dtype="auto",\n)\n';
    const c = call(trailing, 'AutoModel.from_pretrained');
    const fixed = `${trailing.slice(0, c.insertAt.start)}, revision="abc"${trailing.slice(c.insertAt.start)}`;
    expect(fixed).toBe('AutoModel.from_pretrained(\n    "org/m",\n    torch_dtype="auto", revision="abc",\n)\n');
  });

  it('chained calls use the callee as written; nested calls are calls too', () => {
    const src = 'tok = AutoTokenizer.from_pretrained(name).to(device)\nx = a.b(c(d="q"))\n';
    const r = analyzePython(src, 0);
    const callees = r.calls.map((c) => c.callee);
    expect(callees).toEqual(['AutoTokenizer.from_pretrained(name).to', 'AutoTokenizer.from_pretrained', 'a.b', 'c']);
    const ab = r.calls.find((c) => c.callee === 'a.b')!;
    const inner = ab.args[0] as ExprNode;
    expect(inner).toMatchObject({ kind: 'expr', fn: 'c', text: 'c(d="q")' });
    expect(inner.args?.[0]).toMatchObject({ kind: 'map', entries: [{ key: 'd', value: { kind: 'scalar', value: 'q' } }] });
  });

  it('splats, dicts, lists and f-strings as arguments', () => {
    const src = 'f(*xs, "a" "b", f"{org}/model", f"plain{{x}}", {"k": 1, "n": [1, 2.5]}, **kw)';
    const c = call(src, 'f');
    expect(c.args.map((a) => a.kind)).toEqual(['expr', 'scalar', 'expr', 'scalar', 'map']);
    expect(c.args[0]).toMatchObject({ text: '*xs', refs: ['xs'] });
    expect(c.args[1]).toMatchObject({ value: 'ab' });
    expect(c.args[2]).toMatchObject({ text: 'f"{org}/model"', refs: ['org'], literalParts: ['/model'] });
    expect(c.args[3]).toMatchObject({ value: 'plain{x}' });
    expect(c.args[4]).toMatchObject({
      kind: 'map',
      entries: [
        { key: 'k', value: { kind: 'scalar', value: 1, path: [4, 'k'] } },
        { key: 'n', value: { kind: 'list', items: [{ value: 1, path: [4, 'n', 0] }, { value: 2.5 }] } },
      ],
    });
    expect(c.kwargs).toMatchObject([{ key: '**', value: { kind: 'expr', text: 'kw' } }]);
  });
});

describe('analyzePython: assignments, imports, strings, comments', () => {
  it('os.environ and attribute assignments', () => {
    const src = 'import os, openai\nos.environ["HF_TOKEN"] = "hf_xxx"\nopenai.api_key = "sk-abc"  # airlock:ignore secret/known-token -- test\n';
    const r = analyzePython(src, 1);
    expect(r.assignments.map((a) => a.target)).toEqual(['os.environ["HF_TOKEN"]', 'openai.api_key']);
    const [env, key] = r.assignments;
    expect(slice(src, env.targetSpan)).toBe('os.environ["HF_TOKEN"]');
    expect(env.value).toMatchObject({ kind: 'scalar', value: 'hf_xxx' });
    expect(slice(src, (env.value as ScalarNode).contentSpan!)).toBe('hf_xxx');
    expect(slice(src, key.span)).toBe('openai.api_key = "sk-abc"');
    expect(key.value.span.cell).toBe(1);
    expect(r.imports).toEqual([
      { module: 'os', names: [], span: { start: 0, end: 17, cell: 1 } },
      { module: 'openai', names: [], span: { start: 0, end: 17, cell: 1 } },
    ]);
    expect(r.comments).toHaveLength(1);
    expect(r.comments[0].text).toBe(' airlock:ignore secret/known-token -- test');
    expect(slice(src, r.comments[0].span)).toBe('# airlock:ignore secret/known-token -- test');
    // every string literal, including the subscript key
    expect(r.strings.map((s) => s.value)).toEqual(['HF_TOKEN', 'hf_xxx', 'sk-abc']);
  });

  it('chained, annotated and tuple assignments', () => {
    const src = 'a = b = "x"\ntoken: str = "t"\nu, v = "1", "2"\nw: int\nx += "no"\n';
    const r = analyzePython(src, 0);
    expect(r.assignments.map((a) => [a.target, (a.value as ScalarNode).value])).toEqual([
      ['a', 'x'],
      ['b', 'x'],
      ['token', 't'],
      ['u', '1'],
      ['v', '2'],
    ]);
  });

  it('a dict merged in with |= is assigned; other augmented assignments are not', () => {
    const src = 'os.environ |= {"API_KEY": "k"}\nconfig |= other\nflags |= 4\nx += {"a": "b"}\n';
    const r = analyzePython(src, 0);
    expect(r.assignments.map((a) => [a.target, a.value.kind, slice(src, a.span)])).toEqual([['os.environ', 'map', 'os.environ |= {"API_KEY": "k"}']]);
  });

  it('parameter defaults bind their names inside their function or lambda only', () => {
    const src = 'def f(a, b="x", *, c: str = "y"):\n    def g(d=1):\n        pass\n    return b\nh = lambda e="z": e\nk = "top"\n';
    const r = analyzePython(src, 0);
    expect(r.assignments.map((a) => [a.target, (a.value as ScalarNode).value, a.scope && slice(src, a.scope).split('\n')[0]])).toEqual([
      ['b', 'x', 'def f(a, b="x", *, c: str = "y"):'],
      ['c', 'y', 'def f(a, b="x", *, c: str = "y"):'],
      ['d', 1, 'def g(d=1):'],
      ['h', undefined, undefined],
      ['e', 'z', 'lambda e="z": e'],
      ['k', 'top', undefined],
    ]);
  });

  it('comparisons of a name with a string literal, outside assert', () => {
    const src = 'if password == "a" or "b" != self.token:\n    pass\nassert key == "c"\nif x < "d" or y == z or f() == "e":\n    pass\n';
    const r = analyzePython(src, 0);
    expect(r.comparisons.map((c) => [c.target, (c.value as ScalarNode).value, slice(src, c.span)])).toEqual([
      ['password', 'a', 'password == "a"'],
      ['self.token', 'b', '"b" != self.token'],
    ]);
  });

  it('imports with aliases, from-imports, wildcards, relative', () => {
    const src =
      'import numpy as np\nfrom transformers import AutoModel as AM, pipeline\nfrom x import *\nfrom . import y\nfrom __future__ import annotations\n';
    const r = analyzePython(src, 0);
    expect(r.imports.map(({ module, names, aliases }) => ({ module, names, aliases }))).toEqual([
      { module: 'numpy', names: [], aliases: { np: 'numpy' } },
      { module: 'transformers', names: ['AutoModel', 'pipeline'], aliases: { AM: 'AutoModel' } },
      { module: 'x', names: ['*'], aliases: undefined },
      { module: '.', names: ['y'], aliases: undefined },
      { module: '__future__', names: ['annotations'], aliases: undefined },
    ]);
  });

  it('decodes string escapes and prefixes', () => {
    const src = String.raw`s = ["a\"b", 'it\'s', r"C:\new", b"\x41", "\u00e9\N{DASH}", """tri
ple""", f"lit{x!r:>10}eral"]`;
    const r = analyzePython(src, 0);
    const list = r.assignments[0].value;
    expect(list.kind).toBe('list');
    const values = (list as { items: Node[] }).items.map((n) => (n.kind === 'scalar' ? n.value : (n as ExprNode).literalParts));
    expect(values).toEqual(['a"b', "it's", 'C:\\new', 'A', 'é\\N{DASH}', 'tri\nple', ['lit', 'eral']]);
    // an f-string with interpolations is not a literal: not in `strings`
    expect(r.strings.map((s) => s.value)).toEqual(['a"b', "it's", 'C:\\new', 'A', 'é\\N{DASH}', 'tri\nple']);
    expect(decodePythonString('a\\\nb\\tc\\101', '')).toBe('ab\tcA');
  });

  it('offsets are UTF-16 code units (non-ASCII and emoji before a call)', () => {
    const src = '# café ☕ 😀 — ünïcödé\ns = "é😀"\nm = AutoModel.from_pretrained("😀/m", revision="é")\n';
    const r = analyzePython(src, 0);
    const c = r.calls[0];
    expect(slice(src, c.calleeSpan)).toBe('AutoModel.from_pretrained');
    expect(slice(src, c.args[0].span)).toBe('"😀/m"');
    expect((c.args[0] as ScalarNode).value).toBe('😀/m');
    expect(slice(src, c.kwargs[0].keySpan)).toBe('revision');
    expect(r.strings[0]).toMatchObject({ value: 'é😀' });
    expect(slice(src, r.strings[0].contentSpan!)).toBe('é😀');
    expect(slice(src, r.comments[0].span)).toBe('# café ☕ 😀 — ünïcödé');
  });
});

describe('analyzePython: IPython syntax', () => {
  it('!pip and %pip lines are shell lines, blanked for the parser', () => {
    const src = '!pip install transformers\n  %pip install -q x==1.0  # airlock:ignore pin/x -- ok\nimport os\nfiles = !ls -la\nif True:\n    !echo "a # b"\n';
    const r = analyzePython(src, 2);
    expect(r.shell.map((s) => s.text)).toEqual([
      '!pip install transformers',
      '%pip install -q x==1.0  # airlock:ignore pin/x -- ok',
      '!ls -la',
      '!echo "a # b"',
    ]);
    for (const s of r.shell) expect(slice(src, s.span)).toBe(s.text);
    expect(r.shell[0].span).toEqual({ start: 0, end: 25, cell: 2 });
    expect(r.imports.map((i) => i.module)).toEqual(['os']);
    expect(r.calls).toEqual([]);
    expect(r.comments.map((c) => c.text)).toEqual([' airlock:ignore pin/x -- ok']);
  });

  it('does not take % or ! inside strings and brackets for magics', () => {
    const src = 'x = """\n!not a command\n%nor this\n"""\ny = (10\n  % 3)\nz = "a" \\\n  "b"\n';
    const r = analyzePython(src, 0);
    expect(r.shell).toEqual([]);
    expect(r.assignments.map((a) => a.target)).toEqual(['x', 'y', 'z']);
    expect((r.assignments[0].value as ScalarNode).value).toBe('\n!not a command\n%nor this\n');
  });

  it('continues a shell line over trailing backslashes', () => {
    const src = '!pip install \\\n    torch \\\n    transformers\nprint("done")\n';
    const r = analyzePython(src, 0);
    expect(r.shell.map((s) => s.text)).toEqual(['!pip install \\\n    torch \\\n    transformers']);
    expect(r.calls.map((c) => c.callee)).toEqual(['print']);
  });

  it('%%bash cells are all shell', () => {
    const src = '%%bash\n# setup\npip install transformers\nhuggingface-cli login --token hf_abc \\\n  --add-to-git-credential\n\necho done # bye\n';
    const r = analyzePython(src, 0);
    expect(r.shell.map((s) => s.text)).toEqual([
      '%%bash',
      'pip install transformers',
      'huggingface-cli login --token hf_abc \\\n  --add-to-git-credential',
      'echo done # bye',
    ]);
    for (const s of r.shell) expect(slice(src, s.span)).toBe(s.text);
    expect(r.comments.map((c) => c.text)).toEqual([' setup', ' bye']);
    expect(r.calls).toEqual([]);
    expect(r.strings).toEqual([]);
  });

  it('%%time / %%capture cells: the magic line is skipped, the body is Python', () => {
    for (const magic of ['%%time', '%%capture out', '%%writefile train.py']) {
      const src = `${magic}\nmodel = AutoModel.from_pretrained("org/m")\n!nvidia-smi\n`;
      const r = analyzePython(src, 0);
      expect(r.shell.map((s) => s.text)).toEqual([magic, '!nvidia-smi']);
      expect(r.calls.map((c) => c.callee)).toEqual(['AutoModel.from_pretrained']);
      expect(slice(src, r.calls[0].args[0].span)).toBe('"org/m"');
    }
  });

  it('other cell magics (%%bigquery, %%html, %%writefile of non-Python) are not analysed', () => {
    for (const magic of ['%%bigquery df', '%%html', '%%writefile Dockerfile']) {
      const r = analyzePython(`${magic}\nSELECT COUNT(*) FROM t\n`, 0);
      expect(r.shell.map((s) => s.text)).toEqual([magic]);
      expect(r.calls).toEqual([]);
    }
  });

  it('help lines are ignored', () => {
    const r = analyzePython('AutoModel.from_pretrained?\nx = 1\n', 0);
    expect(r.assignments).toHaveLength(1);
    expect(r.calls).toEqual([]);
  });
});

describe('analyzePython: broken code', () => {
  it('keeps what it can from cells with syntax errors', () => {
    const src = `def f(:\n    pass\nm = AutoModel.from_pretrained("org/m"\ntok = "hf_${'x'.repeat(10)}"\nopenai.api_key = "sk-1"\n`;
    const r = analyzePython(src, 0);
    const c = r.calls.find((x) => x.callee === 'AutoModel.from_pretrained');
    expect(c).toBeDefined();
    expect((c!.args[0] as ScalarNode).value).toBe('org/m');
    expect(r.strings.map((s) => s.value)).toContain('sk-1');
  });

  it('never throws on odd input', () => {
    for (const src of ['', '\n\n', '%%', '%%bash', '!', '"""unterminated', 'f(', ')))', '\u0000\uffff\ud800', 'x = f"{', 'a = b = ', '\r\n!ls\r\nx = 1\r\n']) {
      expect(() => analyzePython(src, 0)).not.toThrow();
    }
    const r = analyzePython('\r\n!ls\r\nx = 1\r\n', 0);
    expect(r.shell.map((s) => s.text)).toEqual(['!ls']);
    expect(r.assignments.map((a) => a.target)).toEqual(['x']);
  });
});

describe('analyzePython: comments and blocks around magics', () => {
  it('a magic alone in a block keeps the rest of the cell parseable', () => {
    const src = 'try:\n    import peft\nexcept ImportError:\n    !pip install peft\n    %pip install x\nmodel = AutoModel.from_pretrained("org/m")\n';
    const r = analyzePython(src, 0);
    expect(r.shell.map((s) => s.text)).toEqual(['!pip install peft', '%pip install x']);
    expect(r.calls.map((c) => c.callee)).toEqual(['AutoModel.from_pretrained']);
    expect(r.imports.map((i) => i.module)).toEqual(['peft']);
  });

  it('comments come from a tokenizer: `#` inside strings is not a comment', () => {
    const src = 'x = "a # b"  # real\ny = """\n# in a docstring\n"""\n!ls # shell comment\n';
    const r = analyzePython(src, 4);
    expect(r.comments.map((c) => c.text)).toEqual([' real', ' shell comment']);
    for (const c of r.comments) expect(src.slice(c.span.start, c.span.end)).toBe(`#${c.text}`);
    expect(pythonCellComments(src, 4)).toEqual(r.comments);
    const prepared = preparePythonCell(src, 4);
    expect(prepared.comments).toEqual(r.comments);
    expect(prepared.analyze()).toBe(prepared.analyze());
    expect(prepared.analyze().assignments.map((a) => a.target)).toEqual(['x', 'y']);
  });

  it('%%sh and %%script bash are shell cells; %%script python is Python', () => {
    expect(analyzePython('%%sh\nls -la\n', 0).shell.map((s) => s.text)).toEqual(['%%sh', 'ls -la']);
    expect(analyzePython('%%script bash\nls\n', 0).shell.map((s) => s.text)).toEqual(['%%script bash', 'ls']);
    expect(analyzePython('%%script python3\nf(1)\n', 0).calls.map((c) => c.callee)).toEqual(['f']);
    expect(analyzePython('%%script perl\nprint("x")\n', 0)).toMatchObject({ calls: [], shell: [{ text: '%%script perl' }] });
  });
});
