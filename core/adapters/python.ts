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
 * Every span carries `cell` and is an offset into the cell source (UTF-16 code units, like JS strings:
 * web-tree-sitter reports indices in code units for string input).
 */

import { Query, type Node as TsNode } from 'web-tree-sitter';
import type {
  Cell,
  Comment,
  Entry,
  ExprNode,
  Node,
  Path,
  PyAssignment,
  PyCall,
  PyImport,
  ScalarNode,
  ShellLine,
  Span,
} from '../model';
import { grammar, parserFor } from '../wasm';

export type PythonAnalysis = NonNullable<Cell['python']> & { comments: Comment[] };

/** Cell magics whose body is shell script. */
const SHELL_CELL_MAGICS = new Set(['bash', 'sh', 'zsh', 'system', '!']);
/** Cell magics whose body is Python run by the kernel. */
const PYTHON_CELL_MAGICS = new Set([
  'time',
  'timeit',
  'capture',
  'prun',
  'debug',
  'python',
  'python3',
  'python2',
  'pypy',
  'memit',
  'mprun',
  'px',
  'scalene',
]);

let query: Query | undefined;

function interestingNodes(): Query {
  query ??= new Query(
    grammar('python'),
    '[(call) (assignment) (import_statement) (import_from_statement) (future_import_statement) (string)] @n',
  );
  return query;
}

interface Prepared {
  /** The source with IPython-only lines blanked; `undefined` when nothing is left to parse. */
  code: string | undefined;
  shell: ShellLine[];
  comments: Comment[];
}

/**
 * The structure of one code cell: calls (callee as written, arguments as model nodes, keyword arguments,
 * where to insert one), simple assignments, imports, `!`/`%` shell lines, every string literal, comments.
 * Never throws on bad code: a cell with syntax errors gives what could be recovered.
 */
export function analyzePython(source: string, cell: number): PythonAnalysis {
  return analyzePrepared(prepareIPython(source, cell), cell);
}

/**
 * The `#` comments of a code cell (Python comments and comments of `!`/`%` lines), found without a parse:
 * the same comments `analyzePython` returns, for readers that need only them (suppressions).
 */
export function pythonCellComments(source: string, cell: number): Comment[] {
  return prepareIPython(source, cell).comments;
}

/**
 * `analyzePython` in two steps, so a caller can read comments and shell lines (both from the pre-pass) first
 * and the tree-sitter structure only when needed.
 */
export function preparePythonCell(source: string, cell: number): { comments: Comment[]; shell: ShellLine[]; analyze(): PythonAnalysis } {
  const prepared = prepareIPython(source, cell);
  let done: PythonAnalysis | undefined;
  return {
    comments: prepared.comments,
    shell: prepared.shell,
    analyze: () => (done ??= analyzePrepared(prepared, cell)),
  };
}

