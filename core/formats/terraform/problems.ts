import type { ParseProblem } from '../../model';
import { HAS_ERROR, MISSING, type N, NONE, type NodeTable, type Types } from './node-table';
import { TreeReader } from './reader';

/**
 * The syntax errors of a Terraform tree, worded for a person typing: at most five problems (adjacent ones
 * merged), "missing value for \"acl\"", "unterminated string", "missing }: this block is not closed...".
 */

const MAX_PROBLEMS = 5;

const MISSING_NAMES: Record<string, string> = {
  block_end: '}',
  object_end: '}',
  tuple_end: ']',
  quoted_template_end: '"',
  template_interpolation_end: '}',
  template_directive_end: '}',
  identifier: 'a name',
  expression: 'a value',
};

export function findSyntaxProblems(
  text: string,
  nodes: NodeTable,
  types: Types,
  root: N,
  found: ParseProblem[],
  explained: ReadonlySet<number>,
): ParseProblem[] {
  return new ProblemFinder(text, nodes, types, explained).finishProblems(root, found);
}

class ProblemFinder extends TreeReader {
  private readonly borrowedBrace = new Set<number>();

  constructor(
    text: string,
    nodes: NodeTable,
    types: Types,
    /** ERROR nodes (by start) already reported by a more precise problem. */
    private readonly explained: ReadonlySet<number>,
  ) {
    super(text, nodes, types);
  }

  finishProblems(root: N, found: ParseProblem[]): ParseProblem[] {
    if (this.flags(root) & HAS_ERROR) {
      if (this.type(root) === 'ERROR' && this.first(root) === NONE) found.push(this.errorProblem(root));
      else this.findErrors(root, found);
    }
    if (found.length === 0) return found;
    found.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
    const merged: ParseProblem[] = [];
    for (const p of found) {
      const last = merged[merged.length - 1];
      if (last && p.span.start <= last.span.end + 1) {
        if (p.span.end > last.span.end) last.span.end = p.span.end;
        continue;
      }
      if (merged.length === MAX_PROBLEMS) break;
      merged.push({ span: { ...p.span }, message: p.message });
    }
    return merged;
  }

  protected findErrors(node: N, out: ParseProblem[]): void {
    if (this.type(node) === 'ERROR') {
      if (!this.explained.has(this.start(node))) out.push(this.errorProblem(node));
      return;
    }
    for (let k = this.first(node); k !== NONE; k = this.next(k)) {
      if (out.length > MAX_PROBLEMS * 4) return;
      const f = this.flags(k);
      if (f & MISSING) {
        const p = this.missingProblem(k);
        if (p) out.push(p);
      } else if (this.type(k) === 'ERROR') {
        if (!this.explained.has(this.start(k))) out.push(this.errorProblem(k));
      } else if (f & HAS_ERROR) this.findErrors(k, out);
    }
  }

