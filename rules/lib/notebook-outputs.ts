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

/**
 * Each output of each cell with every text form it was saved in, `preferred` first: a value shown only in one
 * form (a `JSON()` display's `application/json`, a pandas `Styler`'s `text/html`, whose `text/plain` is an object
 * repr) is still read. `forms` names the MIME types read besides `preferred` and the stream/error text.
 */
export function* outputForms(
  file: ParsedFile,
  preferred: string,
  forms: ReadonlySet<string>,
): Generator<{ cell: Cell; outputs: NotebookOutput[]; span: (output: NotebookOutput, start: number, end: number) => Span }> {
  for (const cell of file.cells ?? []) {
    const byOutput = new Map<number, NotebookOutput[]>();
    for (const output of cell.outputs) {
      if (output.mime !== undefined && output.mime !== preferred && !forms.has(output.mime)) continue;
      const key = output.outputIndex ?? -1 - output.index;
      const group = byOutput.get(key);
      if (!group) byOutput.set(key, [output]);
      else if (output.mime === preferred) group.unshift(output);
      else group.push(output);
    }
    for (const outputs of byOutput.values()) {
      yield { cell, outputs, span: (output, start, end) => ({ start, end, cell: cell.index, output: output.index }) };
    }
  }
}

/** An ANSI escape sequence (the colours of IPython tracebacks and of `rich` or logging output). */
const ANSI = /\x1b\[[0-9;?]{0,32}[A-Za-z]/g;

/** `text` with its ANSI escape sequences turned into spaces of the same length: offsets stay those of the text. */
export function withoutAnsi(text: string): string {
  if (!text.includes('\x1b')) return text;
  return text.replace(ANSI, (sequence) => ' '.repeat(sequence.length));
}
