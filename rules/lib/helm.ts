import {
  basenameOf,
  embeddedYaml,
  evaluate,
  helmRole,
  isList,
  isMap,
  helmValuesOrigins,
  isExpr,
  isScalar,
  type Node,
  type ParsedFile,
  type ParseProblem,
  type Project,
  type RelatedLocation,
  type ScalarNode,
  type Span,
} from '../../core';

/**
 * Helm findings that hinge on the chart's values: the value as the template renders it is reported at the
 * template, with a related location at each values line it came from ("through values.yaml: image.tag =
 * latest"), the way a Terraform finding points at the variable's default.
 */

/** Related locations for the values files (and Chart.yaml) a resolved Helm value was read from. */
export function throughValues(file: ParsedFile, resolved: Node, show: (value: string) => string = (v) => v): RelatedLocation[] {
  return helmValuesOrigins(resolved).map((o) => ({
    span: o.span,
    message: `through ${basenameOf(o.uri)}: ${o.key} = ${show(o.value)}`,
    uri: o.uri === file.uri ? undefined : o.uri,
  }));
}

/** A template scalar as the chart's values render it: where to report it, and the values lines it came from. */
export interface RenderedScalar {
  value: ScalarNode;
  /** The action (inside its quotes, when the template quotes it). */
  span: Span;
  related: RelatedLocation[];
}

/**
 * The scalar a Helm template value (`{{ .Values.db.password | quote }}`, `"{{ .Values.repo }}:{{ .Values.tag }}"`)
 * renders from the chart's values; undefined for anything else, or when part of it does not resolve.
 */
export function renderedScalar(file: ParsedFile, project: Project, node: Node, show?: (value: string) => string): RenderedScalar | undefined {
  if (file.format !== 'helm' || !isExpr(node) || node.fn !== 'helm') return undefined;
  const e = evaluate(node, { file, project });
  const value = e.values[0];
  if (e.unresolved.length || e.values.length !== 1 || !isScalar(value)) return undefined;
  const quoted = /^["'][\s\S]*["']$/.test(node.text);
  const span = quoted ? { ...node.span, start: node.span.start + 1, end: node.span.end - 1 } : node.span;
  return { value, span, related: throughValues(file, value, show) };
}

/** Whether a file is read as Kubernetes objects: a manifest, or a Helm template. */
export function holdsKubernetesObjects(file: ParsedFile): boolean {
  return file.format === 'kubernetes' || (file.format === 'helm' && file.resources.some((r) => r.kind === 'object'));
}

/** Text that opens as YAML: a list item or a key, then more lines. */
const YAML_TEXT = /^\s*(?:-[ \t]+)?[\w.-]+:[ \t]*(?:\S[^\n]*)?\n/;

/**
 * A chart value holding YAML (`extraEnv: |` with `- name: ...` / `value: ...` items, `extraContainers: |` with
 * container specs), which templates render with `tpl` (Apache Airflow's chart takes `extraEnv` this way): its
 * documents, when the text reads as YAML; none otherwise (broken YAML, or nested deeper than real documents are:
 * such text is still read line by line where a rule does), or outside a values file.
 */
export function valuesYaml(file: ParsedFile, node: Node): Node[] {
  if (file.format !== 'helm' || !isScalar(node) || typeof node.value !== 'string' || !YAML_TEXT.test(node.value) || helmRole(file) !== 'values') return [];
  const problems: ParseProblem[] = [];
  const roots = embeddedYaml(file, node as ScalarNode & { value: string }, problems, 'YAML in a value');
  return problems.length === 0 ? roots.filter((r) => isMap(r) || isList(r)) : [];
}
