import type { ExprNode, Node, Path, ScalarNode, Span } from '../../model';
import { shiftNode } from '../../parsers/shift';
import { parseTerraform } from '../terraform/parse';

/**
 * Strings of Terraform's JSON syntax that hold `${…}` or `%{…}`: templates, read by the HCL parser so that
 * they become the same expressions as in a `.tf` file (references, function calls, literal parts).
 *
 * All the templates of a file are written into one synthetic HCL text, one attribute each, and parsed once.
 * A string that is exactly one interpolation (`"${jsonencode({...})}"`) is its expression, as Terraform
 * reads it; any other is a quoted template. Nodes map back to the file by a constant shift where the JSON
 * string has no escapes (its raw text is the HCL text); where it has, every node takes the string's span.
 */

export interface TemplateSite {
  scalar: ScalarNode;
  /** Puts the converted node where the scalar was. */
  replace(node: Node): void;
}

/** Whether a string value is a template (holds an interpolation or a directive). */
export function isTemplate(value: string): boolean {
  return value.includes('${') || value.includes('%{');
}

/** `${ … }` spanning the whole string, braces balanced outside quoted strings: the expression inside. */
function singleInterpolation(value: string): string | undefined {
  if (!value.startsWith('${') || !value.endsWith('}')) return undefined;
  let depth = 1;
  let quoted = false;
  for (let i = 2; i < value.length; i++) {
    const c = value[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === '{') depth++;
    else if (c === '}') {
      depth--;
      if (depth === 0) return i === value.length - 1 ? value.slice(2, -1) : undefined;
    }
  }
  return undefined;
}

function hclQuoted(value: string): string {
  return value.replace(/[\\"\n\r\t]/g, (c) => (c === '\n' ? '\\n' : c === '\r' ? '\\r' : c === '\t' ? '\\t' : `\\${c}`));
}

/** A copy of a converted tree with every node at `span`, its paths under `path` (instead of the synthetic name). */
function pinned(node: Node, span: Span, path: Path): Node {
  const out = shiftNode(node, 0);
  const stack: Node[] = [out];
  while (stack.length) {
    const n = stack.pop()!;
    n.span = span;
    n.path = [...path, ...n.path.slice(1)];
    if (n.kind === 'scalar' && n.contentSpan) n.contentSpan = span;
    if (n.kind === 'map')
      for (const e of n.entries) {
        e.keySpan = span;
        stack.push(e.value);
      }
    else if (n.kind === 'list') stack.push(...n.items);
    else if (n.kind === 'expr') stack.push(...(n.args ?? []));
  }
  return out;
}

/** The converted tree's paths under `path` (instead of the synthetic attribute's name). */
function repathed(node: Node, path: Path): Node {
  const stack: Node[] = [node];
  const seen = new Set<Node>();
  while (stack.length) {
    const n = stack.pop()!;
    if (seen.has(n)) continue;
    seen.add(n);
    n.path = [...path, ...n.path.slice(1)];
    if (n.kind === 'map') for (const e of n.entries) stack.push(e.value);
    else if (n.kind === 'list') stack.push(...n.items);
    else if (n.kind === 'expr') stack.push(...(n.args ?? []));
  }
  return node;
}

/** Convert the template strings of a file of `text` (see the module comment). The grammar must be loaded. */
export function convertTemplates(uri: string, text: string, sites: TemplateSite[]): void {
  if (sites.length === 0) return;
  let hcl = '';
  const starts: number[] = [];
  const exact: boolean[] = [];
  for (let i = 0; i < sites.length; i++) {
    const s = sites[i].scalar;
    const value = String(s.value);
    const raw = s.contentSpan ? text.slice(s.contentSpan.start, s.contentSpan.end) : '';
    const inner = singleInterpolation(value);
    const head = `t${i} = `;
    if (inner !== undefined) {
      // The string's content starts two characters (`${`) before the expression.
      starts.push(hcl.length + head.length - 2);
      exact.push(raw === value);
      hcl += `${head}${inner}\n`;
    } else {
      const quoted = hclQuoted(value);
      starts.push(hcl.length + head.length + 1);
      exact.push(raw === quoted);
      hcl += `${head}"${quoted}"\n`;
    }
  }
  const parsed = parseTerraform(uri, hcl);
  try {
    const root = parsed.roots[0];
    const byName = new Map<string, Node>();
    if (root?.kind === 'map') for (const e of root.entries) byName.set(e.key, e.value);
    for (let i = 0; i < sites.length; i++) {
      const { scalar, replace } = sites[i];
      const converted = byName.get(`t${i}`);
      const content = scalar.contentSpan ?? scalar.span;
      if (!converted) {
        // Not an expression the HCL parser could read: still a value computed at apply time, not a literal.
        const expr: ExprNode = { kind: 'expr', span: scalar.span, path: scalar.path, text: String(scalar.value), refs: [] };
        replace(expr);
        continue;
      }
      let node: Node;
      if (exact[i]) node = repathed(shiftNode(converted, content.start - starts[i]), scalar.path);
      else node = pinned(converted, scalar.span, scalar.path);
      // The value is the whole JSON string, quotes included, whatever its inside became.
      node.span = scalar.span;
      if (node.kind === 'scalar') node.contentSpan = content;
      node.path = scalar.path;
      replace(node);
    }
  } finally {
    parsed.tree.delete();
  }
}
