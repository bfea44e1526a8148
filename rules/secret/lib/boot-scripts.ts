import { type Node, type ParsedFile, visit } from '../../../core';
import { commandsIn } from '../../lib/shell';
import { COMMANDS_WITH_CREDENTIALS, commandSites } from './command-sites';
import type { Collector } from './sites';

/**
 * Command-line credentials in the scripts a machine runs at boot (`user_data`, `custom_data`,
 * `metadata_startup_script`, CloudFormation `UserData`): `docker login -p`, `mysql -p...` and the other commands of
 * `command-sites.ts`, read as in any shell script. Only scripts written verbatim in the file are read — heredoc
 * bodies (also inside `base64encode(...)`) and YAML `|` block scalars (also under `Fn::Base64` / `!Sub`) — so a
 * word's offset in the script is its offset in the file. `${...}` interpolations are words known only at run time.
 */
export function bootScriptSites(file: ParsedFile, value: Node, out: Collector): void {
  if (value.span.cell !== undefined) return;
  for (const { words } of commandsIn(file.text, verbatimScripts(file, value), COMMANDS_WITH_CREDENTIALS)) commandSites(file.text, words, out);
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
