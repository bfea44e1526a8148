import type { RuleContext } from '../../../core';
import { clearOutputsFix } from '../../lib/fixes';
import { cellOutputs } from '../../lib/notebook-outputs';

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
