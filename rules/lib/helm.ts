import { basenameOf, helmValuesOrigins, type Node, type ParsedFile, type RelatedLocation } from '../../core';

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

/** Whether a file is read as Kubernetes objects: a manifest, or a Helm template. */
export function holdsKubernetesObjects(file: ParsedFile): boolean {
  return file.format === 'kubernetes' || (file.format === 'helm' && file.resources.some((r) => r.kind === 'object'));
}
