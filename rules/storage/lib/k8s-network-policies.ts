import { at, get, isMap, isScalar, items, type MapNode, type Node, type ParsedFile, type Resource, str } from '../../../core';
import { namespaceOf } from '../../lib/k8s-services';

/**
 * Kubernetes NetworkPolicies that restrict who may connect to pods. Pods no policy of their namespace selects
 * accept every connection; once a policy selects a pod for `Ingress`, only what some policy allows reaches it.
 */

interface IngressPolicy {
  file: ParsedFile;
  policy: Resource;
  /** `spec.podSelector` (absent: every pod of the namespace). */
  selector: Node | undefined;
}

/** A namespace's ingress policies, with those whose `matchLabels` opens with a literal label indexed by it. */
export interface NamespacePolicies {
  all: IngressPolicy[];
  /** By `key, value` of the first `matchLabels` entry: a pod without that label is not selected by them. */
  byFirstLabel: Map<string, IngressPolicy[]>;
  /** The rest: empty, templated or expression-only selectors. */
  unindexed: IngressPolicy[];
}

const labelKey = (key: string, value: string) => `${key}\0${value}`;

/**
 * The policies of `files` that restrict ingress (`policyTypes` with `Ingress`, or none: the default), by namespace,
 * read in one pass; `selecting` then finds whether one may select a pod without trying every policy of the namespace.
 */
export function policyIndex(files: ParsedFile[]): Map<string, NamespacePolicies> {
  const out = new Map<string, NamespacePolicies>();
  for (const file of files) {
    for (const r of file.resources) {
      if (r.type !== 'NetworkPolicy') continue;
      const types = items(at(r.body, 'spec', 'policyTypes')).map((t) => str(t)?.toLowerCase());
      if (types.length > 0 && !types.includes('ingress')) continue;
      const policy = { file, policy: r, selector: at(r.body, 'spec', 'podSelector') };
      const namespace = namespaceOf(r);
      let entry = out.get(namespace);
      if (!entry) out.set(namespace, (entry = { all: [], byFirstLabel: new Map(), unindexed: [] }));
      entry.all.push(policy);
      const first = (() => {
        const labels = get(policy.selector, 'matchLabels');
        return isMap(labels) ? labels.entries[0] : undefined;
      })();
      const value = first && str(first.value);
      if (!first || value === undefined) {
        entry.unindexed.push(policy);
        continue;
      }
      const key = labelKey(first.key, value);
      const list = entry.byFirstLabel.get(key);
      if (list) list.push(policy);
      else entry.byFirstLabel.set(key, [policy]);
    }
  }
  return out;
}

/**
 * Whether some policy of the namespace may select pods with these labels. With `partial` labels (see `maySelect`)
 * a label not written may be any, so every policy is tried (a chart holds few); otherwise only the policies indexed
 * by one of the pod's labels and the unindexed ones.
 */
export function selecting(policies: NamespacePolicies, labels: MapNode | undefined, partial: boolean): boolean {
  const test = (p: IngressPolicy) => maySelect(p.selector, labels, partial);
  if (partial) return policies.all.some(test);
  if (policies.unindexed.some(test)) return true;
  for (const e of labels?.entries ?? []) {
    const value = str(e.value);
    if (value !== undefined && policies.byFirstLabel.get(labelKey(e.key, value))?.some(test)) return true;
  }
  return false;
}

/**
 * Whether a label selector may select pods with these labels: false only when a requirement surely fails. An empty
 * selector selects every pod. `partial` says the labels may hold more than is written (a Helm template's labels
 * written by an `include`): a label not written there is unknown, not absent; so is a value an action writes.
 */
function maySelect(selector: Node | undefined, labels: MapNode | undefined, partial: boolean): boolean {
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