function analyzePrepared(prepared: Prepared, cell: number): PythonAnalysis {
  const out: PythonAnalysis = {
    calls: [],
    assignments: [],
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
function extract(code: string, cell: number, out: PythonAnalysis): void {
  const parser = parserFor('python');
  const tree = parser.parse(code);
  if (!tree) return;
  try {
    const root = tree.rootNode;
    const whole = new Extractor(code, 0, cell, out);
    if (!root.hasError) {
      whole.run(root);
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
          new Extractor(text, s, cell, out, e - s).run(sub.rootNode);
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

// ---------------------------------------------------------------------------------------------------
// IPython pre-pass

const LINE_MAGIC = /^[ \t]*([!%])/;
/** `files = !ls`, `x, y = %sx cmd` — assignment from a shell command or line magic. */
const ASSIGN_MAGIC = /^[ \t]*[A-Za-z_][\w.]*(?:[ \t]*,[ \t]*[A-Za-z_][\w.]*)*[ \t]*=[ \t]*(?=[!%][^=])/;
/** `obj?`, `obj??`, `?obj` help lines. */
const HELP_LINE = /^[ \t]*(?:\?{1,2}[ \t]*[A-Za-z_][\w.]*|[A-Za-z_][\w.]*[ \t]*\?{1,2})[ \t]*$/;
const CELL_MAGIC = /^[ \t]*%%(\S*)[ \t]*(.*)$/;

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

function prepareIPython(src: string, cell: number): Prepared {
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
    shell.push({ text: src.slice(from, end), span: { start: from, end, cell } });
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
      shell.push({ text: src.slice(from, l.end), span: { start: from, end: l.end, cell } });
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
        comments.push({ span: { start: l.start + ind, end: l.end, cell }, text: text.slice(ind + 1) });
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
        comments.push({ span: { start: i, end: l.end, cell }, text: src.slice(i + 1, l.end) });
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
      if (at >= 0) blanked = blanked.slice(0, at) + '0' + blanked.slice(at + 1);
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
function shellComments(src: string, from: number, to: number, cell: number, out: Comment[]): void {
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
      out.push({ span: { start: i, end: to, cell }, text: src.slice(i + 1, to) });
      return;
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Python strings

interface StringParts {
  prefix: string;
  /** Content offsets (inside the quotes). */
  contentStart: number;
  contentEnd: number;
  interpolations: TsNode[];
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};

/** Decode the content of a Python string literal (escape sequences; `{{`/`}}` in f-strings). */
export function decodePythonString(raw: string, prefix: string): string {
  const isRaw = prefix.includes('r');
  const isF = prefix.includes('f') || prefix.includes('t');
  const isBytes = prefix.includes('b');
  if (isRaw) return isF ? raw.replace(/\{\{/g, '{').replace(/\}\}/g, '}') : raw;
  if (!raw.includes('\\') && !(isF && /\{\{|\}\}/.test(raw))) return raw;
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (isF && (c === '{' || c === '}') && raw[i + 1] === c) {
      out += c;
      i++;
      continue;
    }
    if (c !== '\\' || i + 1 >= raw.length) {
      out += c;
      continue;
    }
    const e = raw[i + 1];
    if (e === '\n') {
      i++;
      continue;
    }
    if (e === '\r') {
      i += raw[i + 2] === '\n' ? 2 : 1;
      continue;
    }
    if (e in SIMPLE_ESCAPES) {
      out += SIMPLE_ESCAPES[e];
      i++;
      continue;
    }
    let m: RegExpExecArray | null;
    const rest = raw.slice(i + 1, i + 10);
    if ((m = /^[0-7]{1,3}/.exec(rest))) {
      out += String.fromCharCode(parseInt(m[0], 8));
      i += m[0].length;
      continue;
    }
    if ((m = /^x([0-9a-fA-F]{2})/.exec(rest))) {
      out += String.fromCharCode(parseInt(m[1], 16));
      i += m[0].length;
      continue;
    }
    if (!isBytes && (m = /^u([0-9a-fA-F]{4})|^U([0-9a-fA-F]{8})/.exec(rest))) {
      const cp = parseInt(m[1] ?? m[2], 16);
      out += cp <= 0x10ffff ? String.fromCodePoint(cp) : m[0];
      i += m[0].length;
      continue;
    }
    // Unknown escape (and `\N{...}`): kept as written, like Python does for unknown escapes.
    out += c;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Tree walk

const REF_TYPES = new Set(['identifier', 'attribute', 'subscript']);

class Extractor {
  /**
   * @param src the text tree-sitter parsed (a chunk of the cell)
   * @param base offset of `src` in the cell source
   */
  constructor(
    private readonly src: string,
    private readonly base: number,
    private readonly cell: number,
    private readonly out: PythonAnalysis,
    /** Length of `src` that is cell text (anything after it was added to close brackets). */
    private readonly limit = src.length,
  ) {}

  /**
   * Converted argument lists by tree node id. A nested call is reached once as a captured call and again as
   * an argument or assigned value of each enclosing call or assignment; its arguments convert to the same
   * nodes every time (their paths do not depend on where the call is), so they are converted once.
   */
  private readonly argumentsById = new Map<number, { args: Node[]; kwargs: Entry[]; insertAt: number }>();

  private sp(start: number, end: number): Span {
    const l = this.limit;
    return { start: Math.min(start, l) + this.base, end: Math.min(end, l) + this.base, cell: this.cell };
  }

  private span(n: { startIndex: number; endIndex: number }): Span {
    return this.sp(n.startIndex, n.endIndex);
  }

  private text(n: TsNode): string {
    return this.src.slice(n.startIndex, n.endIndex);
  }

  /** Prefix, quotes and interpolations of a `string` node, read from the text (children only for f-strings). */
  private stringParts(n: TsNode): StringParts {
    const src = this.src;
    const s = n.startIndex;
    const e = n.endIndex;
    let i = s;
    while (i < e && /[A-Za-z]/.test(src[i])) i++;
    const prefix = src.slice(s, i).toLowerCase();
    const q = src[i];
    const interpolations: TsNode[] = [];
    if (q !== '"' && q !== "'") return { prefix, contentStart: i, contentEnd: e, interpolations };
    const ql = e - i >= 3 && src[i + 1] === q && src[i + 2] === q ? 3 : 1;
    const contentStart = i + ql;
    let contentEnd = e;
    if (e - contentStart >= ql && src.startsWith(ql === 3 ? q + q + q : q, e - ql)) contentEnd = e - ql;
    if (/[ft]/.test(prefix) && src.lastIndexOf('{', contentEnd) >= contentStart) {
      for (const c of n.namedChildren) if (c?.type === 'interpolation') interpolations.push(c);
    }
    return { prefix, contentStart, contentEnd, interpolations };
  }

  /** Extract from a node and everything under it. */
  run(root: TsNode): void {
    // A query finds the interesting nodes inside the wasm module: much cheaper than visiting every node from JS.
    // (Comments come from the pre-pass tokenizer, not from the tree.)
    for (const { node } of interestingNodes().captures(root)) {
      switch (node.type) {
        case 'call':
          this.call(node);
          break;
        case 'assignment':
          this.assignment(node);
          break;
        case 'import_statement':
        case 'import_from_statement':
        case 'future_import_statement':
          this.importStatement(node);
          break;
        case 'string':
          this.string(node);
          break;
        default:
          break;
      }
    }
  }

  /**
   * A string literal. f-strings with interpolations are not literals: they are left out (as arguments and
   * assigned values they are expressions with `literalParts`); rules that scan text read the cell source.
   */
  private string(n: TsNode): void {
    const p = this.stringParts(n);
    if (p.interpolations.length === 0 || !/[ft]/.test(p.prefix)) this.out.strings.push(this.scalarString(n, p, []));
  }

  private literalPieces(p: StringParts): { start: number; end: number }[] {
    const pieces: { start: number; end: number }[] = [];
    let pos = p.contentStart;
    for (const it of p.interpolations) {
      pieces.push({ start: pos, end: Math.max(pos, it.startIndex) });
      pos = it.endIndex;
    }
    pieces.push({ start: pos, end: Math.max(pos, p.contentEnd) });
    return pieces;
  }

  private scalarString(n: TsNode, p: StringParts, path: Path): ScalarNode {
    return {
      kind: 'scalar',
      value: decodePythonString(this.src.slice(p.contentStart, p.contentEnd), p.prefix),
      span: this.span(n),
      contentSpan: this.sp(p.contentStart, p.contentEnd),
      path,
    };
  }

  private call(n: TsNode): void {
    const fn = n.childForFieldName('function');
    const argsNode = n.childForFieldName('arguments');
    if (!fn) return;
    const { args, kwargs, insertAt } = this.arguments(argsNode, n.endIndex);
    this.out.calls.push({
      callee: this.text(fn),
      span: this.span(n),
      calleeSpan: this.span(fn),
      args,
      kwargs,
      insertAt: this.sp(insertAt, insertAt),
    } satisfies PyCall);
  }

  /**
   * Positional arguments (`*xs` as an expression `*xs`), keyword arguments (`**kw` as an entry with key `**`),
   * and where a keyword argument can be inserted: right after the last argument (before a trailing comma,
   * so `, name=value` stays valid), or before `)` when there are none.
   */
  private arguments(argsNode: TsNode | null, fallback: number): { args: Node[]; kwargs: Entry[]; insertAt: number } {
    if (!argsNode) return { args: [], kwargs: [], insertAt: fallback };
    const id = argsNode.id;
    let done = this.argumentsById.get(id);
    if (!done) {
      done = this.convertArguments(argsNode, fallback);
      this.argumentsById.set(id, done);
    }
    // Fresh arrays: callers keep them in their own nodes.
    return { args: [...done.args], kwargs: [...done.kwargs], insertAt: done.insertAt };
  }

  private convertArguments(argsNode: TsNode | null, fallback: number): { args: Node[]; kwargs: Entry[]; insertAt: number } {
    const args: Node[] = [];
    const kwargs: Entry[] = [];
    if (!argsNode) return { args, kwargs, insertAt: fallback };
    if (argsNode.type === 'generator_expression') {
      args.push(this.expr(argsNode, [0]));
      return { args, kwargs, insertAt: Math.max(argsNode.startIndex, argsNode.endIndex - 1) };
    }
    let lastEnd = -1;
    const close = this.src[argsNode.endIndex - 1] === ')' ? argsNode.endIndex - 1 : argsNode.endIndex;
    for (const c of argsNode.namedChildren) {
      if (!c || c.type === 'comment') continue;
      if (c.type === 'ERROR' && !/\S/.test(this.text(c))) continue;
      lastEnd = c.endIndex;
      if (c.type === 'keyword_argument') {
        const name = c.childForFieldName('name');
        const value = c.childForFieldName('value');
        if (!name) continue;
        const key = this.text(name);
        kwargs.push({
          key,
          keySpan: this.span(name),
          value: value ? this.toNode(value, [key]) : this.expr(c, [key]),
        });
      } else if (c.type === 'dictionary_splat') {
        const inner = c.namedChildren.find((x) => x && x.type !== 'comment');
        kwargs.push({ key: '**', keySpan: this.span(c), value: this.toNode(inner ?? c, ['**']) });
      } else {
        args.push(this.toNode(c, [args.length]));
      }
    }
    return { args, kwargs, insertAt: lastEnd >= 0 ? lastEnd : close };
  }

  private assignment(n: TsNode): void {
    const left = n.childForFieldName('left');
    let right = n.childForFieldName('right');
    if (!left || !right) return;
    while (right.type === 'assignment') {
      const r = right.childForFieldName('right');
      if (!r) return;
      right = r;
    }
    if (REF_TYPES.has(left.type)) {
      this.pushAssignment(left, right, n);
      return;
    }
    // `a, b = "x", "y"`: pair the elements when both sides have the same length.
    if (left.type === 'pattern_list' || left.type === 'tuple_pattern' || left.type === 'list_pattern') {
      const inner = right.type === 'parenthesized_expression' ? right.namedChildren.find((x) => x && x.type !== 'comment') : right;
      if (!inner || !['expression_list', 'tuple', 'list'].includes(inner.type)) return;
      const targets = left.namedChildren.filter((x): x is TsNode => !!x && x.type !== 'comment');
      const values = inner.namedChildren.filter((x): x is TsNode => !!x && x.type !== 'comment');
      if (targets.length !== values.length) return;
      targets.forEach((t, i) => {
        if (REF_TYPES.has(t.type)) this.pushAssignment(t, values[i], n);
      });
    }
  }

  private pushAssignment(target: TsNode, value: TsNode, whole: TsNode): void {
    this.out.assignments.push({
      target: this.text(target),
      targetSpan: this.span(target),
      value: this.toNode(value, []),
      span: this.span(whole),
    } satisfies PyAssignment);
  }

  private importStatement(n: TsNode): void {
    const span = this.span(n);
    if (n.type === 'import_statement') {
      for (const c of n.childrenForFieldName('name')) {
        if (!c) continue;
        if (c.type === 'aliased_import') {
          const name = c.childForFieldName('name');
          const alias = c.childForFieldName('alias');
          if (!name) continue;
          const module = this.text(name);
          const imp: PyImport = { module, names: [], span };
          if (alias) imp.aliases = { [this.text(alias)]: module };
          this.out.imports.push(imp);
        } else {
          this.out.imports.push({ module: this.text(c), names: [], span });
        }
      }
      return;
    }
    const moduleNode = n.childForFieldName('module_name');
    const module = n.type === 'future_import_statement' ? '__future__' : moduleNode ? this.text(moduleNode) : '';
    const names: string[] = [];
    const aliases: Record<string, string> = {};
    for (const c of n.namedChildren) {
      if (!c || (moduleNode && c.equals(moduleNode))) continue;
      if (c.type === 'wildcard_import') names.push('*');
      else if (c.type === 'dotted_name') names.push(this.text(c));
      else if (c.type === 'aliased_import') {
        const name = c.childForFieldName('name');
        const alias = c.childForFieldName('alias');
        if (!name) continue;
        names.push(this.text(name));
        if (alias) aliases[this.text(alias)] = this.text(name);
      }
    }
    const imp: PyImport = { module, names, span };
    if (Object.keys(aliases).length > 0) imp.aliases = aliases;
    this.out.imports.push(imp);
  }

  // --- expressions → model nodes

  private toNode(n: TsNode, path: Path): Node {
    switch (n.type) {
      case 'string': {
        const p = this.stringParts(n);
        if (p.interpolations.length === 0 || !/[ft]/.test(p.prefix)) return this.scalarString(n, p, path);
        return {
          ...this.expr(n, path),
          literalParts: this.literalPieces(p)
            .filter((x) => x.end > x.start)
            .map((x) => decodePythonString(this.src.slice(x.start, x.end), p.prefix)),
        };
      }
      case 'concatenated_string': {
        const parts = n.namedChildren.filter((x): x is TsNode => !!x && x.type === 'string');
        const pieces = parts.map((x) => this.toNode(x, path));
        if (pieces.every((x) => x.kind === 'scalar')) {
          return { kind: 'scalar', value: pieces.map((x) => String((x as ScalarNode).value)).join(''), span: this.span(n), path };
        }
        return {
          ...this.expr(n, path),
          literalParts: pieces.flatMap((x) => (x.kind === 'scalar' ? [String(x.value)] : x.kind === 'expr' ? (x.literalParts ?? []) : [])),
        };
      }
      case 'integer':
      case 'float': {
        const t = this.text(n).replace(/_/g, '');
        const v = /^0[0-7]+$/.test(t) ? parseInt(t, 8) : Number(t);
        return Number.isNaN(v) ? this.expr(n, path) : { kind: 'scalar', value: v, span: this.span(n), path };
      }
      case 'true':
      case 'false':
        return { kind: 'scalar', value: n.type === 'true', span: this.span(n), path };
      case 'none':
        return { kind: 'scalar', value: null, span: this.span(n), path };
      case 'unary_operator': {
        const op = n.childForFieldName('operator');
        const arg = n.childForFieldName('argument');
        if (op && arg && (op.type === '-' || op.type === '+') && (arg.type === 'integer' || arg.type === 'float')) {
          const inner = this.toNode(arg, path);
          if (inner.kind === 'scalar' && typeof inner.value === 'number') {
            return { kind: 'scalar', value: op.type === '-' ? -inner.value : inner.value, span: this.span(n), path };
          }
        }
        return this.expr(n, path);
      }
      case 'parenthesized_expression': {
        const inner = n.namedChildren.filter((x): x is TsNode => !!x && x.type !== 'comment');
        return inner.length === 1 ? this.toNode(inner[0], path) : this.expr(n, path);
      }
      case 'dictionary': {
        const entries: Entry[] = [];
        for (const c of n.namedChildren) {
          if (!c || c.type !== 'pair') continue;
          const k = c.childForFieldName('key');
          const v = c.childForFieldName('value');
          if (!k || !v) continue;
          const kn = this.toNode(k, path);
          const key = kn.kind === 'scalar' && kn.value !== null ? String(kn.value) : this.text(k);
          entries.push({ key, keySpan: kn.kind === 'scalar' && kn.contentSpan ? kn.contentSpan : this.span(k), value: this.toNode(v, [...path, key]) });
        }
        return { kind: 'map', entries, span: this.span(n), path };
      }
      case 'list':
      case 'tuple':
      case 'set':
      case 'expression_list': {
        const items: Node[] = [];
        for (const c of n.namedChildren) {
          if (!c || c.type === 'comment') continue;
          items.push(this.toNode(c, [...path, items.length]));
        }
        return { kind: 'list', items, span: this.span(n), path };
      }
      case 'call': {
        const fn = n.childForFieldName('function');
        const { args, kwargs } = this.arguments(n.childForFieldName('arguments'), n.endIndex);
        const e = this.expr(n, path);
        if (fn) e.fn = this.text(fn);
        const all: Node[] = [...args];
        if (kwargs.length > 0) all.push({ kind: 'map', entries: kwargs, span: this.span(n.childForFieldName('arguments') ?? n), path });
        if (all.length > 0) e.args = all;
        return e;
      }
      default:
        return this.expr(n, path);
    }
  }

  private expr(n: TsNode, path: Path): ExprNode {
    const start = n.startIndex;
    const end = n.endIndex; // read once: each read is a call into the wasm module
    const e: ExprNode = { kind: 'expr', text: this.src.slice(start, end), span: this.sp(start, end), path };
    const refs: string[] = [];
    this.refs(n, refs);
    if (refs.length > 0) e.refs = [...new Set(refs)];
    return e;
  }

  /** A reference chain: `x`, `a.b.c`, `os.environ["K"]` (subscripts with literal keys). */
  private isRefChain(n: TsNode, type = n.type): boolean {
    switch (type) {
      case 'identifier':
        return true;
      case 'attribute': {
        const o = n.childForFieldName('object');
        return !!o && this.isRefChain(o);
      }
      case 'subscript': {
        const v = n.childForFieldName('value');
        const subs = n.childrenForFieldName('subscript').filter((x): x is TsNode => !!x);
        return !!v && this.isRefChain(v) && subs.length === 1 && ['string', 'integer'].includes(subs[0].type) && !subs[0].hasError;
      }
      default:
        return false;
    }
  }

  /**
   * References found under each tree node, by node id: an expression nested in calls and assignments is
   * converted once for each enclosing one, and its references would be searched for again each time.
   */
  private readonly refsById = new Map<number, string[]>();

  /** References (maximal reference chains) inside an expression. */
  private refs(n: TsNode, out: string[]): void {
    let found = this.refsById.get(n.id);
    if (!found) {
      found = [];
      this.findRefs(n, found);
      this.refsById.set(n.id, found);
    }
    for (const r of found) out.push(r);
  }

  private findRefs(n: TsNode, out: string[]): void {
    const type = n.type;
    if (this.isRefChain(n, type)) {
      out.push(this.text(n));
      return;
    }
    switch (type) {
      case 'string':
        for (const it of this.stringParts(n).interpolations) this.refs(it, out);
        return;
      case 'keyword_argument': {
        const v = n.childForFieldName('value');
        if (v) this.refs(v, out);
        return;
      }
      case 'attribute': {
        const o = n.childForFieldName('object');
        if (o) this.refs(o, out);
        return;
      }
      case 'comment':
        return;
      default:
        for (const c of n.namedChildren) if (c) this.refs(c, out);
    }
  }
}
