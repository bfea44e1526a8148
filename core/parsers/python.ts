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

import type { Node as TsNode } from 'web-tree-sitter';
import type { CellPython, Comment, Entry, ExprNode, Node, Path, PyAssignment, PyCall, PyImport, ScalarNode, ShellLine, Span } from '../model';
import { CursorWalk, grammar, parserFor, type TreeWalk } from '../wasm';
import { copyTree, NO_ROW, type TreeCopier } from './tree-copy';
import { prepareIPython, type Prepared } from './ipython';
import { decodePythonString } from './python-strings';

export type PythonAnalysis = CellPython & { comments: Comment[] };

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

interface StringParts {
  prefix: string;
  /** Content offsets (inside the quotes). */
  contentStart: number;
  contentEnd: number;
  interpolations: number[];
}

// ---------------------------------------------------------------------------------------------------
// Tree walk
//
// Every call from JS into the wasm module costs far more than reading a JS array: the tree is read once, with
// one cursor walk, into flat arrays of its named nodes (type, field, offsets, first child, next sibling), and the
// structure is built from those. Anonymous nodes (punctuation, keywords) are stepped over, and the insides of
// leaves and of strings that cannot hold an interpolation are not entered.

const REF_TYPES = new Set(['identifier', 'attribute', 'subscript']);

/** Named node types whose children are never read. */
const LEAF_TYPES = new Set([
  'identifier',
  'integer',
  'float',
  'true',
  'false',
  'none',
  'comment',
  'string_start',
  'string_content',
  'string_end',
  'escape_sequence',
]);

/** Node types whose children are read by field. */
const FIELD_PARENTS = new Set([
  'call',
  'keyword_argument',
  'attribute',
  'subscript',
  'assignment',
  'pair',
  'unary_operator',
  'aliased_import',
  'import_statement',
  'import_from_statement',
  'future_import_statement',
]);

/** Node types the extractor reads a structure from. */
const EXTRACTED = new Set(['call', 'assignment', 'import_statement', 'import_from_statement', 'future_import_statement', 'string']);

/** What the walk needs to know of a node type, by type id (65535 is ERROR). */
interface Tables {
  types: string[];
  named: Uint8Array;
  leaf: Uint8Array;
  fieldParent: Uint8Array;
  extracted: Uint8Array;
  field: Record<'function' | 'arguments' | 'name' | 'value' | 'alias' | 'left' | 'right' | 'key' | 'object' | 'subscript' | 'module_name' | 'argument', number>;
}

let tables: Tables | undefined;

function grammarTables(): Tables {
  if (tables) return tables;
  const lang = grammar('python');
  const types: string[] = [];
  const size = 65536;
  const named = new Uint8Array(size).fill(1);
  const leaf = new Uint8Array(size);
  const fieldParent = new Uint8Array(size);
  const extracted = new Uint8Array(size);
  for (let id = 0; id < size; id++) {
    const type = (id < lang.nodeTypeCount && lang.types[id]) || 'ERROR'; // as `Node.type` reads it
    types.push(type);
    if (id < lang.nodeTypeCount) named[id] = lang.nodeTypeIsNamed(id) ? 1 : 0;
    leaf[id] = LEAF_TYPES.has(type) ? 1 : 0;
    fieldParent[id] = FIELD_PARENTS.has(type) ? 1 : 0;
    extracted[id] = EXTRACTED.has(type) ? 1 : 0;
  }
  const fieldId = (name: string) => lang.fieldIdForName(name) ?? -1;
  tables = {
    types,
    named,
    leaf,
    fieldParent,
    extracted,
    field: {
      function: fieldId('function'),
      arguments: fieldId('arguments'),
      name: fieldId('name'),
      value: fieldId('value'),
      alias: fieldId('alias'),
      left: fieldId('left'),
      right: fieldId('right'),
      key: fieldId('key'),
      object: fieldId('object'),
      subscript: fieldId('subscript'),
      module_name: fieldId('module_name'),
      argument: fieldId('argument'),
    },
  };
  return tables;
}

function isAsciiWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
}

/**
 * Flat copy of the named nodes under one node, in document order; a node is its index. The arrays are
 * reused from one walk to the next (a walk's nodes are read before the next walk).
 */
