import { maskParserMessage } from '../mask';
import {
  Composer,
  Parser,
  YAMLMap,
  YAMLSeq,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  type Alias,
  type CST,
  type CollectionTag,
  type Document,
  type Scalar,
  type ScalarTag,
  type Tags,
  type YAMLError,
} from 'yaml';
import type { Comment, Entry, MapNode, Node, ParsedFile, ParseProblem, Path, ScalarNode, Span } from '../model';
import { CFN_SHORT_TAGS, intrinsicName } from './intrinsics';
import { readYamlCst } from './yaml-cst';
import { commentOf, dialectOf, isWs, scalarContent, tagged, type StructuredDialect, type TreeHooks } from './yaml-model';

/**
 * YAML reader for the formats written in it (each a `StructuredDialect`; plain YAML as `text`): one `yaml`
 * parse, one conversion pass to model nodes, comments taken from the same CST token stream the composer consumes.
 */

export type { TreeHooks };

/** Pass-through tags for every CloudFormation short form, in scalar, sequence and mapping forms. */
const CUSTOM_TAGS: (ScalarTag | CollectionTag)[] = CFN_SHORT_TAGS.flatMap((name): (ScalarTag | CollectionTag)[] => [
  { tag: `!${name}`, resolve: (value: string) => value },
  { tag: `!${name}`, collection: 'seq', nodeClass: YAMLSeq },
  { tag: `!${name}`, collection: 'map', nodeClass: YAMLMap },
]);

/** Kubernetes and plain YAML: the core schema only (tags of other tools resolve as plain values). */
const PLAIN_OPTIONS = { prettyErrors: false } as const;
/** CloudFormation: the short-form tags on top (a function, so `yaml` concatenates once per document). */
const CFN_OPTIONS = { prettyErrors: false, customTags: (tags: Tags) => tags.concat(CUSTOM_TAGS) } as const;

/** Nodes converted through aliases per file before further aliases reuse the first conversion. */
const ALIAS_BUDGET = 100_000;

type YNode = Scalar | YAMLMap | YAMLSeq | Alias;

class Converter {
  private readonly anchors = new Map<string, YNode>();
  private readonly converted = new Map<YNode, Node>();
  private readonly active = new Set<YNode>();
  private aliasDepth = 0;

  constructor(
    private readonly text: string,
    private readonly hooks: TreeHooks | undefined,
    private readonly cfn: boolean,
    private readonly problems: ParseProblem[],
    private budget: { left: number },
  ) {}

  convert(n: unknown, path: Path, abs: Path | undefined, at: number): Node {
    if (n === null || n === undefined) return this.nullAt(at, path);
    if (isAlias(n)) return this.alias(n, path, abs);
    if (this.aliasDepth > 0) this.budget.left--;
    const y = n as YNode;
    if (abs !== undefined && this.hooks!.bodyAt(abs)) path = [];
    const anchor = (y as Scalar).anchor;
    if (anchor) {
      this.anchors.set(anchor, y);
      this.active.add(y);
    }
    let out: Node | undefined;
    const tag = (y as Scalar).tag;
    if (this.cfn && tag) {
      const fn = intrinsicName(tag);
      if (fn) out = this.intrinsic(y, fn, tag, path);
    }
    out ??= this.plain(y, path, abs);
    if (anchor) {
      this.active.delete(y);
      if (!this.converted.has(y)) this.converted.set(y, out);
    }
    return out;
  }

  private plain(y: YNode, path: Path, abs: Path | undefined): Node {
    if (isScalar(y)) return this.scalar(y, path);
    if (isMap(y)) return this.map(y, path, abs);
    if (isSeq(y)) {
      const items: Node[] = [];
      const seq = y as YAMLSeq;
      const span = this.rangeSpan(seq.range);
      for (let i = 0; i < seq.items.length; i++) {
        const item = seq.items[i];
        if (isPair(item)) {
          // `[a: 1]`: a single-pair map inside a flow sequence.
          items.push(this.pairMap(item, [...path, i], span.start));
        } else {
          items.push(this.convert(item, [...path, i], abs && abs.length < this.hooks!.depth ? [...abs, i] : undefined, span.end));
        }
      }
      return { kind: 'list', items, span, path };
    }
    return this.nullAt(0, path);
  }

