import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseTree, type Node as JsonNode, type ParseError } from 'jsonc-parser';
import { describe, expect, it } from 'vitest';
import { parseJsonTree } from '../../core/json-tree';

/** A tree as plain data, checking every `parent` link on the way. */
function plain(n: JsonNode | undefined, parent?: JsonNode): unknown {
  if (!n) return n;
  expect(n.parent).toBe(parent);
  const o: Record<string, unknown> = { type: n.type, offset: n.offset, length: n.length };
  if ('value' in n) o.value = n.value;
  if ('colonOffset' in n) o.colonOffset = n.colonOffset;
  if (n.children) o.children = n.children.map((c) => plain(c, n));
  return o;
}

const OPTIONS = { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true };

function same(text: string): void {
  const e1: ParseError[] = [];
  const e2: ParseError[] = [];
  expect(plain(parseJsonTree(text, e2, OPTIONS))).toEqual(plain(parseTree(text, e1, OPTIONS)));
  expect(e2).toEqual(e1);
}

describe('parseJsonTree: the same tree as jsonc-parser, faster on valid JSON', () => {
  it('valid JSON: every value type, escapes, nesting, whitespace, duplicate keys', () => {
    same('{"a": 1, "b": [true, false, null, -1.5e3, 0, "x"], "c": {}, "d": [], "e": {"f": {"g": []}}}');
    same('  \r\n\t{ "k" :\n\t"v" , "k" : "w" }  \n');
    same('["q\\"uote", "back\\\\", "\\\\", "\\u00e9\\n\\t", "\\/", "end\\\\\\"x", "😀 é"]');
    same('"just a string"');
    same('42');
    same('[[[[[]]]], {"": ""}]');
    same(JSON.stringify({ cells: [{ source: ['line 1\n', 'say "hi"\\n'], outputs: [{ data: { 'image/png': 'iVBOR'.repeat(1000) } }] }] }, null, 1));
  });

  it('anything else goes to jsonc-parser: comments, trailing commas, errors, empty text', () => {
    same('{"a": 1, // comment\n "b": 2,}');
    same('{"a": [1, 2,], }');
    same('{"a": ');
    same('{"a" "b"}');
    same('');
    same('   ');
    same('{"tab\tinside": 1}');
  });

  it('matches jsonc-parser on notebooks and JSON files of the corpus (a sample)', () => {
    const root = path.resolve(__dirname, '../../../shared/corpus');
    if (!existsSync(root)) return;
    const files: string[] = [];
    const visit = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) visit(p);
        else if (/\.(ipynb|json)$/.test(e.name) && files.length < 80) files.push(p);
      }
    };
    visit(root);
    for (const f of files) same(readFileSync(f, 'utf8').replace(/^\uFEFF/, ''));
  });
});
