import type { ExprNode, Node, ScalarNode, Span } from '../../model';
import { isExpr, isScalar } from '../../nodes';

/**
 * Compose interpolation: `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?error}`, `${VAR:+other}`,
 * with `$$` for a literal `$`. A string holding one is a reference, not a literal: it becomes an expression node
 * whose `literalParts` are the text between the holes and whose `args` are, hole by hole, the default the hole
 * takes when the variable is unset (a scalar) or the bare reference (an expression).
 */

/** Whether a string holds an interpolation (a `$` before a name or a brace, not escaped as `$$`). */
export function hasInterpolation(value: string): boolean {
  for (let i = value.indexOf('$'); i >= 0 && i < value.length - 1; i = value.indexOf('$', i + 1)) {
    const next = value.charCodeAt(i + 1);
    if (next === 36 /* $ */) {
      i++;
      continue;
    }
    if (next === 123 /* { */ || isNameStart(next)) return true;
  }
  return false;
}

function isNameStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 48 && c <= 57);
}

interface Hole {
  name: string;
  /** The default written after `:-` / `-`, when it holds no further interpolation. */
  fallback?: string;
  /** Offset of `fallback` in the string. */
  fallbackAt: number;
  start: number;
  end: number;
}

/** The holes of an interpolated string and the literal text between them, in one pass. */
function split(value: string): { parts: string[]; holes: Hole[] } | undefined {
  const parts: string[] = [];
  const holes: Hole[] = [];
  let literal = '';
  let i = 0;
  while (i < value.length) {
    const c = value.charCodeAt(i);
    if (c !== 36 || i === value.length - 1) {
      literal += value[i++];
      continue;
    }
    const next = value.charCodeAt(i + 1);
    if (next === 36) {
      literal += '$';
      i += 2;
      continue;
    }
    if (isNameStart(next)) {
      let j = i + 1;
      while (j < value.length && isNameChar(value.charCodeAt(j))) j++;
      parts.push(literal);
      literal = '';
      holes.push({ name: value.slice(i + 1, j), fallbackAt: j, start: i, end: j });
      i = j;
      continue;
    }
    if (next !== 123) {
      literal += '$';
      i++;
      continue;
    }
    // `${...}`: the closing brace that balances it (a default may hold another `${...}`).
    let depth = 0;
    let j = i + 1;
    for (; j < value.length; j++) {
      const d = value.charCodeAt(j);
      if (d === 123) depth++;
      else if (d === 125 && --depth === 0) break;
    }
    if (j >= value.length) return undefined; // unterminated: not an interpolation compose accepts
    const inner = value.slice(i + 2, j);
    let n = 0;
    while (n < inner.length && isNameChar(inner.charCodeAt(n))) n++;
    const hole: Hole = { name: inner.slice(0, n), fallbackAt: i + 2 + n, start: i, end: j + 1 };
    const op = /^:?-/.exec(inner.slice(n));
    if (op) {
      const fallback = inner.slice(n + op[0].length);
      if (!fallback.includes('$')) {
        hole.fallback = fallback;
        hole.fallbackAt = i + 2 + n + op[0].length;
      }
    }
    parts.push(literal);
    literal = '';
    holes.push(hole);
    i = j + 1;
  }
  parts.push(literal);
  return holes.length ? { parts, holes } : undefined;
}

/**
 * The expression node of an interpolated scalar, or undefined when it holds none. `source` is the file text: where
 * the scalar's content is written as its value (no escapes), defaults get their own spans.
 */
export function interpolated(node: ScalarNode & { value: string }, source: string): ExprNode | undefined {
  const found = split(node.value);
  if (!found) return undefined;
  const content = node.contentSpan ?? node.span;
  const located = source.slice(content.start, content.end) === node.value;
  const args: Node[] = found.holes.map((h): Node => {
    const span: Span = located ? { start: content.start + h.start, end: content.start + h.end } : content;
    if (h.fallback === undefined) return { kind: 'expr', span, path: node.path, text: node.value.slice(h.start, h.end), refs: [h.name] };
    const at: Span = located ? { start: content.start + h.fallbackAt, end: content.start + h.fallbackAt + h.fallback.length } : content;
    return { kind: 'scalar', value: h.fallback, span: at, contentSpan: at, path: node.path };
  });
  return {
    kind: 'expr',
    span: node.span,
    path: node.path,
    text: source.slice(node.span.start, node.span.end),
    refs: found.holes.map((h) => h.name),
    literalParts: found.parts,
    args,
  };
}

/**
 * The text an interpolated value takes when its variables are unset, when every one of them has a default
 * (`${BIND:-0.0.0.0}:5432:5432` → `0.0.0.0:5432:5432`); undefined for a literal or a reference without one.
 * https://docs.docker.com/reference/compose-file/interpolation/ (`${VAR:-default}`, `${VAR-default}`)
 */
export function interpolatedDefault(node: Node): string | undefined {
  if (!isExpr(node) || !node.literalParts || !node.args?.length || !node.args.every(isScalar)) return undefined;
  let value = node.literalParts[0] ?? '';
  node.args.forEach((hole, i) => {
    value += `${isScalar(hole) ? String(hole.value ?? '') : ''}${node.literalParts?.[i + 1] ?? ''}`;
  });
  return value;
}

/** Every string scalar of the trees that holds an interpolation, replaced by its expression node (in place). */
export function markInterpolations(roots: Node[], source: string): void {
  if (!source.includes('$')) return;
  const done = new Map<Node, Node>();
  const convert = (n: Node): Node => {
    if (n.kind !== 'scalar' || typeof n.value !== 'string' || !hasInterpolation(n.value)) return n;
    let out = done.get(n);
    if (!out) {
      out = interpolated(n as ScalarNode & { value: string }, source) ?? n;
      done.set(n, out);
    }
    return out;
  };
  const stack: Node[] = [...roots];
  const seen = new Set<Node>();
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (seen.has(n)) continue;
    seen.add(n);
    if (n.kind === 'map') {
      for (const e of n.entries) {
        e.value = convert(e.value);
        stack.push(e.value);
      }
    } else if (n.kind === 'list') {
      for (let i = 0; i < n.items.length; i++) {
        n.items[i] = convert(n.items[i]);
        stack.push(n.items[i]);
      }
    }
  }
}