  private pairMap(pair: { key: unknown; value: unknown }, path: Path, at: number): MapNode {
    const m = new YAMLMap();
    m.items.push(pair as never);
    const k = pair.key as Scalar | null;
    const v = pair.value as Scalar | null;
    const start = k?.range?.[0] ?? at;
    const end = v?.range?.[1] ?? k?.range?.[1] ?? at;
    m.range = [start, end, end];
    return this.map(m, path, undefined) as MapNode;
  }

  private map(m: YAMLMap, path: Path, abs: Path | undefined): Node {
    const span = this.rangeSpan(m.range);
    const entries: Entry[] = [];
    let merges: unknown[] | undefined;
    const deeper = abs !== undefined && abs.length < this.hooks!.depth;
    for (const pair of m.items) {
      const k = pair.key as YNode | null;
      const v = pair.value as YNode | null;
      let key: string;
      let keySpan: Span;
      if (k === null || k === undefined) {
        const at = v && !isAlias(v) ? v.range![0] : span.start;
        key = '';
        keySpan = { start: at, end: at };
      } else {
        const r = k.range!;
        keySpan = { start: r[0], end: r[1] };
        if (isScalar(k)) {
          key = typeof k.value === 'string' ? k.value : ((k.source as string | undefined) ?? String(k.value));
        } else {
          key = this.text.slice(r[0], r[1]);
        }
      }
      if (key === '<<' && isMergeValue(v)) {
        (merges ??= []).push(v);
        continue;
      }
      const value = this.convert(v, [...path, key], deeper ? [...abs, key] : undefined, keySpan.end);
      entries.push({ key, keySpan, value });
    }
    if (merges) this.merge(entries, merges, path, abs);
    const node: MapNode = { kind: 'map', entries, span, path };
    return this.hooks ? this.hooks.normalizeMap(node, abs, this.text) : node;
  }

  /** `<<: *base` / `<<: [*a, *b]`: entries not written in the map itself come from the merged maps, first wins. */
  private merge(entries: Entry[], merges: unknown[], path: Path, abs: Path | undefined): void {
    const seen = new Set(entries.map((e) => e.key));
    for (const m of merges) {
      const sources = isSeq(m) ? (m as YAMLSeq).items : [m];
      for (const s of sources) {
        const src = this.convert(s, path, abs, 0);
        if (src.kind !== 'map') continue;
        for (const e of src.entries) {
          if (seen.has(e.key)) continue;
          seen.add(e.key);
          entries.push(e);
        }
      }
    }
  }

  private alias(a: Alias, path: Path, abs: Path | undefined): Node {
    const target = this.anchors.get(a.source);
    const r = a.range!;
    if (!target) {
      this.problems.push({ span: { start: r[0], end: r[1] }, message: maskParserMessage(`YAML: Unresolved alias *${a.source}`, this.text, r[0], r[1]) });
      return this.nullAt(r[0], path, r[1]);
    }
    if (this.active.has(target)) return this.nullAt(r[0], path, r[1]);
    if (this.budget.left <= 0) return this.converted.get(target) ?? this.nullAt(r[0], path, r[1]);
    // Re-convert at the alias's place so paths are right; spans stay where the value is written.
    this.aliasDepth++;
    try {
      return this.convert(target, path, abs, r[0]);
    } finally {
      this.aliasDepth--;
    }
  }

  private intrinsic(y: YNode, fn: string, tag: string, path: Path): Node {
    return tagged(this.text, fn, tag, this.plain(y, [...path, fn], undefined), path);
  }

