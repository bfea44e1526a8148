import type { Node as TsNode, Tree } from 'web-tree-sitter';
import { CursorWalk, grammar, type TreeWalk, walkTree } from '../../wasm';
import { copyTree, NO_ROW, type TreeCopier } from '../tree-copy';

// Tree walk
//
// Every call from JS into the wasm module costs far more than reading a JS array: the tree is read once, with
// one cursor walk, into flat arrays of its named nodes (type, field, offsets, first child, next sibling), and the
// structure is built from those. Anonymous nodes (punctuation, keywords) are stepped over, and the insides of
// leaves and of strings that cannot hold an interpolation are not entered.

export const REF_TYPES = new Set(['identifier', 'attribute', 'subscript']);

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
  'augmented_assignment',
  'pair',
  'unary_operator',
  'aliased_import',
  'import_statement',
  'import_from_statement',
  'future_import_statement',
  'default_parameter',
  'typed_default_parameter',
]);

/** Node types the extractor reads a structure from. */
const EXTRACTED = new Set([
  'call',
  'assignment',
  'augmented_assignment',
  'default_parameter',
  'typed_default_parameter',
  'function_definition',
  'lambda',
  'comparison_operator',
  'assert_statement',
  'import_statement',
  'import_from_statement',
  'future_import_statement',
  'string',
]);

/** What the walk needs to know of a node type, by type id (65535 is ERROR). */
export interface Tables {
  types: string[];
  named: Uint8Array;
  leaf: Uint8Array;
  fieldParent: Uint8Array;
  extracted: Uint8Array;
  field: Record<'function' | 'arguments' | 'name' | 'value' | 'alias' | 'left' | 'right' | 'key' | 'object' | 'subscript' | 'module_name' | 'argument', number>;
}

let tables: Tables | undefined;

export function grammarTables(): Tables {
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

/**
 * Whether `src` has a `{` at an index from `from` to `to`, both included: a look at that range only
 * (`lastIndexOf('{', to)` reads back to the start of the text when there is none, once per string).
 */
export function hasBraceIn(src: string, from: number, to: number): boolean {
  for (let i = Math.max(0, from), end = Math.min(to, src.length - 1); i <= end; i++) if (src.charCodeAt(i) === 123) return true;
  return false;
}

export function isAsciiWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
}

/**
 * Flat copy of the named nodes under one node, in document order; a node is its index. The arrays are
 * reused from one walk to the next (a walk's nodes are read before the next walk).
 */
export interface FlatTree {
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
    this.enterLast = !tb.leaf[id] && (hasErrors || (ty !== 'dotted_name' && (ty !== 'string' || hasBraceIn(src, s, e))));
    return i;
  }

  enter(): boolean {
    return this.enterLast;
  }
}

/**
 * Read the named nodes under `root` (included) with one cursor. A whole tree is walked through the binding's
 * cursor functions (`walkTree`), a node of it through the public `TreeCursor`, which copies its state in and
 * out of wasm memory on every step.
 */
export function flatten(root: TsNode | Tree, src: string): FlatTree {
  const t = flat;
  t.count = 0;
  t.extracted = [];
  t.error = new Map();
  const whole = 'rootNode' in root;
  const hasError = whole ? root.rootNode.hasError : root.hasError;
  const walk = whole ? walkTree(root) : new CursorWalk(root);
  try {
    copyTree(walk, new PythonCopier(t, src, hasError));
  } finally {
    walk.delete();
  }
  return t;
}
