import type { Node as TSNode, Tree } from 'web-tree-sitter';
import type {
  Comment,
  Entry,
  ExprNode,
  ListNode,
  MapNode,
  Node,
  ParsedFile,
  ParseProblem,
  Path,
  Resource,
  ScalarNode,
  Span,
} from '../model';
import { parserFor } from '../wasm';

/**
 * Terraform / HCL adapter (`.tf`, `.tfvars`, `.tfvars.json`) on the tree-sitter `terraform` grammar.
 *
 * Offsets: web-tree-sitter reads JS strings as UTF-16, so its `startIndex`/`endIndex` are UTF-16 code
 * units, i.e. JS string offsets into `text`; no conversion is needed.
 *
 * Mapping:
 * - Every top-level block is a `Resource` (`kind` = block type) and also an entry (`form: 'block'`) of the
 *   root map, which holds the top-level attributes too (a `.tfvars` file is only attributes). A JSON
 *   `.tfvars.json` root object becomes the root map.
 * - Block bodies are maps: attributes (`form: 'attribute'`) and nested blocks (`form: 'block'`, `labels`).
 *   Block maps span the braces. `dynamic "x" { content { ... } }` stays as a `dynamic` entry and the
 *   `content` map is also entered under key `x`, so rules looking for `x` blocks see it (the same map object
 *   in both places: a full walk visits it twice). Paths inside it are `[..., 'x', ...]`.
 * - Paths start at the block body; repeated nested blocks share their key (no index); tuple items add
 *   their index; function-call arguments keep the call's path (`jsonencode({ a = 1 })` → `a` is at
 *   `[..., 'attr', 'a']`).
 * - Literals (strings without interpolation, heredocs without interpolation, numbers, negative numbers,
 *   `true`/`false`, `null`) are scalars. Objects are maps (object entries have no `form`), tuples lists.
 *   Everything else is an `ExprNode`: `refs` lists the traversals inside (`var.x`, `aws_s3_bucket.b.id`;
 *   index brackets and splats are dropped, so `aws_instance.a[0].id` → `aws_instance.a.id`; for-expression
 *   iterators and bare object keys are not refs). Function calls carry `fn` and converted `args`. Templates
 *   carry `literalParts`: the literal text between interpolations/directives, `holes + 1` pieces, so an
 *   empty last piece means the template ends with an interpolation.
 * - Heredoc values are the body lines including the final newline, `<<-` bodies dedented; `contentSpan` is
 *   the raw body.
 *
 * Broken input: at most five problems (adjacent ones merged), worded for a person typing ("missing value
 * for \"acl\"", "unterminated string", "missing }: this block is not closed..."). Recovery beyond what
 * tree-sitter does: `name =` with nothing after it is dropped (the next line's attribute is kept), and a
 * top-level block (`resource "a" "b" {` at column 0) that an unclosed block swallowed is made top-level
 * again. An unterminated quoted string swallows the rest of the file; keeping the last good result then
 * is the caller's business.
 *
 * Incremental use: pass the previous `tree` after `tree.edit(new Edit({...}))`. Besides tree-sitter's own
 * re-parse, unchanged top-level blocks are taken from the previous result instead of being converted again.
 */

export type TerraformTree = Tree;

export type TerraformFile = ParsedFile & { tree: TerraformTree };

const MAX_PROBLEMS = 5;

/**
 * Parse Terraform text into the model. Pass the previous tree of the same document, already updated with
 * `tree.edit(...)`, to re-parse incrementally. The grammar must be loaded (`loadGrammar('terraform')`).
 * Never throws on bad input: syntax errors become `problems`, and every block the parser recovers is kept.
 */
export function parseTerraform(uri: string, text: string, previous?: TerraformTree): TerraformFile {
  const parser = parserFor('terraform');
  let tree: Tree | null = null;
  try {
    tree = parser.parse(text, previous ?? null);
  } catch {
    tree = null;
  }
  // An old tree that does not match the text (or a parser left in a bad state) must not break analysis.
  if (!tree) {
    parser.reset();
    tree = parser.parse(text);
  }
  if (!tree) throw new Error('tree-sitter returned no tree for a Terraform file');

  const c = new Converter(text, tree.rootNode.hasError, previous ? blockCaches.get(previous) : undefined);
  const roots = c.file(tree.rootNode);
  blockCaches.set(tree, c.cache);
  return {
    uri,
    format: 'terraform',
    text,
    resources: c.resources,
    roots,
    comments: c.sortedComments(),
    problems: c.finishProblems(tree.rootNode),
    toFileSpan: (s) => s,
    tree,
  };
}

/**
 * Converted top-level blocks of a tree, keyed by their source text. When the next parse of the document
 * passes this tree as `previous`, blocks whose text did not change (and that parse without errors) are
 * reused, shifted to their new offsets, instead of being walked again: a keystroke in a 10,000-line file
 * converts one block, not the file.
 */
interface CachedBlock {
  /** Offset of the block when it was converted; spans inside are relative to that. */
  base: number;
  entries: Entry[];
  resources: Resource[];
  comments: Comment[];
  problems: ParseProblem[];
}

type BlockCache = Map<string, CachedBlock>;

const blockCaches = new WeakMap<Tree, BlockCache>();

type Bound = ReadonlySet<string>;
const NO_BOUND: Bound = new Set();

