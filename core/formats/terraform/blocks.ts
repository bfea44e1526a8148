import type { Comment, Entry, MapNode, Node, ParseProblem, Path, Resource, Span } from '../../model';
import { shiftComment, shiftEntry, shiftProblem, shiftResource } from '../../parsers/shift';
import { ExpressionConverter } from './expressions';
import { unescapeQuoted } from './hcl-strings';
import { HAS_ERROR, MISSING, type N, NONE, type NodeTable, type Types } from './node-table';

/**
 * Converted top-level blocks of a tree, keyed by their source text. When the next parse of the document
 * passes this tree as `previous`, blocks whose text did not change (and that parse without errors) are
 * reused, shifted to their new offsets, instead of being walked again: a keystroke in a 10,000-line file
 * converts one block, not the file.
 */
export interface CachedBlock {
  /** Offset of the block when it was converted; spans inside are relative to that. */
  base: number;
  entries: Entry[];
  resources: Resource[];
  comments: Comment[];
  problems: ParseProblem[];
}

export type BlockCache = Map<string, CachedBlock>;

/** Terraform bodies to the model: the file's root map, attributes, blocks, and top-level blocks as resources. */
export class Converter extends ExpressionConverter {
  readonly resources: Resource[] = [];
  private rootEntries: Entry[] = [];
  /** Start of the first block hoisted out of the top-level block being converted (-1: none). */
  private hoistedAt = -1;
  private hoisted = false;
  /** ERROR nodes (by start) already reported by a more precise problem. */
  readonly explained = new Set<number>();
  readonly cache: BlockCache = new Map();
  private readonly blockKeys: Map<N, string>;

  /**
   * `recovering`: the tree has syntax errors, so blocks swallowed by an unclosed block may be hoisted.
   * `previous`: the block cache of the tree this one was re-parsed from.
   */
  constructor(
    text: string,
    recovering: boolean,
    private readonly previous: BlockCache | undefined,
    table: NodeTable,
    types: Types,
  ) {
    super(text, table, types, recovering);
    this.blockKeys = table.blockKeys;
  }

  file(root: N): Node[] {
    const text = this.text;
    const rootMap: MapNode = { kind: 'map', span: { start: 0, end: text.length }, path: [], entries: [] };
    if (this.type(root) === 'config_file') {
      for (let k = this.first(root); k !== NONE; k = this.next(k)) {
        // `.tfvars.json`: the file is one object.
        if (this.type(k) === 'object') return [this.object(k, [], undefined)];
      }
    }
    this.rootEntries = rootMap.entries;
    for (let k = this.first(root); k !== NONE; k = this.next(k)) this.bodyItem(k, rootMap.entries, [], true, undefined);
    if (this.hoisted) {
      rootMap.entries.sort((a, b) => a.keySpan.start - b.keySpan.start);
      this.resources.sort((a, b) => a.span.start - b.span.start);
    }
    return [rootMap];
  }

  /**
   * An attribute or block of a body into `entries`. `ERROR` nodes are searched for the attributes and
   * blocks the parser recovered inside them. `dynamicLabel`: this is a `dynamic "x"` body, whose `content`
   * block gets the path of an `x` block.
   */
  protected bodyItem(k: N, entries: Entry[], path: Path, top: boolean, dynamicLabel: string | undefined): void {
    switch (this.type(k)) {
      case 'attribute':
        this.attribute(k, entries, path);
        break;
      case 'block':
        if (top) this.topBlock(k, entries);
        else this.block(k, entries, path, top, dynamicLabel);
        break;
      case 'comment':
        this.comment(k);
        break;
      case 'body':
      case 'ERROR':
        for (let c = this.first(k); c !== NONE; c = this.next(c)) this.bodyItem(c, entries, path, top, dynamicLabel);
        break;
      default:
        break;
    }
  }

  /** `ERROR` holding exactly `name =`: the identifier. */
  protected danglingKey(error: N): N {
    const k0 = this.first(error);
    const k1 = k0 === NONE ? NONE : this.next(k0);
    if (k1 === NONE || this.next(k1) !== NONE || this.type(k0) !== 'expression' || this.type(k1) !== '=') return NONE;
    const inner = this.first(k0);
    if (inner === NONE || this.next(inner) !== NONE || this.type(inner) !== 'variable_expr') return NONE;
    return this.first(inner);
  }

