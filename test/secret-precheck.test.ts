/**
 * The token pre-check (`mayContainToken`) must never hide a secretlint finding: over every secret rule
 * fixture and, when present, the labeled corpus, each text secretlint flags must pass the pre-check.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { mayContainToken, parseFile, scanTokens } from '../core';

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
        }
      }
    }
    expect(hits).toBeGreaterThan(10);
    expect(missed).toEqual([]);
  }, 60_000);
});
