import type { Entry, ExprNode, ListNode, MapNode, Node, Path, ScalarNode, Span } from '../../model';
import { commonIndent, dedent, stripIndent, unescapeQuoted, unescapeTemplateOnly } from './hcl-strings';
import { type N, NONE, type NodeTable, type Types } from './node-table';
import { addRefs, type Bound, NO_BOUND, ReferenceScanner } from './references';

/**
 * Terraform expressions to model nodes: literals to scalars, objects to maps, tuples to lists, everything else
 * to an `ExprNode` with its references, a function call's arguments, a template's literal parts.
 */
export class ExpressionConverter extends ReferenceScanner {
  /** `recovering`: the tree has syntax errors, so nodes are looked into rather than trusted. */
  constructor(
    text: string,
    nodes: NodeTable,
    types: Types,
    protected readonly recovering: boolean,
  ) {
    super(text, nodes, types);
  }

  /** Convert an `expression` node. Traversals found inside are added to `refs` (the enclosing expression's). */
  protected expr(node: N, path: Path, refs: string[] | undefined): Node {
    let only = NONE;
    let count = 0;
    for (let k = this.first(node); k !== NONE; k = this.next(k)) {
      if (this.type(k) === 'comment') this.comment(k);
      else {
        only = k;
        count++;
      }
    }
    if (count === 1) {
      switch (this.type(only)) {
        case 'literal_value':
          return this.literal(only, path);
        case 'template_expr': {
          const t = this.first(only);
          if (t !== NONE) return this.template(t, node, path, refs);
          break;
        }
        case 'collection_value': {
          for (let c = this.first(only); c !== NONE; c = this.next(c)) {
            const ct = this.type(c);
            if (ct === 'object') return this.object(c, path, refs);
            if (ct === 'tuple') return this.tuple(c, path, refs);
          }
          break;
        }
        case 'function_call':
          return this.call(only, node, path, refs);
        case 'expression':
          return this.expr(only, path, refs);
        case 'operation': {
          const neg = this.negativeNumber(only, path);
          if (neg) return neg;
          break;
        }
        default:
          break;
      }
    } else if (count === 3) {
      // The first three children, comments included.
      const k0 = this.first(node);
      const k1 = this.next(k0);
      const k2 = this.next(k1);
      if (this.type(k0) === '(' && this.type(k1) === 'expression' && this.type(k2) === ')') return this.expr(k1, path, refs);
    }
    return this.generic(node, path, refs);
  }

  protected generic(node: N, path: Path, refs: string[] | undefined): ExprNode {
    const own: string[] = [];
    this.scanList(this.first(node), own, NO_BOUND, false);
    addRefs(refs, own);
    return { kind: 'expr', span: this.span(node), path, text: this.slice(node), refs: own };
  }

  protected literal(node: N, path: Path): Node {
    const v = this.first(node);
    const s = this.span(node);
    if (v === NONE) return { kind: 'expr', span: s, path, text: this.slice(node), refs: [] };
    switch (this.type(v)) {
      case 'string_lit': {
        const c = this.stringContent(v);
        const raw = this.text.slice(c.start, c.end);
        if (raw.includes('\n')) this.unterminated(this.start(v));
        const node: ScalarNode = { kind: 'scalar', span: s, path, value: unescapeQuoted(raw), contentSpan: c };
        return node;
      }
      case 'numeric_lit': {
        const raw = this.slice(v);
        const n = Number(raw);
        return { kind: 'scalar', span: s, path, value: Number.isNaN(n) ? raw : n, contentSpan: s };
      }
      case 'bool_lit':
        return { kind: 'scalar', span: s, path, value: this.slice(v) === 'true', contentSpan: s };
      case 'null_lit':
        return { kind: 'scalar', span: s, path, value: null, contentSpan: s };
      default:
        return { kind: 'expr', span: s, path, text: this.slice(node), refs: [] };
    }
  }

  /** `-1` and friends: a unary minus on a number literal is a number. */
  protected negativeNumber(op: N, path: Path): ScalarNode | undefined {
    const u = this.first(op);
    if (u === NONE || this.type(u) !== 'unary_operation') return undefined;
    const k0 = this.first(u);
    const k1 = k0 === NONE ? NONE : this.next(k0);
    if (k1 === NONE || this.next(k1) !== NONE || this.type(k0) !== '-' || this.type(k1) !== 'literal_value') return undefined;
    const lit = this.first(k1);
    if (lit === NONE || this.type(lit) !== 'numeric_lit') return undefined;
    const n = Number(this.slice(lit));
    if (Number.isNaN(n)) return undefined;
    const s = this.span(op);
    return { kind: 'scalar', span: s, path, value: -n, contentSpan: s };
  }

