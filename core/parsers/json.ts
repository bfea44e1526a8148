import { printParseErrorCode, visit, type ParseErrorCode } from 'jsonc-parser';
import type { Comment, ListNode, MapNode, Node, ParsedFile, ParseProblem, Path, ScalarNode, Span } from '../model';
import { dialectOf, type StructuredDialect, type TreeHooks } from './yaml-model';

/**
 * JSON reader for the formats written in it (CloudFormation and Kubernetes JSON): `jsonc-parser`'s tolerant scanner, visited once to
 * build model nodes directly, with comments (JSONC) and errors from the same pass. Trailing commas are
 * accepted; a truncated document gives the nodes read so far, closed at the end of the text.
 */

interface Frame {
  node: MapNode | ListNode;
  /** Absolute key path while shallow enough for the format's hooks. */
  abs: Path | undefined;
  /** Where the finished node goes in its parent: the entry key, or undefined for list items and the root. */
  key?: string;
  keySpan?: Span;
  /** Map frames: the property whose value comes next. */
  pendingKey?: string;
  pendingKeySpan?: Span;
  /** A value that has nowhere to go (error recovery): built, then dropped. */
  orphan?: boolean;
}

function humanize(code: string): string {
  return code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

function isWs(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

export function parseJsonDocument(uri: string, text: string, as: StructuredDialect | 'text'): ParsedFile {
  const dialect = dialectOf(as);
  const hooks: TreeHooks | undefined = dialect.hooks;
  const roots: Node[] = [];
  const comments: Comment[] = [];
  const problems: ParseProblem[] = [];
  const stack: Frame[] = [];

  /** Path, absolute path and placement of the next value, per the innermost open container. */
  const slot = (): { path: Path; abs: Path | undefined; key?: string; keySpan?: Span; orphan: boolean } => {
    const top = stack[stack.length - 1];
    if (!top) {
      return { path: [], abs: hooks ? [] : undefined, orphan: roots.length > 0 };
    }
    const parentPath = top.node.path;
    if (top.node.kind === 'list') {
      const i = top.node.items.length;
      return { path: [...parentPath, i], abs: deeper(top.abs, i), orphan: !!top.orphan };
    }
    if (top.pendingKey === undefined) return { path: parentPath, abs: undefined, orphan: true };
    const key = top.pendingKey;
    const keySpan = top.pendingKeySpan;
    top.pendingKey = undefined;
    top.pendingKeySpan = undefined;
    return { path: [...parentPath, key], abs: deeper(top.abs, key), key, keySpan, orphan: !!top.orphan };
  };

  const deeper = (abs: Path | undefined, k: string | number): Path | undefined =>
    abs !== undefined && hooks && abs.length < hooks.depth ? [...abs, k] : undefined;

  const place = (node: Node, key: string | undefined, keySpan: Span | undefined, orphan: boolean) => {
    if (orphan) return;
    const top = stack[stack.length - 1];
    if (!top) {
      roots.push(node);
      return;
    }
    if (top.node.kind === 'list') top.node.items.push(node);
    else if (key !== undefined && keySpan) top.node.entries.push({ key, keySpan, value: node });
  };

  /** A property written without a value (`"a": }` or a truncated file): a null scalar after its key. */
  const flushPendingKey = (top: Frame) => {
    if (top.node.kind !== 'map' || top.pendingKey === undefined) return;
    const at = top.pendingKeySpan!.end;
    const span = { start: at, end: at };
    const value: ScalarNode = { kind: 'scalar', value: null, span, path: [...top.node.path, top.pendingKey], contentSpan: span };
    if (!top.orphan) top.node.entries.push({ key: top.pendingKey, keySpan: top.pendingKeySpan!, value });
    top.pendingKey = undefined;
    top.pendingKeySpan = undefined;
  };

  const open = (kind: 'map' | 'list', offset: number) => {
    const s = slot();
    const path = s.abs !== undefined && hooks!.bodyAt(s.abs) ? [] : s.path;
    const span = { start: offset, end: offset + 1 };
    const node: MapNode | ListNode = kind === 'map' ? { kind: 'map', entries: [], span, path } : { kind: 'list', items: [], span, path };
    stack.push({ node, abs: s.abs, key: s.key, keySpan: s.keySpan, orphan: s.orphan });
  };

  const close = (closer: number, offset: number, length: number) => {
    const top = stack.pop();
    if (!top) return;
    flushPendingKey(top);
    let end: number;
    if (text.charCodeAt(offset) === closer) end = offset + length;
    else {
      // Missing bracket: end after the last thing read.
      end = Math.min(offset, text.length);
      while (end > top.node.span.start + 1 && isWs(text.charCodeAt(end - 1))) end--;
    }
    top.node.span.end = Math.max(end, top.node.span.start + 1);
    let node: Node = top.node;
    if (node.kind === 'map' && hooks) node = hooks.normalizeMap(node, top.abs, text);
    place(node, top.key, top.keySpan, !!top.orphan);
  };

  const errors: Array<{ error: ParseErrorCode; offset: number; length: number }> = [];

  // A byte-order mark is not JSON but common in files saved on Windows: read it as a space (offsets unchanged).
  visit(
    text.charCodeAt(0) === 0xfeff ? ` ${text.slice(1)}` : text,
    {
      onObjectBegin: (offset) => open('map', offset),
      onArrayBegin: (offset) => open('list', offset),
      onObjectEnd: (offset, length) => close(125, offset, length),
      onArrayEnd: (offset, length) => close(93, offset, length),
      onObjectProperty: (property, offset, length) => {
        const top = stack[stack.length - 1];
        if (top?.node.kind !== 'map') return;
        flushPendingKey(top);
        top.pendingKey = property;
        top.pendingKeySpan = { start: offset, end: offset + length };
      },
      onLiteralValue: (value, offset, length) => {
        const s = slot();
        const span = { start: offset, end: offset + length };
        let contentSpan: Span = span;
        if (typeof value === 'string' && text.charCodeAt(offset) === 34) {
          const closed = length >= 2 && text.charCodeAt(offset + length - 1) === 34;
          contentSpan = { start: offset + 1, end: closed ? offset + length - 1 : offset + length };
        }
        const node: ScalarNode = { kind: 'scalar', value, span, path: s.path, contentSpan };
        place(node, s.key, s.keySpan, s.orphan);
      },
      onComment: (offset, length) => {
        const raw = text.slice(offset, offset + length);
        const body = raw.startsWith('/*') ? raw.slice(2, raw.endsWith('*/') && raw.length >= 4 ? -2 : undefined) : raw.slice(2);
        comments.push({ span: { start: offset, end: offset + length }, text: body });
      },
      onError: (error, offset, length) => errors.push({ error, offset, length }),
    },
    { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true },
  );
  // The visitor closes every container it opened; this only guards against a future change of that.
  while (stack.length) close(0, text.length, 0);

  for (const e of errors) {
    const start = Math.min(e.offset, text.length);
    const end = Math.min(text.length, Math.max(start, e.offset + e.length));
    const message = `JSON: ${humanize(printParseErrorCode(e.error))}`;
    const last = problems[problems.length - 1];
    // A truncated file reports one "close brace expected" per open container, all at the end: keep one.
    if (last && last.message === message && last.span.start === start && last.span.end === end) continue;
    problems.push({ span: { start, end }, message });
  }

  return {
    uri,
    format: dialect.format,
    text,
    resources: dialect.resources?.(roots) ?? [],
    roots,
    comments,
    problems,
    toFileSpan: (s) => s,
  };
}
