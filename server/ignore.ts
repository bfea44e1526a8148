import type { Entry, MapNode, ParsedFile, Span } from '../core/model';
import { walk } from '../core/nodes';
import { metadataTarget } from '../core/suppress';
import type { Positions } from './diagnostics';

/**
 * The edit behind "Ignore <rule> on this line":
 * - formats with `#` comments (Terraform, YAML, Python cells): `# airlock:ignore <id> -- <reason>` on its
 *   own line above the finding's line, indented like it (a comment alone on its line covers the next line); in
 *   source files whose comments start with `//` (JavaScript, Go, Java...), `// airlock:ignore ...`; none in XML;
 * - CloudFormation JSON (no comments): the id added to the resource's `Metadata.airlock.ignore` list,
 *   creating `Metadata`, `airlock` and `ignore` as needed, indented like the surrounding JSON;
 * - Terraform's JSON syntax: a `"//": "airlock:ignore <id> -- <reason>"` property opening the block that holds
 *   the finding (a `"//"` property covers its block).
 * `<reason>` is a placeholder for the person to replace: a suppression should say why.
 */

export const REASON_PLACEHOLDER = '<reason>';

export interface OffsetEdit {
  start: number;
  end: number;
  newText: string;
}

function eolOf(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

/** The suppression comment line above the line holding `offset`, started with `marker` (`#` or `//`). */
export function commentAbove(text: string, positions: Positions, offset: number, ruleId: string, marker = '#'): OffsetEdit {
  const line = positions.line(offset);
  const start = positions.lineStart(line);
  const indent = /^[ \t]*/.exec(text.slice(start, positions.lineEnd(line)))![0];
  return { start, end: start, newText: `${indent}${marker} airlock:ignore ${ruleId} -- ${REASON_PLACEHOLDER}${eolOf(text)}` };
}

/** A line inside a multi-line literal (heredoc, block scalar, multi-line string): a comment there would be text. */
export function insideMultilineLiteral(file: ParsedFile, positions: Positions, offset: number): boolean {
  const lineStart = positions.lineStart(positions.line(offset));
  for (const root of file.roots) {
    for (const v of walk(root)) {
      const s = v.node.span;
      if (v.node.kind === 'scalar' && s.start < lineStart && s.end > lineStart) return true;
    }
  }
  return false;
}

function entryOf(map: MapNode, key: string): Entry | undefined {
  return map.entries.find((e) => e.key === key);
}

function lineIndent(text: string, positions: Positions, offset: number): string {
  const line = positions.line(offset);
  const start = positions.lineStart(line);
  return /^[ \t]*/.exec(text.slice(start, positions.lineEnd(line)))![0];
}

type Json = string | Json[] | { [k: string]: Json };

/** JSON with objects one key per line and short arrays inline: `{ "airlock": { "ignore": ["x"] } }` laid out. */
function formatJson(value: Json, indent: string, unit: string, eol: string): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v) => formatJson(v, indent, unit, eol)).join(', ')}]`;
  const inner = indent + unit;
  const parts = Object.entries(value).map(([k, v]) => `${inner}${JSON.stringify(k)}: ${formatJson(v, inner, unit, eol)}`);
  return `{${eol}${parts.join(`,${eol}`)}${eol}${indent}}`;
}

/** Add an entry to a JSON object node, after its last entry (or inside `{}`), keeping the layout. */
function insertEntry(text: string, positions: Positions, map: MapNode, key: string, value: Json, unit: string): OffsetEdit {
  const eol = eolOf(text);
  const last = map.entries[map.entries.length - 1];
  if (last) {
    const end = last.value.span.end;
    if (positions.line(last.keySpan.start) === positions.line(map.span.start)) {
      return { start: end, end, newText: `, ${JSON.stringify(key)}: ${JSON.stringify(value)}` };
    }
    const indent = lineIndent(text, positions, last.keySpan.start);
    return { start: end, end, newText: `,${eol}${indent}${JSON.stringify(key)}: ${formatJson(value, indent, unit, eol)}` };
  }
  const mapIndent = lineIndent(text, positions, map.span.start);
  const indent = mapIndent + unit;
  return {
    start: map.span.start + 1,
    end: Math.max(map.span.start + 1, map.span.end - 1),
    newText: `${eol}${indent}${JSON.stringify(key)}: ${formatJson(value, indent, unit, eol)}${eol}${mapIndent}`,
  };
}

/** The indentation step of a JSON document, from a resource map and its first entry (two spaces if unclear). */
function indentUnit(text: string, positions: Positions, map: MapNode): string {
  const first = map.entries[0];
  if (!first) return '  ';
  const outer = lineIndent(text, positions, map.span.start);
  const inner = lineIndent(text, positions, first.keySpan.start);
  if (positions.line(first.keySpan.start) !== positions.line(map.span.start) && inner.startsWith(outer) && inner.length > outer.length) {
    return inner.slice(outer.length);
  }
  return '  ';
}

/** Add `ruleId` to `Metadata.airlock.ignore` of the CloudFormation resource holding `span`. */
export function cloudFormationJsonIgnore(file: ParsedFile, positions: Positions, span: Span, ruleId: string): OffsetEdit | undefined {
  const raw = metadataTarget(file, span);
  if (!raw) return undefined;
  const text = file.text;
  const unit = indentUnit(text, positions, raw);
  const metadata = entryOf(raw, 'Metadata');
  if (!metadata) return insertEntry(text, positions, raw, 'Metadata', { airlock: { ignore: [ruleId] } }, unit);
  if (metadata.value.kind !== 'map') return undefined;
  const airlock = entryOf(metadata.value, 'airlock');
  if (!airlock) return insertEntry(text, positions, metadata.value, 'airlock', { ignore: [ruleId] }, unit);
  if (airlock.value.kind !== 'map') return undefined;
  const ignore = entryOf(airlock.value, 'ignore');
  if (!ignore) return insertEntry(text, positions, airlock.value, 'ignore', [ruleId], unit);
  const list = ignore.value;
  if (list.kind === 'list') {
    if (list.items.some((i) => i.kind === 'scalar' && i.value === ruleId)) return undefined;
    const lastItem = list.items[list.items.length - 1];
    if (lastItem) return { start: lastItem.span.end, end: lastItem.span.end, newText: `, ${JSON.stringify(ruleId)}` };
    return { start: list.span.start + 1, end: Math.max(list.span.start + 1, list.span.end - 1), newText: JSON.stringify(ruleId) };
  }
  if (list.kind === 'scalar') {
    return { start: list.span.start, end: list.span.end, newText: `[${text.slice(list.span.start, list.span.end)}, ${JSON.stringify(ruleId)}]` };
  }
  return undefined;
}

/**
 * Terraform's JSON syntax: `"//": "airlock:ignore <id> -- <reason>"` as the first property of the block that
 * holds the finding, on its own line when the block's properties are, else on the brace's line. None when
 * the block already has a `"//"` comment (a second one would repeat the key).
 */
export function terraformJsonIgnore(file: ParsedFile, positions: Positions, span: Span, ruleId: string): OffsetEdit | undefined {
  const text = file.text;
  let holder: MapNode | undefined;
  let covers: Span | undefined;
  for (const r of file.resources) {
    if (r.span.start <= span.start && span.end <= r.span.end && (!covers || r.span.start >= covers.start)) {
      holder = r.body;
      covers = r.span;
    }
  }
  if (!holder || !covers || text.charCodeAt(holder.span.start) !== 123) return undefined;
  const taken = covers;
  if (file.comments.some((c) => c.covers && c.covers.start === taken.start && c.covers.end === taken.end)) return undefined;
  const open = holder.span.start + 1;
  let next = open;
  while (next < text.length && /\s/.test(text[next])) next++;
  const comment = `"//": "airlock:ignore ${ruleId} -- ${REASON_PLACEHOLDER}"`;
  const comma = text[next] === '}' ? '' : ',';
  if (positions.line(next) === positions.line(open)) return { start: next, end: next, newText: `${comment}${comma}${comma ? ' ' : ''}` };
  const lineStart = positions.lineStart(positions.line(next));
  const indent = /^[ \t]*/.exec(text.slice(lineStart, next))![0];
  return { start: open, end: open, newText: `${eolOf(text)}${indent}${comment}${comma}` };
}
