import type { Comment, Entry, MapNode, Node, ParsedFile, Path, Resource, Span } from '../../model';
import { parseJsonDocument } from '../../parsers/json';
import type { StructuredDialect } from '../../parsers/yaml-model';
import { TOP_LEVEL_LABELS } from '../terraform/blocks';
import { convertTemplates, isTemplate, type TemplateSite } from './templates';

/**
 * Terraform's JSON syntax (`.tf.json`, `.tfvars.json`) into the Terraform model the HCL adapter builds, on
 * `jsonc-parser` (through `parseJsonDocument`: exact offsets, tolerant of errors).
 *
 * - The root object's properties are block types. Each holds one object per label level (`resource` →
 *   type → name), then the body: an object, or an array of objects for several blocks with the same labels.
 *   A block type may also hold an array of such objects. Every body becomes a `Resource` (`nameSpan`: the
 *   last label's key, `span`: from there to the body's end) and a `block` entry of the root map.
 * - Inside bodies, objects are maps and arrays lists, as a `.tf` file's objects and tuples; nested blocks
 *   written as an array of objects are read by rules as repeated blocks (`all()`). `dynamic` blocks enter
 *   their `content` under the dynamic block's label, as in HCL.
 * - Strings holding `${…}`/`%{…}` are templates: expressions with references (`templates.ts`). `variable` and
 *   `terraform` blocks hold literal values (Terraform reads them without templates), and so does a
 *   `.tfvars.json` file, whose root object is the root map.
 * - A `"//"` property is a comment (Terraform ignores it): its string is the comment's text, and an
 *   `airlock:ignore` in it covers the block or object it is written in.
 */

/** Block types whose strings are literal values, never templates. */
const LITERAL_BLOCKS = new Set(['variable', 'terraform']);

const DIALECT: StructuredDialect = { format: 'terraform-json' };

export function isTfvarsJson(uri: string): boolean {
  return uri.toLowerCase().endsWith('.tfvars.json');
}

interface Label {
  name: string;
  span: Span;
}

export function parseTerraformJson(uri: string, text: string): ParsedFile {
  if (isTfvarsJson(uri)) return parseJsonDocument(uri, text, DIALECT);
  return parseHclJson(uri, text, TERRAFORM_SYNTAX);
}

/** What a tool's JSON syntax of HCL declares at the top level (https://github.com/hashicorp/hcl/blob/main/json/spec.md). */
export interface HclJsonSyntax {
  /** Block types and how many label levels each has; an unknown key is a block without labels unless `attribute`. */
  labels: Readonly<Record<string, number>>;
  /** Block types whose strings are literal values, never templates. */
  literalBlocks: ReadonlySet<string>;
  /** Whether a top-level key is an attribute (Terragrunt's `inputs`), not a block type. */
  attribute?: (key: string) => boolean;
}

const TERRAFORM_SYNTAX: HclJsonSyntax = { labels: TOP_LEVEL_LABELS, literalBlocks: LITERAL_BLOCKS };

/** A JSON file in HCL's JSON syntax, read into the Terraform model as `syntax` declares its top level. */
export function parseHclJson(uri: string, text: string, syntax: HclJsonSyntax): ParsedFile {
  const doc = parseJsonDocument(uri, text, DIALECT);
  const root = doc.roots[0];
  if (root?.kind !== 'map') return doc;
  const builder = new ModelBuilder(syntax.literalBlocks);
  const rootMap: MapNode = { kind: 'map', span: root.span, path: [], entries: [] };
  for (const e of root.entries) {
    if (e.key === '//') {
      builder.comment(e, root.span);
      continue;
    }
    if (syntax.attribute?.(e.key)) {
      builder.attribute(e, rootMap.entries);
      continue;
    }
    for (const declaration of objects(e.value))
      builder.labels(e, declaration, Object.hasOwn(syntax.labels, e.key) ? syntax.labels[e.key] : 0, [], rootMap.entries);
  }
  const problems = [...doc.problems, ...convertTemplates(uri, text, builder.sites)];
  return { ...doc, roots: [rootMap], resources: builder.resources, comments: mergeComments(doc.comments, builder.comments), problems };
}

/** The maps of a value that may be one object or an array of them. */
function objects(node: Node): MapNode[] {
  if (node.kind === 'map') return [node];
  if (node.kind === 'list') return node.items.filter((n): n is MapNode => n.kind === 'map');
  return [];
}

class ModelBuilder {
  readonly resources: Resource[] = [];
  readonly comments: Comment[] = [];
  readonly sites: TemplateSite[] = [];

