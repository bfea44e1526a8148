import { inFileStyle, isJsonText, type ParsedFile } from '../../../core';

/**
 * Where a `version = "…"` argument goes in a Terraform block: on a new line below the entry from `keyStart`
 * to `valueEnd`, at its indentation, when the entry stands alone on its line (a trailing comment allowed).
 * Undefined when something else shares the line (a one-line block or object). In Terraform's JSON syntax, a
 * `"version"` property after the entry: on a line of its own when the entry starts its line, else on its line.
 */
export function versionLineAfter(file: ParsedFile, keyStart: number, valueEnd: number, placeholder: string): { at: number; newText: string } | undefined {
  const text = file.text;
  if (isJsonText(file.uri, text)) {
    // Terraform's JSON syntax: a `"version"` property right after the value, before the comma that may follow it.
    const lineStart = text.lastIndexOf('\n', keyStart - 1) + 1;
    const indent = /^[ \t]*/.exec(text.slice(lineStart))![0];
    const property = `"version": "\${1:${placeholder}}"`;
    return { at: valueEnd, newText: inFileStyle(file, lineStart + indent.length === keyStart ? `,\n${indent}${property}` : `, ${property}`) };
  }
  return lineAfter(file, keyStart, valueEnd, `version = "\${1:${placeholder}}"`);
}

/**
 * Where a new line `line` goes below the entry from `keyStart` to `valueEnd` (a Terraform argument, a YAML
 * key, a YAML list item from its `-`), at the entry's indentation, when it stands alone on its line; later
 * lines of `line` (after `\n`) are indented the same. Undefined when something else shares the line.
 */
export function lineAfter(file: ParsedFile, keyStart: number, valueEnd: number, line: string): { at: number; newText: string } | undefined {
  const text = file.text;
  const lineStart = text.lastIndexOf('\n', keyStart - 1) + 1;
  const indent = /^[ \t]*/.exec(text.slice(lineStart))![0];
  let lineEnd = text.indexOf('\n', valueEnd);
  if (lineEnd < 0) lineEnd = text.length;
  if (text[lineEnd - 1] === '\r') lineEnd--;
  const alone = lineStart + indent.length === keyStart && /^\s*((#|\/\/).*)?$/.test(text.slice(valueEnd, lineEnd));
  return alone ? { at: lineEnd, newText: inFileStyle(file, `\n${indent}${line.replace(/\n/g, `\n${indent}`)}`) } : undefined;
}
