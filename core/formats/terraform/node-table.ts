import type { Language, Tree } from 'web-tree-sitter';
import { copyTree, NO_ROW, type TreeCopier } from '../../parsers/tree-copy';
import type { TreeWalk } from '../../wasm';
import { walkTree } from '../../wasm';

/**
 * The Terraform syntax tree copied out of wasm memory (see `copyTree`) into a `NodeTable`: typed arrays of
 * type, offsets, first child, next sibling, parent and error flags, read through its accessors. Left out is
 * what conversion never reads: in a tree without errors the inside of literals, names, traversal steps and
 * braces, and the blocks the previous parse's cache will supply.
 */

/** A node: its row in the `NodeTable`. */
export type N = number;
export const NONE = NO_ROW;

export const MISSING = 1;
export const HAS_ERROR = 2;
/** Reached from the root through `body`/`ERROR` nodes only: an item `bodyItem` converts with `top`. */
export const TOP = 4;

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

/** The grammar's node types by type id, as small numbers (`slot`) indexing the tables here. */
export interface Types {
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

export function typesOf(language: Language): Types {
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

/** Rows a `NodeTable` keeps between parses (~27 bytes each); a larger file's rows are let go after it. */
const KEPT_ROWS = 1 << 16;

/** A syntax tree copied out of wasm memory. Rows are reused from one parse to the next. */
export class NodeTable {
  private count = 0;
  private type = new Uint16Array(0);
  private start = new Int32Array(0);
  private end = new Int32Array(0);
  private first = new Int32Array(0);
  private next = new Int32Array(0);
  private last = new Int32Array(0);
  private parent = new Int32Array(0);
  private flags = new Uint8Array(0);
  /** Text of the top-level blocks looked up in the previous parse's cache (the key, its hash computed). */
  readonly blockKeys = new Map<N, string>();

  constructor() {
    this.grow(4096);
  }

  clear(): void {
    this.count = 0;
    this.blockKeys.clear();
  }

  /** After a parse: give back the memory a very large file needed. */
  trim(): void {
    this.blockKeys.clear();
    if (this.type.length <= KEPT_ROWS) return;
    this.count = 0;
    this.grow(KEPT_ROWS);
  }

  /** A row for a node, appended to `parent`'s children. */
  add(type: number, start: number, end: number, parent: N, flags: number): N {
    const n = this.count;
    if (n === this.type.length) this.grow(n * 2);
    this.count = n + 1;
    this.type[n] = type;
    this.start[n] = start;
    this.end[n] = end;
    this.first[n] = NONE;
    this.next[n] = NONE;
    this.last[n] = NONE;
    this.parent[n] = parent;
    this.flags[n] = flags;
    if (parent !== NONE) {
      const prev = this.last[parent];
      if (prev === NONE) this.first[parent] = n;
      else this.next[prev] = n;
      this.last[parent] = n;
    }
    return n;
  }

  /** The node's type slot (see `Types`). */
  typeId(n: N): number {
    return this.type[n];
  }

  startOf(n: N): number {
    return this.start[n];
  }

  endOf(n: N): number {
    return this.end[n];
  }

  firstChild(n: N): N {
    return this.first[n];
  }

  nextSibling(n: N): N {
    return this.next[n];
  }

  lastChild(n: N): N {
    return this.last[n];
  }

  parentOf(n: N): N {
    return this.parent[n];
  }

  /** `MISSING`, `HAS_ERROR`, `TOP`. */
  flagsOf(n: N): number {
    return this.flags[n];
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
    this.last = copy(this.last, new Int32Array(size));
    this.parent = copy(this.parent, new Int32Array(size));
    this.flags = copy(this.flags, new Uint8Array(size));
  }
}

/** The one table conversions read: a parse is copied in, converted, and the rows reused by the next. */
export const TABLE = new NodeTable();

/**
 * What of the Terraform tree is copied. Without errors the inside of tokens and of the `OPAQUE_WHEN_CLEAN`
 * types is left out; a top-level block the previous parse's cache holds (unchanged text, no errors) is kept
 * without its inside, since the conversion takes it from the cache. With errors, nodes under an erroneous
 * parent carry `MISSING` and `HAS_ERROR`.
 */
class TerraformCopier implements TreeCopier {
  private skipChildren = false;

  constructor(
    private readonly table: NodeTable,
    private readonly types: Types,
    private readonly text: string,
    private readonly recovering: boolean,
    private readonly cached: ReadonlySet<string> | ReadonlyMap<string, unknown> | undefined,
  ) {}

  visit(w: TreeWalk, parent: N): N {
    const { table, types } = this;
    const type = types.slot(w.typeId());
    const start = w.startIndex();
    const end = w.endIndex();
    if (parent === NONE) {
      this.skipChildren = false;
      return table.add(type, start, end, NONE, this.recovering ? HAS_ERROR : 0);
    }
    const pf = table.flagsOf(parent);
    let f = 0;
    if (pf & HAS_ERROR) f = (w.isMissing() ? MISSING : 0) | (w.hasError() ? HAS_ERROR : 0);
    const pt = table.typeId(parent);
    if (table.parentOf(parent) === NONE || (pf & TOP && (pt === types.body || pt === types.error))) f |= TOP;
    const n = table.add(type, start, end, parent, f);
    let skip = !this.recovering && types.opaque[type] === 1;
    if (f & TOP && type === types.block && this.cached !== undefined && !(f & HAS_ERROR)) {
      const key = this.text.slice(start, end);
      table.blockKeys.set(n, key);
      skip = this.cached.has(key);
    }
    this.skipChildren = skip;
    return n;
  }

  enter(): boolean {
    return !this.skipChildren;
  }
}

/** Copy `tree` into `table` (see `TerraformCopier`); returns the root. `cached`: the previous parse's block texts. */
export function readTree(table: NodeTable, tree: Tree, types: Types, text: string, recovering: boolean, cached: ReadonlyMap<string, unknown> | undefined): N {
  table.clear();
  const w = walkTree(tree);
  try {
    return copyTree(w, new TerraformCopier(table, types, text, recovering, cached));
  } finally {
    w.delete();
  }
}
