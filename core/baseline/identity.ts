import { createHash } from 'node:crypto';
import path from 'node:path';
import { cellPython } from '../cells';
import { isTerraform } from '../formats';
import { mask } from '../mask';
import type { Cell, Entry, Node, ParsedFile, Resource, Span } from '../model';
import type { Finding } from '../rule';
import { partitionPoint } from '../sorted';
import { lineIndexOf } from '../text';

/**
 * A finding's fingerprint for baselines and SARIF `partialFingerprints`: rule id + where the finding lives
 * in its language + a hash of its normalised value. Never a line number, never the file's layout:
 * - Terraform: the module folder and the resource address (`aws_s3_bucket.logs`), then the key path. A block
 *   moved to another file of the same module keeps its fingerprint.
 * - Kubernetes, CloudFormation: the file, the object (`Deployment/ns/api`) or logical id, the key path.
 * - Notebooks: the file, the cell id (nbformat ≥ 4.5; else the cell index) and the call or assignment.
 * - Other text: the file and the key name the value is assigned to, when the line has one.
 * List items are named by their `name` (`Name`) key where they have one, so reordering containers keeps them.
 * Secrets are hashed masked (`mask`), so a fingerprint says nothing about a secret that `mask` would not.
 */

export interface FindingIdentity {
  /** The file, or for Terraform the module folder (`scopeKind`), relative to the folder identities are built from. */
  scope: string;
  scopeKind: 'file' | 'module';
  /** What follows the scope: address or object and key path, cell id and call, assigned name. */
  path: string;
  /** Hash of the normalised value. */
  value: string;
  /** Human-readable structural identity: paths, addresses and key names only, never a value. */
  where: string;
  /** Hex hash of rule id, `where` and `value`. */
  fingerprint: string;
}

const FINGERPRINT_HEX = 32;
/** How much of a value's first line counts: a long policy or block is identified by its start. */
const VALUE_CHARS = 256;
/** How much of a line before a value can hold the name it is assigned to (`  export API_KEY=`). */
const NAME_CHARS = 256;

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, FINGERPRINT_HEX);
}

function contains(outer: Span, inner: Span): boolean {
  return outer.start <= inner.start && inner.end <= outer.end;
}

/** Whether each list of items is in source order, worked out once per list (a merge key can break the order). */
const inOrder = new WeakMap<readonly unknown[], boolean>();

function isInOrder<T>(items: readonly T[], spanOf: (item: T) => Span): boolean {
  let known = inOrder.get(items);
  if (known === undefined) {
    known = items.every((x, i) => i === 0 || spanOf(items[i - 1]).end <= spanOf(x).start);
    inOrder.set(items, known);
  }
  return known;
}

/**
 * Index of the item of `items` (siblings: maps' entries, lists' items, a file's documents) that holds `span`,
 * or -1. Siblings in source order are searched by halves, so a finding costs the logarithm of its siblings,
 * not their number: a map of 20,000 keys with a finding under each stays linear.
 */
function holding<T>(items: readonly T[], spanOf: (item: T) => Span, span: Span): number {
  if (items.length < 8 || !isInOrder(items, spanOf)) return items.findIndex((x) => contains(spanOf(x), span));
  const last = partitionPoint(items.length, (i) => spanOf(items[i]).start <= span.start) - 1;
  return last >= 0 && contains(spanOf(items[last]), span) ? last : -1;
}

const entrySpan = (e: Entry): Span => ({ start: e.keySpan.start, end: e.value.span.end });
const nodeSpan = (n: Node): Span => n.span;

function nameOf(node: Node): string | undefined {
  if (node.kind !== 'map') return undefined;
  // Kubernetes containers and env vars have `name`; CloudFormation container definitions `Name`.
  const e = node.entries.find((x) => x.key === 'name' || x.key === 'Name');
  return e?.value.kind === 'scalar' && e.value.value !== null ? String(e.value.value) : undefined;
}

/** Key path from `root` down to the deepest node holding `span`: one descent, no walk of the whole tree. */
export function keyPathTo(root: Node, span: Span): string[] {
  const path: string[] = [];
  let node: Node | undefined = root;
  while (node) {
    let next: Node | undefined;
    if (node.kind === 'map') {
      const candidate = node.entries[holding(node.entries, entrySpan, span)] as Entry | undefined;
      const e = candidate && (contains(candidate.keySpan, span) || contains(candidate.value.span, span)) ? candidate : undefined;
      if (e) {
        path.push(e.labels?.length ? `${e.key}[${e.labels.join(',')}]` : e.key);
        if (!contains(e.keySpan, span)) next = e.value;
      }
    } else if (node.kind === 'list') {
      const i = holding(node.items, nodeSpan, span);
      if (i >= 0) {
        const name = nameOf(node.items[i]);
        path.push(name === undefined ? String(i) : `[name=${name}]`);
        next = node.items[i];
      }
    } else if (node.kind === 'expr' && node.args) {
      const arg = node.args.find((x) => contains(x.span, span));
      if (arg) {
        path.push(`${node.fn ?? ''}()`);
        next = arg;
      }
    }
    node = next;
  }
  return path;
}

