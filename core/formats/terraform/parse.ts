import type { Language, Tree } from 'web-tree-sitter';
import type { Comment, Entry, ExprNode, ListNode, MapNode, Node, ParsedFile, ParseProblem, Path, Resource, ScalarNode, Span } from '../../model';
import { parserFor, walkTree } from '../../wasm';
import { commonIndent, dedent, stripIndent, unescapeQuoted, unescapeTemplateOnly } from './hcl-strings';
import { shiftComment, shiftEntry, shiftNode, shiftProblem, shiftResource } from '../../parsers/shift';

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
 *
 * Speed: asking web-tree-sitter for nodes (`children`, `type`, `endIndex`...) costs a trip into wasm and a
 * JS object each, more than the parse itself. So the tree is first copied, in one cursor walk, into a
 * `NodeTable` (typed arrays: type, offsets, first child, next sibling, parent, error flags), leaving out
 * what conversion never reads: in a tree without errors the inside of literals, names, traversal steps and
 * braces, and the blocks the previous parse's cache will supply. The conversion then reads only the table.
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

  const recovering = tree.rootNode.hasError;
  const cache = previous ? blockCaches.get(previous) : undefined;
  const types = typesOf(tree.language);
  const root = readTree(TABLE, tree, types, text, recovering, cache);
  const c = new Converter(text, recovering, cache, TABLE, types);
  const roots = c.file(root);
  const problems = c.finishProblems(root);
  TABLE.trim();
  blockCaches.set(tree, c.cache);
  return {
    uri,
    format: 'terraform',
    text,
    resources: c.resources,
    roots,
    comments: c.sortedComments(),
    problems,
    toFileSpan: (s) => s,
    tree,
  };
}

/**
 * `parseTerraform` for a file parsed once, never re-parsed from its tree (a scan, a file read from disk).
 * A repository often holds the same file many times (generated modules, copied examples), one copy after
 * the other in a scan: a text met among the last few parsed here gets a copy of that result, model and
 * tree (`Tree.copy` shares tree-sitter's nodes), instead of a parse. Its tree carries no converted blocks
 * for an incremental re-parse to reuse.
 */
export function parseTerraformFile(uri: string, text: string): TerraformFile {
  if (text.length > RECENT_MAX_CHARS) return parseTerraform(uri, text);
  const i = RECENT.findIndex((r) => r.text === text);
  if (i >= 0) {
    const [r] = RECENT.splice(i, 1);
    RECENT.unshift(r);
    return repeat(uri, text, r);
  }
  const file = parseTerraform(uri, text);
  RECENT.unshift({ ...file, tree: file.tree.copy() });
  for (const old of RECENT.splice(RECENT_COUNT)) old.tree.delete();
  return file;
}

/** The last files `parseTerraformFile` parsed, most recent first, each with its own copy of the tree. */
const RECENT: TerraformFile[] = [];
const RECENT_COUNT = 8;
/** Larger files are not kept: the trees held here stay small. */
const RECENT_MAX_CHARS = 64 * 1024;

