import { isTerraform } from './formats';
import { parseJsonDocument } from './parsers/json';
import { shiftNode, shiftProblem } from './parsers/shift';
import { parseYamlDocuments } from './parsers/yaml';
import type { ExprNode, Node, ParsedFile, ParseProblem, Span } from './model';

/**
 * JSON written inside a string value: a Terraform heredoc or quoted string (`policy = <<EOF {...} EOF`), a
 * heredoc template with `${...}` interpolations, a YAML block scalar, a CloudFormation property that takes a
 * JSON string. The result is model nodes, like any other value, so a rule reads an IAM policy the same way
 * whether it was written as HCL, YAML, JSON or a string of JSON.
 *
 * Spans point into the file where the string's source text is the JSON itself (heredocs, YAML block scalars,
 * quoted strings without escapes); otherwise every node carries the span of the string's content. Interpolated pieces
 * (`"arn:aws:s3:::${var.bucket}/*"`) become expression nodes, never literals.
 */
export function embeddedJson(file: ParsedFile, node: Node | undefined): Node | undefined {
  if (!node) return undefined;
  if (node.kind === 'scalar') return fromScalar(file, node.value, node.contentSpan ?? node.span);
  if (node.kind === 'expr' && isTerraform(file.format)) return fromTemplate(file, node);
  return undefined;
}

/** Nesting YAML in a string may have: real documents have a dozen levels; the YAML reader recurses once per level. */
const MAX_NESTING = 200;

/** The deepest flow nesting (`[`, `{`) or indentation (in columns) of a text, in one pass; quotes are not told apart. */
function nesting(text: string): number {
  let deepest = 0;
  let flow = 0;
  let column = 0;
  let indent = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      column = 0;
      indent = true;
      continue;
    }
    if (indent && c === 32) column++;
    else indent = false;
    if (c === 91 || c === 123) flow++;
    else if ((c === 93 || c === 125) && flow > 0) flow--;
    deepest = Math.max(deepest, flow, column / 2);
  }
  return deepest;
}

/**
 * YAML written inside a string of a YAML file (an inline kustomize patch, a chart value that templates render with
 * `tpl`), as the roots of its documents. A literal block (`|`) is its own source: it is read from the start of its
 * first line, indentation included, and its nodes carry their offsets in the file. Any other string (quoted,
 * folded) is read from its value, and every node then carries the string's span. The embedded text's parse
 * problems go to `problems`, placed in the file; text nested deeper than real documents are is not read, and a
 * problem naming `what` says so.
 */
export function embeddedYaml(file: ParsedFile, node: Node & { kind: 'scalar'; value: string }, problems: ParseProblem[], what: string): Node[] {
  const content = node.contentSpan ?? node.span;
  if (nesting(node.value) > MAX_NESTING) {
    problems.push({ span: content, message: `${what} not read: nested deeper than ${MAX_NESTING} levels` });
    return [];
  }
  const lineStart = file.text.lastIndexOf('\n', content.start - 1) + 1;
  const literalBlock = /^[ \t]*$/.test(file.text.slice(lineStart, content.start)) && /^\|/.test(file.text.slice(node.span.start, content.start));
  if (literalBlock) {
    const parsed = parseYamlDocuments(file.uri, file.text.slice(lineStart, content.end), 'text');
    for (const p of parsed.problems) problems.push(shiftProblem(p, lineStart));
    return parsed.roots.map((r) => shiftNode(r, lineStart));
  }
  const parsed = parseYamlDocuments(file.uri, node.value, 'text');
  for (const p of parsed.problems) problems.push({ span: content, message: p.message });
  return parsed.roots.map((r) => collapse(r, content));
}

/**
 * JSON held in a string whose source is not at hand (a value resolved from a variable in another file):
 * every node carries `span`.
 */
