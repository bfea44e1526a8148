import type { Cell, NotebookOutput, ParsedFile, Span } from '../../core';

/**
 * Each output of each cell of a notebook, with the span a finding at `start`–`end` of its text has. One
 * output shown in several MIME types (pandas writes a table as `text/html` and `text/plain`) is read once,
 * in `preferred` when it has it, so one table or number gives one finding.
 */
export function* cellOutputs(
  file: ParsedFile,
  preferred: string,
): Generator<{ cell: Cell; output: NotebookOutput; span: (start: number, end: number) => Span }> {
  for (const cell of file.cells ?? []) {
    const chosen = new Map<number, NotebookOutput>();
    for (const output of cell.outputs) {
      const key = output.outputIndex ?? -1 - output.index;
      const seen = chosen.get(key);
      if (!seen || (output.mime === preferred && seen.mime !== preferred)) chosen.set(key, output);
    }
    for (const output of chosen.values()) {
      yield { cell, output, span: (start, end) => ({ start, end, cell: cell.index, output: output.index }) };
    }
  }
}
