import type { TreeWalk } from '../wasm';

/**
 * Copying a syntax tree out of wasm memory with one cursor walk. Asking web-tree-sitter for nodes (`children`,
 * `type`, `endIndex`...) costs a trip into wasm and a JS object each, more than the parse itself, so code that
 * reads every node (the Terraform and Python readers) reads a copy in its own arrays instead. The walk is the
 * same for both; what is kept of a node, and where, is the copier's.
 */

/** No row: the node is not copied. */
export const NO_ROW = -1;

export interface TreeCopier {
  /**
   * Copy the node under `walk` (its row, its link to `parent`'s row, `NO_ROW` for the root) and return its
   * row, or `NO_ROW` to leave it and its children out.
   */
  visit(walk: TreeWalk, parent: number): number;
  /** Whether to copy the children of the node just given `row`. */
  enter(row: number): boolean;
}

/** Copy the tree under the walk's node, in document order; returns the row of that node. */
export function copyTree(walk: TreeWalk, copier: TreeCopier): number {
  const root = copier.visit(walk, NO_ROW);
  if (root === NO_ROW || !copier.enter(root) || !walk.gotoFirstChild()) return root;
  const parents: number[] = [];
  let parent = root;
  for (;;) {
    const row = copier.visit(walk, parent);
    if (row !== NO_ROW && copier.enter(row) && walk.gotoFirstChild()) {
      parents.push(parent);
      parent = row;
      continue;
    }
    while (!walk.gotoNextSibling()) {
      if (parents.length === 0) return root;
      walk.gotoParent();
      parent = parents.pop() as number;
    }
  }
}