export function jsonFromString(value: string, span: Span): Node | undefined {
  const root = looksLikeJson(value) ? parse(value) : undefined;
  return root ? collapse(root, span) : undefined;
}

function looksLikeJson(text: string): boolean {
  const t = text.trimStart();
  return t.startsWith('{') || t.startsWith('[');
}

function parse(text: string): Node | undefined {
  const parsed = parseJsonDocument('embedded.json', text, 'text');
  const root = parsed.roots[0];
  return root && (root.kind === 'map' || root.kind === 'list') ? root : undefined;
}

function fromScalar(file: ParsedFile, value: unknown, content: Span): Node | undefined {
  if (typeof value !== 'string' || !looksLikeJson(value)) return undefined;
  const located = content.cell === undefined && content.output === undefined;
  const raw = located ? file.text.slice(content.start, content.end) : undefined;
  const fromValue = parse(value);
  if (!fromValue) return undefined;
  if (raw !== undefined && raw !== value) {
    // The source differs from the value (indentation of a `<<-` heredoc or a YAML block, escapes): the source
    // offsets are usable only when the source parses to the same JSON.
    const fromRaw = looksLikeJson(raw) ? parse(raw) : undefined;
    if (fromRaw && same(fromRaw, fromValue)) return shiftNode(fromRaw, content.start);
  } else if (raw !== undefined) {
    return shiftNode(fromValue, content.start);
  }
  return collapse(fromValue, content);
}

/**
 * A Terraform template holding JSON: `<<EOF ... ${var.x} ... EOF` or a quoted string. Each `${...}` / `%{...}`
 * is replaced by a placeholder of the same length (so offsets hold), then the values that covered one become
 * expression nodes with their source text. A quoted string with escapes (JSON in a `.tf.json` string always
 * has them) is read from its decoded text: its offsets are not the file's, so every node takes the span of
 * the string's content.
 */
function fromTemplate(file: ParsedFile, node: ExprNode): Node | undefined {
  const src = file.text.slice(node.span.start, node.span.end);
  if (src.startsWith('<<')) {
    const firstNewline = src.indexOf('\n');
    const lastNewline = src.lastIndexOf('\n');
    if (firstNewline < 0 || lastNewline <= firstNewline) return undefined;
    return templateJson(file.text, node.span.start + firstNewline + 1, node.span.start + lastNewline + 1);
  }
  if (!src.startsWith('"') || !src.endsWith('"') || src.length < 2) return undefined;
  if (!src.includes('\\')) return templateJson(file.text, node.span.start + 1, node.span.end - 1);
  let decoded: unknown;
  try {
    decoded = JSON.parse(src);
  } catch {
    return undefined;
  }
  if (typeof decoded !== 'string') return undefined;
  const read = templateJson(decoded, 0, decoded.length);
  return read && collapse(read, { start: node.span.start + 1, end: node.span.end - 1 });
}

/** The JSON of a template written in `text` from `start` to `end`, with its interpolations as expressions. */
function templateJson(text: string, start: number, end: number): Node | undefined {
  const content = text.slice(start, end);
  if (!looksLikeJson(content)) return undefined;
  const holes = templateHoles(content);
  if (holes === undefined) return undefined;
  let masked = '';
  let last = 0;
  let inString = false;
  for (const [s, e] of holes) {
    inString = jsonStringState(content, last, s, inString);
    masked += content.slice(last, s) + (inString ? '_'.repeat(e - s) : `0${' '.repeat(e - s - 1)}`);
    last = e;
  }
  masked += content.slice(last);
  const root = parse(masked);
  if (!root) return undefined;
  const shifted = shiftNode(root, start);
  const absHoles = holes.map(([s, e]) => [s + start, e + start] as const);
  return reinterpolate(shifted, absHoles, text);
}

