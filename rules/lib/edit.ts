import type { MapNode, ParsedFile, TextEdit } from '../../core';

/**
 * Add entries to an existing map in its own syntax: an HCL block body (`key = value`, aligned like its
 * neighbours), a YAML block mapping (`Key: value`) or a JSON object (`"Key": value`), each on its own line
 * after the last entry and indented like it. Values are given as source text in that syntax.
 * A value given as a function receives the entries' indentation (to lay out a nested block).
 * Undefined when the map has no entry to copy the layout from, or is written on one line in HCL/YAML.
 */
export function appendEntries(
  file: ParsedFile,
  map: MapNode,
  entries: Array<[key: string, value: string | ((indent: string) => string)]>,
): TextEdit | undefined {
  const last = map.entries[map.entries.length - 1];
  if (!last || entries.length === 0) return undefined;
  const text = file.text;
  const lineStart = text.lastIndexOf('\n', last.keySpan.start - 1) + 1;
  const lead = text.slice(lineStart, last.keySpan.start);
  const ownLine = /^[ \t]*$/.test(lead);
  const json = text.charCodeAt(map.span.start) === 123 && file.format !== 'terraform' && text.charCodeAt(last.keySpan.start) === 34;
  const at = last.value.span.end;
  const v = (value: string | ((indent: string) => string)) => (typeof value === 'function' ? value(lead) : value);
  if (json) {
    const sep = ownLine ? `,\n${lead}` : ', ';
    return { span: { start: at, end: at }, newText: entries.map(([k, value]) => `${sep}${JSON.stringify(k)}: ${v(value)}`).join('') };
  }
  if (!ownLine) return undefined;
  if (file.format === 'terraform') {
    // Align `=` with the last attribute when it was aligned (terraform fmt style).
    const lineEnd = text.indexOf('\n', last.keySpan.end);
    const eq = text.slice(last.keySpan.end, lineEnd < 0 ? undefined : lineEnd).indexOf('=');
    const width = eq >= 0 && last.form !== 'block' ? last.keySpan.end - last.keySpan.start + eq : 0;
    return {
      span: { start: at, end: at },
      newText: entries.map(([k, value]) => `\n${lead}${k.padEnd(Math.max(width - 1, k.length))} = ${v(value)}`).join(''),
    };
  }
  // A nested block value starts on the next line: no space after the colon.
  const yaml = (value: string) => (value.startsWith('\n') ? value : ` ${value}`);
  return { span: { start: at, end: at }, newText: entries.map(([k, value]) => `\n${lead}${k}:${yaml(v(value))}`).join('') };
}

/**
 * Whether a parse problem touches a span: a rule that reports something as absent stays silent there,
 * because the missing piece may sit in the part the parser could not read.
 */
export function unreadable(file: ParsedFile, span: { start: number; end: number }): boolean {
  return file.problems.some((p) => p.span.start <= span.end && span.start <= p.span.end);
}
