import type { Node, Span } from '../model';

/**
 * The span of a YAML string value whose source is its script offset for offset (a shell reads it as written), or
 * undefined: a `|` block (each line is the script's line after its indentation, which a shell ignores), or a quoted or
 * plain scalar written without escapes on one line. A folded `>` block joins lines, and escapes change the text.
 */
export function verbatimScriptSpan(node: Node, source: string): Span | undefined {
  if (node.kind !== 'scalar' || typeof node.value !== 'string' || !node.contentSpan) return undefined;
  const first = source.charCodeAt(node.span.start);
  if (first === 124) return node.contentSpan;
  if (first === 62) return undefined;
  return source.slice(node.contentSpan.start, node.contentSpan.end) === node.value ? node.contentSpan : undefined;
}