/** Terraform address of a block: `aws_s3_bucket.b`, `data.aws_iam_policy_document.p`, `module.vpc`, `locals`. */
export function terraformAddress(r: Resource): string {
  if (r.kind === 'resource') return `${r.type}.${r.name}`;
  return [r.kind, r.type, r.name].filter(Boolean).join('.');
}

function kubernetesObject(r: Resource): string {
  const ns = r.body.kind === 'map' ? keyedScalar(r.body, 'metadata', 'namespace') : undefined;
  return [r.type, ns, r.name].filter((x) => x !== undefined && x !== '').join('/');
}

function keyedScalar(map: Node, ...keys: string[]): string | undefined {
  let node: Node | undefined = map;
  for (const k of keys) node = node?.kind === 'map' ? node.entries.find((e) => e.key === k)?.value : undefined;
  return node?.kind === 'scalar' && node.value !== null ? String(node.value) : undefined;
}

function dirOf(relPath: string): string {
  const i = relPath.lastIndexOf('/');
  return i < 0 ? '.' : relPath.slice(0, i);
}

/** The smallest resource holding `span` (resources may nest: a Kubernetes `List`'s items). */
function enclosingResource(file: ParsedFile, span: Span): Resource | undefined {
  const { byStart, maxEnd } = resourcesByStart(file);
  // The last resource starting at or before the span, then back: the first that holds it is the smallest
  // (an item of a Kubernetes `List` comes after the list, and equal spans keep the file's order).
  const last = partitionPoint(byStart.length, (i) => byStart[i].span.start <= span.start) - 1;
  // `maxEnd[i]`: no resource up to `i` reaches past it, so none of them can hold the span.
  for (let i = last; i >= 0 && maxEnd[i] >= span.end; i--) if (contains(byStart[i].span, span)) return byStart[i];
  return undefined;
}

const sortedResources = new WeakMap<ParsedFile, { byStart: Resource[]; maxEnd: number[] }>();

/** The file's resources by start, the larger of two with one start first, and of equal spans the later first. */
function resourcesByStart(file: ParsedFile): { byStart: Resource[]; maxEnd: number[] } {
  let sorted = sortedResources.get(file);
  if (!sorted) {
    const order = new Map(file.resources.map((r, i) => [r, i]));
    const byStart = [...file.resources].sort((a, b) => a.span.start - b.span.start || b.span.end - a.span.end || order.get(b)! - order.get(a)!);
    const maxEnd: number[] = [];
    for (const r of byStart) maxEnd.push(Math.max(r.span.end, maxEnd.at(-1) ?? -1));
    sorted = { byStart, maxEnd };
    sortedResources.set(file, sorted);
  }
  return sorted;
}

type Parts = Pick<FindingIdentity, 'scope' | 'scopeKind' | 'path'>;

function structuredParts(file: ParsedFile, relPath: string, span: Span): Parts {
  const r = enclosingResource(file, span);
  if (r) {
    const start = r.raw && contains(r.raw.span, span) ? r.raw : r.body;
    const keys = contains(start.span, span) ? keyPathTo(start, span) : [];
    if (isTerraform(file.format)) return { scope: dirOf(relPath), scopeKind: 'module', path: [r.address ?? terraformAddress(r), ...keys].join(' ') };
    const owner = file.format === 'kubernetes' ? kubernetesObject(r) : `${r.kind}.${r.name}`;
    return { scope: relPath, scopeKind: 'file', path: [owner, ...keys].join(' ') };
  }
  const root = holding(file.roots, nodeSpan, span);
  const keys = root < 0 ? [] : [...(file.roots.length > 1 ? [`#${root}`] : []), ...keyPathTo(file.roots[root], span)];
  return { scope: relPath, scopeKind: 'file', path: keys.join(' ') };
}