/** `file`, parsed before from the same text, for `uri`: its own copy of everything. */
function repeat(uri: string, text: string, file: TerraformFile): TerraformFile {
  const seen = new Map<Node, Node>();
  return {
    uri,
    format: 'terraform',
    text,
    resources: file.resources.map((r) => shiftResource(r, 0, seen)),
    roots: file.roots.map((n) => shiftNode(n, 0, seen)),
    comments: file.comments.map((c) => shiftComment(c, 0)),
    problems: file.problems.map((p) => shiftProblem(p, 0)),
    toFileSpan: (s) => s,
    tree: file.tree.copy(),
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

/**
 * Named node types whose inside conversion never reads when the tree has no errors: literals and names are
 * sliced from the text (a string literal between its quotes, a traversal step `.name` after the dot), the
 * braces of blocks, objects and tuples only matter by their position. With errors, `stringContent`,
 * `danglingKey`, `inventedObject` and the problem wording look inside.
 */
const OPAQUE_WHEN_CLEAN = new Set([
  'string_lit',
  'numeric_lit',
  'bool_lit',
  'null_lit',
  'template_literal',
  'identifier',
  'comment',
  'heredoc_identifier',
  'variable_expr',
  'get_attr',
  'block_start',
  'block_end',
  'object_start',
  'object_end',
  'tuple_start',
  'tuple_end',
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

// ---------------------------------------------------------------- the node table

/** A node: its row in the `NodeTable`. */
type N = number;
const NONE = -1;

const MISSING = 1;
const HAS_ERROR = 2;
/** Reached from the root through `body`/`ERROR` nodes only: an item `bodyItem` converts with `top`. */
const TOP = 4;

/** The grammar's node types by type id, as small numbers (`slot`) indexing the tables here. */
interface Types {
  /** Type name by slot; the last slot is `ERROR`. */
  names: string[];
  /** Slot of a type id (`ERROR`, id 65535, and unknown ids get the last slot). */
  slot(id: number): number;
  /** By slot: `LEAVES` member. */
  leaf: Uint8Array;
  /** By slot: anonymous, or in `OPAQUE_WHEN_CLEAN`. */
  opaque: Uint8Array;
  /** By slot: a named node type. */
  named: Uint8Array;
  block: number;
  body: number;
  error: number;
}

const typeTables = new WeakMap<Language, Types>();

function typesOf(language: Language): Types {
  let t = typeTables.get(language);
  if (t) return t;
  const count = language.types.length;
  const names: string[] = [];
  const leaf = new Uint8Array(count + 1);
  const opaque = new Uint8Array(count + 1);
  const named = new Uint8Array(count + 1);
  for (let id = 0; id <= count; id++) {
    // web-tree-sitter's `type`: `types[id] || "ERROR"`.
    const name = (id < count && language.types[id]) || 'ERROR';
    names.push(name);
    const isNamed = id < count ? language.nodeTypeIsNamed(id) : true;
    named[id] = isNamed ? 1 : 0;
    leaf[id] = LEAVES.has(name) ? 1 : 0;
    opaque[id] = !isNamed || OPAQUE_WHEN_CLEAN.has(name) ? 1 : 0;
  }
  t = {
    names,
    slot: (id) => Math.min(id, count),
    leaf,
    opaque,
    named,
    block: names.indexOf('block'),
    body: names.indexOf('body'),
    error: count,
  };
  typeTables.set(language, t);
  return t;
}

/** Rows a `NodeTable` keeps between parses (~23 bytes each); a larger file's rows are let go after it. */
const KEPT_ROWS = 1 << 16;

/** A syntax tree copied out of wasm memory. Rows are reused from one parse to the next. */
class NodeTable {
  count = 0;
  type = new Uint16Array(0);
  start = new Int32Array(0);
  end = new Int32Array(0);
  first = new Int32Array(0);
  next = new Int32Array(0);
  parent = new Int32Array(0);
  flags = new Uint8Array(0);
  /** Text of the top-level blocks looked up in the previous parse's cache (the key, its hash computed). */
  readonly blockKeys = new Map<N, string>();

  constructor() {
    this.grow(4096);
  }

  /** After a parse: give back the memory a very large file needed. */
  trim(): void {
    this.blockKeys.clear();
    if (this.type.length <= KEPT_ROWS) return;
    this.count = 0;
    this.grow(KEPT_ROWS);
  }

  add(type: number, start: number, end: number, parent: N, flags: number): N {
    const n = this.count;
    if (n === this.type.length) this.grow(n * 2);
    this.count = n + 1;
    this.type[n] = type;
    this.start[n] = start;
    this.end[n] = end;
    this.first[n] = NONE;
    this.next[n] = NONE;
    this.parent[n] = parent;
    this.flags[n] = flags;
    return n;
  }

  private grow(size: number): void {
    const copy = <T extends Uint16Array | Int32Array | Uint8Array>(a: T, b: T): T => {
      b.set(a.subarray(0, this.count));
      return b;
    };
    this.type = copy(this.type, new Uint16Array(size));
    this.start = copy(this.start, new Int32Array(size));
    this.end = copy(this.end, new Int32Array(size));
    this.first = copy(this.first, new Int32Array(size));
    this.next = copy(this.next, new Int32Array(size));
    this.parent = copy(this.parent, new Int32Array(size));
    this.flags = copy(this.flags, new Uint8Array(size));
  }
}

const TABLE = new NodeTable();

/**
 * Copy `tree` into `table`; returns the root. Without errors the inside of tokens and of the
 * `OPAQUE_WHEN_CLEAN` types is left out; a top-level block the previous parse's cache holds (unchanged text, no errors) is kept without its inside,
 * since `Converter.topBlock` takes it from the cache. With errors, nodes under an erroneous parent carry
 * `MISSING` and `HAS_ERROR`.
 */
function readTree(table: NodeTable, tree: Tree, types: Types, text: string, recovering: boolean, cache: BlockCache | undefined): N {
  table.count = 0;
  table.blockKeys.clear();
  const w = walkTree(tree);
  try {
    const root = table.add(types.slot(w.typeId()), w.startIndex(), w.endIndex(), NONE, recovering ? HAS_ERROR : 0);
    if (!w.gotoFirstChild()) return root;
    const { opaque, block, body, error } = types;
    let parent = root;
    let prev = NONE;
    for (;;) {
      const type = types.slot(w.typeId());
      const start = w.startIndex();
      const end = w.endIndex();
      const pf = table.flags[parent];
      let f = 0;
      if (pf & HAS_ERROR) f = (w.isMissing() ? MISSING : 0) | (w.hasError() ? HAS_ERROR : 0);
      if (parent === root || (pf & TOP && (table.type[parent] === body || table.type[parent] === error))) f |= TOP;
      const n = table.add(type, start, end, parent, f);
      if (prev === NONE) table.first[parent] = n;
      else table.next[prev] = n;
      let skip = !recovering && opaque[type] === 1;
      if (f & TOP && type === block && cache !== undefined && !(f & HAS_ERROR)) {
        const key = text.slice(start, end);
        table.blockKeys.set(n, key);
        skip = cache.has(key);
      }
      if (!skip && w.gotoFirstChild()) {
        parent = n;
        prev = NONE;
        continue;
      }
      prev = n;
      while (!w.gotoNextSibling()) {
        if (parent === root) return root;
        w.gotoParent();
        prev = parent;
        parent = table.parent[parent];
      }
    }
  } finally {
    w.delete();
  }
}

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

  // The table's columns (it does not grow during a conversion).
  private readonly typeOf: Uint16Array;
  private readonly startOf: Int32Array;
  private readonly endOf: Int32Array;
  private readonly first: Int32Array;
  private readonly next: Int32Array;
  private readonly parentOf: Int32Array;
  private readonly flags: Uint8Array;
  private readonly names: string[];
  private readonly leaf: Uint8Array;
  private readonly blockKeys: Map<N, string>;

  /**
   * `recovering`: the tree has syntax errors, so blocks swallowed by an unclosed block may be hoisted.
   * `previous`: the block cache of the tree this one was re-parsed from.
   */
  constructor(
    private readonly text: string,
    private readonly recovering: boolean,
    private readonly previous: BlockCache | undefined,
    table: NodeTable,
    private readonly types: Types,
  ) {
    this.typeOf = table.type;
    this.startOf = table.start;
    this.endOf = table.end;
    this.first = table.first;
    this.next = table.next;
    this.parentOf = table.parent;
    this.flags = table.flags;
    this.names = types.names;
    this.leaf = types.leaf;
    this.blockKeys = table.blockKeys;
  }

  // ---------------------------------------------------------------- nodes

  private type(n: N): string {
    return this.names[this.typeOf[n]];
  }

  private lastChild(n: N): N {
    let last = NONE;
    for (let k = this.first[n]; k !== NONE; k = this.next[k]) last = k;
    return last;
  }

  private span(n: N): Span {
    return { start: this.startOf[n], end: this.endOf[n] };
  }

  private slice(n: N): string {
    return this.text.slice(this.startOf[n], this.endOf[n]);
  }

  // ---------------------------------------------------------------- file and bodies

  file(root: N): Node[] {
    const text = this.text;
    const rootMap: MapNode = { kind: 'map', span: { start: 0, end: text.length }, path: [], entries: [] };
    if (this.type(root) === 'config_file') {
      for (let k = this.first[root]; k !== NONE; k = this.next[k]) {
        // `.tfvars.json`: the file is one object.
        if (this.type(k) === 'object') return [this.object(k, [], undefined)];
      }
    }
    this.rootEntries = rootMap.entries;
    for (let k = this.first[root]; k !== NONE; k = this.next[k]) this.bodyItem(k, rootMap.entries, [], true, undefined);
    if (this.hoisted) {
      rootMap.entries.sort((a, b) => a.keySpan.start - b.keySpan.start);
      this.resources.sort((a, b) => a.span.start - b.span.start);
    }
    return [rootMap];
  }

  /**
   * An attribute or block of a body into `entries`. `ERROR` nodes are searched for the attributes and
   * blocks the parser recovered inside them. `dynamicLabel`: this is a `dynamic "x"` body, whose `content`
   * block gets the path of an `x` block.
   */
  private bodyItem(k: N, entries: Entry[], path: Path, top: boolean, dynamicLabel: string | undefined): void {
    switch (this.type(k)) {
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
        for (let c = this.first[k]; c !== NONE; c = this.next[c]) this.bodyItem(c, entries, path, top, dynamicLabel);
        break;
      default:
        break;
    }
  }

  /** `ERROR` holding exactly `name =`: the identifier. */
  private danglingKey(error: N): N {
    const k0 = this.first[error];
    const k1 = k0 === NONE ? NONE : this.next[k0];
    if (k1 === NONE || this.next[k1] !== NONE || this.type(k0) !== 'expression' || this.type(k1) !== '=') return NONE;
    const inner = this.first[k0];
    if (inner === NONE || this.next[inner] !== NONE || this.type(inner) !== 'variable_expr') return NONE;
    return this.first[inner];
  }

  /** A top-level block: from the previous parse's cache when its text is unchanged, else converted and cached. */
  private topBlock(node: N, entries: Entry[]): void {
    const start = this.startOf[node];
    const clean = !this.recovering || !(this.flags[node] & HAS_ERROR);
    if (!clean) {
      this.block(node, entries, [], true, undefined);
      return;
    }
    const key = this.blockKeys.get(node) ?? this.text.slice(start, this.endOf[node]);
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
        for (const r of hit.resources) this.resources.push(shiftResource(r, d, seen));
        for (const c of hit.comments) this.comments.push(shiftComment(c, d));
        for (const p of hit.problems) this.extraProblems.push(shiftProblem(p, d));
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

  private attribute(node: N, entries: Entry[], path: Path): void {
    let keyNode = NONE;
    let valueNode = NONE;
    let eq = NONE;
    let error = NONE;
    for (let k = this.first[node]; k !== NONE; k = this.next[k]) {
      const t = this.type(k);
      if (t === 'identifier') {
        if (keyNode === NONE) keyNode = k;
      } else if (t === 'expression') valueNode = k;
      else if (t === '=') {
        if (eq === NONE) eq = k;
      } else if (t === 'ERROR') {
        if (error === NONE) error = k;
      } else if (t === 'comment') this.comment(k);
    }
    // `name =` still being typed: nothing to check yet.
    if (keyNode === NONE || valueNode === NONE || (this.recovering && this.inventedObject(valueNode))) return;
    if (error !== NONE && eq !== NONE && this.text.slice(this.endOf[eq], this.startOf[error]).includes('\n')) {
      // `a =⏎ b = "x"` parses as `a = [ERROR: b =] "x"`: `a` has no value and `b = "x"` is the next attribute.
      const nextKey = this.danglingKey(error);
      if (nextKey !== NONE) {
        this.explained.add(this.startOf[error]);
        const name = this.slice(keyNode);
        this.extraProblems.push({ span: { start: this.startOf[keyNode], end: this.endOf[eq] }, message: `missing value for ${JSON.stringify(name)}` });
        keyNode = nextKey;
      }
    }
    const key = this.slice(keyNode);
    entries.push({
      key,
      keySpan: this.span(keyNode),
      value: this.expr(valueNode, [...path, key], undefined),
      form: 'attribute',
    });
  }

  /** `name =\n}`: the parser recovers with an object whose `{` it invented. There is no value. */
  private inventedObject(expression: N): boolean {
    const coll = this.first[expression];
    if (coll === NONE || this.type(coll) !== 'collection_value') return false;
    const obj = this.first[coll];
    if (obj === NONE || this.type(obj) !== 'object') return false;
    const open = this.first[obj];
    if (open === NONE || this.type(open) !== 'object_start') return false;
    const brace = this.first[open];
    return !!(this.flags[open] & MISSING) || (brace !== NONE && !!(this.flags[brace] & MISSING));
  }

  private block(node: N, entries: Entry[], path: Path, top: boolean, dynamicLabel: string | undefined): void {
    const text = this.text;
    let typeNode = NONE;
    const labels: string[] = [];
    const labelSpans: Span[] = [];
    const nodeStart = this.startOf[node];
    let headerEnd = nodeStart;
    let open = -1;
    let close = -1;
    let inBody = false;
    const bodyKids: N[] = [];
    for (let k = this.first[node]; k !== NONE; k = this.next[k]) {
      const t = this.type(k);
      if (t === 'comment') {
        this.comment(k);
      } else if (inBody) {
        if (t === 'block_end') close = this.endOf[k];
        else bodyKids.push(k);
      } else if (t === 'identifier' && typeNode === NONE) {
        typeNode = k;
        headerEnd = this.endOf[k];
      } else if (t === 'string_lit') {
        const s = this.stringContent(k);
        labels.push(unescapeQuoted(text.slice(s.start, s.end)));
        labelSpans.push(this.span(k));
        headerEnd = this.endOf[k];
      } else if (t === 'identifier') {
        labels.push(this.slice(k));
        labelSpans.push(this.span(k));
        headerEnd = this.endOf[k];
      } else if (t === 'block_start') {
        open = this.startOf[k];
        inBody = true;
      } else {
        bodyKids.push(k); // ERROR in the header: salvage what it holds
      }
    }
    if (typeNode === NONE) return;
    const kind = this.slice(typeNode);
    if (!top && this.recovering && looksTopLevel(kind, labels.length) && this.atLineStart(nodeStart)) {
      // `resource "a" "b" {` at column 0 inside another block: the block above is missing its `}`.
      // Treat it as the top-level block it was meant to be, so it is still analysed while the user types.
      if (this.hoistedAt < 0) this.hoistedAt = nodeStart;
      this.hoisted = true;
      const saved = this.hoistedAt;
      this.hoistedAt = -1;
      this.block(node, this.rootEntries, [], true, undefined);
      this.hoistedAt = saved;
      return;
    }
    let blockEnd = this.endOf[node];
    const mapSpan: Span = { start: open >= 0 ? open : nodeStart, end: close >= 0 ? close : blockEnd };

    const isContent = dynamicLabel !== undefined && kind === 'content';
    const mapPath: Path = top ? [] : isContent ? [...path.slice(0, -1), dynamicLabel] : [...path, kind];
    const map: MapNode = { kind: 'map', span: mapSpan, path: mapPath, entries: [] };
    const childDynamic = kind === 'dynamic' && !top ? labels[0] : undefined;
    const savedHoist = this.hoistedAt;
    if (top) this.hoistedAt = -1;
    for (const k of bodyKids) this.bodyItem(k, map.entries, mapPath, false, childDynamic);
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

    entries.push({ key: kind, keySpan: this.span(typeNode), value: map, form: 'block', labels });
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
        span: { start: nodeStart, end: blockEnd },
        nameSpan: { start: nodeStart, end: headerEnd },
        body: map,
      });
    }
  }

  // ---------------------------------------------------------------- expressions

  /** Convert an `expression` node. Traversals found inside are added to `refs` (the enclosing expression's). */
  private expr(node: N, path: Path, refs: string[] | undefined): Node {
    let only = NONE;
    let count = 0;
    for (let k = this.first[node]; k !== NONE; k = this.next[k]) {
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
          const t = this.first[only];
          if (t !== NONE) return this.template(t, node, path, refs);
          break;
        }
        case 'collection_value': {
          for (let c = this.first[only]; c !== NONE; c = this.next[c]) {
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
      const k0 = this.first[node];
      const k1 = this.next[k0];
      const k2 = this.next[k1];
      if (this.type(k0) === '(' && this.type(k1) === 'expression' && this.type(k2) === ')') return this.expr(k1, path, refs);
    }
    return this.generic(node, path, refs);
  }

  private generic(node: N, path: Path, refs: string[] | undefined): ExprNode {
    const own: string[] = [];
    this.scanList(this.first[node], own, NO_BOUND, false);
    addRefs(refs, own);
    return { kind: 'expr', span: this.span(node), path, text: this.slice(node), refs: own };
  }

  private literal(node: N, path: Path): Node {
    const v = this.first[node];
    const s = this.span(node);
    if (v === NONE) return { kind: 'expr', span: s, path, text: this.slice(node), refs: [] };
    switch (this.type(v)) {
      case 'string_lit': {
        const c = this.stringContent(v);
        const raw = this.text.slice(c.start, c.end);
        if (raw.includes('\n')) this.unterminated(this.startOf[v]);
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
  private negativeNumber(op: N, path: Path): ScalarNode | undefined {
    const u = this.first[op];
    if (u === NONE || this.type(u) !== 'unary_operation') return undefined;
    const k0 = this.first[u];
    const k1 = k0 === NONE ? NONE : this.next[k0];
    if (k1 === NONE || this.next[k1] !== NONE || this.type(k0) !== '-' || this.type(k1) !== 'literal_value') return undefined;
    const lit = this.first[k1];
    if (lit === NONE || this.type(lit) !== 'numeric_lit') return undefined;
    const n = Number(this.slice(lit));
    if (Number.isNaN(n)) return undefined;
    const s = this.span(op);
    return { kind: 'scalar', span: s, path, value: -n, contentSpan: s };
  }

  /** Span of a quoted string's content (between the quotes; to the end when the closing quote is missing). */
  private stringContent(str: N): Span {
    let start = this.startOf[str] + 1;
    let end = this.endOf[str];
    // Without syntax errors both quotes are there: no need to look inside.
    if (!this.recovering) return { start, end: Math.max(start, end - 1) };
    const last = this.lastChild(str);
    if (last !== NONE && this.type(last) === 'quoted_template_end') end = this.startOf[last];
    const first = this.first[str];
    if (first !== NONE && this.type(first) === 'quoted_template_start') start = this.endOf[first];
    return { start, end: Math.max(start, end) };
  }

  private template(t: N, exprNode: N, path: Path, refs: string[] | undefined): Node {
    const text = this.text;
    const holes: Span[] = [];
    const own: string[] = [];
    let content: Span;
    let heredoc = false;
    let strip = false;
    if (this.type(t) === 'heredoc_template') {
      heredoc = true;
      let openEnd = this.startOf[t];
      let closeStart = this.endOf[t];
      let seenOpen = false;
      for (let k = this.first[t]; k !== NONE; k = this.next[k]) {
        const kt = this.type(k);
        if (kt === 'heredoc_start')
          strip = text.charCodeAt(this.endOf[k] - 1) === 45; // `<<-`
        else if (kt === 'heredoc_identifier') {
          if (!seenOpen) {
            seenOpen = true;
            openEnd = this.endOf[k];
          } else closeStart = this.startOf[k];
        }
      }
      let bodyStart = text.indexOf('\n', openEnd);
      bodyStart = bodyStart < 0 || bodyStart >= closeStart ? Math.min(openEnd, closeStart) : bodyStart + 1;
      let bodyEnd = closeStart;
      while (bodyEnd > bodyStart && (text.charCodeAt(bodyEnd - 1) === 32 || text.charCodeAt(bodyEnd - 1) === 9)) bodyEnd--;
      content = { start: bodyStart, end: bodyEnd };
    } else {
      let start = this.startOf[t] + 1;
      let end = this.endOf[t];
      for (let k = this.first[t]; k !== NONE; k = this.next[k]) {
        const kt = this.type(k);
        if (kt === 'quoted_template_start') start = this.endOf[k];
        else if (kt === 'quoted_template_end') end = this.startOf[k];
      }
      content = { start, end: Math.max(start, end) };
    }
    this.templateParts(this.first[t], holes, own, NO_BOUND);

    const s = this.span(exprNode);
    if (holes.length === 0) {
      const raw = text.slice(content.start, content.end);
      let value: string;
      if (heredoc) value = strip ? dedent(raw) : unescapeTemplateOnly(raw);
      else {
        if (raw.includes('\n')) this.unterminated(this.startOf[t]);
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
  private templateParts(from: N, holes: Span[], refs: string[], bound: Bound): void {
    for (let k = from; k !== NONE; k = this.next[k]) {
      switch (this.type(k)) {
        case 'template_interpolation':
        case 'template_if_intro':
        case 'template_else_intro':
        case 'template_if_end':
        case 'template_for_end':
          holes.push(this.span(k));
          this.scanList(this.first[k], refs, bound, false);
          break;
        case 'template_directive':
        case 'template_if':
          this.templateParts(this.first[k], holes, refs, bound);
          break;
        case 'template_for': {
          let inner = bound;
          for (let f = this.first[k]; f !== NONE; f = this.next[f]) {
            if (this.type(f) !== 'template_for_start') continue;
            holes.push(this.span(f));
            this.scanList(this.first[f], refs, bound, false);
            inner = this.bind(f, bound);
          }
          // Its body (`templateParts` passes over the `template_for_start` taken above).
          this.templateParts(this.first[k], holes, refs, inner);
          break;
        }
        default:
          break;
      }
    }
  }

  private call(fnNode: N, exprNode: N, path: Path, refs: string[] | undefined): ExprNode {
    const own: string[] = [];
    const args: Node[] = [];
    let fn = '';
    for (let k = this.first[fnNode]; k !== NONE; k = this.next[k]) {
      const t = this.type(k);
      if (t === 'identifier') fn = this.slice(k);
      else if (t === 'function_arguments') {
        for (let a = this.first[k]; a !== NONE; a = this.next[a]) {
          const at = this.type(a);
          if (at === 'expression') args.push(this.expr(a, path, own));
          else if (at === 'comment') this.comment(a);
        }
      } else if (t === 'comment') this.comment(k);
    }
    addRefs(refs, own);
    return { kind: 'expr', span: this.span(exprNode), path, text: this.slice(exprNode), fn, args, refs: own };
  }

  private object(node: N, path: Path, refs: string[] | undefined): MapNode {
    const map: MapNode = { kind: 'map', span: this.span(node), path, entries: [] };
    this.objectElems(node, map.entries, path, refs);
    return map;
  }

  /** The elements among the children of `parent` (an object, or an `ERROR` inside one). */
  private objectElems(parent: N, entries: Entry[], path: Path, refs: string[] | undefined): void {
    const text = this.text;
    for (let k = this.first[parent]; k !== NONE; k = this.next[k]) {
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
      for (let e = this.first[k]; e !== NONE; e = this.next[e]) {
        const et = this.type(e);
        if (et === 'expression') {
          if (keyExpr === NONE) keyExpr = e;
          else valExpr = e;
        } else if (et === 'comment') this.comment(e);
      }
      if (keyExpr === NONE || valExpr === NONE) continue;
      let key: string | undefined;
      let keySpan: Span | undefined;
      const kk = this.first[keyExpr];
      if (kk !== NONE && this.next[kk] === NONE) {
        const kt = this.type(kk);
        if (kt === 'variable_expr') {
          key = this.slice(kk);
          keySpan = this.span(kk);
        } else if (kt === 'literal_value') {
          const lit = this.first[kk];
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

  private tuple(node: N, path: Path, refs: string[] | undefined): ListNode {
    const items: Node[] = [];
    for (let k = this.first[node]; k !== NONE; k = this.next[k]) {
      const t = this.type(k);
      if (t === 'expression') items.push(this.expr(k, [...path, items.length], refs));
      else if (t === 'comment') this.comment(k);
    }
    return { kind: 'list', span: this.span(node), path, items };
  }

  // ---------------------------------------------------------------- references

  /**
   * Collect the traversals among `from` and its next siblings (a traversal is `variable_expr` followed by
   * get_attr/index/splat siblings). `skipIntro`: a for-expression's children, whose intro is not part of it.
   */
  private scanList(from: N, refs: string[], bound: Bound, skipIntro: boolean): void {
    const leaf = this.leaf;
    const typeOf = this.typeOf;
    for (let k = from; k !== NONE; k = this.next[k]) {
      if (leaf[typeOf[k]] === 1) continue;
      const t = this.names[typeOf[k]];
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
          if (!skipIntro) this.scanList(this.first[k], refs, bound, false);
          break;
        default:
          this.scanList(this.first[k], refs, bound, false);
      }
    }
  }

  /** A traversal from the `variable_expr` `root`: adds its ref, returns the last sibling that is part of it. */
  private traversal(root: N, refs: string[], bound: Bound, skipIntro: boolean): N {
    const text = this.text;
    const name = this.slice(root);
    let ref = name;
    let last = root;
    for (let k = this.next[root]; k !== NONE; k = this.next[k]) {
      const t = this.type(k);
      if (skipIntro && (t === 'for_intro' || t === 'template_for_start')) continue;
      if (t === 'get_attr') ref += `.${getAttrName(text, this.startOf[k], this.endOf[k])}`;
      else if (t === 'index') this.scanList(this.first[k], refs, bound, false);
      else if (t === 'splat') {
        for (let s = this.first[k]; s !== NONE; s = this.next[s]) {
          for (let p = this.first[s]; p !== NONE; p = this.next[p]) {
            const pt = this.type(p);
            if (pt === 'get_attr') ref += `.${getAttrName(text, this.startOf[p], this.endOf[p])}`;
            else if (pt === 'index') this.scanList(this.first[p], refs, bound, false);
          }
        }
      } else if (t === 'comment') this.comment(k);
      else break;
      last = k;
    }
    if (!bound.has(name) && !refs.includes(ref)) refs.push(ref);
    return last;
  }

  private scanObjectElem(elem: N, refs: string[], bound: Bound): void {
    let first = true;
    for (let e = this.first[elem]; e !== NONE; e = this.next[e]) {
      const t = this.type(e);
      if (t === 'comment') this.comment(e);
      if (t !== 'expression') continue;
      const kk = this.first[e];
      if (first) {
        first = false;
        // A bare identifier key (`{ Name = ... }`) is a literal key, not a reference.
        if (kk !== NONE && this.next[kk] === NONE && this.type(kk) === 'variable_expr') continue;
      }
      this.scanList(kk, refs, bound, false);
    }
  }

  /** A for-expression or `%{ for }` directive: its iterator names are not references inside it. */
  private scanFor(node: N, refs: string[], bound: Bound): void {
    let inner = bound;
    for (let k = this.first[node]; k !== NONE; k = this.next[k]) {
      const t = this.type(k);
      if (t === 'for_intro' || t === 'template_for_start') {
        this.scanList(this.first[k], refs, bound, false);
        inner = this.bind(k, bound);
      }
    }
    this.scanList(this.first[node], refs, inner, true);
  }

  private bind(intro: N, bound: Bound): Bound {
    const names = new Set(bound);
    for (let k = this.first[intro]; k !== NONE; k = this.next[k]) if (this.type(k) === 'identifier') names.add(this.slice(k));
    return names;
  }

  // ---------------------------------------------------------------- comments and problems

  private comment(node: N): void {
    const text = this.text;
    const start = this.startOf[node];
    let end = this.endOf[node];
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
  private unterminated(start: number): void {
    this.extraProblems.push({ span: { start, end: this.lineEnd(start) }, message: 'unterminated string: missing closing "' });
  }

  finishProblems(root: N): ParseProblem[] {
    const found = [...this.extraProblems];
    if (this.flags[root] & HAS_ERROR) {
      if (this.type(root) === 'ERROR' && this.first[root] === NONE) found.push(this.errorProblem(root));
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

  private findErrors(node: N, out: ParseProblem[]): void {
    if (this.type(node) === 'ERROR') {
      if (!this.explained.has(this.startOf[node])) out.push(this.errorProblem(node));
      return;
    }
    for (let k = this.first[node]; k !== NONE; k = this.next[k]) {
      if (out.length > MAX_PROBLEMS * 4) return;
      const f = this.flags[k];
      if (f & MISSING) {
        const p = this.missingProblem(k);
        if (p) out.push(p);
      } else if (this.type(k) === 'ERROR') {
        if (!this.explained.has(this.startOf[k])) out.push(this.errorProblem(k));
      } else if (f & HAS_ERROR) this.findErrors(k, out);
    }
  }

  private errorProblem(node: N): ParseProblem {
    const unclosed = this.unclosedOpener(node);
    if (unclosed) return unclosed;
    let leaf = node;
    for (let c = this.first[leaf]; c !== NONE; c = this.first[c]) leaf = c;
    const start = this.startOf[node];
    const lineEnd = this.lineEnd(start);
    const end = Math.max(start, Math.min(this.endOf[node], lineEnd));
    const leafStart = this.startOf[leaf];
    let token = this.text.slice(leafStart, Math.min(Math.max(this.endOf[leaf], leafStart + 1), lineEnd));
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
  private unclosedOpener(node: N): ParseProblem | undefined {
    const text = this.text;
    const open: N[] = [];
    for (let k = this.first[node]; k !== NONE; k = this.next[k]) {
      const t = this.type(k);
      if (t === 'string_lit' || t === 'quoted_template' || t === 'template_expr') {
        const s = this.startOf[k];
        const nl = text.indexOf('\n', s);
        if (nl >= 0 && nl < this.endOf[k]) return { span: { start: s, end: this.lineEnd(s) }, message: 'unterminated string: missing closing "' };
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
    const s = this.startOf[last];
    const messages: Record<string, string> = {
      quoted_template_start: 'unterminated string: missing closing "',
      template_interpolation_start: 'unterminated interpolation: missing }',
      '[': 'missing ]',
      tuple_start: 'missing ]',
      '(': 'missing )',
    };
    const message = messages[this.type(last)] ?? 'missing }';
    return { span: { start: s, end: Math.max(this.endOf[last], Math.min(this.endOf[node], this.lineEnd(s))) }, message };
  }

  /** Drop the last of `open` whose type is one of `types`. */
  private closeLast(open: N[], ...types: string[]): void {
    for (let i = open.length - 1; i >= 0; i--) {
      if (types.includes(this.type(open[i]))) {
        open.splice(i, 1);
        return;
      }
    }
  }

  private missingProblem(node: N): ParseProblem | undefined {
    const t = this.type(node);
    const parent = this.parentOf[node];
    const what = MISSING_NAMES[t] ?? (this.types.named[this.typeOf[node]] ? t.replace(/_/g, ' ') : t);
    let message = `missing ${what}`;
    if (t === '{' && parent !== NONE && this.type(parent) === 'object_start') {
      // `name =` with nothing after it: the parser invents `{` to pair with the next `}`.
      let attr = parent;
      for (let i = 0; attr !== NONE && i < 4 && this.type(attr) !== 'attribute'; i++) attr = this.parentOf[attr];
      if (attr !== NONE && this.type(attr) === 'attribute') {
        const key = this.first[attr];
        const name = key !== NONE ? this.slice(key) : '';
        const eq = key !== NONE ? this.next[key] : NONE;
        // That invented object took the `}` of the enclosing block: its "missing }" is not a second error.
        const up = this.parentOf[attr];
        const owner = up !== NONE && this.type(up) === 'body' ? this.parentOf[up] : NONE;
        if (owner !== NONE) this.borrowedBrace.add(this.startOf[owner]);
        const start = this.startOf[attr];
        return {
          span: { start, end: eq !== NONE && this.type(eq) === '=' ? this.endOf[eq] : start + name.length },
          message: `missing value for ${JSON.stringify(name)}`,
        };
      }
    }
    const opener = t === '}' || t === ']' || t === 'block_end' || t === 'object_end' || t === 'tuple_end' ? parent : NONE;
    let owner = opener;
    if (owner !== NONE) {
      const ot = this.type(owner);
      if (ot === 'block_end' || ot === 'object_end' || ot === 'tuple_end') owner = this.parentOf[owner];
    }
    const ownerType = owner !== NONE ? this.type(owner) : '';
    if (ownerType === 'block' && this.borrowedBrace.has(this.startOf[owner])) return undefined;
    if (ownerType === 'block' || ownerType === 'object' || ownerType === 'tuple') {
      const what2 = ownerType === 'tuple' ? 'list' : ownerType;
      if (this.text.slice(this.startOf[node]).trim() === '') {
        // The file ends inside it: point at the opening line, where the user is likely typing, not at EOF.
        const start = this.startOf[owner];
        return { span: { start, end: this.lineEnd(start) }, message: `${message}: this ${what2} is not closed before the end of the file` };
      }
      message += ` to close the ${what2} opened on line ${this.lineOf(this.startOf[owner]) + 1}`;
    } else if (t === 'heredoc_identifier') {
      message = 'missing heredoc end marker';
    }
    return { span: { start: this.startOf[node], end: this.endOf[node] }, message };
  }

  // ---------------------------------------------------------------- text helpers

  private atLineStart(offset: number): boolean {
    if (offset === 0) return true;
    const c = this.text.charCodeAt(offset - 1);
    return c === 10 || c === 13;
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

function addRefs(into: string[] | undefined, refs: string[]): void {
  if (!into) return;
  for (const r of refs) if (!into.includes(r)) into.push(r);
}

function getAttrName(text: string, start: number, end: number): string {
  // `.name`, possibly with blanks after the dot.
  let s = start + 1;
  while (s < end && /\s/.test(text[s])) s++;
  return text.slice(s, end);
}
