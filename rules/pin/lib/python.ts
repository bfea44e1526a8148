import { type Cell, cellPython, isExpr, isScalar, type Node, str } from '../../../core';

/** Reading notebook Python through the adapter's call/assignment model. */

/**
 * The literal string a value stands for: the literal itself, or a plain name assigned a string
 * literal earlier in the notebook (the last assignment before the call's cell and offset), or a parameter of the
 * function the call is in whose default is one.
 */
export function resolveString(node: Node | undefined, cells: Cell[], at: { cell: number; offset: number }): string | undefined {
  if (node === undefined) return undefined;
  if (isScalar(node)) return str(node);
  if (!isExpr(node) || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(node.text)) return undefined;
  let found: string | undefined;
  for (const cell of cells) {
    if (cell.index > at.cell) break;
    // Reading `python` parses the cell: skip cells that cannot assign the name (and cells that are no code).
    if (cell.kind !== 'code' || !cell.source.includes(node.text)) continue;
    for (const a of cellPython(cell)?.assignments ?? []) {
      if (a.target !== node.text) continue;
      if (cell.index === at.cell && a.span.start > at.offset) continue;
      // A parameter's default names the value only inside its function.
      if (a.scope && (cell.index !== at.cell || at.offset < a.scope.start || at.offset >= a.scope.end)) continue;
      found = isScalar(a.value) ? str(a.value) : undefined;
    }
  }
  return found;
}