  constructor(private readonly literalBlocks: ReadonlySet<string>) {}

  /** A top-level attribute: an entry of the root map, its strings read as templates. */
  attribute(e: Entry, rootEntries: Entry[]): void {
    const holder: MapNode = { kind: 'map', span: { start: e.keySpan.start, end: e.value.span.end }, path: [], entries: [e] };
    this.body(holder, holder.span, true);
    rootEntries.push(...holder.entries);
  }

  /** A `"//"` property with a string value: a comment covering `covers`. */
  comment(e: Entry, covers: Span): void {
    if (e.value.kind !== 'scalar' || typeof e.value.value !== 'string') return;
    this.comments.push({ span: { start: e.keySpan.start, end: e.value.span.end }, text: e.value.value, covers });
  }

  /** Descend `remaining` label levels of the block type `kind`, then read the body (or bodies). */
  labels(kind: Entry, node: MapNode, remaining: number, labels: Label[], rootEntries: Entry[]): void {
    if (remaining === 0) {
      this.block(kind, node, labels, rootEntries);
      return;
    }
    for (const e of node.entries) {
      if (e.key === '//') {
        this.comment(e, node.span);
        continue;
      }
      const next = [...labels, { name: e.key, span: e.keySpan }];
      for (const inner of objects(e.value)) this.labels(kind, inner, remaining - 1, next, rootEntries);
    }
  }

  private block(kind: Entry, body: MapNode, labels: Label[], rootEntries: Entry[]): void {
    const header = labels.length ? labels[labels.length - 1].span : kind.keySpan;
    const span = { start: header.start, end: Math.max(body.span.end, header.end) };
    this.body(body, span, !this.literalBlocks.has(kind.key));
    const names = labels.map((l) => l.name);
    rootEntries.push({ key: kind.key, keySpan: header, value: body, form: 'block', labels: names });
    let type = '';
    let name = '';
    if (names.length >= 2) [type, name] = names;
    else if (kind.key === 'provider') type = name = names[0] ?? '';
    else name = names[0] ?? '';
    this.resources.push({ kind: kind.key, type, name, span, nameSpan: header, body });
  }

  /**
   * A block body in place: paths made relative to it, `"//"` properties taken out as comments, template
   * strings queued for conversion, `dynamic` contents entered under their label. Iterative: nesting depth
   * costs no stack.
   */
  private body(body: MapNode, covers: Span, templates: boolean): void {
    body.path = [];
    const stack: { node: Node; covers: Span }[] = [{ node: body, covers }];
    while (stack.length) {
      const { node, covers: around } = stack.pop()!;
      if (node.kind === 'map') {
        const kept: Entry[] = [];
        for (const e of node.entries) {
          if (e.key === '//') {
            this.comment(e, around);
            continue;
          }
          kept.push(e);
          this.child(e.value, [...node.path, e.key], templates, (n) => (e.value = n), stack, { start: e.keySpan.start, end: e.value.span.end });
        }
        node.entries = kept;
        if (templates) enterDynamicContents(node);
      } else if (node.kind === 'list') {
        node.items.forEach((item, i) => {
          this.child(item, [...node.path, i], templates, (n) => (node.items[i] = n), stack, item.span);
        });
      }
    }
  }

  private child(node: Node, path: Path, templates: boolean, replace: (n: Node) => void, stack: { node: Node; covers: Span }[], covers: Span): void {
    node.path = path;
    if (node.kind === 'map' || node.kind === 'list') stack.push({ node, covers });
    else if (templates && node.kind === 'scalar' && typeof node.value === 'string' && isTemplate(node.value)) this.sites.push({ scalar: node, replace });
  }
}

/** `"dynamic": { "ingress": { "content": {...} } }`: the content also as an `ingress` block, as HCL reads it. */
function enterDynamicContents(map: MapNode): void {
  for (const e of map.entries) {
    if (e.key !== 'dynamic' || e.value.kind !== 'map') continue;
    for (const d of e.value.entries) {
      for (const spec of objects(d.value)) {
        for (const c of spec.entries) {
          if (c.key === 'content' && c.value.kind === 'map') map.entries.push({ key: d.key, keySpan: d.keySpan, value: c.value, form: 'block', labels: [] });
        }
      }
    }
  }
}

function mergeComments(a: Comment[], b: Comment[]): Comment[] {
  if (a.length === 0) return b.sort((x, y) => x.span.start - y.span.start);
  return [...a, ...b].sort((x, y) => x.span.start - y.span.start);
}
