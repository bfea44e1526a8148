import type { ExprNode, Node, ParsedFile, Span } from '../../model';
import { get } from '../../nodes';
import { shiftNode } from '../../parsers/shift';
import { parseTerraform } from './parse';

/**
 * The parts of Terraform expressions the converter keeps as text (conditionals, for-expressions, template holes,
 * index keys), found by scanning that text, and a part turned into model nodes when the evaluator asks for it.
 * Conversion of a document does not pay for these (it runs on every keystroke); an evaluation reads only the
 * expressions a rule asks about. Every scan is one pass over the text; a part is parsed once per file.
 */

/** Where a part of an expression's text starts and ends (offsets into `ExprNode.text`). */
export interface Part {
  from: number;
  to: number;
}

/**
 * From an opening quote at `i`: the index after the closing quote (`${ }` holes and their own strings skipped),
 * or -1 when the string does not close on its line.
 */
export function skipString(text: string, i: number): number {
  for (let j = i + 1; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === 92 /* \ */) j++;
    else if (c === 34 /* " */) return j + 1;
    else if (c === 10) return -1;
    else if ((c === 36 || c === 37) && text.charCodeAt(j + 1) === 123 /* ${ %{ */) {
      // `$${` writes a literal `${`.
      if (c === 36 && text.charCodeAt(j - 1) === 36) continue;
      const end = skipBrackets(text, j + 1);
      if (end < 0) return -1;
      j = end - 1;
    }
  }
  return -1;
}

/** From an opening bracket at `i` (`(`, `[`, `{`): the index after the bracket that closes it, or -1. */
export function skipBrackets(text: string, i: number): number {
  let depth = 0;
  for (let j = i; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === 34) {
      const end = skipString(text, j);
      if (end < 0) return -1;
      j = end - 1;
    } else if (c === 40 || c === 91 || c === 123) depth++;
    else if (c === 41 || c === 93 || c === 125) {
      depth--;
      if (depth === 0) return j + 1;
    } else if (c === 60 && text.charCodeAt(j + 1) === 60) return -1; // a heredoc: not read here
  }
  return -1;
}

/**
 * Calls `visit` at each index of `text` in [from, to) that is outside brackets and strings; stops at the first
 * index for which it returns true and gives that index (-1 when none, or the text cannot be scanned).
 */
export function topLevel(text: string, from: number, to: number, visit: (i: number) => boolean): number {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 || c === 40 || c === 91 || c === 123) {
      const end = c === 34 ? skipString(text, i) : skipBrackets(text, i);
      if (end < 0) return -1;
      i = end - 1;
      continue;
    }
    if (c === 60 && text.charCodeAt(i + 1) === 60) return -1;
    if (visit(i)) return i;
  }
  return -1;
}

function trimmed(text: string, from: number, to: number): Part {
  while (from < to && /\s/.test(text[from])) from++;
  while (to > from && /\s/.test(text[to - 1])) to--;
  return { from, to };
}

/** `cond ? a : b` at the top level of `text`: the condition and the two results. */
export function conditionalParts(text: string): [Part, Part, Part] | undefined {
  if (!text.includes('?') || text.length > 4000) return undefined;
  let question = -1;
  let nested = 0;
  const colon = topLevel(text, 0, text.length, (i) => {
    const c = text[i];
    if (c === '?') {
      if (question < 0) question = i;
      else nested++;
    } else if (c === ':' && question >= 0) {
      if (nested === 0) return true;
      nested--;
    }
    return false;
  });
  if (question < 0 || colon < 0) return undefined;
  return [trimmed(text, 0, question), trimmed(text, question + 1, colon), trimmed(text, colon + 1, text.length)];
}

/** A for-expression: `[for k, v in SRC : RESULT if COND]` or `{for k, v in SRC : KEY => VALUE if COND}`. */
export interface ForParts {
  tuple: boolean;
  /** The variable that takes the key (index) when two are named. */
  keyVar?: string;
  valueVar: string;
  source: Part;
  /** The tuple's item, or the object's value. */
  result: Part;
  /** The object's key. */
  key?: Part;
  cond?: Part;
  /** `...` after an object's value: items grouped under repeated keys. */
  grouping: boolean;
}