/** `${...}` and `%{...}` spans of a template, braces and quoted strings inside them respected. */
function templateHoles(text: string): Array<[number, number]> | undefined {
  const out: Array<[number, number]> = [];
  for (let i = 0; i < text.length - 1; i++) {
    const c = text[i];
    if ((c !== '$' && c !== '%') || text[i + 1] !== '{') continue;
    if (i > 0 && text[i - 1] === c) continue; // `$${` and `%%{` are literal text
    let depth = 0;
    let j = i + 1;
    let quoted = false;
    for (; j < text.length; j++) {
      const d = text[j];
      if (quoted) {
        if (d === '\\') j++;
        else if (d === '"') quoted = false;
        continue;
      }
      if (d === '"') quoted = true;
      else if (d === '{') depth++;
      else if (d === '}' && --depth === 0) break;
    }
    if (j >= text.length) return undefined;
    out.push([i, j + 1]);
    i = j;
  }
  return out;
}

/** Whether position `to` is inside a JSON string, scanning from `from` with the state at `from`. */
function jsonStringState(text: string, from: number, to: number, inString: boolean): boolean {
  for (let i = from; i < to; i++) {
    const c = text[i];
    if (inString && c === '\\') i++;
    else if (c === '"') inString = !inString;
  }
  return inString;
}

const REF = /\b(?:var|local|data|module|[a-z][a-z0-9]*_[a-z0-9_]+)\.[A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)*/g;

function reinterpolate(node: Node, holes: ReadonlyArray<readonly [number, number]>, text: string): Node {
  const overlapping = holes.filter(([s, e]) => s < node.span.end && node.span.start < e);
  if (overlapping.length === 0) return node;
  switch (node.kind) {
    case 'map':
      return { ...node, entries: node.entries.map((e) => ({ ...e, value: reinterpolate(e.value, overlapping, text) })) };
    case 'list':
      return { ...node, items: node.items.map((i) => reinterpolate(i, overlapping, text)) };
    case 'scalar': {
      // A placeholder outside a JSON string (`"Sid": ${x}`) is one character: the expression is the whole hole.
      const span = {
        start: Math.min(node.span.start, ...overlapping.map(([s]) => s)),
        end: Math.max(node.span.end, ...overlapping.map(([, e]) => e)),
      };
      const source = text.slice(span.start, span.end);
      const literalParts: string[] = [];
      let at = node.contentSpan?.start ?? node.span.start;
      const contentEnd = node.contentSpan?.end ?? node.span.end;
      const refs: string[] = [];
      for (const [s, e] of overlapping) {
        literalParts.push(text.slice(at, Math.max(at, s)));
        refs.push(...(text.slice(s, e).match(REF) ?? []));
        at = e;
      }
      literalParts.push(text.slice(Math.min(at, contentEnd), contentEnd));
      const expr: ExprNode = { kind: 'expr', span, path: node.path, text: source, refs, literalParts };
      return expr;
    }
    default:
      return node;
  }
}

/** A copy of a node tree with every span set to `span` (for values whose source is elsewhere). */
export function collapse(node: Node, span: Span): Node {
  switch (node.kind) {
    case 'map':
      return { ...node, span, entries: node.entries.map((e) => ({ ...e, keySpan: span, value: collapse(e.value, span) })) };
    case 'list':
      return { ...node, span, items: node.items.map((i) => collapse(i, span)) };
    case 'scalar':
      return { ...node, span, contentSpan: span };
    default:
      return { ...node, span, args: node.args?.map((a) => collapse(a, span)) };
  }
}

function same(a: Node, b: Node): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'scalar') return a.value === (b as typeof a).value;
  if (a.kind === 'list') {
    const bl = b as typeof a;
    return a.items.length === bl.items.length && a.items.every((x, i) => same(x, bl.items[i]));
  }
  if (a.kind === 'map') {
    const bm = b as typeof a;
    return a.entries.length === bm.entries.length && a.entries.every((e, i) => e.key === bm.entries[i].key && same(e.value, bm.entries[i].value));
  }
  return false;
}
