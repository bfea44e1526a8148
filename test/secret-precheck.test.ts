/**
 * The token pre-checks must never hide a secretlint finding: over every secret rule fixture and, when present,
 * the labeled corpus, each text secretlint flags must pass the pre-check (`mayContainToken`), and the run with
 * only the preset rules whose substrings the text holds must find what the whole preset finds.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cellPython, isScalar, mayContainToken, parseFile, scanTokens, walk, type Cell, type Node } from '../core';
import { mayHoldSecretKey } from '../rules/secret/lib/key-prefilter';
import { isSecretKey } from '../rules/secret/lib/keys';

const ROOT = path.resolve(__dirname, '..');

function* files(dir: string): Generator<string> {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) yield* files(p);
    else if (st.size < 1_000_000) yield p;
  }
}

/** The texts `secret/known-token` scans, with the file name it passes (none for notebook cells and outputs). */
async function textsOf(file: string): Promise<[string, string | undefined][]> {
  const buf = readFileSync(file);
  if (buf.includes(0)) return [];
  const text = buf.toString('utf8');
  if (!file.endsWith('.ipynb')) return [[text, file]];
  const parsed = await parseFile(file, text);
  return [[text, file], ...(parsed.cells ?? []).flatMap((c) => [c.source, ...c.outputs.map((o) => o.text)].map((t): [string, undefined] => [t, undefined]))];
}

describe('token pre-check', () => {
  it('keeps every secretlint hit in the fixtures and the labeled corpus', async () => {
    const roots = [path.join(ROOT, 'rules', 'secret'), path.join(ROOT, '..', 'shared', 'corpus', 'labeled')];
    const missed: string[] = [];
    let hits = 0;
    for (const root of roots) {
      for (const file of files(root)) {
        for (const [text, name] of await textsOf(file)) {
          const found = await scanTokens(text, name, { precheck: false });
          hits += found.length;
          if (found.length && !mayContainToken(text, name)) missed.push(`${path.relative(ROOT, file)}: ${found.map((h) => h.source).join(', ')}`);
          const gated = await scanTokens(text, name);
          if (JSON.stringify(gated) !== JSON.stringify(found))
            missed.push(`${path.relative(ROOT, file)}: ${JSON.stringify(found)} but with only the rules pre-checked ${JSON.stringify(gated)}`);
        }
      }
    }
    expect(hits).toBeGreaterThan(10);
    expect(missed).toEqual([]);
  }, 60_000);
});

/** Every key a notebook cell's structure can hand `isSecretKey` (as `secret/hardcoded-password` reads them). */
function cellKeys(cell: Cell): string[] {
  const py = cellPython(cell);
  if (!py) return [];
  const keys: string[] = [];
  const values: Node[] = [];
  for (const a of py.assignments) {
    const sub = /\[\s*["']([^"']+)["']\s*\]$/.exec(a.target);
    keys.push(a.target, sub ? sub[1] : a.target.slice(a.target.lastIndexOf('.') + 1));
    values.push(a.value);
  }
  for (const call of py.calls) {
    for (const kw of call.kwargs) {
      keys.push(kw.key);
      values.push(kw.value);
    }
    for (const arg of call.args) {
      values.push(arg);
      if (isScalar(arg) && typeof arg.value === 'string') keys.push(arg.value);
    }
  }
  for (const v of values) for (const w of walk(v)) if (w.entry) keys.push(w.entry.key);
  return keys;
}

describe('secret key pre-check (notebook cells)', () => {
  it('passes every cell that has a secret key, in the fixtures and the labeled corpus', async () => {
    const roots = [path.join(ROOT, 'rules'), path.join(ROOT, 'test', 'fixtures'), path.join(ROOT, '..', 'shared', 'corpus', 'labeled')];
    const missed: string[] = [];
    let withKeys = 0;
    for (const root of roots) {
      for (const file of files(root)) {
        if (!file.endsWith('.ipynb')) continue;
        const parsed = await parseFile(file, readFileSync(file, 'utf8'));
        for (const cell of parsed.cells ?? []) {
          const secret = cellKeys(cell).filter(isSecretKey);
          if (secret.length === 0) continue;
          withKeys++;
          if (!mayHoldSecretKey(cell.source)) missed.push(`${path.relative(ROOT, file)} cell ${cell.index}: ${secret.join(', ')}`);
        }
      }
    }
    expect(withKeys).toBeGreaterThan(10);
    expect(missed).toEqual([]);
  }, 60_000);

  it('sees keys spelled with escapes or joined from adjacent literals, and no key in plain escapes', () => {
    for (const source of [
      'd = {"pass\\x77ord": "x"}',
      'd = {"pass\\167ord": "x"}',
      'd = {"pass\\u0077ord": "x"}',
      'd = {"pass\\U00000077ord": "x"}',
      'd = {"pass\\N{LATIN SMALL LETTER W}ord": "x"}',
      'd = {"pass\\\nword": "x"}',
      'd = {"api_" "key": "x"}',
      "d = {'to' 'ken': 'x'}",
      'd = {"pas" "s" "word": "x"}',
      'os.environ["HF_TOKEN"] = "x"',
      'login(token="x")',
      'k = "\\x41"',
    ]) {
      expect(mayHoldSecretKey(source), source).toBe(true);
    }
    for (const source of ['print("a\\nb\\t\\"c\\"")', 'x = "tokenizer"', "s = 'abc' 'def'", 'f(x=1)', '']) {
      expect(mayHoldSecretKey(source), source).toBe(false);
    }
  });
});