  /** A top-level block: from the previous parse's cache when its text is unchanged, else converted and cached. */
  protected topBlock(node: N, entries: Entry[]): void {
    const start = this.start(node);
    const clean = !this.recovering || !(this.flags(node) & HAS_ERROR);
    if (!clean) {
      this.block(node, entries, [], true, undefined);
      return;
    }
    const key = this.blockKeys.get(node) ?? this.text.slice(start, this.end(node));
    const hit = this.previous?.get(key);
    if (hit) {
      const d = start - hit.base;
      if (d === 0) {
        entries.push(...hit.entries);
        this.resources.push(...hit.resources);
        this.comments.push(...hit.comments);
        this.extraProblems.push(...hit.problems);
      } else {
        const seen = new Map<Node, Node>();
        for (const e of hit.entries) entries.push(shiftEntry(e, d, seen));
        for (const r of hit.resources) this.resources.push(shiftResource(r, d, seen));
        for (const c of hit.comments) this.comments.push(shiftComment(c, d));
        for (const p of hit.problems) this.extraProblems.push(shiftProblem(p, d));
      }
      this.cache.set(key, hit);
      return;
    }
    const e0 = entries.length;
    const r0 = this.resources.length;
    const c0 = this.comments.length;
    const p0 = this.extraProblems.length;
    this.block(node, entries, [], true, undefined);
    this.cache.set(key, {
      base: start,
      entries: entries.slice(e0),
      resources: this.resources.slice(r0),
      comments: this.comments.slice(c0),
      problems: this.extraProblems.slice(p0),
    });
  }

  protected attribute(node: N, entries: Entry[], path: Path): void {
    let keyNode = NONE;
    let valueNode = NONE;
    let eq = NONE;
    let error = NONE;
    for (let k = this.first(node); k !== NONE; k = this.next(k)) {
      const t = this.type(k);
      if (t === 'identifier') {
        if (keyNode === NONE) keyNode = k;
      } else if (t === 'expression') valueNode = k;
      else if (t === '=') {
        if (eq === NONE) eq = k;
      } else if (t === 'ERROR') {
        if (error === NONE) error = k;
      } else if (t === 'comment') this.comment(k);
    }
    // `name =` still being typed: nothing to check yet.
    if (keyNode === NONE || valueNode === NONE || (this.recovering && this.inventedObject(valueNode))) return;
    if (error !== NONE && eq !== NONE && this.text.slice(this.end(eq), this.start(error)).includes('\n')) {
      // `a =⏎ b = "x"` parses as `a = [ERROR: b =] "x"`: `a` has no value and `b = "x"` is the next attribute.
      const nextKey = this.danglingKey(error);
      if (nextKey !== NONE) {
        this.explained.add(this.start(error));
        const name = this.slice(keyNode);
        this.extraProblems.push({ span: { start: this.start(keyNode), end: this.end(eq) }, message: `missing value for ${JSON.stringify(name)}` });
        keyNode = nextKey;
      }
    }
    const key = this.slice(keyNode);
    entries.push({
      key,
      keySpan: this.span(keyNode),
      value: this.expr(valueNode, [...path, key], undefined),
      form: 'attribute',
    });
  }

  /** `name =\n}`: the parser recovers with an object whose `{` it invented. There is no value. */
  protected inventedObject(expression: N): boolean {
    const coll = this.first(expression);
    if (coll === NONE || this.type(coll) !== 'collection_value') return false;
    const obj = this.first(coll);
    if (obj === NONE || this.type(obj) !== 'object') return false;
    const open = this.first(obj);
    if (open === NONE || this.type(open) !== 'object_start') return false;
    const brace = this.first(open);
    return !!(this.flags(open) & MISSING) || (brace !== NONE && !!(this.flags(brace) & MISSING));
  }