/** The cell's nbformat `id`, read from its JSON in the `.ipynb` text. */
function cellId(file: ParsedFile, cell: Cell): string | undefined {
  if (!cell.span) return undefined;
  try {
    const id = (JSON.parse(file.text.slice(cell.span.start, cell.span.end)) as { id?: unknown }).id;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}

function notebookParts(file: ParsedFile, relPath: string, span: Span, ids: Map<number, string>, cells: ReadonlyMap<number, Cell>): Parts {
  const parts = (rest: string): Parts => ({ scope: relPath, scopeKind: 'file', path: rest });
  const cell = span.cell === undefined ? undefined : cells.get(span.cell);
  if (!cell) return parts('');
  let id = ids.get(cell.index);
  if (id === undefined) {
    id = cellId(file, cell) ?? `#${cell.index}`;
    ids.set(cell.index, id);
  }
  if (span.output !== undefined) return parts(`cell:${id} outputs`);
  const py = cellPython(cell);
  const call = py?.calls.filter((c) => contains(c.span, span)).sort((a, b) => a.span.end - a.span.start - (b.span.end - b.span.start))[0];
  const assigned = call ? undefined : py?.assignments.find((a) => contains(a.span, span));
  const what = call ? `${call.callee}()` : assigned ? `${assigned.target} =` : '';
  return parts(`cell:${id}${what ? ` ${what}` : ''}`);
}

/** `API_KEY` in `API_KEY=…`, `export API_KEY=…`, `api_key: …` — a name, never a value. */
function assignedName(line: string): string | undefined {
  return /^\s*(?:export\s+)?([A-Za-z_][\w.-]{0,63})\s*[:=]/.exec(line)?.[1];
}

function textOf(file: ParsedFile, span: Span, cells: ReadonlyMap<number, Cell>): string {
  if (span.cell === undefined) return file.text;
  const cell = cells.get(span.cell);
  if (!cell) return '';
  if (span.output === undefined) return cell.source;
  return cell.outputs.find((o) => o.index === span.output)?.text ?? '';
}

/** The flagged value's first line without whitespace; secrets masked first. */
function normalisedValue(finding: Finding, text: string): string {
  // The first VALUE_CHARS characters hold all of the first line that counts: a long value costs no more.
  const raw = text.slice(finding.span.start, Math.max(finding.span.start, Math.min(finding.span.end, finding.span.start + VALUE_CHARS)));
  const first = raw.split(/\r?\n/, 1)[0].slice(0, VALUE_CHARS);
  const value = finding.family === 'secret' ? mask(first) : first;
  return value.replace(/\s+/g, '');
}

function identity(ruleId: string, parts: Parts, value: string): FindingIdentity {
  const where = parts.scopeKind === 'module' ? `${parts.scope}/${parts.path}` : parts.path ? `${parts.scope} ${parts.path}` : parts.scope;
  return { ...parts, value, where, fingerprint: hash(`${ruleId}\0${where}\0${value}`) };
}

/** The identity of each finding of one file, in order. `relPath`: the file's path relative to the scan root. */
export function findingIdentities(file: ParsedFile, findings: readonly Finding[], relPath: string): FindingIdentity[] {
  const ids = new Map<number, string>();
  const cells = new Map((file.cells ?? []).map((c) => [c.index, c]));
  return findings.map((f) => {
    const text = textOf(file, f.span, cells);
    let parts: Parts;
    if (file.format === 'notebook') parts = notebookParts(file, relPath, f.span, ids, cells);
    else if (file.format === 'text') {
      // The line start from the file's line index: searching back from each finding is quadratic on one long line.
      const lineStart = f.span.start - lineIndexOf(text).position(f.span.start).character;
      parts = { scope: relPath, scopeKind: 'file', path: assignedName(text.slice(lineStart, Math.min(f.span.start, lineStart + NAME_CHARS))) ?? '' };
    } else parts = structuredParts(file, relPath, f.span);
    return identity(f.ruleId, parts, hash(normalisedValue(f, text)));
  });
}

/**
 * The identity with its scope relative to `to` instead of `from` (absolute folders): a baseline's paths are
 * relative to its own folder, wherever the scan runs from.
 */
export function rebaseIdentity(id: FindingIdentity, ruleId: string, from: string, to: string): FindingIdentity {
  const scope = path.relative(to, path.join(from, id.scope)).split(path.sep).join('/') || '.';
  return identity(ruleId, { scope, scopeKind: id.scopeKind, path: id.path }, id.value);
}

/**
 * Make fingerprints unique across a scan: the second finding with the same fingerprint (the same rule,
 * identity and value twice) gets `:2`, the third `:3`, in the order given (report order).
 */
export function numberRepeats<T extends { fingerprint: string }>(identities: readonly T[]): void {
  const seen = new Map<string, number>();
  for (const id of identities) {
    const n = (seen.get(id.fingerprint) ?? 0) + 1;
    seen.set(id.fingerprint, n);
    if (n > 1) id.fingerprint = `${id.fingerprint}:${n}`;
  }
}
