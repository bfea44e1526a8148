/** The unified diff `airlock pin` prints (cli/diff.ts): hunks from known edits, context, line counts. */
import { describe, expect, it } from 'vitest';
import { unifiedDiff } from '../../cli/diff';

const lines = (n: number) => Array.from({ length: n }, (_, i) => `line ${i + 1}`).join('\n');

describe('unifiedDiff', () => {
  it('shows three lines of context and counts the lines of each side', () => {
    const text = `${lines(10)}\n`;
    const at = text.indexOf('line 5') + 'line 5'.length;
    expect(unifiedDiff('f.py', text, [{ start: at, end: at, newText: ', pinned' }])).toBe(
      '--- a/f.py\n+++ b/f.py\n@@ -2,7 +2,7 @@\n line 2\n line 3\n line 4\n-line 5\n+line 5, pinned\n line 6\n line 7\n line 8\n',
    );
  });

  it('makes separate hunks for distant edits and one for near ones, and follows added lines', () => {
    const text = `${lines(30)}\n`;
    const end = (n: number) => text.indexOf(`line ${n}\n`) + `line ${n}`.length;
    const diff = unifiedDiff('f.yaml', text, [
      { start: end(2), end: end(2), newText: '\nadded' },
      { start: end(4), end: end(4), newText: '!' },
      { start: end(20), end: end(20), newText: '?' },
    ]);
    expect(diff.split('\n').filter((l) => l.startsWith('@@'))).toEqual(['@@ -1,7 +1,8 @@', '@@ -17,7 +18,7 @@']);
    expect(diff).toContain('-line 2\n+line 2\n+added\n line 3\n-line 4\n+line 4!\n');
  });

  it('keeps a CR of CRLF lines, handles the last line without a line ending, and drops a repeated edit', () => {
    expect(unifiedDiff('w.py', 'a\r\nb\r\n', [{ start: 1, end: 1, newText: 'x' }])).toBe('--- a/w.py\n+++ b/w.py\n@@ -1,2 +1,2 @@\n-a\r\n+ax\r\n b\r\n');
    const edit = { start: 3, end: 3, newText: 'y' };
    expect(unifiedDiff('n.py', 'a\nb', [edit, { ...edit }])).toBe('--- a/n.py\n+++ b/n.py\n@@ -1,2 +1,2 @@\n a\n-b\n+by\n');
    expect(unifiedDiff('e.py', 'a\n', [])).toBe('');
  });
});
