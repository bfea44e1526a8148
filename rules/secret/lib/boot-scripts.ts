import { type Node, type ParsedFile, visit } from '../../../core';
import { commandsIn, type Word } from '../../lib/shell';
import { COMMANDS_WITH_CREDENTIALS, commandSites } from './command-sites';
import type { Collector } from './sites';

/**
 * Command-line credentials in the scripts a machine runs at boot (`user_data`, `custom_data`,
 * `metadata_startup_script`, CloudFormation `UserData`, an Azure Custom Script extension's `commandToExecute`):
 * `docker login -p`, `mysql -p...` and the other commands of
 * `command-sites.ts`, read as in any shell script. Scripts written verbatim — heredoc bodies (also inside
 * `base64encode(...)`) and YAML `|` block scalars (also under `Fn::Base64` / `!Sub`) — are read in place; a script
 * written as one double-quoted string (`"#!/bin/bash\nmysql -p…\n"`) is read with its escapes decoded, each word
 * mapped back to where it is written. `${...}` interpolations are words known only at run time.
 */
export function bootScriptSites(file: ParsedFile, value: Node, out: Collector): void {
  if (value.span.cell !== undefined) return;
  const verbatim = verbatimScripts(file, value);
  for (const { words } of commandsIn(file.text, verbatim, COMMANDS_WITH_CREDENTIALS)) commandSites(file.text, words, out);
  if (verbatim.length === 0) for (const words of quotedScriptCommands(file, value)) commandSites(file.text, words, out);
}

/** Escapes of double-quoted HCL, JSON and YAML strings that a script written on one line uses. */
const ESCAPED: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\', '/': '/' };

/**
 * The commands of the double-quoted strings in a value, with each word's offsets in the file. A word whose
 * text is written with escapes keeps offsets whose text differs from its value, which `commandSites` does not
 * report on: only words written as they are read can be underlined and fixed.
 */
function quotedScriptCommands(file: ParsedFile, value: Node): Word[][] {
  const out: Word[][] = [];
  visit(value, (node) => {
    if (node.kind !== 'scalar' || typeof node.value !== 'string') return;
    const { start, end } = node.span;
    if (end - start < 2 || file.text[start] !== '"' || file.text[end - 1] !== '"') return;
    let script = '';
    const at: number[] = [];
    for (let i = start + 1; i < end - 1; i++) {
      const decoded = file.text[i] === '\\' ? ESCAPED[file.text[i + 1]] : undefined;
      at.push(i);
      if (decoded === undefined) script += file.text[i];
      else {
        script += decoded;
        i++;
      }
    }
    at.push(end - 1);
    for (const { words } of commandsIn(script, [{ start: 0, end: script.length }], COMMANDS_WITH_CREDENTIALS))
      out.push(words.map((w) => ({ ...w, start: at[w.start], end: at[w.end] })));
  });
  return out;
}

const HEREDOC_START = /<<-?([A-Za-z_][A-Za-z0-9_]*)[ \t]*\r?\n/g;

/** The file ranges of the scripts written verbatim in a value: heredoc bodies and YAML literal block scalars. */
function verbatimScripts(file: ParsedFile, value: Node): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  const raw = file.text.slice(value.span.start, value.span.end);
  HEREDOC_START.lastIndex = 0;
  for (let m = HEREDOC_START.exec(raw); m; m = HEREDOC_START.exec(raw)) {
    const bodyStart = m.index + m[0].length;
    const end = heredocEnd(raw, bodyStart, m[1]);
    if (end === undefined) break;
    out.push({ start: value.span.start + bodyStart, end: value.span.start + end });
    HEREDOC_START.lastIndex = end;
  }
  if (out.length > 0) return out;
  visit(value, (node) => {
    if (node.kind !== 'scalar' || typeof node.value !== 'string') return;
    const text = file.text.slice(node.span.start, node.span.end);
    const header = /^\|[-+0-9]*[ \t]*(?:#[^\n]*)?\r?\n/.exec(text);
    if (header) out.push({ start: node.span.start + header[0].length, end: node.span.end });
  });
  return out;
}

/** Where the heredoc body that starts at `from` ends: the start of the line that holds only its marker. */
function heredocEnd(raw: string, from: number, marker: string): number | undefined {
  let lineStart = from;
  while (lineStart < raw.length) {
    const next = raw.indexOf('\n', lineStart);
    const lineEnd = next < 0 ? raw.length : next;
    if (raw.slice(lineStart, lineEnd).trim() === marker) return lineStart;
    lineStart = lineEnd + 1;
  }
  return undefined;
}
