import type { Comment, ParseProblem } from '../../model';
import { type N, NONE } from './node-table';
import { TreeReader } from './reader';

/**
 * References inside Terraform expressions (`var.x`, `aws_s3_bucket.b.id`; index brackets and splats dropped,
 * for-expression iterators and bare object keys left out), and the comments met on the way.
 */

/** Names bound by enclosing for-expressions: not references. */
export type Bound = ReadonlySet<string>;
export const NO_BOUND: Bound = new Set();

export class ReferenceScanner extends TreeReader {
  protected readonly comments: Comment[] = [];
  /** Problems found while converting (the tree's own errors are found after, by `findSyntaxProblems`). */
  readonly extraProblems: ParseProblem[] = [];

  protected comment(node: N): void {
    const text = this.text;
    const start = this.start(node);
    let end = this.end(node);
    if (text.charCodeAt(end - 1) === 13) end--; // `# ...\r\n`
    const c0 = text.charCodeAt(start);
    let body: string;
    if (c0 === 35)
      body = text.slice(start + 1, end); // #
    else if (text.charCodeAt(start + 1) === 47)
      body = text.slice(start + 2, end); // //
    else body = text.slice(start + 2, text.startsWith('*/', end - 2) && end - 2 >= start + 2 ? end - 2 : end); // /* */
    this.comments.push({ span: { start, end }, text: body });
  }

  sortedComments(): Comment[] {
    const cs = this.comments;
    for (let i = 1; i < cs.length; i++) {
      if (cs[i].span.start < cs[i - 1].span.start) {
        cs.sort((a, b) => a.span.start - b.span.start);
        break;
      }
    }
    return cs;
  }

  /** A quoted string that runs over a line break: HCL strings are single-line, so its closing quote is missing. */
  protected unterminated(start: number): void {
    this.extraProblems.push({ span: { start, end: this.lineEnd(start) }, message: 'unterminated string: missing closing "' });
  }

  /**
   * Collect the traversals among `from` and its next siblings (a traversal is `variable_expr` followed by
   * get_attr/index/splat siblings). `skipIntro`: a for-expression's children, whose intro is not part of it.
   */
  protected scanList(from: N, refs: string[], bound: Bound, skipIntro: boolean): void {
    for (let k = from; k !== NONE; k = this.next(k)) {
      if (this.isLeaf(k)) continue;
      const t = this.type(k);
      switch (t) {
        case 'comment':
          this.comment(k);
          break;
        case 'variable_expr':
          k = this.traversal(k, refs, bound, skipIntro);
          break;
        case 'object_elem':
          this.scanObjectElem(k, refs, bound);
          break;
        case 'for_tuple_expr':
        case 'for_object_expr':
        case 'template_for':
          this.scanFor(k, refs, bound);
          break;
        case 'for_intro':
        case 'template_for_start':
          if (!skipIntro) this.scanList(this.first(k), refs, bound, false);
          break;
        default:
          this.scanList(this.first(k), refs, bound, false);
      }
    }
  }

  /** A traversal from the `variable_expr` `root`: adds its ref, returns the last sibling that is part of it. */
  protected traversal(root: N, refs: string[], bound: Bound, skipIntro: boolean): N {
    const text = this.text;
    const name = this.slice(root);
    let ref = name;
    let last = root;
    for (let k = this.next(root); k !== NONE; k = this.next(k)) {
      const t = this.type(k);
      if (skipIntro && (t === 'for_intro' || t === 'template_for_start')) continue;
      if (t === 'get_attr') ref += `.${getAttrName(text, this.start(k), this.end(k))}`;
      else if (t === 'index') this.scanList(this.first(k), refs, bound, false);
      else if (t === 'splat') {
        for (let s = this.first(k); s !== NONE; s = this.next(s)) {
          for (let p = this.first(s); p !== NONE; p = this.next(p)) {
            const pt = this.type(p);
            if (pt === 'get_attr') ref += `.${getAttrName(text, this.start(p), this.end(p))}`;
            else if (pt === 'index') this.scanList(this.first(p), refs, bound, false);
          }
        }
      } else if (t === 'comment') this.comment(k);
      else break;
      last = k;
    }
    if (!bound.has(name) && !refs.includes(ref)) refs.push(ref);
    return last;
  }

  protected scanObjectElem(elem: N, refs: string[], bound: Bound): void {
    let first = true;
    for (let e = this.first(elem); e !== NONE; e = this.next(e)) {
      const t = this.type(e);
      if (t === 'comment') this.comment(e);
      if (t !== 'expression') continue;
      const kk = this.first(e);
      if (first) {
        first = false;
        // A bare identifier key (`{ Name = ... }`) is a literal key, not a reference.
        if (kk !== NONE && this.next(kk) === NONE && this.type(kk) === 'variable_expr') continue;
      }
      this.scanList(kk, refs, bound, false);
    }
  }

  /** A for-expression or `%{ for }` directive: its iterator names are not references inside it. */
  protected scanFor(node: N, refs: string[], bound: Bound): void {
    let inner = bound;
    for (let k = this.first(node); k !== NONE; k = this.next(k)) {
      const t = this.type(k);
      if (t === 'for_intro' || t === 'template_for_start') {
        this.scanList(this.first(k), refs, bound, false);
        inner = this.bind(k, bound);
      }
    }
    this.scanList(this.first(node), refs, inner, true);
  }

  protected bind(intro: N, bound: Bound): Bound {
    const names = new Set(bound);
    for (let k = this.first(intro); k !== NONE; k = this.next(k)) if (this.type(k) === 'identifier') names.add(this.slice(k));
    return names;
  }
}

export function addRefs(into: string[] | undefined, refs: string[]): void {
  if (!into) return;
  for (const r of refs) if (!into.includes(r)) into.push(r);
}

function getAttrName(text: string, start: number, end: number): string {
  // `.name`, possibly with blanks after the dot.
  let s = start + 1;
  while (s < end && /\s/.test(text[s])) s++;
  return text.slice(s, end);
}
