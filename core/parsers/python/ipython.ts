import type { Comment, ShellLine, Span } from '../../model';

/**
 * The IPython pre-pass over a notebook code cell: `!shell` and `%magic` lines, `%%` cell magics, `?` help lines
 * and line continuations. Shell lines and their comments are kept; what is not Python is blanked (same offsets)
 * so tree-sitter-python parses the rest.
 */

/** Cell magics whose body is shell script. */
const SHELL_CELL_MAGICS = new Set(['bash', 'sh', 'zsh', 'system', '!']);
/** Cell magics whose body is Python run by the kernel. */
const PYTHON_CELL_MAGICS = new Set(['time', 'timeit', 'capture', 'prun', 'debug', 'python', 'python3', 'python2', 'pypy', 'memit', 'mprun', 'px', 'scalene']);

export interface Prepared {
  /** The source with IPython-only lines blanked; `undefined` when nothing is left to parse. */
  code: string | undefined;
  shell: ShellLine[];
  comments: Comment[];
}

const LINE_MAGIC = /^[ \t]*([!%])/;
/** `files = !ls`, `x, y = %sx cmd` — assignment from a shell command or line magic. */
const ASSIGN_MAGIC = /^[ \t]*[A-Za-z_][\w.]*(?:[ \t]*,[ \t]*[A-Za-z_][\w.]*)*[ \t]*=[ \t]*(?=[!%][^=])/;
/** `obj?`, `obj??`, `?obj` help lines. */
const HELP_LINE = /^[ \t]*(?:\?{1,2}[ \t]*[A-Za-z_][\w.]*|[A-Za-z_][\w.]*[ \t]*\?{1,2})[ \t]*$/;
const CELL_MAGIC = /^[ \t]*%%(\S*)[ \t]*(.*)$/;

/** A span in a cell's source (`cell` set) or in a Python file (`cell` undefined: file offsets). */
export function spanIn(start: number, end: number, cell: number | undefined): Span {
  return cell === undefined ? { start, end } : { start, end, cell };
}

interface Line {
  start: number;
  /** End of content, before `\r?\n`. */
  end: number;
}

function splitLines(src: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  while (start <= src.length) {
    const nl = src.indexOf('\n', start);
    const brk = nl < 0 ? src.length : nl;
    const end = brk > start && src.charCodeAt(brk - 1) === 13 ? brk - 1 : brk;
    lines.push({ start, end });
    if (nl < 0) break;
    start = nl + 1;
  }
  return lines;
}

function endsWithBackslash(src: string, line: Line): boolean {
  let e = line.end;
  while (e > line.start && (src[e - 1] === ' ' || src[e - 1] === '\t')) e--;
  return e > line.start && src[e - 1] === '\\';
}

