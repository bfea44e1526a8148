import type { Cell, CellPython, Comment, ShellLine, Span } from './model';
import { commentsByLine } from './parsers/line-comments';

/**
 * Reading a notebook cell's structure on request. Parsing code cells is most of the cost of reading a
 * notebook and rules look at few cells, so the format hands each Python code cell a reader and callers ask
 * for what they need, when they need it.
 */
export interface CellReader {
  python(): CellPython | undefined;
  shellLines(): ShellLine[] | undefined;
  comments(): Comment[];
}

const readers = new WeakMap<Cell, CellReader>();
/** Cells that are a whole Python file: their spans are file offsets, without a cell index. */
const fileUnits = new WeakSet<Cell>();

/** Give `cell` the reader its structure is asked of (the notebook format, for Python code cells). */
export function readCellsWith(cell: Cell, reader: CellReader): void {
  readers.set(cell, reader);
}

/**
 * Give the one code unit of a Python file its reader: the file is read like a notebook code cell (rules
 * look at both through `cellPython`), but its spans are offsets into the file and carry no cell index.
 */
export function readFileUnitWith(unit: Cell, reader: CellReader): void {
  readers.set(unit, reader);
  fileUnits.add(unit);
}

/** A span of offsets into a cell's source: with the cell's index, or plain file offsets for a Python file. */
export function spanInCell(cell: Cell, start: number, end: number): Span {
  return fileUnits.has(cell) ? { start, end } : { start, end, cell: cell.index };
}

/**
 * The Python structure of a code cell (undefined for markdown, raw and non-Python cells): calls, assignments,
 * imports, shell lines, strings. Parses the cell on the first call for it; a cell that cannot be analysed
 * gets empty lists and one problem in its notebook's `problems`.
 */
export function cellPython(cell: Cell): CellPython | undefined {
  return readers.get(cell)?.python();
}

/** The `!`/`%` shell lines of a Python code cell, found without parsing it (undefined for other cells). */
export function cellShellLines(cell: Cell): ShellLine[] | undefined {
  return readers.get(cell)?.shellLines();
}

/** The comments of a cell: `#` comments of code cells (with those of `!`/`%` lines), none for markdown and raw. */
export function cellComments(cell: Cell): Comment[] {
  const reader = readers.get(cell);
  if (reader) return reader.comments();
  return cell.kind === 'code' ? commentsByLine(cell.source).map((c) => ({ ...c, span: { ...c.span, cell: cell.index } })) : [];
}