  protected errorProblem(node: N): ParseProblem {
    const unclosed = this.unclosedOpener(node);
    if (unclosed) return unclosed;
    let leaf = node;
    for (let c = this.first(leaf); c !== NONE; c = this.first(c)) leaf = c;
    const start = this.start(node);
    const lineEnd = this.lineEnd(start);
    const end = Math.max(start, Math.min(this.end(node), lineEnd));
    const leafStart = this.start(leaf);
    let token = this.text.slice(leafStart, Math.min(Math.max(this.end(leaf), leafStart + 1), lineEnd));
    if (!token.trim()) token = this.text.slice(start, end);
    token = token.trim();
    // Only punctuation is quoted: any other token may be a value (a key, a password), and the span points at it.
    const message = /^[^\w\s"']{1,3}$/.test(token)
      ? `syntax error: unexpected ${JSON.stringify(token)}`
      : token
        ? 'syntax error: unexpected text'
        : 'syntax error';
    return { span: { start, end }, message };
  }

  /**
   * The usual cause of an ERROR that runs on: a string, interpolation or brace opened inside it and never
   * closed. Report that opener rather than the ERROR's first token.
   */
  protected unclosedOpener(node: N): ParseProblem | undefined {
    const text = this.text;
    const open: N[] = [];
    for (let k = this.first(node); k !== NONE; k = this.next(k)) {
      const t = this.type(k);
      if (t === 'string_lit' || t === 'quoted_template' || t === 'template_expr') {
        const s = this.start(k);
        const nl = text.indexOf('\n', s);
        if (nl >= 0 && nl < this.end(k)) return { span: { start: s, end: this.lineEnd(s) }, message: 'unterminated string: missing closing "' };
      } else if (
        t === 'quoted_template_start' ||
        t === 'template_interpolation_start' ||
        t === '{' ||
        t === 'block_start' ||
        t === 'object_start' ||
        t === '[' ||
        t === 'tuple_start' ||
        t === '('
      ) {
        open.push(k);
      } else if (t === 'quoted_template_end') {
        this.closeLast(open, 'quoted_template_start');
      } else if (t === 'template_interpolation_end') {
        this.closeLast(open, 'template_interpolation_start');
      } else if (t === '}' || t === 'block_end' || t === 'object_end') {
        this.closeLast(open, '{', 'block_start', 'object_start');
      } else if (t === ']' || t === 'tuple_end') {
        this.closeLast(open, '[', 'tuple_start');
      } else if (t === ')') {
        this.closeLast(open, '(');
      }
    }
    if (open.length === 0) return undefined;
    const last = open[open.length - 1];
    const s = this.start(last);
    const messages: Record<string, string> = {
      quoted_template_start: 'unterminated string: missing closing "',
      template_interpolation_start: 'unterminated interpolation: missing }',
      '[': 'missing ]',
      tuple_start: 'missing ]',
      '(': 'missing )',
    };
    const message = messages[this.type(last)] ?? 'missing }';
    return { span: { start: s, end: Math.max(this.end(last), Math.min(this.end(node), this.lineEnd(s))) }, message };
  }

  /** Drop the last of `open` whose type is one of `types`. */
  protected closeLast(open: N[], ...types: string[]): void {
    for (let i = open.length - 1; i >= 0; i--) {
      if (types.includes(this.type(open[i]))) {
        open.splice(i, 1);
        return;
      }
    }
  }

  protected missingProblem(node: N): ParseProblem | undefined {
    const t = this.type(node);
    const parent = this.parent(node);
    const what = MISSING_NAMES[t] ?? (this.isNamed(node) ? t.replace(/_/g, ' ') : t);
    let message = `missing ${what}`;
    if (t === '{' && parent !== NONE && this.type(parent) === 'object_start') {
      // `name =` with nothing after it: the parser invents `{` to pair with the next `}`.
      let attr = parent;
      for (let i = 0; attr !== NONE && i < 4 && this.type(attr) !== 'attribute'; i++) attr = this.parent(attr);
      if (attr !== NONE && this.type(attr) === 'attribute') {
        const key = this.first(attr);
        const name = key !== NONE ? this.slice(key) : '';
        const eq = key !== NONE ? this.next(key) : NONE;
        // That invented object took the `}` of the enclosing block: its "missing }" is not a second error.
        const up = this.parent(attr);
        const owner = up !== NONE && this.type(up) === 'body' ? this.parent(up) : NONE;
        if (owner !== NONE) this.borrowedBrace.add(this.start(owner));
        const start = this.start(attr);
        return {
          span: { start, end: eq !== NONE && this.type(eq) === '=' ? this.end(eq) : start + name.length },
          message: `missing value for ${JSON.stringify(name)}`,
        };
      }
    }
    const opener = t === '}' || t === ']' || t === 'block_end' || t === 'object_end' || t === 'tuple_end' ? parent : NONE;
    let owner = opener;
    if (owner !== NONE) {
      const ot = this.type(owner);
      if (ot === 'block_end' || ot === 'object_end' || ot === 'tuple_end') owner = this.parent(owner);
    }
    const ownerType = owner !== NONE ? this.type(owner) : '';
    if (ownerType === 'block' && this.borrowedBrace.has(this.start(owner))) return undefined;
    if (ownerType === 'block' || ownerType === 'object' || ownerType === 'tuple') {
      const what2 = ownerType === 'tuple' ? 'list' : ownerType;
      if (this.text.slice(this.start(node)).trim() === '') {
        // The file ends inside it: point at the opening line, where the user is likely typing, not at EOF.
        const start = this.start(owner);
        return { span: { start, end: this.lineEnd(start) }, message: `${message}: this ${what2} is not closed before the end of the file` };
      }
      message += ` to close the ${what2} opened on line ${this.lineOf(this.start(owner)) + 1}`;
    } else if (t === 'heredoc_identifier') {
      message = 'missing heredoc end marker';
    }
    return { span: { start: this.start(node), end: this.end(node) }, message };
  }
}