interface FlatTree {
  count: number;
  type: string[];
  typeId: number[];
  /** Field id in the parent (0: none, or not read because the parent's fields are never read). */
  field: number[];
  start: number[];
  end: number[];
  /** First named child, next named sibling (-1: none). */
  first: number[];
  next: number[];
  /** Last named child seen so far (while walking). */
  last: number[];
  /** The nodes to extract from (calls, assignments, imports, strings), in document order. */
  extracted: number[];
  /** `hasError` of `string` and `integer` nodes of a tree with errors (absent: no error). */
  error: Map<number, boolean>;
}

const flat: FlatTree = { count: 0, type: [], typeId: [], field: [], start: [], end: [], first: [], next: [], last: [], extracted: [], error: new Map() };

/** What of a Python tree is copied: its named nodes (anonymous ones, punctuation and keywords, are stepped over). */
class PythonCopier implements TreeCopier {
  private readonly tb = grammarTables();
  private enterLast = false;

  constructor(
    private readonly t: FlatTree,
    private readonly src: string,
    private readonly hasErrors: boolean,
  ) {}

  visit(w: TreeWalk, parent: number): number {
    const { tb, t, src, hasErrors } = this;
    const id = w.typeId();
    if (!tb.named[id]) return NO_ROW;
    const { type, typeId, field, start, end, first, next, last } = t;
    const i = t.count++;
    const ty = tb.types[id];
    type[i] = ty;
    typeId[i] = id;
    field[i] = parent >= 0 && tb.fieldParent[typeId[parent]] ? w.fieldId() : 0;
    const s = w.startIndex();
    // An identifier ends where its run of word characters does (its end read from the tree only when the
    // run stops at a character outside ASCII, or in a tree with errors, where identifiers can be missing).
    let e = s;
    if (ty === 'identifier' && !hasErrors) {
      while (e < src.length && isAsciiWordChar(src.charCodeAt(e))) e++;
      if (e === s || (e < src.length && src.charCodeAt(e) > 127)) e = w.endIndex();
    } else e = w.endIndex();
    start[i] = s;
    end[i] = e;
    first[i] = -1;
    next[i] = -1;
    last[i] = -1;
    if (parent >= 0) {
      if (last[parent] < 0) first[parent] = i;
      else next[last[parent]] = i;
      last[parent] = i;
    }
    if (tb.extracted[id]) t.extracted.push(i);
    if (hasErrors && (ty === 'string' || ty === 'integer')) t.error.set(i, w.hasError());
    // A string's children matter only for its interpolations; a dotted name (imports, match patterns) is
    // read as text. A tree with errors is read whole: an error may sit anywhere.
    this.enterLast = !tb.leaf[id] && (hasErrors || (ty !== 'dotted_name' && (ty !== 'string' || src.lastIndexOf('{', e) >= s)));
    return i;
  }

  enter(): boolean {
    return this.enterLast;
  }
}

/** Read the named nodes under `root` (included) with one cursor. */
function flatten(root: TsNode, src: string): FlatTree {
  const t = flat;
  t.count = 0;
  t.extracted = [];
  t.error = new Map();
  const walk = new CursorWalk(root);
  try {
    copyTree(walk, new PythonCopier(t, src, root.hasError));
  } finally {
    walk.delete();
  }
  return t;
}

class Extractor {
  private t!: FlatTree;
  private readonly f = grammarTables().field;

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
   * Converted argument lists by node. A nested call is reached once as a call and again as an argument or
   * assigned value of each enclosing call or assignment; its arguments convert to the same nodes every time
   * (their paths do not depend on where the call is), so they are converted once.
   */
  private argumentsByNode = new Map<number, { args: Node[]; kwargs: Entry[]; insertAt: number }>();

  /**
   * References found under each node: an expression nested in calls and assignments is converted once for
   * each enclosing one, and its references would be searched for again each time.
   */
  private refsByNode = new Map<number, string[]>();

  private sp(start: number, end: number): Span {
    const l = this.limit;
    return { start: Math.min(start, l) + this.base, end: Math.min(end, l) + this.base, cell: this.cell };
  }

  private span(n: number): Span {
    return this.sp(this.t.start[n], this.t.end[n]);
  }

  private text(n: number): string {
    return this.src.slice(this.t.start[n], this.t.end[n]);
  }

  /** The first named child with field `id` (-1: none). */
  private child(n: number, id: number): number {
    const { first, next, field } = this.t;
    for (let c = first[n]; c >= 0; c = next[c]) if (field[c] === id) return c;
    return -1;
  }

