import { CST } from 'yaml';
import type { Comment, Entry, ListNode, MapNode, Node, Path, ScalarNode, Span } from '../model';
import { intrinsicName } from './intrinsics';
import { commentOf, isWs, scalarContent, tagged, type TreeHooks } from './yaml-model';
import { decline, typed, onScalarError, tokenEnd, emptyScalarPosition, LOCAL_TAG, Keys, hasNewline, isBlock } from './yaml-cst-tokens';

/**
 * The model straight from `yaml`'s CST (its `Parser` output), without its `Composer`: the package still lexes
 * and parses, reads every scalar (`CST.resolveAsScalar`) and types plain ones with its core schema. The result
 * is what the composer route gives. Only what is proven error-free that way is read: anchors, aliases, tags
 * beyond CloudFormation short forms and unreported local ones, explicit keys, directives, merge and duplicate
 * keys, tabs in indentation, anything the composer would report make `readYamlCst` return undefined, and the
 * caller composes the same tokens instead.
 */

class CstReader {
  /** The composer's `range[1]` of the node built last: the end of its value. */
  private valueEnd = 0;
  /** Its `range[2]`: the end of its trailing white space and comments. */
  private end = 0;
  // What the last `props` call found (read right after the call).
  private found: CST.SourceToken | undefined;
  private hasNewline = false;
  private hasComment = false;
  private tag: string | undefined;
  private comma = 0;

  constructor(
    private readonly text: string,
    private readonly hooks: TreeHooks | undefined,
    private readonly cfn: boolean,
    /** Where `#` comments go, in the order of the text (undefined when it has none). */
    private readonly comments: Comment[] | undefined,
  ) {}

  /** The comments among tokens after a node (`end`) or in a block scalar's header (`props`). */
  private commentsIn(tokens: readonly CST.Token[] | undefined): void {
    if (tokens && this.comments) for (const t of tokens) if (t.type === 'comment') this.comments.push(commentOf(t as CST.SourceToken));
  }

