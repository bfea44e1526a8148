import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Language, Parser, type Node, type Tree, type TreeCursor } from 'web-tree-sitter';

/**
 * Tree-sitter languages, loaded once per process (or worker) and only when a file of that format shows up.
 * The bundles carry the `.wasm` files next to them in `dist/`; from source they come from `node_modules`.
 */

const WASM = {
  runtime: { file: 'web-tree-sitter.wasm', pkg: 'web-tree-sitter' },
  terraform: { file: 'tree-sitter-terraform.wasm', pkg: '@tree-sitter-grammars/tree-sitter-hcl' },
  python: { file: 'tree-sitter-python.wasm', pkg: 'tree-sitter-python' },
} as const;

export type GrammarName = 'terraform' | 'python';

const here = typeof __dirname === 'string' ? __dirname : path.dirname(fileURLToPath(import.meta.url));

function locate(which: keyof typeof WASM): string {
  const { file, pkg } = WASM[which];
  const candidates = [
    path.join(here, file),
    path.join(here, '..', 'dist', file),
    path.join(here, '..', 'node_modules', pkg, file),
    path.join(process.cwd(), 'node_modules', pkg, file),
  ];
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new Error(`cannot find ${file} (looked in ${candidates.join(', ')})`);
  return found;
}

let runtime: Promise<void> | undefined;
const languages = new Map<GrammarName, Promise<Language>>();
const loaded = new Map<GrammarName, Language>();

export function loadGrammar(name: GrammarName): Promise<Language> {
  let p = languages.get(name);
  if (!p) {
    runtime ??= initRuntime();
    p = runtime
      .then(() => Language.load(locate(name)))
      .then((lang) => {
        loaded.set(name, lang);
        return lang;
      });
    languages.set(name, p);
  }
  return p;
}

/** The grammar if `loadGrammar` has finished for it; parsers call this on the synchronous path. */
export function grammar(name: GrammarName): Language {
  const lang = loaded.get(name);
  if (!lang) throw new Error(`grammar ${name} used before loadGrammar('${name}') finished`);
  return lang;
}

const parsers = new Map<GrammarName, Parser>();

/** One reusable parser per grammar. */
export function parserFor(name: GrammarName): Parser {
  let p = parsers.get(name);
  if (!p) {
    p = new Parser();
    p.setLanguage(grammar(name));
    parsers.set(name, p);
  }
  return p;
}

// ---------------------------------------------------------------- reading a whole tree

/**
 * A cursor over a syntax tree for code that reads every node: `TreeCursor`'s moves and reads, without the
 * per-call marshalling of web-tree-sitter's JS wrapper (each call copies the cursor in and out of wasm
 * memory through a generic `setValue`/`getValue`), which costs more than tree-sitter's own work per node.
 * While a walk is open nothing else may use tree-sitter: the fast walk keeps its cursor in the binding's
 * transfer buffer between calls. Always `delete()` it.
 */
export interface TreeWalk {
  gotoFirstChild(): boolean;
  gotoNextSibling(): boolean;
  gotoParent(): boolean;
  /** The current node's type id (`Language.types` index; the ERROR type is not in that array). */
  typeId(): number;
  startIndex(): number;
  endIndex(): number;
  /** The field the current node is in its parent (0: none). */
  fieldId(): number;
  isMissing(): boolean;
  hasError(): boolean;
  delete(): void;
}

/** The exports of web-tree-sitter's binding that `BindingWalk` calls, all taking the tree's address. */
interface Binding {
  HEAP32: Int32Array;
  _ts_init(): number;
  _ts_tree_root_node_wasm(tree: number): void;
  _ts_tree_cursor_new_wasm(tree: number): void;
  _ts_tree_cursor_delete_wasm(tree: number): void;
  _ts_tree_cursor_goto_first_child_wasm(tree: number): number;
  _ts_tree_cursor_goto_next_sibling_wasm(tree: number): number;
  _ts_tree_cursor_goto_parent_wasm(tree: number): number;
  _ts_tree_cursor_current_node_type_id_wasm(tree: number): number;
  _ts_tree_cursor_start_index_wasm(tree: number): number;
  _ts_tree_cursor_end_index_wasm(tree: number): number;
  _ts_tree_cursor_current_field_id_wasm(tree: number): number;
  _ts_tree_cursor_current_node_is_missing_wasm(tree: number): number;
  _ts_tree_cursor_current_node_wasm(tree: number): void;
  _ts_node_has_error_wasm(tree: number): number;
}

