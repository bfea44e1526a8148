import { at, get, isExpr, isMap, isScalar, items, type MapNode, type Node, type ParsedFile, podSpecs, type Resource, str } from '../../core';

/**
 * Kubernetes Services and the workloads they route to: a Service selects pods by label, so a workload is
 * behind it when its pod template carries every label of the selector (in the same namespace).
 */

/** Annotations that make a LoadBalancer Service internal on AWS, GCP and Azure. */
const INTERNAL_LB: Array<[string, RegExp]> = [
  ['service.beta.kubernetes.io/aws-load-balancer-internal', /^(true|0\.0\.0\.0\/0)$/i],
  ['service.beta.kubernetes.io/aws-load-balancer-scheme', /^internal$/i],
  ['networking.gke.io/load-balancer-type', /^internal$/i],
  ['cloud.google.com/load-balancer-type', /^internal$/i],
  ['service.beta.kubernetes.io/azure-load-balancer-internal', /^true$/i],
  ['service.beta.kubernetes.io/oci-load-balancer-internal', /^true$/i],
];

const WORLD = new Set(['0.0.0.0/0', '::/0']);

export interface Exposure {
  service: Resource;
  /** The `type` value (LoadBalancer or NodePort). */
  typeNode: Node;
  type: 'LoadBalancer' | 'NodePort';
}

/**
 * A Service reachable from outside the cluster: LoadBalancer (not internal, no source ranges short of the world)
 * or NodePort. `typeOf` reads the `type` value (a Helm template's through the chart's values).
 */
export function externalExposure(r: Resource, typeOf: (node: Node | undefined) => string | undefined = str): Exposure | undefined {
  if (r.type !== 'Service') return undefined;
  const typeNode = at(r.body, 'spec', 'type');
  const type = typeOf(typeNode);
  if (!typeNode || (type !== 'LoadBalancer' && type !== 'NodePort')) return undefined;
  if (type === 'LoadBalancer') {
    const annotations = at(r.body, 'metadata', 'annotations');
    if (INTERNAL_LB.some(([k, v]) => v.test(str(get(annotations, k))?.trim() ?? ''))) return undefined;
    const ranges = items(at(r.body, 'spec', 'loadBalancerSourceRanges'));
    if (ranges.length > 0 && !ranges.some((n) => WORLD.has(str(n)?.trim() ?? ''))) return undefined;
  }
  return { service: r, typeNode, type };
}

function templatedWorkloads(files: ParsedFile[]): Array<{ file: ParsedFile; workload: Resource }> {
  const out: Array<{ file: ParsedFile; workload: Resource }> = [];
  for (const file of files) {
    for (const r of file.resources) {
      if (r.kind !== 'object' || r.type === 'Service' || podSpecs(r).length === 0) continue;
      const labels = podLabels(r);
      if (!labels || labels.entries.length === 0) out.push({ file, workload: r });
    }
  }
  return out;
}

/** A namespaced object's namespace ('' when it names none: the namespace it is applied to). */
export function namespaceOf(r: Resource): string {
  return str(at(r.body, 'metadata', 'namespace')) ?? '';
}

/** The labels of the pods a workload runs (a Pod's own labels, else its pod template's). */
export function podLabels(r: Resource): MapNode | undefined {
  if (r.type === 'Pod') {
    const l = at(r.body, 'metadata', 'labels');
    return isMap(l) ? l : undefined;
  }
  const spec = podSpecs(r)[0];
  if (!spec) return undefined;
  const template = spec.path.slice(0, -1);
  const l = at(r.body, ...template, 'metadata', 'labels');
  return isMap(l) ? l : undefined;
}

/** A file's workloads by `namespace, label key, label value` of each label of their pods (in file order). */
const workloadIndexes = new WeakMap<ParsedFile, Map<string, Resource[]>>();

const labelKey = (namespace: string, key: string, value: string) => `${namespace}\0${key}\0${value}`;

/**
 * A label's value as selectors match it: its literal, or in a Helm template the action that writes it
 * (`{{ .Release.Name }}-qdrant`). The same action text renders the same value everywhere in a chart, since the
 * release and the values are chart-wide, so a selector and a pod label written alike select each other.
 */
function labelValue(node: Node | undefined, helm: boolean): string | undefined {
  const literal = str(node);
  if (literal !== undefined || !helm || !isExpr(node)) return literal;
  // Marked apart from literals: no rendered label value holds a NUL.
  return `\0${node.text.trim()}`;
}

/** Built once per file: thousands of Services each look up their first selector label, not every workload. */
function workloadIndex(file: ParsedFile): Map<string, Resource[]> {
  let index = workloadIndexes.get(file);
  if (index) return index;
  index = new Map();
  for (const r of file.resources) {
    if (r.type === 'Service') continue;
    const labels = podLabels(r);
    if (!labels) continue;
    const namespace = namespaceOf(r);
    for (const e of labels.entries) {
      const value = labelValue(e.value, file.format === 'helm');
      if (value === undefined) continue;
      const key = labelKey(namespace, e.key, value);
      const list = index.get(key);
      if (list) {
        if (list[list.length - 1] !== r) list.push(r);
      } else index.set(key, [r]);
    }
  }
  workloadIndexes.set(file, index);
  return index;
}

/**
 * Workloads in `files` whose pods the Service selects. A Service without a selector selects nothing here, but
 * in a Helm chart a selector written by an action (`{{- include "x.selectorLabels" . | nindent 4 }}`, which
 * reads as empty) selects the chart's workloads whose pod labels are written by actions too.
 */
export function selectedWorkloads(service: Resource, files: ParsedFile[], helm = false): Array<{ file: ParsedFile; workload: Resource }> {
  const selector = at(service.body, 'spec', 'selector');
  if (helm && (selector === undefined || (isScalar(selector) && selector.value === null))) return templatedWorkloads(files);
  if (!isMap(selector) || selector.entries.length === 0) return [];
  const wanted = selector.entries.map((e) => [e.key, labelValue(e.value, helm)] as const);
  const [firstKey, firstValue] = wanted[0];
  if (firstValue === undefined) return [];
  const key = labelKey(namespaceOf(service), firstKey, firstValue);
  const out: Array<{ file: ParsedFile; workload: Resource }> = [];
  for (const file of files) {
    for (const r of workloadIndex(file).get(key) ?? []) {
      const labels = podLabels(r);
      if (labels && wanted.every(([k, v]) => v !== undefined && labelValue(get(labels, k), file.format === 'helm') === v)) out.push({ file, workload: r });
    }
  }
  return out;
}
