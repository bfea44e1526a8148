import type { RuleContext } from '../../../core';
import { clearOutputsFix } from '../../lib/fixes';
import { outputForms, withoutAnsi } from '../../lib/notebook-outputs';

/** A number shown in a message: its first and last four characters around an ellipsis, never the whole value. */
export function maskedDigits(raw: string): string {
  const compact = raw.replace(/[ -]/g, '');
  return `${compact.slice(0, 4)}…${compact.slice(-4)}`;
}

/** The forms of an output read besides `text/plain`: where tables, API responses and styled frames show values. */
const VALUE_FORMS: ReadonlySet<string> = new Set(['text/html', 'application/json', 'text/markdown']);

/**
 * Report each value `find` finds in the notebook's outputs, with "Clear this cell's outputs" as the fix. Every
 * text form of an output is read (`text/plain` first), with ANSI colour codes read as spaces; a value the output
 * shows in several forms (a table's text and HTML) is reported in the first form that shows it. `describe` names the
 * value for the message; it sees it masked only.
 */
export function reportValuesInOutputs<Hit extends { start: number; end: number }>(
  { file, report }: Pick<RuleContext, 'file' | 'report'>,
  find: (text: string) => Hit[],
  describe: (hit: Hit, masked: string) => string,
): void {
  for (const { cell, outputs, span } of outputForms(file, 'text/plain', VALUE_FORMS)) {
    const shown = new Set<string>();
    for (const output of outputs) {
      const text = withoutAnsi(output.text);
      const values: string[] = [];
      for (const hit of find(text)) {
        const raw = text.slice(hit.start, hit.end);
        const value = raw.replace(/[ -]/g, '').toUpperCase();
        values.push(value);
        if (shown.has(value)) continue;
        report({
          span: span(output, hit.start, hit.end),
          message: `${describe(hit, maskedDigits(raw))} in a cell output`,
          fixes: [clearOutputsFix(cell.index)],
        });
      }
      for (const value of values) shown.add(value);
    }
  }
}