  /** Named children, in order. */
  private children(n: number): number[] {
    const { first, next } = this.t;
    const out: number[] = [];
    for (let c = first[n]; c >= 0; c = next[c]) out.push(c);
    return out;
  }

  /** The first named child that is no comment (-1: none). */
  private firstNonComment(n: number): number {
    const { first, next, type } = this.t;
    for (let c = first[n]; c >= 0; c = next[c]) if (type[c] !== 'comment') return c;
    return -1;
  }

  /** Named children that are no comments. */
  private nonComments(n: number): number[] {
    return this.children(n).filter((c) => this.t.type[c] !== 'comment');
  }

  /** Prefix, quotes and interpolations of a `string` node, read from the text (children only for f-strings). */
  private stringParts(n: number): StringParts {
    const src = this.src;
    const s = this.t.start[n];
    const e = this.t.end[n];
    let i = s;
    while (i < e && /[A-Za-z]/.test(src[i])) i++;
    const prefix = src.slice(s, i).toLowerCase();
    const q = src[i];
    const interpolations: number[] = [];
    if (q !== '"' && q !== "'") return { prefix, contentStart: i, contentEnd: e, interpolations };
    const ql = e - i >= 3 && src[i + 1] === q && src[i + 2] === q ? 3 : 1;
    const contentStart = i + ql;
    let contentEnd = e;
    if (e - contentStart >= ql && src.startsWith(ql === 3 ? q + q + q : q, e - ql)) contentEnd = e - ql;
    if (/[ft]/.test(prefix) && src.lastIndexOf('{', contentEnd) >= contentStart) {
      const { first, next, type } = this.t;
      for (let c = first[n]; c >= 0; c = next[c]) if (type[c] === 'interpolation') interpolations.push(c);
    }
    return { prefix, contentStart, contentEnd, interpolations };
  }