const BINDING_FUNCTIONS = [
  '_ts_init',
  '_ts_tree_root_node_wasm',
  '_ts_tree_cursor_new_wasm',
  '_ts_tree_cursor_delete_wasm',
  '_ts_tree_cursor_goto_first_child_wasm',
  '_ts_tree_cursor_goto_next_sibling_wasm',
  '_ts_tree_cursor_goto_parent_wasm',
  '_ts_tree_cursor_current_node_type_id_wasm',
  '_ts_tree_cursor_start_index_wasm',
  '_ts_tree_cursor_end_index_wasm',
  '_ts_tree_cursor_current_field_id_wasm',
  '_ts_tree_cursor_current_node_is_missing_wasm',
  '_ts_tree_cursor_current_node_wasm',
  '_ts_node_has_error_wasm',
] as const;

/** The binding when it has every export `BindingWalk` needs (else walks use the public `TreeCursor`). */
let binding: Binding | undefined;
/** Address of the binding's transfer buffer, where its cursor functions read and write the cursor. */
let transferBuffer = 0;

async function initRuntime(): Promise<void> {
  // Emscripten fills the object it is given with the module's exports: keep it to call them directly.
  const module: Record<string, unknown> = { locateFile: () => locate('runtime') };
  await Parser.init(module);
  if (BINDING_FUNCTIONS.every((f) => typeof module[f] === 'function') && module.HEAP32 instanceof Int32Array) {
    binding = module as unknown as Binding;
    transferBuffer = binding._ts_init();
  }
}

/**
 * The binding's `TreeCursor` functions called directly. Each reads the cursor from the transfer buffer and
 * the moves write it back there, so it stays in place from one call to the next; `hasError` has to put a
 * node there, and puts the cursor back.
 */
class BindingWalk implements TreeWalk {
  constructor(
    private readonly b: Binding,
    private readonly tree: number,
  ) {
    b._ts_tree_root_node_wasm(tree);
    b._ts_tree_cursor_new_wasm(tree);
  }

  gotoFirstChild(): boolean {
    return this.b._ts_tree_cursor_goto_first_child_wasm(this.tree) === 1;
  }

  gotoNextSibling(): boolean {
    return this.b._ts_tree_cursor_goto_next_sibling_wasm(this.tree) === 1;
  }

  gotoParent(): boolean {
    return this.b._ts_tree_cursor_goto_parent_wasm(this.tree) === 1;
  }

  typeId(): number {
    return this.b._ts_tree_cursor_current_node_type_id_wasm(this.tree);
  }

  startIndex(): number {
    return this.b._ts_tree_cursor_start_index_wasm(this.tree);
  }

  endIndex(): number {
    return this.b._ts_tree_cursor_end_index_wasm(this.tree);
  }

  fieldId(): number {
    return this.b._ts_tree_cursor_current_field_id_wasm(this.tree);
  }

  isMissing(): boolean {
    return this.b._ts_tree_cursor_current_node_is_missing_wasm(this.tree) === 1;
  }

  hasError(): boolean {
    const b = this.b;
    const at = transferBuffer >> 2;
    let heap = b.HEAP32;
    const c0 = heap[at];
    const c1 = heap[at + 1];
    const c2 = heap[at + 2];
    const c3 = heap[at + 3];
    b._ts_tree_cursor_current_node_wasm(this.tree);
    const error = b._ts_node_has_error_wasm(this.tree) === 1;
    heap = b.HEAP32;
    heap[at] = c0;
    heap[at + 1] = c1;
    heap[at + 2] = c2;
    heap[at + 3] = c3;
    return error;
  }

  delete(): void {
    this.b._ts_tree_cursor_delete_wasm(this.tree);
  }
}

/** The same walk on web-tree-sitter's public `TreeCursor`, from a tree's root or from any node. */
export class CursorWalk implements TreeWalk {
  private readonly cursor: TreeCursor;

  constructor(from: Tree | Node) {
    this.cursor = from.walk();
  }

  gotoFirstChild(): boolean {
    return this.cursor.gotoFirstChild();
  }

  gotoNextSibling(): boolean {
    return this.cursor.gotoNextSibling();
  }

  gotoParent(): boolean {
    return this.cursor.gotoParent();
  }

  typeId(): number {
    return this.cursor.nodeTypeId;
  }

  startIndex(): number {
    return this.cursor.startIndex;
  }

  endIndex(): number {
    return this.cursor.endIndex;
  }

  fieldId(): number {
    return this.cursor.currentFieldId;
  }

  isMissing(): boolean {
    return this.cursor.nodeIsMissing;
  }

  hasError(): boolean {
    return this.cursor.currentNode.hasError;
  }

  delete(): void {
    this.cursor.delete();
  }
}

/** A walk from the root of `tree`. */
export function walkTree(tree: Tree): TreeWalk {
  // A Tree keeps its address in wasm memory at index 0.
  const address = (tree as unknown as Record<number, number>)[0];
  return binding && typeof address === 'number' && address !== 0 ? new BindingWalk(binding, address) : new CursorWalk(tree);
}