  /** Span of a quoted string's content (between the quotes; to the end when the closing quote is missing). */
  protected stringContent(str: N): Span {
    let start = this.start(str) + 1;
    let end = this.end(str);
    // Without syntax errors both quotes are there: no need to look inside.
    if (!this.recovering) return { start, end: Math.max(start, end - 1) };
    const last = this.lastChild(str);
    if (last !== NONE && this.type(last) === 'quoted_template_end') end = this.start(last);
    const first = this.first(str);
    if (first !== NONE && this.type(first) === 'quoted_template_start') start = this.end(first);
    return { start, end: Math.max(start, end) };
  }

  protected template(t: N, exprNode: N, path: Path, refs: string[] | undefined): Node {
    const text = this.text;
    const holes: Span[] = [];
    const own: string[] = [];
    let content: Span;
    let heredoc = false;
    let strip = false;
    if (this.type(t) === 'heredoc_template') {
      heredoc = true;
      let openEnd = this.start(t);
      let closeStart = this.end(t);
      let seenOpen = false;
      for (let k = this.first(t); k !== NONE; k = this.next(k)) {
        const kt = this.type(k);
        if (kt === 'heredoc_start')
          strip = text.charCodeAt(this.end(k) - 1) === 45; // `<<-`
        else if (kt === 'heredoc_identifier') {
          if (!seenOpen) {
            seenOpen = true;
            openEnd = this.end(k);
          } else closeStart = this.start(k);
        }
      }
      let bodyStart = text.indexOf('\n', openEnd);
      bodyStart = bodyStart < 0 || bodyStart >= closeStart ? Math.min(openEnd, closeStart) : bodyStart + 1;
      let bodyEnd = closeStart;
      while (bodyEnd > bodyStart && (text.charCodeAt(bodyEnd - 1) === 32 || text.charCodeAt(bodyEnd - 1) === 9)) bodyEnd--;
      content = { start: bodyStart, end: bodyEnd };
    } else {
      let start = this.start(t) + 1;
      let end = this.end(t);
      for (let k = this.first(t); k !== NONE; k = this.next(k)) {
        const kt = this.type(k);
        if (kt === 'quoted_template_start') start = this.end(k);
        else if (kt === 'quoted_template_end') end = this.start(k);
      }
      content = { start, end: Math.max(start, end) };
    }
    this.templateParts(this.first(t), holes, own, NO_BOUND);

    const s = this.span(exprNode);
    if (holes.length === 0) {
      const raw = text.slice(content.start, content.end);
      let value: string;
      if (heredoc) value = strip ? dedent(raw) : unescapeTemplateOnly(raw);
      else {
        if (raw.includes('\n')) this.unterminated(this.start(t));
        value = unescapeQuoted(raw);
      }
      return { kind: 'scalar', span: s, path, value, contentSpan: content };
    }

    const literalParts: string[] = [];
    const indent = heredoc && strip ? commonIndent(text.slice(content.start, content.end)) : 0;
    let at = content.start;
    for (let i = 0; i <= holes.length; i++) {
      const end = i < holes.length ? holes[i].start : content.end;
      let raw = text.slice(at, Math.max(at, end));
      if (heredoc) {
        if (indent > 0) raw = stripIndent(raw, indent, at === content.start);
        literalParts.push(unescapeTemplateOnly(raw));
      } else literalParts.push(unescapeQuoted(raw));
      if (i < holes.length) at = Math.max(at, holes[i].end);
    }
    addRefs(refs, own);
    return { kind: 'expr', span: s, path, text: this.slice(exprNode), refs: own, literalParts };
  }