const FOR_HEAD = /^for\s+([A-Za-z_][\w-]*)(?:\s*,\s*([A-Za-z_][\w-]*))?\s+in\s+/;

/** The parts of a for-expression, or undefined when `text` is not one. */
export function forParts(text: string): ForParts | undefined {
  const body = trimmed(text, 0, text.length);
  const open = text[body.from];
  if ((open !== '[' && open !== '{') || text.length > 20_000) return undefined;
  if (skipBrackets(text, body.from) !== body.to) return undefined;
  const inner = trimmed(text, body.from + 1, body.to - 1);
  const head = FOR_HEAD.exec(text.slice(inner.from, Math.min(inner.to, inner.from + 200)));
  if (!head) return undefined;
  const srcFrom = inner.from + head[0].length;
  const colon = topLevel(text, srcFrom, inner.to, (i) => text[i] === ':');
  if (colon < 0) return undefined;
  const isIf = (i: number) => text.startsWith('if', i) && /\s/.test(text[i - 1] ?? '') && /[\s(!]/.test(text[i + 2] ?? '');
  const tuple = open === '[';
  const valueVar = head[2] ?? head[1];
  const keyVar = head[2] ? head[1] : undefined;
  const source = trimmed(text, srcFrom, colon);
  if (tuple) {
    const cond = topLevel(text, colon + 1, inner.to, isIf);
    const result = trimmed(text, colon + 1, cond < 0 ? inner.to : cond);
    return { tuple, keyVar, valueVar, source, result, cond: cond < 0 ? undefined : trimmed(text, cond + 2, inner.to), grouping: false };
  }
  const arrow = topLevel(text, colon + 1, inner.to, (i) => text[i] === '=' && text[i + 1] === '>');
  if (arrow < 0) return undefined;
  const cond = topLevel(text, arrow + 2, inner.to, isIf);
  let valueTo = cond < 0 ? inner.to : cond;
  const value = trimmed(text, arrow + 2, valueTo);
  const grouping = text.slice(value.from, value.to).endsWith('...');
  if (grouping) valueTo = value.to - 3;
  return {
    tuple,
    keyVar,
    valueVar,
    source,
    key: trimmed(text, colon + 1, arrow),
    result: trimmed(text, arrow + 2, valueTo),
    cond: cond < 0 ? undefined : trimmed(text, cond + 2, inner.to),
    grouping,
  };
}

/**
 * The `${ … }` holes of a quoted template, as parts of the text inside them; undefined for a template with
 * `%{ }` directives or one that cannot be scanned.
 */
export function templateHoles(text: string): Part[] | undefined {
  const start = text.indexOf('"');
  if (start < 0) return undefined;
  const holes: Part[] = [];
  for (let j = start + 1; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === 92) j++;
    else if (c === 34) return holes;
    else if (c === 37 && text.charCodeAt(j + 1) === 123 && text.charCodeAt(j - 1) !== 37) return undefined;
    else if (c === 36 && text.charCodeAt(j + 1) === 123) {
      if (text.charCodeAt(j - 1) === 36) continue;
      const end = skipBrackets(text, j + 1);
      if (end < 0) return undefined;
      let from = j + 2;
      let to = end - 1;
      // `${~ x ~}` strips whitespace around the hole; the expression is inside.
      if (text[from] === '~') from++;
      if (text[to - 1] === '~') to--;
      holes.push(trimmed(text, from, to));
      j = end - 1;
    }
  }
  return undefined;
}

// ---------------------------------------------------------------- parts as nodes

/** Parsed parts of the file's expressions, by offset and text: each is parsed once per file. */
const parsedParts = new WeakMap<ParsedFile, Map<string, Node | null>>();

