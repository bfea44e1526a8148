import { type Cell, cellPython, type Node, type PyCall } from '../../core';

/** Reading a Python call of the adapter's model (notebook cells and `.py` files alike). */

/** A keyword argument's value. */
export function kwarg(call: PyCall, name: string): Node | undefined {
  return call.kwargs.find((k) => k.key === name)?.value;
}

/** The last segment of a dotted callee: `transformers.AutoModel.from_pretrained` → `from_pretrained`. */
export function calleeName(call: PyCall): string {
  return call.callee.slice(call.callee.lastIndexOf('.') + 1);
}

/**
 * The module a local name comes from: `from transformers import AutoModel` → `transformers` for
 * `AutoModel`; `import vllm` → `vllm`; `import numpy as np` → `numpy` for `np`. The last import wins.
 */
export function importOrigin(cells: Cell[], name: string): string | undefined {
  let found: string | undefined;
  for (const cell of cells) {
    if (cell.kind !== 'code' || !cell.source.includes('import') || !cell.source.includes(name)) continue;
    for (const imp of cellPython(cell)?.imports ?? []) {
      const aliased = imp.aliases?.[name];
      if (imp.names.length === 0) {
        if (aliased !== undefined || imp.module === name || imp.module.startsWith(`${name}.`)) found = aliased ?? imp.module;
      } else if (aliased !== undefined || imp.names.includes(name)) found = imp.module;
    }
  }
  return found;
}
