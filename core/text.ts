/** Offset ↔ line/column conversion. Lines and columns are 0-based here; writers add 1 where a format wants it. */

export interface Position {
  line: number;
  character: number;
}

export class LineIndex {
  private readonly starts: number[];

  constructor(private readonly text: string) {
    const starts = [0];
    if (!text.includes('\r')) {
      // `indexOf` finds a character at memory speed; a loop over char codes is ten times slower on a
      // notebook's megabytes of outputs.
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    } else {
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === 10) starts.push(i + 1);
        else if (c === 13 && text.charCodeAt(i + 1) !== 10) starts.push(i + 1);
      }
    }
    this.starts = starts;
  }

  get lineCount(): number {
    return this.starts.length;
  }

  position(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - this.starts[lo] };
  }

  offset(pos: Position): number {
    if (pos.line >= this.starts.length) return this.text.length;
    const start = this.starts[Math.max(0, pos.line)];
    const end = pos.line + 1 < this.starts.length ? this.starts[pos.line + 1] : this.text.length;
    return Math.min(start + pos.character, end);
  }

  lineStart(line: number): number {
    return this.starts[Math.max(0, Math.min(line, this.starts.length - 1))];
  }

  /** End of the line's content, before its line break. */
  lineEnd(line: number): number {
    if (line + 1 >= this.starts.length) return this.text.length;
    let end = this.starts[line + 1] - 1;
    if (end > 0 && this.text.charCodeAt(end - 1) === 13 && this.text.charCodeAt(end) === 10) end--;
    return end;
  }
}

/** The last few indexes built by `lineIndexOf`, most recent last. */
const recentIndexes: { text: string; index: LineIndex }[] = [];

/**
 * A `LineIndex` of `text`, shared with earlier callers that asked for the same text: building one scans the
 * whole text, so code that needs positions for many findings of a file should not build one per finding.
 * Keeps the four used last (a text is usually the same string object, compared in constant time).
 */
export function lineIndexOf(text: string): LineIndex {
  for (let i = recentIndexes.length - 1; i >= 0; i--) {
    const hit = recentIndexes[i];
    if (hit.text !== text) continue;
    // Most recently used last: a notebook's own text stays while its findings' cells come and go.
    if (i !== recentIndexes.length - 1) recentIndexes.push(...recentIndexes.splice(i, 1));
    return hit.index;
  }
  const index = new LineIndex(text);
  recentIndexes.push({ text, index });
  if (recentIndexes.length > 4) recentIndexes.shift();
  return index;
}

/**
 * A copy of `s` that does not keep alive the text it was cut from, for a string kept in a long-lived cache.
 * V8 represents a slice of a long string (`slice`, `substring`, a regex match) as a view into the whole string,
 * so a key sliced from a file and kept in a cache holds the whole file. A concatenation is flattened into a new
 * string when it is sliced: the result is a view into that copy only.
 */
export function detachedCopy(s: string): string {
  return ` ${s}`.slice(1);
}