/** Node types that can never hold a reference or a comment: no need to descend. */
const LEAVES = new Set([
  'identifier',
  'numeric_lit',
  'bool_lit',
  'null_lit',
  'string_lit',
  'template_literal',
  'heredoc_identifier',
  'heredoc_start',
  'quoted_template_start',
  'quoted_template_end',
  'template_interpolation_start',
  'template_interpolation_end',
  'template_directive_start',
  'template_directive_end',
  'strip_marker',
  'object_start',
  'object_end',
  'tuple_start',
  'tuple_end',
  'block_start',
  'block_end',
  'ellipsis',
  '=',
  ':',
  ',',
  '.',
  '(',
  ')',
  '[',
  ']',
  '?',
  '=>',
  '.*',
  '[*]',
  '-',
  '!',
  '+',
  '*',
  '/',
  '%',
  '==',
  '!=',
  '<',
  '<=',
  '>',
  '>=',
  '&&',
  '||',
  'for',
  'in',
  'if',
]);

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

class Converter {
  readonly resources: Resource[] = [];
  private readonly comments: Comment[] = [];
  private readonly extraProblems: ParseProblem[] = [];
  private rootEntries: Entry[] = [];
  /** Start of the first block hoisted out of the top-level block being converted (-1: none). */
  private hoistedAt = -1;
  private hoisted = false;
  private readonly borrowedBrace = new Set<number>();
  /** ERROR nodes (by start) already reported by a more precise problem. */
  private readonly explained = new Set<number>();

  readonly cache: BlockCache = new Map();

  /**
   * `recovering`: the tree has syntax errors, so blocks swallowed by an unclosed block may be hoisted.
   * `previous`: the block cache of the tree this one was re-parsed from.
   */
  constructor(
    private readonly text: string,
    private readonly recovering: boolean,
    private readonly previous: BlockCache | undefined,
  ) {}

  // ---------------------------------------------------------------- file and bodies

  file(root: TSNode): Node[] {
    const text = this.text;
    const rootMap: MapNode = { kind: 'map', span: { start: 0, end: text.length }, path: [], entries: [] };
    const kids = root.children;
    if (root.type === 'config_file') {
      for (const k of kids) {
        // `.tfvars.json`: the file is one object.
        if (k.type === 'object') return [this.object(k, [], undefined)];
      }
    }
    this.rootEntries = rootMap.entries;
    this.bodyItems(kids, rootMap.entries, [], true, undefined);
    if (this.hoisted) {
      rootMap.entries.sort((a, b) => a.keySpan.start - b.keySpan.start);
      this.resources.sort((a, b) => a.span.start - b.span.start);
    }
    return [rootMap];
  }

  /**
   * Attributes and blocks of a body into `entries`. `ERROR` nodes are searched for the attributes and
   * blocks the parser recovered inside them. `dynamicLabel`: this is a `dynamic "x"` body, whose `content`
   * block gets the path of an `x` block.
   */
  private bodyItems(kids: TSNode[], entries: Entry[], path: Path, top: boolean, dynamicLabel: string | undefined): void {
    for (const k of kids) {
      switch (k.type) {
        case 'attribute':
          this.attribute(k, entries, path);
          break;
        case 'block':
          if (top) this.topBlock(k, entries);
          else this.block(k, entries, path, top, dynamicLabel);
          break;
        case 'comment':
          this.comment(k);
          break;
        case 'body':
        case 'ERROR':
          this.bodyItems(k.children, entries, path, top, dynamicLabel);
          break;
        default:
          break;
      }
    }
  }

  /** `ERROR` holding exactly `name =`: the identifier. */
  private danglingKey(error: TSNode): TSNode | undefined {
    const kids = error.children;
    if (kids.length !== 2 || kids[0].type !== 'expression' || kids[1].type !== '=') return undefined;
    const inner = kids[0].children;
    if (inner.length !== 1 || inner[0].type !== 'variable_expr') return undefined;
    return inner[0].firstChild ?? undefined;
  }

  /** A top-level block: from the previous parse's cache when its text is unchanged, else converted and cached. */
  private topBlock(node: TSNode, entries: Entry[]): void {
    const start = node.startIndex;
    const clean = !this.recovering || !node.hasError;
    if (!clean) {
      this.block(node, entries, [], true, undefined);
      return;
    }
    const key = this.text.slice(start, node.endIndex);
    const hit = this.previous?.get(key);
    if (hit) {
      const d = start - hit.base;
      if (d === 0) {
        entries.push(...hit.entries);
        this.resources.push(...hit.resources);
        this.comments.push(...hit.comments);
        this.extraProblems.push(...hit.problems);
      } else {
        const seen = new Map<Node, Node>();
        for (const e of hit.entries) entries.push(shiftEntry(e, d, seen));
        for (const r of hit.resources) {
          this.resources.push({
            ...r,
            span: shiftSpan(r.span, d),
            nameSpan: shiftSpan(r.nameSpan, d),
            body: shiftNode(r.body, d, seen) as MapNode,
          });
        }
        for (const c of hit.comments) this.comments.push({ span: shiftSpan(c.span, d), text: c.text });
        for (const p of hit.problems) this.extraProblems.push({ span: shiftSpan(p.span, d), message: p.message });
      }
      this.cache.set(key, hit);
      return;
    }
    const e0 = entries.length;
    const r0 = this.resources.length;
    const c0 = this.comments.length;
    const p0 = this.extraProblems.length;
    this.block(node, entries, [], true, undefined);
    this.cache.set(key, {
      base: start,
      entries: entries.slice(e0),
      resources: this.resources.slice(r0),
      comments: this.comments.slice(c0),
      problems: this.extraProblems.slice(p0),
    });
  }