  private scalar(s: Scalar, path: Path): ScalarNode {
    const r = s.range!;
    const span: Span = { start: r[0], end: r[1] };
    let value = s.value as unknown;
    if (value !== null && typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      value = typeof value === 'bigint' ? Number(value) : ((s.source as string | undefined) ?? String(value));
    }
    // A tagged empty value (`!GetAZs` alone) is null, as it is untagged and in the JSON form.
    if (value === '' && span.start === span.end && s.tag) value = null;
    return { kind: 'scalar', value: value as ScalarNode['value'], span, path, contentSpan: scalarContent(this.text, s.type, span) };
  }

  private rangeSpan(r: [number, number, number] | null | undefined): Span {
    if (!r) return { start: 0, end: 0 };
    let end = r[1];
    while (end > r[0] && isWs(this.text.charCodeAt(end - 1))) end--;
    return { start: r[0], end };
  }

  private nullAt(start: number, path: Path, end = start): ScalarNode {
    const span = { start, end };
    return { kind: 'scalar', value: null, span, path, contentSpan: span };
  }
}

/** A document with nothing in it (`---` followed by `---`, or only comments) holds an empty null scalar. */
function isEmptyDocument(contents: unknown): boolean {
  if (!isScalar(contents) || contents.value !== null || contents.tag || contents.anchor) return false;
  const r = contents.range;
  return !r || r[0] === r[1];
}

function isMergeValue(v: unknown): boolean {
  if (isAlias(v) || isMap(v)) return true;
  return isSeq(v) && (v as YAMLSeq).items.length > 0 && (v as YAMLSeq).items.every((i) => isAlias(i) || isMap(i));
}

/** `#` comments from the CST, walked as the composer consumes it. */
function collectComments(token: CST.Token, out: Comment[]): void {
  switch (token.type) {
    case 'comment':
      out.push(commentOf(token));
      return;
    case 'document':
      sourceTokens(token.start, out);
      if (token.value) collectComments(token.value, out);
      if (token.end) sourceTokens(token.end, out);
      return;
    case 'doc-end':
    case 'alias':
    case 'scalar':
    case 'single-quoted-scalar':
    case 'double-quoted-scalar':
      if (token.end) sourceTokens(token.end, out);
      return;
    case 'block-scalar':
      for (const p of token.props) collectComments(p, out);
      return;
    case 'block-map':
    case 'block-seq':
      for (const item of token.items) collectItem(item, out);
      return;
    case 'flow-collection':
      for (const item of token.items) collectItem(item, out);
      sourceTokens(token.end, out);
      return;
    default:
      return;
  }
}

function collectItem(item: CST.CollectionItem, out: Comment[]): void {
  sourceTokens(item.start, out);
  if (item.key) collectComments(item.key, out);
  if (item.sep) sourceTokens(item.sep, out);
  if (item.value) collectComments(item.value, out);
}

function sourceTokens(tokens: CST.SourceToken[], out: Comment[]): void {
  for (const t of tokens) if (t.type === 'comment') collectComments(t, out);
}

function problemFrom(e: YAMLError, text: string): ParseProblem {
  const start = Math.max(0, Math.min(e.pos[0], text.length));
  const end = Math.max(start, Math.min(e.pos[1], text.length));
  return { span: { start, end }, message: maskParserMessage(`YAML: ${withoutSource(e.message)}`, text, start, end) };
}

/**
 * The composer quotes the offending source in some messages (`Unexpected scalar token in YAML stream:
 * "password: ..."`). That text may be a secret, and the span already says where it is: keep the words only.
 */
function withoutSource(message: string): string {
  const quoted = message.indexOf(': "');
  if (quoted >= 0 && message.endsWith('"')) return message.slice(0, quoted);
  const extra = message.indexOf('includes extra characters:');
  return extra >= 0 ? message.slice(0, extra + 'includes extra characters'.length) : message;
}

/**
 * Parse a YAML stream into the model. Never throws: syntax errors become problems and every document
 * with content becomes a root (a broken one with what `yaml` recovered). `text` format: roots and
 * comments, no resources.
 */
