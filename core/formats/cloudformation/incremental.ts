import type { Comment, MapNode, ParsedFile } from '../../model';
import { shiftComment, shiftEntry } from '../../parsers/shift';
import { parseYamlDocuments } from '../../parsers/yaml';
import { cloudFormationDialect, cloudFormationResources } from './resources';

/**
 * The last parse of recently parsed CloudFormation documents, by URI. An editor sends the whole text on
 * every keystroke; when the change lies inside one resource, only that resource is parsed again.
 */
const recent = new Map<string, ParsedFile>();
const RECENT_MAX = 16;

/** A CloudFormation YAML template, re-parsing only the edited resource of the document's last parse when it can. */
export function parseCloudFormationYaml(uri: string, text: string): ParsedFile {
  const previous = recent.get(uri);
  const file = (previous && reparseCloudFormationResource(previous, text)) ?? parseYamlDocuments(uri, text, cloudFormationDialect);
  remember(file);
  return file;
}

function remember(file: ParsedFile): void {
  recent.delete(file.uri);
  recent.set(file.uri, file);
  if (recent.size > RECENT_MAX) recent.delete(recent.keys().next().value as string);
}

function lineStart(text: string, at: number): number {
  return text.lastIndexOf('\n', at - 1) + 1;
}

/**
 * Anchors, aliases and directives: what could make a resource's parse depend on text outside it. An anchor or
 * alias starts a node: after white space, `[`, `{` or `,`, or after the `:` of a quoted key in a flow mapping
 * (`"a":*x`); `-*x` and `arn:aws:s3:::*` are plain text.
 */
const NON_LOCAL = /(^|[\s[{,])[&*][^\s,\]}]|["']:[&*]|^%/m;
/** Document markers: inside a resource they would split the stream. */
const MARKER = /^(---|\.\.\.)(\s|$)/m;

/**
 * `text` parsed by re-parsing, in `previous`, only the resource under `Resources:` whose body holds every
 * changed character, and shifting what follows it. The result is what a full parse gives; anything this
 * cannot prove local (a change on a resource's key line or outside a resource, the last resource, syntax
 * errors before or after, anchors and aliases, directives, several documents) returns undefined and a full
 * parse follows.
 */
export function reparseCloudFormationResource(previous: ParsedFile, text: string): ParsedFile | undefined {
  const old = previous.text;
  if (previous.format !== 'cloudformation' || previous.problems.length > 0 || previous.roots.length !== 1 || old === text) return undefined;
  const root = previous.roots[0];
  if (root.kind !== 'map') return undefined;
  // The changed region: [p, oldEnd) in the old text became [p, newEnd) in the new one.
  const max = Math.min(old.length, text.length);
  let p = 0;
  while (p < max && old.charCodeAt(p) === text.charCodeAt(p)) p++;
  let s = 0;
  while (s < max - p && old.charCodeAt(old.length - 1 - s) === text.charCodeAt(text.length - 1 - s)) s++;
  const oldEnd = old.length - s;
  const delta = text.length - old.length;

  const sections = root.entries.filter((e) => e.key === 'Resources');
  if (sections.length !== 1) return undefined;
  const section = sections[0];
  const resources = section.value;
  if (resources.kind !== 'map' || resources.entries.length < 2) return undefined;
  const entries = resources.entries;
  const i = entries.findIndex((e, k) => k + 1 < entries.length && e.keySpan.start <= p && oldEnd < lineStart(old, entries[k + 1].keySpan.start));
  if (i < 0) return undefined;
  const entry = entries[i];
  const blockStart = lineStart(old, entry.keySpan.start);
  const blockEnd = lineStart(old, entries[i + 1].keySpan.start);
  const keyLineEnd = old.indexOf('\n', entry.keySpan.start);
  const headerStart = lineStart(old, section.keySpan.start);
  const headerEnd = old.indexOf('\n', section.keySpan.start);
  // The edit must be below the resource's key line, inside a block-style `Resources:` map.
  if (keyLineEnd < 0 || p <= keyLineEnd || headerEnd < 0 || headerEnd >= blockStart) return undefined;
  const block = text.slice(blockStart, blockEnd + delta);
  if (MARKER.test(block) || NON_LOCAL.test(block) || NON_LOCAL.test(old)) return undefined;

  // `Resources:` as written, then the resource: paths and tags come out as in the whole template.
  const header = old.slice(headerStart, headerEnd + 1);
  const part = parseYamlDocuments(previous.uri, header + block, cloudFormationDialect);
  const partRoot = part.roots[0];
  if (part.problems.length > 0 || part.roots.length !== 1 || partRoot.kind !== 'map' || partRoot.entries.length !== 1) return undefined;
  const partSection = partRoot.entries[0];
  if (partSection.key !== 'Resources' || partSection.value.kind !== 'map' || partSection.value.entries.length !== 1) return undefined;
  const fresh = partSection.value.entries[0];
  if (fresh.key !== entry.key) return undefined;
  const d = blockStart - header.length;

  const newResources: MapNode = {
    ...resources,
    span: { ...resources.span, end: resources.span.end + delta },
    entries: entries.map((e, k) => (k < i ? e : k === i ? shiftEntry(fresh, d) : shiftEntry(e, delta))),
  };
  const at = root.entries.indexOf(section);
  const newRoot: MapNode = {
    ...root,
    span: { ...root.span, end: root.span.end + delta },
    entries: root.entries.map((e, k) => (k < at ? e : k === at ? { ...e, value: newResources } : shiftEntry(e, delta))),
  };
  const comments: Comment[] = [];
  for (const c of previous.comments) if (c.span.end <= blockStart) comments.push(c);
  for (const c of part.comments) if (c.span.start >= header.length) comments.push(shiftComment(c, d));
  for (const c of previous.comments) if (c.span.start >= blockEnd) comments.push(shiftComment(c, delta));
  return {
    uri: previous.uri,
    format: 'cloudformation',
    text,
    resources: cloudFormationResources([newRoot]),
    roots: [newRoot],
    comments,
    problems: [],
    toFileSpan: (x) => x,
  };
}
