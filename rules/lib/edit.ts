import { inFileStyle, isJsonText, type MapNode, type ParsedFile, type TextEdit } from '../../core';

/**
 * Where a value goes: `indent` is the entries' indentation, and `inline` says the value must stay on one line
 * (the map is written on one line, minified, or is a YAML flow mapping).
 */
export interface EntryLayout {
  indent: string;
  inline: boolean;
}

/**
 * Add entries to an existing map in its own syntax: an HCL block body (`key = value`, aligned like its
 * neighbours), a YAML block mapping (`Key: value`), a JSON object or YAML flow mapping (`"Key": value`,
 * `Key: value`, after a comma), each on its own line after the last entry and indented like it, or inline
 * after it when the map is written on one line. Values are given as source text in that syntax, written
 * with `\n` and a tab per added level of indentation (`inFileStyle` turns them into the file's).
 * A value given as a function receives the layout (to lay out a nested block).
 * Undefined when the map has no entry to copy the layout from, or is an HCL block written on one line.
 */
export function appendEntries(
  file: ParsedFile,
  map: MapNode,
  entries: Array<[key: string, value: string | ((layout: EntryLayout) => string)]>,
): TextEdit | undefined {
  const last = map.entries[map.entries.length - 1];
  if (!last || entries.length === 0) return undefined;
  const text = file.text;
  // Only blanks back to the line start: the key is on its own line. Looked at back to the first other character,
  // not to the line start: on a minified one-line file that was the whole text before each key, for each fix.
  let lineStart = last.keySpan.start;
  while (lineStart > 0 && (text.charCodeAt(lineStart - 1) === 32 || text.charCodeAt(lineStart - 1) === 9)) lineStart--;
  const ownLine = lineStart === 0 || text.charCodeAt(lineStart - 1) === 10;
  const lead = ownLine ? text.slice(lineStart, last.keySpan.start) : '';
  // A JSON object or a YAML flow mapping: entries follow a comma.
  const flow = file.format !== 'terraform' && text.charCodeAt(map.span.start) === 123;
  let at = last.value.span.end;
  if (ownLine && !flow) {
    // After a comment ending the last entry's line, so the comment (a suppression, say) stays on its line.
    const nl = text.indexOf('\n', at);
    const lineEnd = nl < 0 ? text.length : text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
    if (/^[ \t]*(#|\/\/)/.test(text.slice(at, lineEnd))) at = lineEnd;
  }
  // YAML forbids block values inside a flow mapping, even one spread over several lines.
  const layout: EntryLayout = { indent: lead, inline: flow && (!ownLine || !isJsonText(file.uri, text)) };
  const v = (value: string | ((layout: EntryLayout) => string)) => (typeof value === 'function' ? value(layout) : value);
  const edit = (newText: string): TextEdit => ({ span: { start: at, end: at }, newText: inFileStyle(file, newText) });
  if (flow) {
    const quoted = text.charCodeAt(last.keySpan.start) === 34;
    const sep = ownLine ? `,\n${lead}` : ', ';
    return edit(entries.map(([k, value]) => `${sep}${quoted ? JSON.stringify(k) : k}: ${v(value)}`).join(''));
  }
  if (!ownLine) return undefined;
  if (file.format === 'terraform') {
    // Align `=` with the last attribute when it was aligned (terraform fmt style).
    const lineEnd = text.indexOf('\n', last.keySpan.end);
    const eq = text.slice(last.keySpan.end, lineEnd < 0 ? undefined : lineEnd).indexOf('=');
    const width = eq >= 0 && last.form !== 'block' ? last.keySpan.end - last.keySpan.start + eq : 0;
    return edit(entries.map(([k, value]) => `\n${lead}${k.padEnd(Math.max(width - 1, k.length))} = ${v(value)}`).join(''));
  }
  // A nested block value starts on the next line: no space after the colon.
  const yaml = (value: string) => (value.startsWith('\n') ? value : ` ${value}`);
  return edit(entries.map(([k, value]) => `\n${lead}${k}:${yaml(v(value))}`).join(''));
}

/**
 * Whether a parse problem touches a span: a rule that reports something as absent stays silent there,
 * because the missing piece may sit in the part the parser could not read.
 */
export function unreadable(file: ParsedFile, span: { start: number; end: number }): boolean {
  return file.problems.some((p) => p.span.start <= span.end && span.start <= p.span.end);
}
