import type { MapNode, ParsedFile, TextEdit } from '../../core';

/**
 * Insert `key = value` (Terraform) or `Key: value` (YAML) as the map's last entry, on its own line and
 * indented like the entries above; JSON objects get `, "Key": value`. Undefined when the map has no entry
 * on a line of its own to copy the indentation from.
 */
export function insertEntry(file: ParsedFile, map: MapNode, key: string, value: string): TextEdit | undefined {
  const last = map.entries[map.entries.length - 1];
  if (!last) return undefined;
  const text = file.text;
  const lineStart = text.lastIndexOf('\n', last.keySpan.start - 1) + 1;
  const indent = text.slice(lineStart, last.keySpan.start);
  const at = last.value.span.end;
  if (text.charCodeAt(last.keySpan.start) === 34 && file.format !== 'terraform') {
    const sep = /^[ \t]*$/.test(indent) ? `,\n${indent}` : ', ';
    return { span: { start: at, end: at }, newText: `${sep}${JSON.stringify(key)}: ${value}` };
  }
  if (!/^[ \t]*$/.test(indent)) return undefined;
  return { span: { start: at, end: at }, newText: file.format === 'terraform' ? `\n${indent}${key} = ${value}` : `\n${indent}${key}: ${value}` };
}