  /**
   * Interpolations and directive markers of a template (the holes between literal text), and their refs:
   * `from` and its next siblings.
   */
  protected templateParts(from: N, holes: Span[], refs: string[], bound: Bound): void {
    for (let k = from; k !== NONE; k = this.next(k)) {
      switch (this.type(k)) {
        case 'template_interpolation':
        case 'template_if_intro':
        case 'template_else_intro':
        case 'template_if_end':
        case 'template_for_end':
          holes.push(this.span(k));
          this.scanList(this.first(k), refs, bound, false);
          break;
        case 'template_directive':
        case 'template_if':
          this.templateParts(this.first(k), holes, refs, bound);
          break;
        case 'template_for': {
          let inner = bound;
          for (let f = this.first(k); f !== NONE; f = this.next(f)) {
            if (this.type(f) !== 'template_for_start') continue;
            holes.push(this.span(f));
            this.scanList(this.first(f), refs, bound, false);
            inner = this.bind(f, bound);
          }
          // Its body (`templateParts` passes over the `template_for_start` taken above).
          this.templateParts(this.first(k), holes, refs, inner);
          break;
        }
        default:
          break;
      }
    }
  }

  protected call(fnNode: N, exprNode: N, path: Path, refs: string[] | undefined): ExprNode {
    const own: string[] = [];
    const args: Node[] = [];
    let fn = '';
    for (let k = this.first(fnNode); k !== NONE; k = this.next(k)) {
      const t = this.type(k);
      if (t === 'identifier') fn = this.slice(k);
      else if (t === 'function_arguments') {
        for (let a = this.first(k); a !== NONE; a = this.next(a)) {
          const at = this.type(a);
          if (at === 'expression') args.push(this.expr(a, path, own));
          else if (at === 'comment') this.comment(a);
        }
      } else if (t === 'comment') this.comment(k);
    }
    addRefs(refs, own);
    return { kind: 'expr', span: this.span(exprNode), path, text: this.slice(exprNode), fn, args, refs: own };
  }

  protected object(node: N, path: Path, refs: string[] | undefined): MapNode {
    const map: MapNode = { kind: 'map', span: this.span(node), path, entries: [] };
    this.objectElems(node, map.entries, path, refs);
    return map;
  }

  /** The elements among the children of `parent` (an object, or an `ERROR` inside one). */
  protected objectElems(parent: N, entries: Entry[], path: Path, refs: string[] | undefined): void {
    const text = this.text;
    for (let k = this.first(parent); k !== NONE; k = this.next(k)) {
      const t = this.type(k);
      if (t === 'comment') {
        this.comment(k);
        continue;
      }
      if (t === 'ERROR') {
        this.objectElems(k, entries, path, refs);
        continue;
      }
      if (t !== 'object_elem') continue;
      let keyExpr = NONE;
      let valExpr = NONE;
      for (let e = this.first(k); e !== NONE; e = this.next(e)) {
        const et = this.type(e);
        if (et === 'expression') {
          if (keyExpr === NONE) keyExpr = e;
          else valExpr = e;
        } else if (et === 'comment') this.comment(e);
      }
      if (keyExpr === NONE || valExpr === NONE) continue;
      let key: string | undefined;
      let keySpan: Span | undefined;
      const kk = this.first(keyExpr);
      if (kk !== NONE && this.next(kk) === NONE) {
        const kt = this.type(kk);
        if (kt === 'variable_expr') {
          key = this.slice(kk);
          keySpan = this.span(kk);
        } else if (kt === 'literal_value') {
          const lit = this.first(kk);
          if (lit !== NONE && this.type(lit) === 'string_lit') {
            const c = this.stringContent(lit);
            key = unescapeQuoted(text.slice(c.start, c.end));
          } else key = this.slice(kk);
          keySpan = this.span(kk);
        }
      }
      if (key === undefined || !keySpan) {
        // `(var.k) = v`, `"${var.p}-x" = v`: the key is an expression; keep its text.
        key = this.slice(keyExpr);
        keySpan = this.span(keyExpr);
        const own: string[] = [];
        this.scanList(kk, own, NO_BOUND, false);
        addRefs(refs, own);
      }
      entries.push({ key, keySpan, value: this.expr(valExpr, [...path, key], refs) });
    }
  }

  protected tuple(node: N, path: Path, refs: string[] | undefined): ListNode {
    const items: Node[] = [];
    for (let k = this.first(node); k !== NONE; k = this.next(k)) {
      const t = this.type(k);
      if (t === 'expression') items.push(this.expr(k, [...path, items.length], refs));
      else if (t === 'comment') this.comment(k);
    }
    return { kind: 'list', span: this.span(node), path, items };
  }
}