  protected block(node: N, entries: Entry[], path: Path, top: boolean, dynamicLabel: string | undefined): void {
    const text = this.text;
    let typeNode = NONE;
    const labels: string[] = [];
    const labelSpans: Span[] = [];
    const nodeStart = this.start(node);
    let headerEnd = nodeStart;
    let open = -1;
    let close = -1;
    let inBody = false;
    const bodyKids: N[] = [];
    for (let k = this.first(node); k !== NONE; k = this.next(k)) {
      const t = this.type(k);
      if (t === 'comment') {
        this.comment(k);
      } else if (inBody) {
        if (t === 'block_end') close = this.end(k);
        else bodyKids.push(k);
      } else if (t === 'identifier' && typeNode === NONE) {
        typeNode = k;
        headerEnd = this.end(k);
      } else if (t === 'string_lit') {
        const s = this.stringContent(k);
        labels.push(unescapeQuoted(text.slice(s.start, s.end)));
        labelSpans.push(this.span(k));
        headerEnd = this.end(k);
      } else if (t === 'identifier') {
        labels.push(this.slice(k));
        labelSpans.push(this.span(k));
        headerEnd = this.end(k);
      } else if (t === 'block_start') {
        open = this.start(k);
        inBody = true;
      } else {
        bodyKids.push(k); // ERROR in the header: salvage what it holds
      }
    }
    if (typeNode === NONE) return;
    const kind = this.slice(typeNode);
    if (!top && this.recovering && looksTopLevel(kind, labels.length) && this.atLineStart(nodeStart)) {
      // `resource "a" "b" {` at column 0 inside another block: the block above is missing its `}`.
      // Treat it as the top-level block it was meant to be, so it is still analysed while the user types.
      if (this.hoistedAt < 0) this.hoistedAt = nodeStart;
      this.hoisted = true;
      const saved = this.hoistedAt;
      this.hoistedAt = -1;
      this.block(node, this.rootEntries, [], true, undefined);
      this.hoistedAt = saved;
      return;
    }
    let blockEnd = this.end(node);
    const mapSpan: Span = { start: open >= 0 ? open : nodeStart, end: close >= 0 ? close : blockEnd };

    const isContent = dynamicLabel !== undefined && kind === 'content';
    const mapPath: Path = top ? [] : isContent ? [...path.slice(0, -1), dynamicLabel] : [...path, kind];
    const map: MapNode = { kind: 'map', span: mapSpan, path: mapPath, entries: [] };
    const childDynamic = kind === 'dynamic' && !top ? labels[0] : undefined;
    const savedHoist = this.hoistedAt;
    if (top) this.hoistedAt = -1;
    for (const k of bodyKids) this.bodyItem(k, map.entries, mapPath, false, childDynamic);
    if (top) {
      if (this.hoistedAt >= 0) {
        // End this block where the swallowed block begins.
        let end = this.hoistedAt;
        while (end > mapSpan.start && /\s/.test(text[end - 1])) end--;
        blockEnd = end;
        if (mapSpan.end > end) mapSpan.end = end;
      }
      this.hoistedAt = savedHoist;
    }

    entries.push({ key: kind, keySpan: this.span(typeNode), value: map, form: 'block', labels });
    if (childDynamic !== undefined) {
      const content = map.entries.find((e) => e.form === 'block' && e.key === 'content');
      if (content) entries.push({ key: childDynamic, keySpan: labelSpans[0], value: content.value, form: 'block', labels: [] });
    }

    if (top) {
      let type = '';
      let name = '';
      switch (kind) {
        case 'resource':
        case 'data':
          type = labels[0] ?? '';
          name = labels[1] ?? '';
          break;
        case 'provider':
          type = labels[0] ?? '';
          name = type;
          break;
        case 'module':
        case 'variable':
        case 'output':
          name = labels[0] ?? '';
          break;
        default:
          if (labels.length >= 2) {
            type = labels[0];
            name = labels[1];
          } else {
            name = labels[0] ?? '';
          }
      }
      this.resources.push({
        kind,
        type,
        name,
        span: { start: nodeStart, end: blockEnd },
        nameSpan: { start: nodeStart, end: headerEnd },
        body: map,
      });
    }
  }
}

/**
 * Block types that only exist at the top level of a Terraform file, with their label count (the JSON syntax
 * reads its label levels from it too).
 */
export const TOP_LEVEL_LABELS: Readonly<Record<string, number>> = {
  resource: 2,
  data: 2,
  ephemeral: 2,
  module: 1,
  provider: 1,
  variable: 1,
  output: 1,
  check: 1,
  locals: 0,
  terraform: 0,
  moved: 0,
  import: 0,
  removed: 0,
};

function looksTopLevel(kind: string, labels: number): boolean {
  return Object.hasOwn(TOP_LEVEL_LABELS, kind) && TOP_LEVEL_LABELS[kind] === labels;
}