  private attribute(node: TSNode, entries: Entry[], path: Path): void {
    let keyNode: TSNode | undefined;
    let valueNode: TSNode | undefined;
    let eq: TSNode | undefined;
    let error: TSNode | undefined;
    for (const k of node.children) {
      const t = k.type;
      if (t === 'identifier') keyNode ??= k;
      else if (t === 'expression') valueNode = k;
      else if (t === '=') eq ??= k;
      else if (t === 'ERROR') error ??= k;
      else if (t === 'comment') this.comment(k);
    }
    // `name =` still being typed: nothing to check yet.
    if (!keyNode || !valueNode || (this.recovering && inventedObject(valueNode))) return;
    if (error && eq && this.text.slice(eq.endIndex, error.startIndex).includes('\n')) {
      // `a =⏎ b = "x"` parses as `a = [ERROR: b =] "x"`: `a` has no value and `b = "x"` is the next attribute.
      const nextKey = this.danglingKey(error);
      if (nextKey) {
        this.explained.add(error.startIndex);
        const name = this.slice(keyNode);
        this.extraProblems.push({ span: { start: keyNode.startIndex, end: eq.endIndex }, message: `missing value for ${JSON.stringify(name)}` });
        keyNode = nextKey;
      }
    }
    const key = this.slice(keyNode);
    entries.push({
      key,
      keySpan: span(keyNode),
      value: this.expr(valueNode, [...path, key], undefined),
      form: 'attribute',
    });
  }

  private block(node: TSNode, entries: Entry[], path: Path, top: boolean, dynamicLabel: string | undefined): void {
    const text = this.text;
    let typeNode: TSNode | undefined;
    const labels: string[] = [];
    const labelSpans: Span[] = [];
    let headerEnd = node.startIndex;
    let open = -1;
    let close = -1;
    let inBody = false;
    const bodyKids: TSNode[] = [];
    for (const k of node.children) {
      const t = k.type;
      if (t === 'comment') {
        this.comment(k);
      } else if (inBody) {
        if (t === 'block_end') close = k.endIndex;
        else bodyKids.push(k);
      } else if (t === 'identifier' && !typeNode) {
        typeNode = k;
        headerEnd = k.endIndex;
      } else if (t === 'string_lit') {
        const s = this.stringContent(k);
        labels.push(unescapeQuoted(text.slice(s.start, s.end)));
        labelSpans.push(span(k));
        headerEnd = k.endIndex;
      } else if (t === 'identifier') {
        labels.push(this.slice(k));
        labelSpans.push(span(k));
        headerEnd = k.endIndex;
      } else if (t === 'block_start') {
        open = k.startIndex;
        inBody = true;
      } else {
        bodyKids.push(k); // ERROR in the header: salvage what it holds
      }
    }
    if (!typeNode) return;
    const kind = this.slice(typeNode);
    if (!top && this.recovering && looksTopLevel(kind, labels.length) && this.atLineStart(node.startIndex)) {
      // `resource "a" "b" {` at column 0 inside another block: the block above is missing its `}`.
      // Treat it as the top-level block it was meant to be, so it is still analysed while the user types.
      if (this.hoistedAt < 0) this.hoistedAt = node.startIndex;
      this.hoisted = true;
      const saved = this.hoistedAt;
      this.hoistedAt = -1;
      this.block(node, this.rootEntries, [], true, undefined);
      this.hoistedAt = saved;
      return;
    }
    let blockEnd = node.endIndex;
    const mapSpan: Span = { start: open >= 0 ? open : node.startIndex, end: close >= 0 ? close : blockEnd };

    const isContent = dynamicLabel !== undefined && kind === 'content';
    const mapPath: Path = top ? [] : isContent ? [...path.slice(0, -1), dynamicLabel] : [...path, kind];
    const map: MapNode = { kind: 'map', span: mapSpan, path: mapPath, entries: [] };
    const childDynamic = kind === 'dynamic' && !top ? labels[0] : undefined;
    const savedHoist = this.hoistedAt;
    if (top) this.hoistedAt = -1;
    this.bodyItems(bodyKids, map.entries, mapPath, false, childDynamic);
    if (top) {
      if (this.hoistedAt >= 0) {
        // End this block where the swallowed block begins.
        let end = this.hoistedAt;
        while (end > mapSpan.start && /\s/.test(text[end - 1])) end--;
        blockEnd = end;
        if (mapSpan.end > end) mapSpan.end = end;
      }
      this.hoistedAt = savedHoist;
    }

    entries.push({ key: kind, keySpan: span(typeNode), value: map, form: 'block', labels });
    if (childDynamic !== undefined) {
      const content = map.entries.find((e) => e.form === 'block' && e.key === 'content');
      if (content) entries.push({ key: childDynamic, keySpan: labelSpans[0], value: content.value, form: 'block', labels: [] });
    }

    if (top) {
      let type = '';
      let name = '';
      switch (kind) {
        case 'resource':
        case 'data':
          type = labels[0] ?? '';
          name = labels[1] ?? '';
          break;
        case 'provider':
          type = labels[0] ?? '';
          name = type;
          break;
        case 'module':
        case 'variable':
        case 'output':
          name = labels[0] ?? '';
          break;
        default:
          if (labels.length >= 2) {
            type = labels[0];
            name = labels[1];
          } else {
            name = labels[0] ?? '';
          }
      }
      this.resources.push({
        kind,
        type,
        name,
        span: { start: node.startIndex, end: blockEnd },
        nameSpan: { start: node.startIndex, end: headerEnd },
        body: map,
      });
    }
  }

