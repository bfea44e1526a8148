/**
 * Bad input never crashes the engine: every example and rule fixture, truncated at random points, with
 * random bytes spliced in, with lines dropped or duplicated, goes through parse + every rule. The model may
 * be partial and problems may be reported; no adapter or rule may throw, and every span stays inside its text.
 * Deterministic (seeded), so a failure reproduces.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze, parseFile, type ParsedFile, type Span } from '../core';
import { RULES } from '../rules';
import { files, prng } from './fuzz-support';

const ROOT = path.resolve(__dirname, '..');

const SPLICES = ['"', "'", '{', '}', '[', ']', '${', '<<EOF\n', ':', '\n  - ', '\t', '\\', '\u0000', '\uFFFD', '😀', '!Ref', '#', '\r\n', '---\n', '*'];

function mutations(text: string, rand: () => number): string[] {
  const out: string[] = [];
  const at = () => Math.floor(rand() * (text.length + 1));
  for (let i = 0; i < 6; i++) out.push(text.slice(0, at()));
  for (let i = 0; i < 6; i++) {
    const p = at();
    out.push(text.slice(0, p) + SPLICES[Math.floor(rand() * SPLICES.length)] + text.slice(p));
  }
  const lines = text.split('\n');
  for (let i = 0; i < 3; i++) {
    const l = Math.floor(rand() * lines.length);
    out.push([...lines.slice(0, l), ...lines.slice(l + 1)].join('\n'));
    out.push([...lines.slice(0, l), lines[l], ...lines.slice(l)].join('\n'));
  }
  let bytes = '';
  for (let i = 0; i < 256; i++) bytes += String.fromCharCode(Math.floor(rand() * 256));
  out.push(bytes, text + bytes, '', '\n\n\n', text.replace(/\n/g, '\r'));
  return out;
}

function inBounds(file: ParsedFile, span: Span): boolean {
  if (span.start > span.end || span.start < 0) return false;
  if (span.cell === undefined) return span.end <= file.text.length;
  const cell = file.cells?.[span.cell];
  if (!cell) return false;
  const text = span.output === undefined ? cell.source : cell.outputs[span.output]?.text;
  return text !== undefined && span.end <= text.length;
}

const inputs = [
  ...files(path.join(ROOT, 'examples')),
  ...files(path.join(ROOT, 'rules')).filter((f) => f.includes(`${path.sep}fixtures${path.sep}`) && !f.endsWith('expected.json')),
];

describe('malformed input', () => {
  it.each(inputs.map((f) => [path.relative(ROOT, f), f]))('%s: mutated copies parse and analyze without throwing', async (_name, file) => {
    const text = readFileSync(file, 'utf8');
    const rand = prng(text.length);
    for (const mutated of mutations(text, rand)) {
      const parsed = await parseFile(file, mutated);
      const { findings, failures } = await analyze(parsed, { rules: RULES, config: { rules: { '*': 'on' }, ignore: [], maxFileSize: 1e9 } });
      expect(failures, `${file}: a rule threw on a mutated copy`).toEqual([]);
      for (const f of findings) expect(inBounds(parsed, f.span), `${f.ruleId} span out of bounds`).toBe(true);
      for (const p of parsed.problems) expect(p.message.length).toBeGreaterThan(0);
    }
  });
});
