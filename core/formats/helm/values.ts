import type { ExprNode, Node, ParsedFile, ScalarNode, Span } from '../../model';
import { contentSpan, get, isList, isMap, isScalar, str } from '../../nodes';
import type { Project } from '../../project';
import { basenameOf } from '../../uri';

/**
 * What a Helm template action stands for, read from the chart's values without running the template:
 * `.Values.a.b` and `$.Values.a.b`, piped through `quote`, `squote`, `toString`, `trim`, `lower`, `upper`
 * and `default` (`.Values.x | default "y"`, `default "y" .Values.x`, `| default .Chart.AppVersion`), and
 * `.Chart.AppVersion` / `.Chart.Version` / `.Chart.Name` from `Chart.yaml`. The values are the chart's
 * `values.yaml`, then the project's shared values files (the configured extra ones, as `helm -f` passes them;
 * the last one that sets a key wins). Anything else (`include`, `tpl`, `printf`, `.Release.*`, a variable or `.` inside `with` or
 * `range`) is not resolved.
 */

/** Where a resolved value is written: a values file and the key path there. */
export interface ValuesOrigin {
  uri: string;
  /** `image.tag`, or `appVersion` for Chart.yaml. */
  key: string;
  span: Span;
  /** The value as written (rules mask it where it is a secret). */
  value: string;
}

/** Resolved values (nodes of a values file, or synthetic scalars for a piece of text) → where they came from. */
const origins = new WeakMap<Node, ValuesOrigin[]>();

/** The values files and Chart.yaml that a resolved value of a Helm template came from. */
export function helmValuesOrigins(node: Node): readonly ValuesOrigin[] {
  return origins.get(node) ?? [];
}

interface Term {
  /** The value; undefined when the key is not set. */
  node?: Node;
  from: ValuesOrigin[];
}

type Resolved = Term | 'unresolved';

interface Sources {
  /** Values files, lowest precedence first. */
  values: ParsedFile[];
  chart?: ParsedFile;
}

const WORD = /"(?:[^"\\]|\\.)*"|`[^`]*`|[^\s|()]+|\|/g;

function tokens(pipeline: string): string[] | undefined {
  if (/[()]/.test(pipeline)) return undefined;
  return pipeline.match(WORD) ?? [];
}