  // ---------------------------------------------------------------- expressions

  /** Convert an `expression` node. Traversals found inside are added to `refs` (the enclosing expression's). */
  private expr(node: TSNode, path: Path, refs: string[] | undefined): Node {
    const kids = node.children;
    let only: TSNode | undefined;
    let count = 0;
    for (const k of kids) {
      if (k.type === 'comment') this.comment(k);
      else {
        only = k;
        count++;
      }
    }
    if (count === 1 && only) {
      switch (only.type) {
        case 'literal_value':
          return this.literal(only, path);
        case 'template_expr': {
          const t = only.firstChild;
          if (t) return this.template(t, node, path, refs);
          break;
        }
        case 'collection_value': {
          for (const c of only.children) {
            if (c.type === 'object') return this.object(c, path, refs);
            if (c.type === 'tuple') return this.tuple(c, path, refs);
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
    } else if (count === 3 && kids[0].type === '(' && kids[1].type === 'expression' && kids[2].type === ')') {
      return this.expr(kids[1], path, refs);
    }
    return this.generic(node, path, refs);
  }

  private generic(node: TSNode, path: Path, refs: string[] | undefined): ExprNode {
    const own: string[] = [];
    this.scanList(node.children, own, NO_BOUND);
    addRefs(refs, own);
    return { kind: 'expr', span: span(node), path, text: this.slice(node), refs: own };
  }

  private literal(node: TSNode, path: Path): Node {
    const v = node.firstChild;
    const s = span(node);
    if (!v) return { kind: 'expr', span: s, path, text: this.slice(node), refs: [] };
    switch (v.type) {
      case 'string_lit': {
        const c = this.stringContent(v);
        const raw = this.text.slice(c.start, c.end);
        if (raw.includes('\n')) this.unterminated(v.startIndex);
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
  private negativeNumber(op: TSNode, path: Path): ScalarNode | undefined {
    const u = op.firstChild;
    if (!u || u.type !== 'unary_operation') return undefined;
    const kids = u.children;
    if (kids.length !== 2 || kids[0].type !== '-' || kids[1].type !== 'literal_value') return undefined;
    const lit = kids[1].firstChild;
    if (!lit || lit.type !== 'numeric_lit') return undefined;
    const n = Number(this.slice(lit));
    if (Number.isNaN(n)) return undefined;
    const s = span(op);
    return { kind: 'scalar', span: s, path, value: -n, contentSpan: s };
  }

  /** Span of a quoted string's content (between the quotes; to the end when the closing quote is missing). */
  private stringContent(str: TSNode): Span {
    let start = str.startIndex + 1;
    let end = str.endIndex;
    // Without syntax errors both quotes are there: no need to ask the tree.
    if (!this.recovering) return { start, end: Math.max(start, end - 1) };
    const last = str.lastChild;
    if (last && last.type === 'quoted_template_end') end = last.startIndex;
    const first = str.firstChild;
    if (first && first.type === 'quoted_template_start') start = first.endIndex;
    return { start, end: Math.max(start, end) };
  }

  private template(t: TSNode, exprNode: TSNode, path: Path, refs: string[] | undefined): Node {
    const text = this.text;
    const kids = t.children;
    const holes: Span[] = [];
    const own: string[] = [];
    let content: Span;
    let heredoc = false;
    let strip = false;
    if (t.type === 'heredoc_template') {
      heredoc = true;
      let openEnd = t.startIndex;
      let closeStart = t.endIndex;
      let seenOpen = false;
      for (const k of kids) {
        const kt = k.type;
        if (kt === 'heredoc_start') strip = text.charCodeAt(k.endIndex - 1) === 45; // `<<-`
        else if (kt === 'heredoc_identifier') {
          if (!seenOpen) {
            seenOpen = true;
            openEnd = k.endIndex;
          } else closeStart = k.startIndex;
        }
      }
      let bodyStart = text.indexOf('\n', openEnd);
      bodyStart = bodyStart < 0 || bodyStart >= closeStart ? Math.min(openEnd, closeStart) : bodyStart + 1;
      let bodyEnd = closeStart;
      while (bodyEnd > bodyStart && (text.charCodeAt(bodyEnd - 1) === 32 || text.charCodeAt(bodyEnd - 1) === 9)) bodyEnd--;
      content = { start: bodyStart, end: bodyEnd };
    } else {
      let start = t.startIndex + 1;
      let end = t.endIndex;
      for (const k of kids) {
        if (k.type === 'quoted_template_start') start = k.endIndex;
        else if (k.type === 'quoted_template_end') end = k.startIndex;
      }
      content = { start, end: Math.max(start, end) };
    }
    this.templateParts(kids, holes, own, NO_BOUND);

    const s = span(exprNode);
    if (holes.length === 0) {
      const raw = text.slice(content.start, content.end);
      let value: string;
      if (heredoc) value = strip ? dedent(raw) : unescapeTemplateOnly(raw);
      else {
        if (raw.includes('\n')) this.unterminated(t.startIndex);
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

  /** Interpolations and directive markers of a template (the holes between literal text), and their refs. */
  private templateParts(kids: TSNode[], holes: Span[], refs: string[], bound: Bound): void {
    for (const k of kids) {
      switch (k.type) {
        case 'template_interpolation':
        case 'template_if_intro':
        case 'template_else_intro':
        case 'template_if_end':
        case 'template_for_end':
          holes.push(span(k));
          this.scanList(k.children, refs, bound);
          break;
        case 'template_directive':
        case 'template_if':
          this.templateParts(k.children, holes, refs, bound);
          break;
        case 'template_for': {
          const forKids = k.children;
          let inner = bound;
          for (const f of forKids) {
            if (f.type !== 'template_for_start') continue;
            holes.push(span(f));
            this.scanList(f.children, refs, bound);
            inner = this.bind(f, bound);
          }
          this.templateParts(
            forKids.filter((f) => f.type !== 'template_for_start'),
            holes,
            refs,
            inner,
          );
          break;
        }
        default:
          break;
      }
    }
  }

  private call(fnNode: TSNode, exprNode: TSNode, path: Path, refs: string[] | undefined): ExprNode {
    const own: string[] = [];
    const args: Node[] = [];
    let fn = '';
    for (const k of fnNode.children) {
      const t = k.type;
      if (t === 'identifier') fn = this.slice(k);
      else if (t === 'function_arguments') {
        for (const a of k.children) {
          if (a.type === 'expression') args.push(this.expr(a, path, own));
          else if (a.type === 'comment') this.comment(a);
        }
      } else if (t === 'comment') this.comment(k);
    }
    addRefs(refs, own);
    return { kind: 'expr', span: span(exprNode), path, text: this.slice(exprNode), fn, args, refs: own };
  }

  private object(node: TSNode, path: Path, refs: string[] | undefined): MapNode {
    const map: MapNode = { kind: 'map', span: span(node), path, entries: [] };
    this.objectElems(node.children, map.entries, path, refs);
    return map;
  }

  private objectElems(kids: TSNode[], entries: Entry[], path: Path, refs: string[] | undefined): void {
    const text = this.text;
    for (const k of kids) {
      const t = k.type;
      if (t === 'comment') {
        this.comment(k);
        continue;
      }
      if (t === 'ERROR') {
        this.objectElems(k.children, entries, path, refs);
        continue;
      }
      if (t !== 'object_elem') continue;
      let keyExpr: TSNode | undefined;
      let valExpr: TSNode | undefined;
      for (const e of k.children) {
        if (e.type === 'expression') {
          if (!keyExpr) keyExpr = e;
          else valExpr = e;
        } else if (e.type === 'comment') this.comment(e);
      }
      if (!keyExpr || !valExpr) continue;
      let key: string | undefined;
      let keySpan: Span | undefined;
      const keyKids = keyExpr.children;
      if (keyKids.length === 1) {
        const kk = keyKids[0];
        if (kk.type === 'variable_expr') {
          key = this.slice(kk);
          keySpan = span(kk);
        } else if (kk.type === 'literal_value') {
          const lit = kk.firstChild;
          if (lit && lit.type === 'string_lit') {
            const c = this.stringContent(lit);
            key = unescapeQuoted(text.slice(c.start, c.end));
          } else key = this.slice(kk);
          keySpan = span(kk);
        }
      }
      if (key === undefined || !keySpan) {
        // `(var.k) = v`, `"${var.p}-x" = v`: the key is an expression; keep its text.
        key = this.slice(keyExpr);
        keySpan = span(keyExpr);
        const own: string[] = [];
        this.scanList(keyKids, own, NO_BOUND);
        addRefs(refs, own);
      }
      entries.push({ key, keySpan, value: this.expr(valExpr, [...path, key], refs) });
    }
  }

  private tuple(node: TSNode, path: Path, refs: string[] | undefined): ListNode {
    const items: Node[] = [];
    for (const k of node.children) {
      const t = k.type;
      if (t === 'expression') items.push(this.expr(k, [...path, items.length], refs));
      else if (t === 'comment') this.comment(k);
    }
    return { kind: 'list', span: span(node), path, items };
  }

  // ---------------------------------------------------------------- references

  /** Collect the traversals among sibling nodes (a traversal is `variable_expr` followed by get_attr/index/splat siblings). */
  private scanList(kids: TSNode[], refs: string[], bound: Bound): void {
    const n = kids.length;
    for (let i = 0; i < n; i++) {
      const k = kids[i];
      const t = k.type;
      if (LEAVES.has(t)) continue;
      switch (t) {
        case 'comment':
          this.comment(k);
          break;
        case 'variable_expr':
          i = this.traversal(kids, i, refs, bound);
          break;
        case 'object_elem':
          this.scanObjectElem(k, refs, bound);
          break;
        case 'for_tuple_expr':
        case 'for_object_expr':
        case 'template_for':
          this.scanFor(k, refs, bound);
          break;
        default:
          this.scanList(k.children, refs, bound);
      }
    }
  }

  private traversal(kids: TSNode[], i: number, refs: string[], bound: Bound): number {
    const text = this.text;
    const root = this.slice(kids[i]);
    let ref = root;
    let j = i + 1;
    for (; j < kids.length; j++) {
      const k = kids[j];
      const t = k.type;
      if (t === 'get_attr') ref += '.' + getAttrName(text, k);
      else if (t === 'index') this.scanList(k.children, refs, bound);
      else if (t === 'splat') {
        for (const s of k.children) {
          for (const p of s.children) {
            if (p.type === 'get_attr') ref += '.' + getAttrName(text, p);
            else if (p.type === 'index') this.scanList(p.children, refs, bound);
          }
        }
      } else if (t === 'comment') this.comment(k);
      else break;
    }
    if (!bound.has(root) && !refs.includes(ref)) refs.push(ref);
    return j - 1;
  }

  private scanObjectElem(elem: TSNode, refs: string[], bound: Bound): void {
    let first = true;
    for (const e of elem.children) {
      if (e.type === 'comment') this.comment(e);
      if (e.type !== 'expression') continue;
      if (first) {
        first = false;
        // A bare identifier key (`{ Name = ... }`) is a literal key, not a reference.
        const kk = e.children;
        if (kk.length === 1 && kk[0].type === 'variable_expr') continue;
      }
      this.scanList(e.children, refs, bound);
    }
  }

  /** A for-expression or `%{ for }` directive: its iterator names are not references inside it. */
  private scanFor(node: TSNode, refs: string[], bound: Bound): void {
    const kids = node.children;
    let inner = bound;
    const rest: TSNode[] = [];
    for (const k of kids) {
      if (k.type === 'for_intro' || k.type === 'template_for_start') {
        this.scanList(k.children, refs, bound);
        inner = this.bind(k, bound);
      } else rest.push(k);
    }
    this.scanList(rest, refs, inner);
  }

  private bind(intro: TSNode, bound: Bound): Bound {
    const names = new Set(bound);
    for (const k of intro.children) if (k.type === 'identifier') names.add(this.slice(k));
    return names;
  }

  // ---------------------------------------------------------------- comments and problems

  private comment(node: TSNode): void {
    const text = this.text;
    const start = node.startIndex;
    let end = node.endIndex;
    if (text.charCodeAt(end - 1) === 13) end--; // `# ...\r\n`
    const c0 = text.charCodeAt(start);
    let body: string;
    if (c0 === 35) body = text.slice(start + 1, end); // #
    else if (text.charCodeAt(start + 1) === 47) body = text.slice(start + 2, end); // //
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
  private unterminated(start: number): void {
    this.extraProblems.push({ span: { start, end: this.lineEnd(start) }, message: 'unterminated string: missing closing "' });
  }

  finishProblems(root: TSNode): ParseProblem[] {
    const found = [...this.extraProblems];
    if (root.hasError) {
      if (root.type === 'ERROR' && root.childCount === 0) found.push(this.errorProblem(root));
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

  private findErrors(node: TSNode, out: ParseProblem[]): void {
    if (node.type === 'ERROR') {
      if (!this.explained.has(node.startIndex)) out.push(this.errorProblem(node));
      return;
    }
    for (const k of node.children) {
      if (out.length > MAX_PROBLEMS * 4) return;
      if (k.isMissing) {
        const p = this.missingProblem(k);
        if (p) out.push(p);
      }
      else if (k.type === 'ERROR') {
        if (!this.explained.has(k.startIndex)) out.push(this.errorProblem(k));
      }
      else if (k.hasError) this.findErrors(k, out);
    }
  }

  private errorProblem(node: TSNode): ParseProblem {
    const unclosed = this.unclosedOpener(node);
    if (unclosed) return unclosed;
    let leaf = node;
    for (let c = leaf.firstChild; c; c = c.firstChild) leaf = c;
    const start = node.startIndex;
    const lineEnd = this.lineEnd(start);
    const end = Math.max(start, Math.min(node.endIndex, lineEnd));
    let token = this.text.slice(leaf.startIndex, Math.min(Math.max(leaf.endIndex, leaf.startIndex + 1), lineEnd));
    if (!token.trim()) token = this.text.slice(start, end);
    token = token.trim();
    // Only punctuation is quoted: any other token may be a value (a key, a password), and the span points at it.
    const message = /^[^\w\s"']{1,3}$/.test(token) ? `syntax error: unexpected ${JSON.stringify(token)}` : token ? 'syntax error: unexpected text' : 'syntax error';
    return { span: { start, end }, message };
  }

  /**
   * The usual cause of an ERROR that runs on: a string, interpolation or brace opened inside it and never
   * closed. Report that opener rather than the ERROR's first token.
   */
  private unclosedOpener(node: TSNode): ParseProblem | undefined {
    const text = this.text;
    const open: TSNode[] = [];
    for (const k of node.children) {
      const t = k.type;
      if (t === 'string_lit' || t === 'quoted_template' || t === 'template_expr') {
        const s = k.startIndex;
        const nl = text.indexOf('\n', s);
        if (nl >= 0 && nl < k.endIndex) return { span: { start: s, end: this.lineEnd(s) }, message: 'unterminated string: missing closing "' };
      } else if (t === 'quoted_template_start' || t === 'template_interpolation_start' || t === '{' || t === 'block_start' || t === 'object_start' || t === '[' || t === 'tuple_start' || t === '(') {
        open.push(k);
      } else if (t === 'quoted_template_end') {
        closeLast(open, 'quoted_template_start');
      } else if (t === 'template_interpolation_end') {
        closeLast(open, 'template_interpolation_start');
      } else if (t === '}' || t === 'block_end' || t === 'object_end') {
        closeLast(open, '{', 'block_start', 'object_start');
      } else if (t === ']' || t === 'tuple_end') {
        closeLast(open, '[', 'tuple_start');
      } else if (t === ')') {
        closeLast(open, '(');
      }
    }
    const last = open[open.length - 1];
    if (!last) return undefined;
    const s = last.startIndex;
    const messages: Record<string, string> = {
      quoted_template_start: 'unterminated string: missing closing "',
      template_interpolation_start: 'unterminated interpolation: missing }',
      '[': 'missing ]',
      tuple_start: 'missing ]',
      '(': 'missing )',
    };
    const message = messages[last.type] ?? 'missing }';
    return { span: { start: s, end: Math.max(last.endIndex, Math.min(node.endIndex, this.lineEnd(s))) }, message };
  }

  private missingProblem(node: TSNode): ParseProblem | undefined {
    const t = node.type;
    const parent = node.parent;
    const what = MISSING_NAMES[t] ?? (node.isNamed ? t.replace(/_/g, ' ') : t);
    let message = `missing ${what}`;
    if (t === '{' && parent?.type === 'object_start') {
      // `name =` with nothing after it: the parser invents `{` to pair with the next `}`.
      let attr: TSNode | null = parent;
      for (let i = 0; attr && i < 4 && attr.type !== 'attribute'; i++) attr = attr.parent;
      if (attr && attr.type === 'attribute') {
        const key = attr.firstChild;
        const name = key ? this.slice(key) : '';
        const eq = attr.child(1);
        // That invented object took the `}` of the enclosing block: its "missing }" is not a second error.
        const owner = attr.parent?.type === 'body' ? attr.parent.parent : null;
        if (owner) this.borrowedBrace.add(owner.startIndex);
        return {
          span: { start: attr.startIndex, end: eq && eq.type === '=' ? eq.endIndex : attr.startIndex + name.length },
          message: `missing value for ${JSON.stringify(name)}`,
        };
      }
    }
    const opener = t === '}' || t === ']' || t === 'block_end' || t === 'object_end' || t === 'tuple_end' ? parent : undefined;
    let owner = opener;
    if (owner && (owner.type === 'block_end' || owner.type === 'object_end' || owner.type === 'tuple_end')) owner = owner.parent;
    if (owner && owner.type === 'block' && this.borrowedBrace.has(owner.startIndex)) return undefined;
    if (owner && (owner.type === 'block' || owner.type === 'object' || owner.type === 'tuple')) {
      const what2 = owner.type === 'tuple' ? 'list' : owner.type;
      if (this.text.slice(node.startIndex).trim() === '') {
        // The file ends inside it: point at the opening line, where the user is likely typing, not at EOF.
        const start = owner.startIndex;
        return { span: { start, end: this.lineEnd(start) }, message: `${message}: this ${what2} is not closed before the end of the file` };
      }
      message += ` to close the ${what2} opened on line ${this.lineOf(owner.startIndex) + 1}`;
    } else if (t === 'heredoc_identifier') {
      message = 'missing heredoc end marker';
    }
    return { span: { start: node.startIndex, end: node.endIndex }, message };
  }

  // ---------------------------------------------------------------- text helpers

  private atLineStart(offset: number): boolean {
    if (offset === 0) return true;
    const c = this.text.charCodeAt(offset - 1);
    return c === 10 || c === 13;
  }

  private slice(node: TSNode): string {
    return this.text.slice(node.startIndex, node.endIndex);
  }

  private lineEnd(offset: number): number {
    const nl = this.text.indexOf('\n', offset);
    const end = nl < 0 ? this.text.length : nl;
    return end > offset && this.text.charCodeAt(end - 1) === 13 ? end - 1 : end;
  }

  private lineOf(offset: number): number {
    let line = 0;
    const text = this.text;
    for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
    return line;
  }
}

/** Block types that only exist at the top level of a Terraform file, with their label count. */
const TOP_LEVEL_LABELS: Record<string, number> = {
  resource: 2,
  data: 2,
  ephemeral: 2,
  module: 1,
  provider: 1,
  variable: 1,
  output: 1,
  locals: 0,
  terraform: 0,
  moved: 0,
  import: 0,
  removed: 0,
};

function looksTopLevel(kind: string, labels: number): boolean {
  return Object.hasOwn(TOP_LEVEL_LABELS, kind) && TOP_LEVEL_LABELS[kind] === labels;
}

/** `name =\n}`: the parser recovers with an object whose `{` it invented. There is no value. */
function inventedObject(expression: TSNode): boolean {
  const coll = expression.firstChild;
  if (!coll || coll.type !== 'collection_value') return false;
  const obj = coll.firstChild;
  if (!obj || obj.type !== 'object') return false;
  const open = obj.firstChild;
  return !!open && open.type === 'object_start' && (open.isMissing || !!open.firstChild?.isMissing);
}

function shiftSpan(s: Span, d: number): Span {
  return { start: s.start + d, end: s.end + d };
}

function shiftEntry(e: Entry, d: number, seen: Map<Node, Node>): Entry {
  const out: Entry = { ...e, keySpan: shiftSpan(e.keySpan, d), value: shiftNode(e.value, d, seen) };
  return out;
}

/** A copy of a converted node moved by `d` characters (shared nodes stay shared). */
function shiftNode(n: Node, d: number, seen: Map<Node, Node>): Node {
  const done = seen.get(n);
  if (done) return done;
  const sp = shiftSpan(n.span, d);
  let out: Node;
  switch (n.kind) {
    case 'map':
      out = { ...n, span: sp, entries: n.entries.map((e) => shiftEntry(e, d, seen)) };
      break;
    case 'list':
      out = { ...n, span: sp, items: n.items.map((i) => shiftNode(i, d, seen)) };
      break;
    case 'scalar':
      out = { ...n, span: sp };
      if (n.contentSpan) out.contentSpan = n.contentSpan === n.span ? sp : shiftSpan(n.contentSpan, d);
      break;
    case 'expr':
      out = { ...n, span: sp };
      if (n.args) out.args = n.args.map((a) => shiftNode(a, d, seen));
      break;
  }
  seen.set(n, out);
  return out;
}

function closeLast(open: TSNode[], ...types: string[]): void {
  for (let i = open.length - 1; i >= 0; i--) {
    if (types.includes(open[i].type)) {
      open.splice(i, 1);
      return;
    }
  }
}

function span(node: TSNode): Span {
  return { start: node.startIndex, end: node.endIndex };
}

function addRefs(into: string[] | undefined, refs: string[]): void {
  if (!into) return;
  for (const r of refs) if (!into.includes(r)) into.push(r);
}

function getAttrName(text: string, getAttr: TSNode): string {
  // `.name`, possibly with blanks after the dot.
  let s = getAttr.startIndex + 1;
  const e = getAttr.endIndex;
  while (s < e && /\s/.test(text[s])) s++;
  return text.slice(s, e);
}

/** Escapes of a quoted HCL string: `\n \r \t \" \\ \uNNNN \UNNNNNNNN`, and `$${` / `%%{` for literal `${` / `%{`. */
export function unescapeQuoted(raw: string): string {
  if (!raw.includes('\\') && !raw.includes('$${') && !raw.includes('%%{')) return raw;
  let out = '';
  const n = raw.length;
  for (let i = 0; i < n; i++) {
    const ch = raw[i];
    if (ch === '\\' && i + 1 < n) {
      const e = raw[i + 1];
      switch (e) {
        case 'n':
          out += '\n';
          i++;
          continue;
        case 'r':
          out += '\r';
          i++;
          continue;
        case 't':
          out += '\t';
          i++;
          continue;
        case '"':
        case '\\':
          out += e;
          i++;
          continue;
        case 'u':
        case 'U': {
          const len = e === 'u' ? 4 : 8;
          const hex = raw.slice(i + 2, i + 2 + len);
          if (hex.length === len && /^[0-9a-fA-F]+$/.test(hex)) {
            const cp = parseInt(hex, 16);
            if (cp <= 0x10ffff) {
              out += String.fromCodePoint(cp);
              i += 1 + len;
              continue;
            }
          }
          break;
        }
        default:
          break;
      }
      out += ch;
      continue;
    }
    if ((ch === '$' || ch === '%') && raw[i + 1] === ch && raw[i + 2] === '{') {
      out += ch + '{';
      i += 2;
      continue;
    }
    out += ch;
  }
  return out;
}

/** Heredocs take no backslash escapes; only `$${` and `%%{`. */
function unescapeTemplateOnly(raw: string): string {
  if (!raw.includes('$${') && !raw.includes('%%{')) return raw;
  return raw.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{');
}

/** `<<-` heredoc: remove the indentation common to all non-blank lines. */
function dedent(raw: string): string {
  const indent = commonIndent(raw);
  return unescapeTemplateOnly(indent > 0 ? stripIndent(raw, indent, true) : raw);
}

/** The smallest indentation (spaces/tabs) of the non-blank lines of a heredoc body. */
function commonIndent(raw: string): number {
  let min = Infinity;
  let i = 0;
  const n = raw.length;
  while (i < n) {
    let j = i;
    while (j < n && (raw.charCodeAt(j) === 32 || raw.charCodeAt(j) === 9)) j++;
    const c = raw.charCodeAt(j);
    if (j < n && c !== 10 && c !== 13 && j - i < min) min = j - i;
    const nl = raw.indexOf('\n', j);
    if (nl < 0) break;
    i = nl + 1;
  }
  return min === Infinity ? 0 : min;
}

/** Remove up to `indent` blanks after each line break (and at the start when `atLineStart`). */
function stripIndent(raw: string, indent: number, atLineStart: boolean): string {
  let out = '';
  let i = 0;
  const n = raw.length;
  let lineStart = atLineStart;
  while (i < n) {
    if (lineStart) {
      let k = 0;
      while (k < indent && i < n && (raw.charCodeAt(i) === 32 || raw.charCodeAt(i) === 9)) {
        i++;
        k++;
      }
    }
    const nl = raw.indexOf('\n', i);
    if (nl < 0) {
      out += raw.slice(i);
      break;
    }
    out += raw.slice(i, nl + 1);
    i = nl + 1;
    lineStart = true;
  }
  return out;
}
