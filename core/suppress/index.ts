import { cellComments } from '../cells';
import type { Comment, MapNode, Node, ParsedFile, Span } from '../model';
import { get, isList, isMap, str, walk } from '../nodes';
import { LineIndex } from '../text';
import { ANY_MARKER, foreignSuppressionsOf } from './foreign';
import { furthestBlockEnd, sortedByStart, type Suppression } from './suppression';

export { suppressionFinder, suppressionTest, type Suppression } from './suppression';
export { FOREIGN_CHECKS, rulesForCheck, type ForeignCheck, type ForeignTool } from './foreign-ids';
export { unusedSuppressions, type UnusedSuppression } from './unused';

/**
 * Suppressions: `airlock:ignore <rule-id>[, <rule-id>] -- <reason>`.
 * - In a comment: covers its own line and the next line; when the next line opens a block (a Terraform
 *   block, a YAML mapping or sequence under a key), the whole block.
 * - CloudFormation JSON has no comments: `Metadata: { airlock: { ignore: [ids] } }` on a resource covers it.
 * - Notebooks: a comment in the cell source (same rules, within the cell), or a cell metadata tag
 *   `airlock:ignore <rule-id>` covering the whole cell.
 * Rule ids accept globs: `secret/*`.
 * Other scanners' markers are honoured too, unless turned off (`./foreign.ts`).
 */

const MARKER = /airlock:ignore\s+([a-z0-9*/,\s-]+?)(?:\s+--\s*(.*))?\s*$/;

export function parseMarker(text: string): { ids: string[]; reason?: string } | undefined {
  const m = MARKER.exec(text);
  if (!m) return undefined;
  const ids = m[1].split(/[\s,]+/).filter(Boolean);
  if (ids.length === 0) return undefined;
  return { ids, reason: m[2]?.trim() || undefined };
}

/** Spans of blocks that a comment above them can cover: resources and every map/list value under a key. */
function blockStarts(roots: Node[], extra: Span[]): Span[] {
  const spans = [...extra];
  for (const root of roots) {
    for (const v of walk(root)) {
      if (v.entry && (v.node.kind === 'map' || v.node.kind === 'list')) {
        spans.push({ start: v.entry.keySpan.start, end: v.node.span.end });
      } else if (v.node.kind === 'map') {
        spans.push(v.node.span);
      }
    }
  }
  return spans;
}

/** `blocks` sorted by start (`blockSpans`). */
function fromComments(comments: Comment[], text: string, blocks: Span[], cell?: number): Suppression[] {
  const out: Suppression[] = [];
  let lines: LineIndex | undefined;
  for (const c of comments) {
    if (!c.text.includes('airlock:ignore')) continue;
    const marker = parseMarker(c.text);
    if (!marker) continue;
    if (c.covers) {
      out.push({ ...marker, covers: { ...c.covers, cell }, at: { ...c.span, cell } });
      continue;
    }
    lines ??= new LineIndex(text);
    const line = lines.position(c.span.start).line;
    // A comment alone on its line also covers the next line (and the block that line opens).
    const alone = text.slice(lines.lineStart(line), c.span.start).trim() === '';
    let end = alone ? lines.lineEnd(line + 1) : lines.lineEnd(line);
    if (alone) {
      end = furthestBlockEnd(blocks, lines.lineStart(line + 1), lines.lineEnd(line + 1), end);
    }
    out.push({ ...marker, covers: { start: lines.lineStart(line), end, cell }, at: { ...c.span, cell } });
  }
  return out;
}

/** `Metadata.airlock.ignore` on CloudFormation resources (the JSON form; YAML templates may use it too). */
function fromCloudFormationMetadata(file: ParsedFile): Suppression[] {
  const out: Suppression[] = [];
  for (const r of file.resources) {
    const ignore = get(get(get(r.raw, 'Metadata'), 'airlock'), 'ignore');
    if (!ignore) continue;
    const ids = (isList(ignore) ? ignore.items : [ignore]).map(str).filter((s): s is string => !!s);
    const reason = str(get(get(get(r.raw, 'Metadata'), 'airlock'), 'reason'));
    if (ids.length) out.push({ ids, reason, covers: r.span, at: ignore.span });
  }
  return out;
}

/** `airlock:ignore`, or CloudFormation's `Metadata: { airlock: { ignore: ... } }` (JSON or YAML). */
const AIRLOCK_MARKER = /airlock["']?\s*:/;

/**
 * Whether the text may hold a suppression: `airlock:ignore` (and, with `foreign`, another scanner's marker).
 * A scan that reports suppressions which hide nothing parses such a file even when no rule can report on it.
 */
export function mayHoldSuppression(text: string, foreign: boolean): boolean {
  return AIRLOCK_MARKER.test(text) || (foreign && ANY_MARKER.test(text));
}

export interface SuppressionOptions {
  /** Honour other scanners' markers (`checkov:skip=`, `tfsec:ignore:`, ...); on unless set to false. */
  foreign?: boolean;
}

export function suppressionsOf(file: ParsedFile, options: SuppressionOptions = {}): Suppression[] {
  const own = airlockSuppressionsOf(file);
  if (options.foreign === false) return own;
  let blocks: Span[] | undefined;
  return [...own, ...foreignSuppressionsOf(file, () => (blocks ??= blockSpans(file)))];
}

/** The spans of the file's blocks, sorted by start. */
function blockSpans(file: ParsedFile): Span[] {
  return sortedByStart(
    blockStarts(
      file.roots,
      file.resources.map((r) => r.span),
    ),
  );
}

function airlockSuppressionsOf(file: ParsedFile): Suppression[] {
  if (file.format === 'notebook') {
    const out: Suppression[] = [];
    for (const cell of file.cells ?? []) {
      // A comment is a piece of the cell's source: without the marker in the source there is none in a comment
      // (and a code cell's comments, found by a pass over its source, are not looked for).
      if (cell.source.includes('airlock:ignore')) out.push(...fromComments(cellComments(cell), cell.source, [], cell.index));
      for (const tag of cell.tags) {
        const marker = parseMarker(tag);
        if (marker) out.push({ ...marker, covers: { start: 0, end: Infinity, cell: cell.index }, at: { start: 0, end: 0, cell: cell.index } });
      }
    }
    return out;
  }
  const out = file.text.includes('airlock:ignore') ? fromComments(file.comments, file.text, blockSpans(file)) : [];
  if (file.format === 'cloudformation') out.push(...fromCloudFormationMetadata(file));
  return out;
}

/** For the CloudFormation JSON suppression fix: the resource map whose Metadata to extend. */
export function metadataTarget(file: ParsedFile, span: Span): MapNode | undefined {
  const r = file.resources.find((res) => res.kind === 'resource' && span.start >= res.span.start && span.end <= res.span.end);
  return r?.raw && isMap(r.raw) ? r.raw : undefined;
}