export function prepareIPython(src: string, cell: number | undefined): Prepared {
  const lines = splitLines(src);
  const shell: ShellLine[] = [];
  const comments: Comment[] = [];
  /**
   * Ranges to blank. With `stmt`, the first non-blank character becomes `0`: an expression statement, so a
   * magic that is the only statement of a block (`except ImportError:\n    !pip install x`) leaves valid Python.
   */
  const blank: { s: number; e: number; stmt: boolean }[] = [];

  // Shell text from `from` to the end of line `li`, continued over lines ending with `\`; returns the last line index.
  const takeShell = (li: number, from: number): number => {
    let last = li;
    while (last + 1 < lines.length && endsWithBackslash(src, lines[last])) last++;
    const end = lines[last].end;
    shell.push({ text: src.slice(from, end), span: spanIn(from, end, cell) });
    for (let k = li; k <= last; k++) shellComments(src, k === li ? from : lines[k].start, lines[k].end, cell, comments);
    blank.push({ s: lines[li].start, e: end, stmt: true });
    return last;
  };

  let first = 0;
  while (first < lines.length && !/\S/.test(src.slice(lines[first].start, lines[first].end))) first++;
  let bodyKind: 'python' | 'shell' | 'other' = 'python';
  let startLine = 0;
  if (first < lines.length) {
    const l = lines[first];
    const m = CELL_MAGIC.exec(src.slice(l.start, l.end));
    if (m) {
      const name = m[1];
      const args = m[2].trim();
      const from = l.start + src.slice(l.start, l.end).indexOf('%%');
      shell.push({ text: src.slice(from, l.end), span: spanIn(from, l.end, cell) });
      shellComments(src, from, l.end, cell, comments);
      blank.push({ s: l.start, e: l.end, stmt: false });
      startLine = first + 1;
      if (name === 'script') {
        const program = args.split(/\s+/).find((a) => !a.startsWith('-')) ?? '';
        const base = program.slice(program.lastIndexOf('/') + 1);
        bodyKind = /^(python|pypy)/.test(base) ? 'python' : /^(ba|z|k|c|tc|da)?sh$/.test(base) ? 'shell' : 'other';
      } else if (SHELL_CELL_MAGICS.has(name)) bodyKind = 'shell';
      else if (PYTHON_CELL_MAGICS.has(name)) bodyKind = 'python';
      else if ((name === 'writefile' || name === 'file') && /\.pyw?["']?$/.test(args)) bodyKind = 'python';
      else bodyKind = 'other';
    }
  }

  if (bodyKind === 'shell') {
    for (let li = startLine; li < lines.length; li++) {
      const l = lines[li];
      const text = src.slice(l.start, l.end);
      const ind = text.search(/\S/);
      if (ind < 0) continue;
      if (text[ind] === '#') {
        comments.push({ span: spanIn(l.start + ind, l.end, cell), text: text.slice(ind + 1) });
        continue;
      }
      li = takeShell(li, l.start + ind);
    }
    return { code: undefined, shell, comments };
  }
  if (bodyKind === 'other') return { code: undefined, shell, comments };

  // Python body: find logical line starts with a small tokenizer (strings, brackets, continuations).
  let depth = 0;
  let quote = ''; // open string delimiter: ', ", ''' or """
  let continued = false;
  for (let li = startLine; li < lines.length; li++) {
    const l = lines[li];
    if (depth === 0 && quote === '' && !continued) {
      const text = src.slice(l.start, l.end);
      const am = ASSIGN_MAGIC.exec(text);
      if (am) {
        li = takeShell(li, l.start + am[0].length);
        continue;
      }
      const mm = LINE_MAGIC.exec(text);
      if (mm) {
        li = takeShell(li, l.start + mm[0].length - 1);
        continue;
      }
      if (HELP_LINE.test(text)) {
        blank.push({ s: l.start, e: l.end, stmt: true });
        continue;
      }
    }
    // Scan the line.
    let i = l.start;
    continued = false;
    while (i < l.end) {
      const c = src[i];
      if (quote !== '') {
        if (c === '\\') {
          i += 2;
          continue;
        }
        if (src.startsWith(quote, i)) {
          i += quote.length;
          quote = '';
          continue;
        }
        i++;
        continue;
      }
      if (c === '#') {
        comments.push({ span: spanIn(i, l.end, cell), text: src.slice(i + 1, l.end) });
        break;
      }
      if (c === '"' || c === "'") {
        quote = src.startsWith(c + c + c, i) ? c + c + c : c;
        i += quote.length;
        continue;
      }
      if (c === '(' || c === '[' || c === '{') depth++;
      else if (c === ')' || c === ']' || c === '}') depth = Math.max(0, depth - 1);
      else if (c === '\\' && i + 1 >= l.end) continued = true;
      i++;
    }
    // A single-quoted string ends at the line break unless a backslash escaped it (then `i` went past the end).
    if (quote.length === 1 && i <= l.end) quote = '';
  }

  let code = src;
  if (blank.length > 0) {
    const parts: string[] = [];
    let pos = 0;
    for (const { s, e, stmt } of blank) {
      let blanked = src.slice(s, e).replace(/[^\r\n]/g, ' ');
      const at = stmt ? src.slice(s, e).search(/\S/) : -1;
      if (at >= 0) blanked = `${blanked.slice(0, at)}0${blanked.slice(at + 1)}`;
      parts.push(src.slice(pos, s), blanked);
      pos = e;
    }
    parts.push(src.slice(pos));
    code = parts.join('');
  }
  comments.sort((x, y) => x.span.start - y.span.start);
  return { code, shell, comments };
}

/** `# ...` comments of a shell line (a `#` at a word start, outside quotes). */
function shellComments(src: string, from: number, to: number, cell: number | undefined, out: Comment[]): void {
  let q = '';
  for (let i = from; i < to; i++) {
    const c = src[i];
    if (q) {
      if (c === '\\' && q === '"') i++;
      else if (c === q) q = '';
      continue;
    }
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '"' || c === "'") q = c;
    else if (c === '#' && (i === from || src[i - 1] === ' ' || src[i - 1] === '\t')) {
      out.push({ span: spanIn(i, to, cell), text: src.slice(i + 1, to) });
      return;
    }
  }
}
