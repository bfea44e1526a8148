import { describe, expect, it } from 'vitest';
import type { Cell, ParsedFile } from '../../core/model';
import { convertFindings } from '../../core/report/convert';
import type { Finding } from '../../core/rule';
import { LINEAR_GROWTH_LIMIT, growthFrom } from './scaling';

/** A one-line text file with `n` findings, one per word (a minified template, a long `!pip install`). */
function oneLine(n: number): { file: ParsedFile; findings: Finding[] } {
  const words = Array.from({ length: n }, (_, i) => `pkg${i}`);
  const text = `!pip install ${words.join(' ')}\n`;
  const findings: Finding[] = [];
  let at = '!pip install '.length;
  for (const w of words) {
    findings.push({
      ruleId: 'pin/pip-unpinned',
      family: 'pin',
      severity: 'warning',
      message: 'unpinned',
      uri: '/p/a.txt',
      span: { start: at, end: at + w.length },
    });
    at += w.length + 1;
  }
  const file: ParsedFile = { uri: '/p/a.txt', format: 'text', text, resources: [], roots: [], comments: [], problems: [], toFileSpan: (s) => s };
  return { file, findings };
}

describe('fingerprints', () => {
  it('cost the same per finding however long the line is', () => {
    const ratio = growthFrom(10000, (n) => {
      const { file, findings } = oneLine(n);
      convertFindings(file, findings, { root: '/p' });
    });
    expect(ratio).toBeLessThan(LINEAR_GROWTH_LIMIT);
  });

  it('differ per finding on one long line, and depend neither on the flagged value nor on text far away on the line', () => {
    const { file, findings } = oneLine(3000);
    const prints = convertFindings(file, findings, { root: '/p' }).map((f) => f.fingerprint);
    expect(new Set(prints).size).toBe(prints.length);
    const other = { ...file, text: file.text.replace('pkg1500 ', 'xyz1500 ') };
    const again = convertFindings(other, findings, { root: '/p' }).map((f) => f.fingerprint);
    expect(again[1500]).toBe(prints[1500]);
    expect(again[0]).toBe(prints[0]);
    expect(again[2999]).toBe(prints[2999]);
    expect(again[1499]).not.toBe(prints[1499]);
  });

  it('on a short line are the hash of the line without the flagged value', async () => {
    const text = 'password = "hunter2-very-secret"\n';
    const file: ParsedFile = { uri: '/p/a.tf', format: 'text', text, resources: [], roots: [], comments: [], problems: [], toFileSpan: (s) => s };
    const finding: Finding = { ruleId: 'r/x', family: 'secret', severity: 'error', message: 'm', uri: '/p/a.tf', span: { start: 12, end: 31 } };
    const { createHash } = await import('node:crypto');
    const expected = createHash('sha256').update('r/x\0a.tf\0password = ""').digest('hex');
    expect(convertFindings(file, [finding], { root: '/p' })[0].fingerprint).toBe(expected);
  });

  it('of a notebook cost the same per finding however many cells it has', () => {
    const ratio = growthFrom(20000, (n) => {
      const cells: Cell[] = Array.from({ length: n }, (_, index) => ({
        index,
        kind: 'code',
        language: 'python',
        source: `!pip install pkg${index}`,
        outputs: [],
        tags: [],
        comments: [],
      }));
      const file: ParsedFile = {
        uri: '/p/n.ipynb',
        format: 'notebook',
        text: '{}',
        resources: [],
        roots: [],
        comments: [],
        problems: [],
        cells,
        toFileSpan: () => ({ start: 0, end: 0 }),
      };
      const findings: Finding[] = cells.map((c) => ({
        ruleId: 'pin/pip-unpinned',
        family: 'pin',
        severity: 'warning',
        message: 'unpinned',
        uri: file.uri,
        span: { start: 13, end: c.source.length, cell: c.index },
      }));
      convertFindings(file, findings, { root: '/p' });
    });
    expect(ratio).toBeLessThan(LINEAR_GROWTH_LIMIT);
  });
});