export function parseYamlDocuments(uri: string, text: string, as: StructuredDialect | 'text'): ParsedFile {
  // The `yaml` parser's tokens are read straight into the model when `readYamlCst` can (most files), else
  // the same tokens go through `yaml`'s composer (`parseYamlWithComposer`).
  const dialect = dialectOf(as);
  let tokens: CST.Token[];
  try {
    tokens = Array.from(new Parser().parse(text));
  } catch {
    // Parsed again as a stream by the composer route, which reports what it recovered.
    return parseYamlWithComposer(uri, text, dialect);
  }
  const wantComments = text.includes('#');
  const comments: Comment[] = [];
  const roots = readYamlCst(text, tokens, dialect.hooks, dialect.intrinsics === true, wantComments ? comments : undefined);
  if (roots) return yamlFile(uri, text, dialect, roots, comments, []);
  comments.length = 0;
  if (wantComments) for (const t of tokens) collectComments(t, comments);
  return parseYamlWithComposer(uri, text, dialect, tokens, comments);
}

/**
 * A full parse through `yaml`'s composer: any YAML, with its errors and warnings as problems. `tokens` and their
 * `comments`, when given, are the parser's output for `text` (else it is parsed here).
 */
export function parseYamlWithComposer(
  uri: string,
  text: string,
  as: StructuredDialect | 'text',
  parsed?: readonly CST.Token[],
  parsedComments?: Comment[],
): ParsedFile {
  const roots: Node[] = [];
  const comments: Comment[] = parsedComments ?? [];
  const problems: ParseProblem[] = [];
  const dialect = dialectOf(as);
  const hooks = dialect.hooks;
  const cfn = dialect.intrinsics === true;
  const wantComments = text.includes('#');
  try {
    const composer = new Composer(cfn ? CFN_OPTIONS : PLAIN_OPTIONS);
    const tokens = parsed ?? (wantComments ? tap(new Parser().parse(text), comments) : new Parser().parse(text));
    const budget = { left: ALIAS_BUDGET };
    for (const doc of composer.compose(tokens, false, text.length) as Iterable<Document.Parsed>) {
      for (const e of doc.errors) problems.push(problemFrom(e, text));
      for (const w of doc.warnings) {
        // Local tags of other tools are not errors: `!reference`/`!secret` outside CloudFormation, and the
        // namespaced pre-processor tags (`!Rain::Embed`) inside it.
        if (w.code === 'TAG_RESOLVE_FAILED' && (!cfn || w.message.includes('::'))) continue;
        problems.push(problemFrom(w, text));
      }
      const contents = doc.contents;
      if (contents === null || contents === undefined || isEmptyDocument(contents)) continue;
      const converter = new Converter(text, hooks, cfn, problems, budget);
      roots.push(converter.convert(contents, [], hooks ? [] : undefined, doc.range[0]));
    }
    const info = composer.streamInfo();
    for (const e of info.errors) problems.push(problemFrom(e, text));
  } catch (err) {
    // The parser recovers from syntax errors itself; this is a last resort (e.g. stack exhaustion).
    problems.push({ span: { start: 0, end: 0 }, message: maskParserMessage(`YAML: ${err instanceof Error ? err.message : String(err)}`, text) });
  }
  if (problems.length > 1) problems.sort((a, b) => a.span.start - b.span.start);
  return yamlFile(uri, text, dialect, roots, comments, problems);
}

function yamlFile(uri: string, text: string, dialect: StructuredDialect, roots: Node[], comments: Comment[], problems: ParseProblem[]): ParsedFile {
  return { uri, format: dialect.format, text, resources: dialect.resources?.(roots) ?? [], roots, comments, problems, toFileSpan: (s) => s };
}

function* tap(tokens: Generator<CST.Token>, comments: Comment[]): Generator<CST.Token> {
  for (const t of tokens) {
    collectComments(t, comments);
    yield t;
  }
}
