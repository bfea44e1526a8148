import { applyEdits, type FileEdit } from '../core/fix';

/**
 * A unified diff (`git apply -p1` reads it) of the edits a command makes to one text. The edits are known,
 * so the changed lines are exactly those they touch: no line-matching algorithm is needed. Edits are taken
 * as `applyEdits` takes them (an overlapping one dropped, a repeated one made once).
 */

const CONTEXT = 3;

interface Block {
  /** First and last old line the block's edits touch (0-based); edits on adjacent lines share a block. */
  first: number;
  last: number;
  edits: FileEdit[];
}

/** Lines of a text, each without its `\n` (a `\r` before it stays: `git apply` matches lines whole); `starts[i]` is where line `i` starts (and where text after a final line ending would). */
function linesOf(text: string): { lines: string[]; starts: number[] } {
  const lines: string[] = [];
  const starts: number[] = [];
  let at = 0;
  for (;;) {
    starts.push(at);
    const nl = text.indexOf('\n', at);
    const end = nl < 0 ? text.length : nl;
    lines.push(text.slice(at, end));
    if (nl < 0) break;
    at = nl + 1;
  }
  // A final line ending ends the last line; it does not start another (an insertion there still has a start).
  if (lines.length > 1 && at === text.length) lines.pop();
  return { lines, starts };
}

function lineOf(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The edits `applyEdits` applies, in text order. */
function accepted(edits: readonly FileEdit[]): FileEdit[] {
  const out: FileEdit[] = [];
  for (const e of edits) {
    const clash = out.some((a) => (e.start < a.end && a.start < e.end) || (a.start === e.start && a.end === e.end && a.newText === e.newText));
    if (!clash) out.push(e);
  }
  return out.sort((a, b) => a.start - b.start || a.end - b.end);
}

export function unifiedDiff(name: string, text: string, edits: readonly FileEdit[]): string {
  const { lines, starts } = linesOf(text);
  const blocks: Block[] = [];
  for (const e of accepted(edits)) {
    const first = lineOf(starts, e.start);
    const last = lineOf(starts, Math.max(e.start, e.end - 1));
    const previous = blocks[blocks.length - 1];
    if (previous && first <= previous.last + 1) {
      previous.last = Math.max(previous.last, last);
      previous.edits.push(e);
    } else blocks.push({ first, last, edits: [e] });
  }
  if (!blocks.length) return '';
  const out = [`--- a/${name}`, `+++ b/${name}`];
  let shift = 0;
  for (let i = 0; i < blocks.length; ) {
    // A hunk: blocks whose context lines touch or overlap.
    let j = i;
    while (j + 1 < blocks.length && blocks[j + 1].first - blocks[j].last - 1 <= 2 * CONTEXT) j++;
    const from = Math.max(0, blocks[i].first - CONTEXT);
    const to = Math.min(lines.length - 1, blocks[j].last + CONTEXT);
    const body: string[] = [];
    let added = 0;
    let line = from;
    for (let k = i; k <= j; k++) {
      const b = blocks[k];
      for (; line < b.first; line++) body.push(` ${lines[line]}`);
      const start = starts[b.first];
      const end = b.last + 1 < starts.length ? starts[b.last + 1] : text.length;
      const changed = applyEdits(
        text.slice(start, end),
        b.edits.map((e) => ({ ...e, start: e.start - start, end: e.end - start })),
      );
      const newLines = linesOf(changed.replace(/\n$/, '')).lines;
      for (; line <= b.last; line++) if (line < lines.length) body.push(`-${lines[line]}`);
      for (const l of newLines) body.push(`+${l}`);
      added += newLines.length - (Math.min(b.last, lines.length - 1) - b.first + 1);
    }
    for (; line <= to; line++) body.push(` ${lines[line]}`);
    const oldCount = to - from + 1;
    out.push(`@@ -${from + 1},${oldCount} +${from + 1 + shift},${oldCount + added} @@`, ...body);
    shift += added;
    i = j + 1;
  }
  return `${out.join('\n')}\n`;
}
