import type { Node, ParseProblem, Path, ScalarNode, Span } from '../../model';
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

/** One template written as a synthetic HCL attribute: its text, and where the JSON string's content starts in it. */
interface Written {
  hcl: string;
  /** Offset in `hcl` of what the string's content starts with. */
  start: number;
  /** The JSON string's raw content is the HCL text (no escapes): nodes map back by a constant shift. */
  exact: boolean;
}

function written(text: string, s: ScalarNode, name: string): Written {
  const value = String(s.value);
  const raw = s.contentSpan ? text.slice(s.contentSpan.start, s.contentSpan.end) : '';
  const inner = singleInterpolation(value);
  const head = `${name} = `;
  // The string's content starts two characters (`${`) before the expression.
  if (inner !== undefined) return { hcl: `${head}${inner}\n`, start: head.length - 2, exact: raw === value };
  const quoted = hclQuoted(value);
  return { hcl: `${head}"${quoted}"\n`, start: head.length + 1, exact: raw === quoted };
}

/** The converted value of each attribute of a synthetic HCL text, by name; whether the text had syntax errors. */
function parseWritten(uri: string, hcl: string): { values: Map<string, Node>; broken: boolean } {
  const parsed = parseTerraform(uri, hcl);
  try {
    const values = new Map<string, Node>();
    const root = parsed.roots[0];
    if (root?.kind === 'map') for (const e of root.entries) values.set(e.key, e.value);
    return { values, broken: parsed.problems.length > 0 };
  } finally {
    parsed.tree.delete();
  }
}

/**
 * Convert the template strings of a file of `text` (see the module comment). The grammar must be loaded.
 * When the one synthetic text has syntax errors (a template Terraform would reject, which may also spoil
 * the attributes after it), each template is read on its own, and an unreadable one becomes a problem.
 */
export function convertTemplates(uri: string, text: string, sites: TemplateSite[]): ParseProblem[] {
  if (sites.length === 0) return [];
  const problems: ParseProblem[] = [];
  const all = sites.map((site, i) => written(text, site.scalar, `t${i}`));
  let offset = 0;
  const starts = all.map((w) => {
    const at = offset + w.start;
    offset += w.hcl.length;
    return at;
  });
  const batch = parseWritten(uri, all.map((w) => w.hcl).join(''));
  for (let i = 0; i < sites.length; i++) {
    const { scalar, replace } = sites[i];
    let converted = batch.values.get(`t${i}`);
    let start = starts[i];
    if (batch.broken) {
      const alone = parseWritten(uri, all[i].hcl);
      converted = alone.broken ? undefined : alone.values.get(`t${i}`);
      start = all[i].start;
    }
    if (!converted) {
      // Still a value computed at apply time, not a literal.
      problems.push({ span: scalar.span, message: 'invalid Terraform template expression in this string' });
      replace({ kind: 'expr', span: scalar.span, path: scalar.path, text: String(scalar.value), refs: [] });
      continue;
    }
    const content = scalar.contentSpan ?? scalar.span;
    const node = all[i].exact ? repathed(shiftNode(converted, content.start - start), scalar.path) : pinned(converted, scalar.span, scalar.path);
    // The value is the whole JSON string, quotes included, whatever its inside became.
    node.span = scalar.span;
    if (node.kind === 'scalar') node.contentSpan = content;
    node.path = scalar.path;
    replace(node);
  }
  return problems;
}
