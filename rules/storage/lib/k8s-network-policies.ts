import { at, get, isMap, isScalar, items, type MapNode, type Node, type ParsedFile, type Resource, str } from '../../../core';
import { namespaceOf } from './k8s-services';

/**
 * Kubernetes NetworkPolicies that restrict who may connect to pods. Pods no policy of their namespace selects
 * accept every connection; once a policy selects a pod for `Ingress`, only what some policy allows reaches it.
 */

export interface IngressPolicy {
  file: ParsedFile;
  policy: Resource;
  /** `spec.podSelector` (absent: every pod of the namespace). */
  selector: Node | undefined;
}

/** The policies of `files` in `namespace` that restrict ingress (`policyTypes` with `Ingress`, or none: the default). */
export function ingressPolicies(files: ParsedFile[], namespace: string): IngressPolicy[] {
  const out: IngressPolicy[] = [];
  for (const file of files) {
    for (const r of file.resources) {
      if (r.type !== 'NetworkPolicy' || namespaceOf(r) !== namespace) continue;
      const types = items(at(r.body, 'spec', 'policyTypes')).map((t) => str(t)?.toLowerCase());
      if (types.length > 0 && !types.includes('ingress')) continue;
      out.push({ file, policy: r, selector: at(r.body, 'spec', 'podSelector') });
    }
  }
  return out;
}

/**
 * Whether a label selector may select pods with these labels: false only when a requirement surely fails. An empty
 * selector selects every pod. `partial` says the labels may hold more than is written (a Helm template's labels
 * written by an `include`): a label not written there is unknown, not absent; so is a value an action writes.
 */
export function maySelect(selector: Node | undefined, labels: MapNode | undefined, partial: boolean): boolean {
  if (selector === undefined || (isScalar(selector) && selector.value === null)) return true;
  if (!isMap(selector)) return true;
  const label = (key: string): string | null | undefined => {
    const node = get(labels, key);
    if (node === undefined) return partial ? undefined : null;
    return str(node);
  };
  const matchLabels = get(selector, 'matchLabels');
  if (isMap(matchLabels)) {
    for (const e of matchLabels.entries) {
      const wanted = str(e.value);
      const has = label(e.key);
      if (wanted !== undefined && has !== undefined && has !== wanted) return false;
    }
  }
  for (const requirement of items(get(selector, 'matchExpressions'))) {
    const key = str(get(requirement, 'key'));
    const operator = str(get(requirement, 'operator'));
    const has = key === undefined ? undefined : label(key);
    if (has === undefined || operator === undefined) continue;
    const values = items(get(requirement, 'values')).map(str);
    if (operator === 'Exists' && has === null) return false;
    if (operator === 'DoesNotExist' && has !== null) return false;
    if (operator === 'In' && (has === null || !values.includes(has)) && !values.includes(undefined)) return false;
    if (operator === 'NotIn' && has !== null && values.includes(has)) return false;
  }
  return true;
}