  /**
   * Property tokens (before an item, or between key and value), with the composer's checks made strict: white
   * space without tabs, comments after white space, at most one `indicator` (`-`, `:`, `---`) with only white
   * space before a `:`, at most one CloudFormation tag after it (or at the start of a flow item) followed by
   * white space, and in flow collections (`indicator` 'explicit-key-ind', itself refused) at most one comma
   * first. Returns the offset after the last token (`fallback` when there is none).
   */
  private props(
    tokens: CST.SourceToken[],
    fallback: number,
    indicator: string | undefined,
    startOnNewline: boolean,
    next: CST.Token | null | undefined,
  ): number {
    let found: CST.SourceToken | undefined;
    let hasSpace = startOnNewline;
    let hasNewline = false;
    let hasComment = false;
    let tag: string | undefined;
    let tagAt = -1;
    let newlineAfterTag = false;
    let comma = 0;
    const flow = indicator === 'explicit-key-ind';
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i];
      if (i === tagAt + 1 && tagAt >= 0 && t.type !== 'space' && t.type !== 'newline') decline();
      switch (t.type) {
        case 'space':
          if (t.source.includes('\t')) decline();
          hasSpace = true;
          break;
        case 'newline':
          if (indicator === 'map-value-ind' && !found) decline();
          hasNewline = true;
          hasSpace = true;
          if (tag) newlineAfterTag = true;
          break;
        case 'comment':
          if (!hasSpace) decline();
          this.comments?.push(commentOf(t));
          hasComment = true;
          hasSpace = false;
          break;
        case 'comma':
          if (!flow || comma > 0 || tag) decline();
          comma++;
          hasSpace = false;
          break;
        case 'tag':
          // Tags only on values: at a flow item's start, or after `-` / `:`; never on keys or documents.
          if (tag || !this.knownTag(t.source)) decline();
          if (!flow && !(found && (indicator === 'seq-item-ind' || indicator === 'map-value-ind'))) decline();
          tag = t.source;
          tagAt = i;
          hasSpace = false;
          break;
        default:
          if (t.type !== indicator || found || tag || flow) decline();
          found = t;
          hasSpace = false;
          break;
      }
    }
    if (tag) {
      // The tag is last: the value must not follow it directly; a block sequence needs a newline after it.
      if (tagAt === tokens.length - 1 && next && !(next.type === 'scalar' && next.source === '')) decline();
      if (next?.type === 'block-seq' && !newlineAfterTag) decline();
    }
    this.found = found;
    this.hasNewline = hasNewline;
    this.hasComment = hasComment;
    this.tag = tag;
    this.comma = comma;
    const last = tokens[tokens.length - 1];
    return last ? tokenEnd(last) : fallback;
  }

  /**
   * A tag read as the composer reads it: a CloudFormation short form, or a local tag of another tool (`!Rain::Embed`,
   * `!reference`) that leaves the value a string or plain collection with a warning that is not reported (any
   * such tag outside CloudFormation, a namespaced one inside it). Not `!!str`, `!<...>`, `!` or `%`-escapes.
   */
  private knownTag(tag: string): boolean {
    if (this.cfn && intrinsicName(tag)) return true;
    return LOCAL_TAG.test(tag) && (!this.cfn || tag.includes('::'));
  }

  /** A composed node: the CloudFormation short form when tagged with one. */
  private node(token: CST.Token, tag: string | undefined, path: Path, abs: Path | undefined): Node {
    if (abs !== undefined && this.hooks!.bodyAt(abs)) path = [];
    if (tag === undefined) return this.plain(token, false, path, abs);
    const fn = this.cfn ? intrinsicName(tag) : undefined;
    if (fn) return tagged(this.text, fn, tag, this.plain(token, true, [...path, fn], undefined), path);
    return this.plain(token, true, path, abs);
  }

  /** A value or item: the written one, or the empty one the composer places after `before` (its properties). */
  private value(token: CST.Token | null | undefined, propsEnd: number, before: CST.SourceToken[], path: Path, abs: Path | undefined): Node {
    const tag = this.tag;
    if (token) return this.node(token, tag, path, abs);
    const at = emptyScalarPosition(propsEnd, before);
    const end = this.hasComment ? propsEnd : at;
    const node = this.node({ type: 'scalar', offset: at, indent: -1, source: '' }, tag, path, abs);
    this.end = end;
    return node;
  }

  private plain(token: CST.Token, isTagged: boolean, path: Path, abs: Path | undefined): Node {
    switch (token.type) {
      case 'scalar':
      case 'single-quoted-scalar':
      case 'double-quoted-scalar':
      case 'block-scalar':
        return this.scalar(token, isTagged, path);
      case 'block-map':
        return this.blockMap(token, path, abs);
      case 'block-seq':
        return this.blockSeq(token, path, abs);
      case 'flow-collection':
        return token.start.source === '{' ? this.flowMap(token, path, abs) : this.flowSeq(token, path, abs);
      default:
        return decline();
    }
  }

  private scalar(token: CST.FlowScalar | CST.BlockScalar, isTagged: boolean, path: Path): ScalarNode {
    const r = CST.resolveAsScalar(token, true, onScalarError)!;
    this.commentsIn(token.type === 'block-scalar' ? token.props : token.end);
    this.valueEnd = r.range[1];
    this.end = r.range[2];
    const span: Span = { start: r.range[0], end: r.range[1] };
    let value = token.type === 'scalar' && !isTagged ? typed(r.value, false) : r.value;
    if (value !== null && typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      value = typeof value === 'bigint' ? Number(value) : r.value;
    }
    // A tagged empty value (`!GetAZs` alone) is null, as it is untagged and in the JSON form.
    if (value === '' && span.start === span.end && isTagged) value = null;
    return { kind: 'scalar', value: value as ScalarNode['value'], span, path, contentSpan: scalarContent(this.text, r.type, span) };
  }

  /**
   * A map entry from its key token, the tokens between key and value (`sep`, with its `:`) and the value
   * token. The key is a single-line scalar, not `<<`, and equal to none of `keys` (the map's earlier keys);
   * for an implicit key that starts at `keyStart`, the `:` is at most 1024 characters further on.
   */
  private entry(
    key: CST.Token,
    sep: CST.SourceToken[],
    value: CST.Token | null | undefined,
    keys: Keys,
    keyStart: number | undefined,
    path: Path,
    abs: Path | undefined,
  ): Entry {
    if (key.type !== 'scalar' && key.type !== 'single-quoted-scalar' && key.type !== 'double-quoted-scalar') return decline();
    if (key.source.includes('\n') || hasNewline(key.end)) decline();
    const r = CST.resolveAsScalar(key, true, onScalarError)!;
    this.commentsIn(key.end);
    const name = r.value;
    const same = key.type === 'scalar' ? typed(name, true) : name;
    if (name === '<<' || !keys.add(same)) decline();
    const propsEnd = this.props(sep, r.range[2], 'map-value-ind', false, value);
    const colon = this.found;
    if (!colon || (keyStart !== undefined && keyStart < colon.offset - 1024)) decline();
    if (value?.type === 'block-map' && !this.hasNewline) decline();
    const childPath = [...path, name];
    const childAbs = abs !== undefined && abs.length < this.hooks!.depth ? [...abs, name] : undefined;
    return { key: name, keySpan: { start: r.range[0], end: r.range[1] }, value: this.value(value, propsEnd, sep, childPath, childAbs) };
  }

  private finishMap(entries: Entry[], span: Span, path: Path, abs: Path | undefined): Node {
    const node: MapNode = { kind: 'map', entries, span, path };
    return this.hooks ? this.hooks.normalizeMap(node, abs, this.text) : node;
  }

  private blockMap(bm: CST.BlockMap, path: Path, abs: Path | undefined): Node {
    let offset = bm.offset;
    let commentEnd: number | undefined;
    const entries: Entry[] = [];
    const keys = new Keys();
    for (const { start, key, sep, value } of bm.items) {
      const keyEnd = this.props(start, offset, undefined, true, key);
      if (!key && !sep && !value) {
        commentEnd = keyEnd;
        continue;
      }
      if (!key || !sep || !('indent' in key) || key.indent !== bm.indent) return decline();
      entries.push(this.entry(key, sep, value, keys, keyEnd, path, abs));
      offset = this.end;
    }
    if (commentEnd !== undefined && commentEnd < offset) return decline();
    this.valueEnd = offset;
    this.end = commentEnd ?? offset;
    return this.finishMap(entries, this.trimmed(bm.offset, offset), path, abs);
  }

  private blockSeq(bs: CST.BlockSequence, path: Path, abs: Path | undefined): ListNode {
    let offset = bs.offset;
    let commentEnd: number | undefined;
    const items: Node[] = [];
    const deeper = abs !== undefined && abs.length < this.hooks!.depth;
    for (const { start, value } of bs.items) {
      const propsEnd = this.props(start, offset, 'seq-item-ind', true, value);
      if (!this.found) {
        if (value || this.tag) return decline();
        commentEnd = propsEnd;
        continue;
      }
      const i = items.length;
      items.push(this.value(value, propsEnd, start, [...path, i], deeper ? [...abs, i] : undefined));
      offset = this.end;
    }
    if (commentEnd !== undefined && commentEnd < offset) return decline();
    this.valueEnd = offset;
    this.end = commentEnd ?? offset;
    return { kind: 'list', items, span: this.trimmed(bs.offset, offset), path };
  }

  /**
   * A flow item's leading properties, ending at the returned offset: a comma exactly when it is not the first
   * item. Undefined for an item of nothing but those, which the composer allows last (a trailing comma).
   */
  private flowStart(fc: CST.FlowCollection, i: number, offset: number): number | undefined {
    const item = fc.items[i];
    const end = this.props(item.start, offset, 'explicit-key-ind', false, item.key ?? item.value);
    if (!item.key && !item.sep && !item.value && !this.tag) {
      if (i !== fc.items.length - 1 || (i === 0 && this.comma > 0)) decline();
      return undefined;
    }
    if (this.comma !== (i === 0 ? 0 : 1)) decline();
    return end;
  }

  private flowMap(fc: CST.FlowCollection, path: Path, abs: Path | undefined): Node {
    const entries: Entry[] = [];
    const keys = new Keys();
    let offset = fc.offset + 1;
    for (let i = 0; i < fc.items.length; i++) {
      const { key, sep, value } = fc.items[i];
      if (this.flowStart(fc, i, offset) === undefined) break;
      if (this.tag || !key || !sep || isBlock(value)) decline();
      entries.push(this.entry(key, sep, value, keys, undefined, path, abs));
      offset = this.end;
    }
    return this.finishMap(entries, this.flowEnd(fc, '}'), path, abs);
  }

  private flowSeq(fc: CST.FlowCollection, path: Path, abs: Path | undefined): ListNode {
    const items: Node[] = [];
    const deeper = abs !== undefined && abs.length < this.hooks!.depth;
    let offset = fc.offset + 1;
    for (let i = 0; i < fc.items.length; i++) {
      const item = fc.items[i];
      const startEnd = this.flowStart(fc, i, offset);
      if (startEnd === undefined) break;
      const childPath = [...path, i];
      const childAbs = deeper ? [...abs, i] : undefined;
      if (!item.key && !item.sep) {
        if (!item.value || isBlock(item.value)) decline();
        items.push(this.node(item.value, this.tag, childPath, childAbs));
      } else {
        items.push(this.flowPair(item, startEnd, childPath, childAbs));
      }
      offset = this.end;
    }
    return { kind: 'list', items, span: this.flowEnd(fc, ']'), path };
  }

  /** `[a: 1]`: a single-pair map in a flow sequence, from its key to its value. */
  private flowPair(item: CST.CollectionItem, startEnd: number, path: Path, abs: Path | undefined): Node {
    const { key, sep, value } = item;
    if (abs !== undefined && this.hooks!.bodyAt(abs)) path = [];
    if (this.tag || !key || !sep || isBlock(value)) decline();
    const entry = this.entry(key, sep, value, new Keys(), startEnd, path, abs);
    return this.finishMap([entry], this.trimmed(entry.keySpan.start, this.valueEnd), path, abs);
  }

  /** The closing bracket and what follows it on the node (white space, comments after white space). */
  private flowEnd(fc: CST.FlowCollection, close: string): Span {
    const ce = fc.end[0];
    if (ce?.source !== close) decline();
    const closeEnd = tokenEnd(ce);
    let hasSpace = false;
    for (let i = 1; i < fc.end.length; i++) {
      const t = fc.end[i];
      if (t.type === 'comment') {
        if (!hasSpace) decline();
        this.comments?.push(commentOf(t));
      } else if (t.type !== 'space' && t.type !== 'newline') {
        decline();
      }
      hasSpace = t.type !== 'comment';
    }
    this.valueEnd = closeEnd;
    this.end = tokenEnd(fc.end[fc.end.length - 1]);
    return { start: fc.offset, end: closeEnd };
  }

  /** A collection's span: its range without trailing white space. */
  private trimmed(start: number, end: number): Span {
    while (end > start && isWs(this.text.charCodeAt(end - 1))) end--;
    return { start, end };
  }

  /** A document's root, or undefined for an empty document. */
  document(doc: CST.Document): Node | undefined {
    this.props(doc.start, doc.offset, 'doc-start', true, doc.value);
    if (this.found && (doc.value?.type === 'block-map' || doc.value?.type === 'block-seq') && !this.hasNewline) decline();
    const root = doc.value ? this.node(doc.value, undefined, [], this.hooks ? [] : undefined) : undefined;
    for (const t of doc.end ?? []) if (t.type !== 'space' && t.type !== 'newline' && t.type !== 'comment') decline();
    this.commentsIn(doc.end);
    if (!root || (root.kind === 'scalar' && root.value === null && root.span.start === root.span.end)) return undefined;
    return root;
  }
}

export function readYamlCst(text: string, tokens: readonly CST.Token[], hooks: TreeHooks | undefined, cfn: boolean, comments?: Comment[]): Node[] | undefined {
  const reader = new CstReader(text, hooks, cfn, comments);
  const roots: Node[] = [];
  try {
    for (const token of tokens) {
      if (token.type === 'document') {
        const root = reader.document(token);
        if (root) roots.push(root);
      } else if (token.type === 'comment') {
        comments?.push(commentOf(token));
      } else if (token.type !== 'newline' && token.type !== 'space') {
        return undefined;
      }
    }
  } catch {
    // DECLINE, or anything else (e.g. stack exhaustion): the composer route reports it as it always has.
    return undefined;
  }
  return roots;
}