const QUOTED = /^"((?:[^"\\$%]|\\.)*)"$/;
const NUMBER = /^-?\d+(?:\.\d+)?$/;
const REFERENCE = /^[A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*|\[\s*(?:"[^"\\$]*"|\d+)\s*\])*$/;

/**
 * `part` of `node`'s text as a node: a quoted literal or a number as a scalar and a plain reference as a text
 * expression (no parse needed), anything else parsed as the HCL expression it is. Nodes sit at their place in
 * the file when the expression's text is the file's text there, else at the expression's span (a `.tf.json`
 * string with escapes). Undefined when the part does not parse (or the grammar is not loaded: plans).
 */
export function partNode(node: ExprNode, part: Part, file: ParsedFile): Node | undefined {
  const raw = node.text.slice(part.from, part.to);
  const exact = file.text.startsWith(node.text, node.span.start);
  const start = node.span.start + part.from;
  const span: Span = exact ? { start, end: start + raw.length } : node.span;
  const quoted = QUOTED.exec(raw);
  if (quoted) {
    const value = quoted[1].replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c));
    const content = exact ? { start: start + 1, end: start + raw.length - 1 } : span;
    const scalar: Node = { kind: 'scalar', value, span, path: node.path, contentSpan: content };
    if (exact) partFiles.set(scalar, file);
    return scalar;
  }
  if (NUMBER.test(raw)) return { kind: 'scalar', value: Number(raw), span, path: node.path, contentSpan: span };
  if (raw === 'true' || raw === 'false') return { kind: 'scalar', value: raw === 'true', span, path: node.path, contentSpan: span };
  if (raw === 'null') return { kind: 'scalar', value: null, span, path: node.path, contentSpan: span };
  if (REFERENCE.test(raw)) return { kind: 'expr', span, path: node.path, text: raw, refs: [] };
  let cache = parsedParts.get(file);
  if (!cache) parsedParts.set(file, (cache = new Map()));
  const key = `${exact ? start : node.span.start}:${raw}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit ?? undefined;
  const parsed = parsePart(file.uri, raw, exact ? start : undefined, node);
  if (parsed && exact) register(parsed, file);
  cache.set(key, parsed ?? null);
  return parsed;
}

/** The file a parsed part's nodes are written in, for the parts whose offsets are the file's. */
const partFiles = new WeakMap<Node, ParsedFile>();

/**
 * The file a node of a parsed part is written in (its span is exact there), or undefined for any other node: a
 * rule reporting a literal of a conditional's result or a for-expression's collection can point at it.
 */
export function partFile(node: Node): ParsedFile | undefined {
  return partFiles.get(node);
}

function register(node: Node, file: ParsedFile): void {
  const stack = [node];
  while (stack.length) {
    const n = stack.pop()!;
    partFiles.set(n, file);
    if (n.kind === 'map') for (const e of n.entries) stack.push(e.value);
    else if (n.kind === 'list') stack.push(...n.items);
    else if (n.kind === 'expr') stack.push(...(n.args ?? []));
  }
}

const HEAD = 'x = ';

function parsePart(uri: string, raw: string, start: number | undefined, at: ExprNode): Node | undefined {
  let file: ReturnType<typeof parseTerraform>;
  try {
    file = parseTerraform(uri, `${HEAD}${raw}\n`);
  } catch {
    return undefined;
  }
  try {
    const value = file.problems.length ? undefined : get(file.roots[0], 'x');
    if (!value) return undefined;
    return start !== undefined ? repath(shiftNode(value, start - HEAD.length), at) : pin(shiftNode(value, 0), at);
  } finally {
    file.tree.delete();
  }
}

/** Every node of a tree under `at`'s path (the synthetic attribute's name dropped). */
function repath(node: Node, at: Node): Node {
  const stack = [node];
  while (stack.length) {
    const n = stack.pop()!;
    n.path = [...at.path, ...n.path.slice(1)];
    if (n.kind === 'map') for (const e of n.entries) stack.push(e.value);
    else if (n.kind === 'list') stack.push(...n.items);
    else if (n.kind === 'expr') stack.push(...(n.args ?? []));
  }
  return node;
}

/** Every node of a tree at `at`'s span and path: its own offsets do not map back into the file. */
function pin(node: Node, at: Node): Node {
  const stack = [node];
  while (stack.length) {
    const n = stack.pop()!;
    n.span = at.span;
    n.path = at.path;
    if (n.kind === 'scalar' && n.contentSpan) n.contentSpan = at.span;
    if (n.kind === 'map')
      for (const e of n.entries) {
        e.keySpan = at.span;
        stack.push(e.value);
      }
    else if (n.kind === 'list') stack.push(...n.items);
    else if (n.kind === 'expr') stack.push(...(n.args ?? []));
  }
  return node;
}