function literal(token: string): ScalarNode | undefined {
  if (/^"(?:[^"\\]|\\.)*"$/.test(token)) return { kind: 'scalar', value: JSON.parse(token), span: { start: 0, end: 0 }, path: [] };
  if (/^`[^`]*`$/.test(token)) return { kind: 'scalar', value: token.slice(1, -1), span: { start: 0, end: 0 }, path: [] };
  return undefined;
}

function lookup(files: readonly ParsedFile[], keys: string[]): Resolved {
  // Without the chart's values (a template alone) nothing is known, not even that a key is unset.
  if (files.length === 0) return 'unresolved';
  for (let f = files.length - 1; f >= 0; f--) {
    let node: Node | undefined = files[f].roots[0];
    for (const k of keys) node = isMap(node) ? get(node, k) : undefined;
    if (node === undefined) continue;
    const key = keys.join('.');
    const shown = isScalar(node) ? String(node.value ?? '') : '';
    return { node, from: [{ uri: files[f].uri, key, span: contentSpan(node), value: shown }] };
  }
  return { from: [] };
}

const CHART_FIELDS: Record<string, string> = { AppVersion: 'appVersion', Version: 'version', Name: 'name' };

function operand(token: string, sources: Sources): Resolved {
  const lit = literal(token);
  if (lit) return { node: lit, from: [] };
  const values = /^\$?\.Values((?:\.[A-Za-z_][\w-]*)+)$/.exec(token);
  if (values) return lookup(sources.values, values[1].slice(1).split('.'));
  const chart = /^\$?\.Chart\.(AppVersion|Version|Name)$/.exec(token);
  if (chart && sources.chart) return lookup([sources.chart], [CHART_FIELDS[chart[1]]]);
  return 'unresolved';
}

function isEmpty(node: Node | undefined): boolean {
  if (node === undefined) return true;
  if (isScalar(node)) return node.value === null || node.value === '' || node.value === 0 || node.value === false;
  if (isMap(node)) return node.entries.length === 0;
  if (isList(node)) return node.items.length === 0;
  return false;
}

const TEXT_FUNCTIONS = new Set(['quote', 'squote', 'toString', 'trim', 'lower', 'upper']);

function applyText(fn: string, t: Term): Resolved {
  const s = str(t.node);
  if (s === undefined) return t.node === undefined ? t : 'unresolved';
  const v = fn === 'trim' ? s.trim() : fn === 'lower' ? s.toLowerCase() : fn === 'upper' ? s.toUpperCase() : s;
  return isScalar(t.node) && t.node.value === v ? t : { node: { kind: 'scalar', value: v, span: t.node!.span, path: t.node!.path }, from: t.from };
}

function withDefault(fallback: Resolved, value: Resolved): Resolved {
  if (value === 'unresolved') return value;
  return isEmpty(value.node) ? fallback : value;
}

/** One command of a pipeline (`.Values.x`, `default "y" .Values.x`, `quote .Values.x`), given the piped-in value. */
function command(words: string[], piped: Resolved | undefined, sources: Sources): Resolved {
  const [head, ...args] = words;
  if (piped === 'unresolved') return piped;
  if (head === 'default' && args.length === (piped ? 1 : 2)) {
    const value = piped ?? operand(args[1], sources);
    return withDefault(operand(args[0], sources), value);
  }
  if (TEXT_FUNCTIONS.has(head) && args.length === (piped ? 0 : 1)) {
    const value = piped ?? operand(args[0], sources);
    return value === 'unresolved' ? value : applyText(head, value);
  }
  if (!piped && args.length === 0) return operand(head, sources);
  return 'unresolved';
}

function resolvePipeline(pipeline: string, sources: Sources): Resolved {
  const words = tokens(pipeline);
  if (!words || words.length === 0) return 'unresolved';
  let value: Resolved | undefined;
  let current: string[] = [];
  for (const w of [...words, '|']) {
    if (w !== '|') {
      current.push(w);
      continue;
    }
    if (current.length === 0) return 'unresolved';
    value = command(current, value, sources);
    current = [];
    if (value === 'unresolved') return value;
  }
  return value ?? 'unresolved';
}

function sourcesOf(file: ParsedFile, project: Project): Sources {
  const module = project.module(file);
  // helm reads the chart's values.yaml, then the files passed with -f (here `--helm-values`, `helm.values`).
  const values = module.filter((f) => f.resources[0]?.kind === 'values' && /^values\.ya?ml$/.test(basenameOf(f.uri)));
  return { values: [...values, ...project.shared('helm')], chart: module.find((f) => f.resources[0]?.kind === 'chart') };
}

/**
 * The values a template reference (`fn: 'helm'`) stands for: the values node itself for a single action,
 * or the text it renders when literal text and actions mix (`"{{ .Values.repo }}:{{ .Values.tag }}"`).
 */
export function resolveHelmReference(node: ExprNode, file: ParsedFile, project: Project): { values: Node[]; unresolved: string[] } {
  const refs = node.refs ?? [];
  const parts = node.literalParts ?? [];
  const sources = sourcesOf(file, project);
  const terms: Term[] = [];
  for (const ref of refs) {
    const t = resolvePipeline(ref, sources);
    if (t === 'unresolved') return { values: [], unresolved: [`{{ ${ref} }}`] };
    terms.push(t);
  }
  if (terms.length === 1 && parts.every((p) => p === '')) {
    const t = terms[0];
    if (t.node === undefined) return { values: [], unresolved: [`{{ ${refs[0]} }}`] };
    if (t.from.length) origins.set(t.node, t.from);
    return { values: [t.node], unresolved: [] };
  }
  let text = parts[0] ?? '';
  const from: ValuesOrigin[] = [];
  for (let i = 0; i < terms.length; i++) {
    const s = terms[i].node === undefined ? '' : str(terms[i].node);
    if (s === undefined) return { values: [], unresolved: [`{{ ${refs[i]} }}`] };
    text += s + (parts[i + 1] ?? '');
    from.push(...terms[i].from);
  }
  const value: ScalarNode = { kind: 'scalar', value: text, span: node.span, path: node.path };
  origins.set(value, from);
  return { values: [value], unresolved: [] };
}
