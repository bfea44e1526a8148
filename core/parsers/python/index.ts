/**
 * Python code cells of notebooks, read with tree-sitter-python.
 *
 * IPython syntax is not Python: `!cmd` and `%magic` lines (at the start of a logical line) are blanked
 * before parsing (replaced by spaces of the same length, so offsets stay; a `0` placeholder keeps a block
 * valid) and returned as `shell` lines.
 * A cell magic on the first line decides what the rest of the cell is: shell (`%%bash`, `%%sh`,
 * `%%script bash`), Python (`%%time`, `%%capture`, `%%writefile x.py`, ...) or something else
 * (`%%html`, `%%bigquery`, ...: blanked, not analysed).
 *
 * Every span is an offset into the cell source and carries `cell` (UTF-16 code units, like JS strings:
 * web-tree-sitter reports indices in code units for string input). A Python file is read the same way as
 * one cell with `cell` undefined: its spans are file offsets.
 */

import type { CellPython, Comment, ShellLine } from '../../model';
import { parserFor } from '../../wasm';
import { Extractor } from './extractor';
import { prepareIPython, type Prepared } from './ipython';

export type PythonAnalysis = CellPython & { comments: Comment[] };

/**
 * The structure of one code cell: calls (callee as written, arguments as model nodes, keyword arguments,
 * where to insert one), simple assignments and parameter defaults, imports, `!`/`%` shell lines, every string literal,
 * comments.
 * Never throws on bad code: a cell with syntax errors gives what could be recovered.
 */
export function analyzePython(source: string, cell: number | undefined): PythonAnalysis {
  return analyzePrepared(prepareIPython(source, cell), cell);
}

/**
 * The `#` comments of a code cell (Python comments and comments of `!`/`%` lines), found without a parse:
 * the same comments `analyzePython` returns, for readers that need only them (suppressions).
 */
export function pythonCellComments(source: string, cell: number | undefined): Comment[] {
  return prepareIPython(source, cell).comments;
}

/**
 * `analyzePython` in two steps, so a caller can read comments and shell lines (both from the pre-pass) first
 * and the tree-sitter structure only when needed.
 */
export function preparePythonCell(source: string, cell: number | undefined): { comments: Comment[]; shell: ShellLine[]; analyze(): PythonAnalysis } {
  const prepared = prepareIPython(source, cell);
  let done: PythonAnalysis | undefined;
  return {
    comments: prepared.comments,
    shell: prepared.shell,
    analyze: () => (done ??= analyzePrepared(prepared, cell)),
  };
}

function analyzePrepared(prepared: Prepared, cell: number | undefined): PythonAnalysis {
  const out: PythonAnalysis = {
    calls: [],
    assignments: [],
    comparisons: [],
    imports: [],
    shell: prepared.shell,
    strings: [],
    comments: prepared.comments,
  };
  if (prepared.code !== undefined && /\S/.test(prepared.code)) extract(prepared.code, cell, out);
  return out;
}

/**
 * Parse and extract. Top-level statements that parse cleanly are read from the whole-cell tree; a region
 * with a syntax error (tree-sitter may let an unclosed `(` swallow the rest of the cell) is re-parsed in
 * chunks split at lines that start at column 0, so one broken statement does not hide the next ones.
 */
function extract(code: string, cell: number | undefined, out: PythonAnalysis): void {
  const parser = parserFor('python');
  const tree = parser.parse(code);
  if (!tree) return;
  try {
    const root = tree.rootNode;
    const whole = new Extractor(code, 0, cell, out);
    if (!root.hasError) {
      whole.run(tree);
      return;
    }
    for (const child of root.children) {
      if (!child) continue;
      if (!child.hasError) {
        whole.run(child);
        continue;
      }
      for (const [s, e] of chunks(code, child.startIndex, child.endIndex)) {
        // Close brackets left open (a call still being typed) so the statement parses as far as it goes.
        const text = code.slice(s, e) + closers(code, s, e);
        const sub = parser.parse(text);
        if (!sub) continue;
        try {
          new Extractor(text, s, cell, out, e - s).run(sub);
        } finally {
          sub.delete();
        }
      }
    }
  } finally {
    tree.delete();
  }
}

const CLOSER: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

/** The closing brackets for brackets left open in `[from, to)` (strings and comments skipped). */
function closers(code: string, from: number, to: number): string {
  const stack: string[] = [];
  let quote = '';
  for (let i = from; i < to; i++) {
    const c = code[i];
    if (quote !== '') {
      if (c === '\\') i++;
      else if (code.startsWith(quote, i)) {
        i += quote.length - 1;
        quote = '';
      } else if (c === '\n' && quote.length === 1) quote = '';
      continue;
    }
    if (c === '#') {
      const nl = code.indexOf('\n', i);
      i = nl < 0 ? to : nl;
    } else if (c === '"' || c === "'") {
      quote = code.startsWith(c + c + c, i) ? c + c + c : c;
      i += quote.length - 1;
    } else if (c in CLOSER) stack.push(CLOSER[c]);
    else if (c === ')' || c === ']' || c === '}') stack.pop();
  }
  return stack.reverse().join('');
}

const CONTINUING_CLAUSE = /^(?:else|elif|except|finally)\b|^[)\]}]/;

/** Split `[from, to)` at lines that start a new top-level statement (column 0, outside triple-quoted strings). */
function chunks(code: string, from: number, to: number): [number, number][] {
  const out: [number, number][] = [];
  let start = from;
  let triple = '';
  let prevDecorator = false;
  let pos = from;
  while (pos < to) {
    const nl = code.indexOf('\n', pos);
    const lineEnd = nl < 0 || nl >= to ? to : nl;
    const line = code.slice(pos, lineEnd);
    if (pos > start && triple === '' && /^\S/.test(line) && !CONTINUING_CLAUSE.test(line) && !prevDecorator) {
      out.push([start, pos]);
      start = pos;
    }
    prevDecorator = line.startsWith('@');
    for (const m of line.matchAll(/"""|'''/g)) {
      if (triple === '') triple = m[0];
      else if (triple === m[0]) triple = '';
    }
    pos = lineEnd + 1;
  }
  if (to > start) out.push([start, to]);
  return out;
}
