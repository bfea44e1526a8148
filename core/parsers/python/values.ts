import type { Entry, ExprNode, Node, Path, ScalarNode, Span } from '../../model';
import type { PythonAnalysis } from './index';
import { spanIn } from './ipython';
import { decodePythonString } from './strings';
import { type FlatTree, grammarTables, hasBraceIn } from './tree';

/** Reading a cell's flat tree (`tree.ts`) into model values: strings, calls' arguments, expressions and their references. */

export interface StringParts {
  prefix: string;
  /** Content offsets (inside the quotes). */
  contentStart: number;
  contentEnd: number;
  interpolations: number[];
}

export class CellValues {
  protected t!: FlatTree;
  protected readonly f = grammarTables().field;

  /**
   * @param src the text tree-sitter parsed (a chunk of the cell)
   * @param base offset of `src` in the cell source
   */
  constructor(
    protected readonly src: string,
    private readonly base: number,
    protected readonly cell: number | undefined,
    protected readonly out: PythonAnalysis,
    /** Length of `src` that is cell text (anything after it was added to close brackets). */
    private readonly limit = src.length,
  ) {}

  /**
   * Converted argument lists by node. A nested call is reached once as a call and again as an argument or
   * assigned value of each enclosing call or assignment; its arguments convert to the same nodes every time
   * (their paths do not depend on where the call is), so they are converted once.
   */
  protected argumentsByNode = new Map<number, { args: Node[]; kwargs: Entry[]; insertAt: number }>();

  /**
   * References found under each node: an expression nested in calls and assignments is converted once for
   * each enclosing one, and its references would be searched for again each time.
   */
  protected refsByNode = new Map<number, string[]>();

  protected sp(start: number, end: number): Span {
    const l = this.limit;
    return spanIn(Math.min(start, l) + this.base, Math.min(end, l) + this.base, this.cell);
  }

  protected span(n: number): Span {
    return this.sp(this.t.start[n], this.t.end[n]);
  }

  protected text(n: number): string {
    return this.src.slice(this.t.start[n], this.t.end[n]);
  }

  /** The first named child with field `id` (-1: none). */
  protected child(n: number, id: number): number {
    const { first, next, field } = this.t;
    for (let c = first[n]; c >= 0; c = next[c]) if (field[c] === id) return c;
    return -1;
  }

  /** Named children, in order. */
  protected children(n: number): number[] {
    const { first, next } = this.t;
    const out: number[] = [];
    for (let c = first[n]; c >= 0; c = next[c]) out.push(c);
    return out;
  }

  /** The first named child that is no comment (-1: none). */
  protected firstNonComment(n: number): number {
    const { first, next, type } = this.t;
    for (let c = first[n]; c >= 0; c = next[c]) if (type[c] !== 'comment') return c;
    return -1;
  }

  /** Named children that are no comments. */
  protected nonComments(n: number): number[] {
    return this.children(n).filter((c) => this.t.type[c] !== 'comment');
  }

  /** Prefix, quotes and interpolations of a `string` node, read from the text (children only for f-strings). */
  protected stringParts(n: number): StringParts {
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
    if (/[ft]/.test(prefix) && hasBraceIn(src, contentStart, contentEnd)) {
      const { first, next, type } = this.t;
      for (let c = first[n]; c >= 0; c = next[c]) if (type[c] === 'interpolation') interpolations.push(c);
    }
    return { prefix, contentStart, contentEnd, interpolations };
  }

  protected literalPieces(p: StringParts): { start: number; end: number }[] {
    const pieces: { start: number; end: number }[] = [];
    let pos = p.contentStart;
    for (const it of p.interpolations) {
      pieces.push({ start: pos, end: Math.max(pos, this.t.start[it]) });
      pos = this.t.end[it];
    }
    pieces.push({ start: pos, end: Math.max(pos, p.contentEnd) });
    return pieces;
  }

  protected scalarString(n: number, p: StringParts, path: Path): ScalarNode {
    return {
      kind: 'scalar',
      value: decodePythonString(this.src.slice(p.contentStart, p.contentEnd), p.prefix),
      span: this.span(n),
      contentSpan: this.sp(p.contentStart, p.contentEnd),
      path,
    };
  }

  /**
   * Positional arguments (`*xs` as an expression `*xs`), keyword arguments (`**kw` as an entry with key `**`),
   * and where a keyword argument can be inserted: right after the last argument (before a trailing comma,
   * so `, name=value` stays valid), or before `)` when there are none.
   */
  protected arguments(argsNode: number, fallback: number): { args: Node[]; kwargs: Entry[]; insertAt: number } {
    if (argsNode < 0) return { args: [], kwargs: [], insertAt: fallback };
    let done = this.argumentsByNode.get(argsNode);
    if (!done) {
      done = this.convertArguments(argsNode);
      this.argumentsByNode.set(argsNode, done);
    }
    // Fresh arrays: callers keep them in their own nodes.
    return { args: [...done.args], kwargs: [...done.kwargs], insertAt: done.insertAt };
  }

  protected convertArguments(argsNode: number): { args: Node[]; kwargs: Entry[]; insertAt: number } {
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

  // --- expressions → model nodes

  protected toNode(n: number, path: Path): Node {
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

  protected expr(n: number, path: Path): ExprNode {
    const start = this.t.start[n];
    const end = this.t.end[n];
    const e: ExprNode = { kind: 'expr', text: this.src.slice(start, end), span: this.sp(start, end), path };
    const refs: string[] = [];
    this.refs(n, refs);
    if (refs.length > 0) e.refs = [...new Set(refs)];
    return e;
  }

  /** A reference chain: `x`, `a.b.c`, `os.environ["K"]` (subscripts with literal keys). */
  protected isRefChain(n: number): boolean {
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
  protected refs(n: number, out: string[]): void {
    let found = this.refsByNode.get(n);
    if (!found) {
      found = [];
      this.findRefs(n, found);
      this.refsByNode.set(n, found);
    }
    for (const r of found) out.push(r);
  }

  protected findRefs(n: number, out: string[]): void {
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