  /** Extract from a node and everything under it. */
  run(root: TsNode): void {
    const t = flatten(root, this.src);
    this.t = t;
    this.argumentsByNode = new Map();
    this.refsByNode = new Map();
    // (Comments come from the pre-pass tokenizer, not from the tree.)
    for (const n of t.extracted) {
      switch (t.type[n]) {
        case 'call':
          this.call(n);
          break;
        case 'assignment':
          this.assignment(n);
          break;
        case 'import_statement':
        case 'import_from_statement':
        case 'future_import_statement':
          this.importStatement(n);
          break;
        case 'string':
          this.string(n);
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
  private string(n: number): void {
    const p = this.stringParts(n);
    if (p.interpolations.length === 0 || !/[ft]/.test(p.prefix)) this.out.strings.push(this.scalarString(n, p, []));
  }

  private literalPieces(p: StringParts): { start: number; end: number }[] {
    const pieces: { start: number; end: number }[] = [];
    let pos = p.contentStart;
    for (const it of p.interpolations) {
      pieces.push({ start: pos, end: Math.max(pos, this.t.start[it]) });
      pos = this.t.end[it];
    }
    pieces.push({ start: pos, end: Math.max(pos, p.contentEnd) });
    return pieces;
  }

  private scalarString(n: number, p: StringParts, path: Path): ScalarNode {
    return {
      kind: 'scalar',
      value: decodePythonString(this.src.slice(p.contentStart, p.contentEnd), p.prefix),
      span: this.span(n),
      contentSpan: this.sp(p.contentStart, p.contentEnd),
      path,
    };
  }

  private call(n: number): void {
    const fn = this.child(n, this.f.function);
    if (fn < 0) return;
    const { args, kwargs, insertAt } = this.arguments(this.child(n, this.f.arguments), this.t.end[n]);
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
  private arguments(argsNode: number, fallback: number): { args: Node[]; kwargs: Entry[]; insertAt: number } {
    if (argsNode < 0) return { args: [], kwargs: [], insertAt: fallback };
    let done = this.argumentsByNode.get(argsNode);
    if (!done) {
      done = this.convertArguments(argsNode);
      this.argumentsByNode.set(argsNode, done);
    }
    // Fresh arrays: callers keep them in their own nodes.
    return { args: [...done.args], kwargs: [...done.kwargs], insertAt: done.insertAt };
  }

  private convertArguments(argsNode: number): { args: Node[]; kwargs: Entry[]; insertAt: number } {
    const args: Node[] = [];
    const kwargs: Entry[] = [];
    const { type, start, end, first, next } = this.t;
    const argsEnd = end[argsNode];
    if (type[argsNode] === 'generator_expression') {
      args.push(this.expr(argsNode, [0]));
      return { args, kwargs, insertAt: Math.max(start[argsNode], argsEnd - 1) };
    }
    let lastEnd = -1;
    const close = this.src[argsEnd - 1] === ')' ? argsEnd - 1 : argsEnd;
    for (let c = first[argsNode]; c >= 0; c = next[c]) {
      const ct = type[c];
      if (ct === 'comment') continue;
      if (ct === 'ERROR' && !/\S/.test(this.text(c))) continue;
      lastEnd = end[c];
      if (ct === 'keyword_argument') {
        const name = this.child(c, this.f.name);
        const value = this.child(c, this.f.value);
        if (name < 0) continue;
        const key = this.text(name);
        kwargs.push({
          key,
          keySpan: this.span(name),
          value: value >= 0 ? this.toNode(value, [key]) : this.expr(c, [key]),
        });
      } else if (ct === 'dictionary_splat') {
        const inner = this.firstNonComment(c);
        kwargs.push({ key: '**', keySpan: this.span(c), value: this.toNode(inner >= 0 ? inner : c, ['**']) });
      } else {
        args.push(this.toNode(c, [args.length]));
      }
    }
    return { args, kwargs, insertAt: lastEnd >= 0 ? lastEnd : close };
  }

  private assignment(n: number): void {
    const { type } = this.t;
    const left = this.child(n, this.f.left);
    let right = this.child(n, this.f.right);
    if (left < 0 || right < 0) return;
    while (type[right] === 'assignment') {
      const r = this.child(right, this.f.right);
      if (r < 0) return;
      right = r;
    }
    const lt = type[left];
    if (REF_TYPES.has(lt)) {
      this.pushAssignment(left, right, n);
      return;
    }
    // `a, b = "x", "y"`: pair the elements when both sides have the same length.
    if (lt === 'pattern_list' || lt === 'tuple_pattern' || lt === 'list_pattern') {
      const inner = type[right] === 'parenthesized_expression' ? this.firstNonComment(right) : right;
      if (inner < 0 || !['expression_list', 'tuple', 'list'].includes(type[inner])) return;
      const targets = this.nonComments(left);
      const values = this.nonComments(inner);
      if (targets.length !== values.length) return;
      targets.forEach((tg, i) => {
        if (REF_TYPES.has(type[tg])) this.pushAssignment(tg, values[i], n);
      });
    }
  }

  private pushAssignment(target: number, value: number, whole: number): void {
    this.out.assignments.push({
      target: this.text(target),
      targetSpan: this.span(target),
      value: this.toNode(value, []),
      span: this.span(whole),
    } satisfies PyAssignment);
  }

  private importStatement(n: number): void {
    const { type, first, next, field } = this.t;
    const span = this.span(n);
    if (type[n] === 'import_statement') {
      for (let c = first[n]; c >= 0; c = next[c]) {
        if (field[c] !== this.f.name) continue;
        if (type[c] === 'aliased_import') {
          const name = this.child(c, this.f.name);
          const alias = this.child(c, this.f.alias);
          if (name < 0) continue;
          const module = this.text(name);
          const imp: PyImport = { module, names: [], span };
          if (alias >= 0) imp.aliases = { [this.text(alias)]: module };
          this.out.imports.push(imp);
        } else {
          this.out.imports.push({ module: this.text(c), names: [], span });
        }
      }
      return;
    }
    const moduleNode = this.child(n, this.f.module_name);
    const module = type[n] === 'future_import_statement' ? '__future__' : moduleNode >= 0 ? this.text(moduleNode) : '';
    const names: string[] = [];
    const aliases: Record<string, string> = {};
    for (let c = first[n]; c >= 0; c = next[c]) {
      if (c === moduleNode) continue;
      const ct = type[c];
      if (ct === 'wildcard_import') names.push('*');
      else if (ct === 'dotted_name') names.push(this.text(c));
      else if (ct === 'aliased_import') {
        const name = this.child(c, this.f.name);
        const alias = this.child(c, this.f.alias);
        if (name < 0) continue;
        names.push(this.text(name));
        if (alias >= 0) aliases[this.text(alias)] = this.text(name);
      }
    }
    const imp: PyImport = { module, names, span };
    if (Object.keys(aliases).length > 0) imp.aliases = aliases;
    this.out.imports.push(imp);
  }

  // --- expressions → model nodes

  private toNode(n: number, path: Path): Node {
    const { type, first, next } = this.t;
    const nt = type[n];
    switch (nt) {
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
        const parts = this.children(n).filter((x) => type[x] === 'string');
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
        return { kind: 'scalar', value: nt === 'true', span: this.span(n), path };
      case 'none':
        return { kind: 'scalar', value: null, span: this.span(n), path };
      case 'unary_operator': {
        // The operator is the node's first token.
        const op = this.src[this.t.start[n]];
        const arg = this.child(n, this.f.argument);
        if (arg >= 0 && (op === '-' || op === '+') && (type[arg] === 'integer' || type[arg] === 'float')) {
          const inner = this.toNode(arg, path);
          if (inner.kind === 'scalar' && typeof inner.value === 'number') {
            return { kind: 'scalar', value: op === '-' ? -inner.value : inner.value, span: this.span(n), path };
          }
        }
        return this.expr(n, path);
      }
      case 'parenthesized_expression': {
        const inner = this.nonComments(n);
        return inner.length === 1 ? this.toNode(inner[0], path) : this.expr(n, path);
      }
      case 'dictionary': {
        const entries: Entry[] = [];
        for (let c = first[n]; c >= 0; c = next[c]) {
          if (type[c] !== 'pair') continue;
          const k = this.child(c, this.f.key);
          const v = this.child(c, this.f.value);
          if (k < 0 || v < 0) continue;
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
        for (let c = first[n]; c >= 0; c = next[c]) {
          if (type[c] === 'comment') continue;
          items.push(this.toNode(c, [...path, items.length]));
        }
        return { kind: 'list', items, span: this.span(n), path };
      }
      case 'call': {
        const fn = this.child(n, this.f.function);
        const argsNode = this.child(n, this.f.arguments);
        const { args, kwargs } = this.arguments(argsNode, this.t.end[n]);
        const e = this.expr(n, path);
        if (fn >= 0) e.fn = this.text(fn);
        const all: Node[] = [...args];
        if (kwargs.length > 0) all.push({ kind: 'map', entries: kwargs, span: this.span(argsNode >= 0 ? argsNode : n), path });
        if (all.length > 0) e.args = all;
        return e;
      }
      default:
        return this.expr(n, path);
    }
  }

  private expr(n: number, path: Path): ExprNode {
    const start = this.t.start[n];
    const end = this.t.end[n];
    const e: ExprNode = { kind: 'expr', text: this.src.slice(start, end), span: this.sp(start, end), path };
    const refs: string[] = [];
    this.refs(n, refs);
    if (refs.length > 0) e.refs = [...new Set(refs)];
    return e;
  }

  /** A reference chain: `x`, `a.b.c`, `os.environ["K"]` (subscripts with literal keys). */
  private isRefChain(n: number): boolean {
    const { type, first, next, field } = this.t;
    switch (type[n]) {
      case 'identifier':
        return true;
      case 'attribute': {
        const o = this.child(n, this.f.object);
        return o >= 0 && this.isRefChain(o);
      }
      case 'subscript': {
        const v = this.child(n, this.f.value);
        let sub = -1;
        let count = 0;
        for (let c = first[n]; c >= 0; c = next[c]) {
          if (field[c] !== this.f.subscript) continue;
          if (count++ === 0) sub = c;
        }
        return v >= 0 && this.isRefChain(v) && count === 1 && (type[sub] === 'string' || type[sub] === 'integer') && !this.t.error.get(sub);
      }
      default:
        return false;
    }
  }

  /** References (maximal reference chains) inside an expression. */
  private refs(n: number, out: string[]): void {
    let found = this.refsByNode.get(n);
    if (!found) {
      found = [];
      this.findRefs(n, found);
      this.refsByNode.set(n, found);
    }
    for (const r of found) out.push(r);
  }

  private findRefs(n: number, out: string[]): void {
    if (this.isRefChain(n)) {
      out.push(this.text(n));
      return;
    }
    const { type, first, next } = this.t;
    switch (type[n]) {
      case 'string':
        for (const it of this.stringParts(n).interpolations) this.refs(it, out);
        return;
      case 'keyword_argument': {
        const v = this.child(n, this.f.value);
        if (v >= 0) this.refs(v, out);
        return;
      }
      case 'attribute': {
        const o = this.child(n, this.f.object);
        if (o >= 0) this.refs(o, out);
        return;
      }
      case 'comment':
        return;
      default:
        for (let c = first[n]; c >= 0; c = next[c]) this.refs(c, out);
    }
  }
}
