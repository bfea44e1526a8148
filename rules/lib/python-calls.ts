import type { Node, PyCall } from '../../core';

/** Reading a Python call of the adapter's model (notebook cells and `.py` files alike). */

/** A keyword argument's value. */
export function kwarg(call: PyCall, name: string): Node | undefined {
  return call.kwargs.find((k) => k.key === name)?.value;
}

/** The last segment of a dotted callee: `transformers.AutoModel.from_pretrained` → `from_pretrained`. */
export function calleeName(call: PyCall): string {
  return call.callee.slice(call.callee.lastIndexOf('.') + 1);
}
