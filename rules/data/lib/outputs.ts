import type { Cell, NotebookOutput, ParsedFile, RuleContext, Span } from '../../../core';
import { clearOutputsFix } from '../../lib/fixes';

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

/** A number shown in a message: its first and last four characters around an ellipsis, never the whole value. */
export function maskedDigits(raw: string): string {
  const compact = raw.replace(/[ -]/g, '');
  return `${compact.slice(0, 4)}…${compact.slice(-4)}`;
}

/**
 * Report each value `find` finds in the notebook's outputs (read in `text/plain` when an output has it), with
 * "Clear this cell's outputs" as the fix. `describe` names the value for the message; it sees it masked only.
 */
export function reportValuesInOutputs<Hit extends { start: number; end: number }>(
  { file, report }: Pick<RuleContext, 'file' | 'report'>,
  find: (text: string) => Hit[],
  describe: (hit: Hit, masked: string) => string,
): void {
  for (const { cell, output, span } of cellOutputs(file, 'text/plain')) {
    for (const hit of find(output.text)) {
      const masked = maskedDigits(output.text.slice(hit.start, hit.end));
      report({ span: span(hit.start, hit.end), message: `${describe(hit, masked)} in a cell output`, fixes: [clearOutputsFix(cell.index)] });
    }
  }
}
