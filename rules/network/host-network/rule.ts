import {
  bool,
  contentSpan,
  defineRule,
  entry,
  evaluate,
  type Fix,
  get,
  helmRole,
  interpolatedDefault,
  isExpr,
  isMap,
  isScalar,
  items,
  lineIndexOf,
  type Node,
  type ParsedFile,
  podSpecs,
  type Resource,
  str,
  visit,
  walk,
} from '../../../core';
import { throughValues } from '../../lib/helm';

/** The fix that removes a `key: value` entry written on a line of its own (with its line break). */
function removeLine(file: ParsedFile, start: number, end: number): Fix<'remove-network-mode'>[] {
  const lines = lineIndexOf(file.text);
  const { line } = lines.position(start);
  const lineStart = lines.lineStart(line);
  const lineEnd = lines.lineEnd(lines.position(end).line);
  if (file.text.slice(lineStart, start).trim() !== '' || !/^\s*(#.*)?$/.test(file.text.slice(end, lineEnd))) return [];
  const next = lines.position(end).line + 1 < lines.lineCount ? lines.lineStart(lines.position(end).line + 1) : lineEnd;
  return [
    { title: 'Remove network_mode: host', kind: 'remove-network-mode', safety: 'unsafe', edits: [{ span: { start: lineStart, end: next }, newText: '' }] },
  ];
}

/**
 * The `true`s a JSON 6902 operation writes into a pod spec's `hostNetwork`: `add` or `replace` of
 * `/spec/template/spec/hostNetwork` (or any pod spec's) with `true`, or of a pod spec or template whose value sets it.
 */
function hostNetworkOperation(op: Resource): Node[] {
  const value = get(op.body, 'value');
  const verb = str(get(op.body, 'op'));
  const path = str(get(op.body, 'path')) ?? '';
  if ((verb !== 'add' && verb !== 'replace') || !/\/spec(?:\/hostNetwork)?$|\/template$/.test(path)) return [];
  if (path.endsWith('/hostNetwork')) return isScalar(value) && value.value === true ? [value] : [];
  return isMap(value) ? valuesHostNetwork(value) : [];
}

/**
 * `hostNetwork: true` anywhere in a chart's values (`values.yaml`, or a kustomization's `helmCharts[].valuesInline`):
 * charts pass the key to their pod specs as it is (`hostNetwork: {{ .Values.hostNetwork }}`), so the values line is
 * the one to change.
 */
function valuesHostNetwork(root: Node | undefined): Node[] {
  const out: Node[] = [];
  if (!root) return out;
  visit(root, (node) => {
    if (!isMap(node)) return;
    const value = get(node, 'hostNetwork');
    if (isScalar(value) && value.value === true) out.push(value);
  });
  return out;
}

/**
 * A pod in the node's network namespace. Kubernetes manifests say `hostNetwork: true` in the pod spec;
 * the Terraform Kubernetes provider says `host_network = true` in a `spec` block; a Helm template may read it
 * from the chart's `values.yaml` (reported there too); a kustomization sets it through a strategic-merge or JSON 6902
 * patch, or in a `helmCharts` entry's `valuesInline`; a Compose service says `network_mode: host`.
 */
export default defineRule({
  id: 'network/host-network',
  family: 'network',
  severity: 'warning',
  formats: ['kubernetes', 'helm', 'terraform', 'terraform-json', 'terraform-plan', 'compose', 'kustomize'],
  prefilter: { kubernetes: ['hostNetwork'], helm: ['hostNetwork'], terraform: ['host_network'], compose: ['network_mode'], kustomize: ['hostNetwork'] },
  fixes: { 'set-false': 'unsafe', 'remove-network-mode': 'unsafe' },
  docs: {
    summary:
      "Pod or Compose service shares the host's network namespace (`hostNetwork: true` in a manifest, a Helm chart's values or template, a kustomize patch or `valuesInline`; `network_mode: host`, or an interpolation defaulting to it: `${NETWORK_MODE:-host}`).",
    why: "A pod on the host network binds its ports on the node's own interfaces, bypasses NetworkPolicies, can reach services listening on the node's localhost (the kubelet, cloud metadata proxies, other pods' host ports) and can sniff node traffic. A compromised container there is a compromised node network.",
    fix: 'Remove `hostNetwork: true` and expose the pod through a Service (a NodePort or LoadBalancer if it must be reachable from outside). Node agents that truly need the host network (CNI, monitoring) belong in a dedicated, locked-down namespace.',
    fixes: {
      'set-false': 'Sets the value to `false`, which changes how the pod is reached; check its ports and clients first.',
      'remove-network-mode':
        'Compose: removes the `network_mode: host` line, so the service joins the project network; publish the ports its clients need (on `127.0.0.1` where only the host uses them).',
    },
    examples: {
      format: 'kubernetes',
      bad: 'spec:\n  hostNetwork: true\n  containers:\n    - name: app\n      image: app@sha256:<digest>',
      good: 'spec:\n  containers:\n    - name: app\n      image: app@sha256:<digest>',
    },
  },
  check({ file, project, report }) {
    const flag = (value: Parameters<typeof contentSpan>[0], name: string) => {
      const span = contentSpan(value);
      report({
        span,
        message: `${name} shares the node's network namespace: it bypasses NetworkPolicies and reaches services bound to the node`,
        fixes: [{ title: 'Set to false', kind: 'set-false', safety: 'unsafe', edits: [{ span, newText: 'false' }] }],
      });
    };
    if (file.format === 'helm' && helmRole(file) === 'values') {
      for (const value of valuesHostNetwork(file.roots[0])) flag(value, 'A pod of the chart (hostNetwork in its values)');
      return;
    }
    if (file.format === 'kustomize') {
      for (const root of file.roots) {
        for (const chart of items(get(root, 'helmCharts'))) {
          const name = str(get(chart, 'name')) ?? 'chart';
          for (const value of valuesHostNetwork(get(chart, 'valuesInline'))) flag(value, `A pod of Helm chart "${name}" (hostNetwork in its valuesInline)`);
        }
      }
    }
    for (const r of file.resources) {
      if (file.format === 'kustomize' && r.type === 'json6902') {
        for (const value of hostNetworkOperation(r)) flag(value, 'The pod this JSON patch operation changes');
      } else if (file.format === 'compose') {
        const e = entry(r.body, 'network_mode');
        // `${NETWORK_MODE:-host}`: host whenever the variable is unset
        // (https://docs.docker.com/reference/compose-file/interpolation/).
        const byDefault = e !== undefined && !isScalar(e.value) && interpolatedDefault(e.value) === 'host';
        if (e && ((isScalar(e.value) && e.value.value === 'host') || byDefault)) {
          const span = contentSpan(e.value);
          const how = byDefault ? 'network_mode: host unless the variable is set' : 'network_mode: host';
          report({
            span,
            message: `Service "${r.name}" shares the host's network namespace (${how}): its ports open on every host interface, unfiltered by Docker, and it reaches every service bound to the host's localhost`,
            fixes: removeLine(file, e.keySpan.start, e.value.span.end),
          });
        }
      } else if (file.format === 'kubernetes' || (file.format === 'helm' && r.kind === 'object') || (file.format === 'kustomize' && r.kind === 'patch')) {
        for (const { spec } of podSpecs(r)) {
          // Only the YAML/JSON boolean: the API server rejects the string "true".
          const e = entry(spec, 'hostNetwork');
          if (e && isScalar(e.value) && e.value.value === true) flag(e.value, `${r.type} "${r.name}"`);
          else if (e && isExpr(e.value)) {
            // `hostNetwork: {{ .Values.hostNetwork }}`: true in the chart's values.yaml.
            const value = evaluate(e.value, { file, project }).values.find((v) => isScalar(v) && v.value === true);
            if (value)
              report({
                span: e.value.span,
                message: `${r.type} "${r.name}" shares the node's network namespace (hostNetwork from values.yaml): it bypasses NetworkPolicies and reaches services bound to the node`,
                related: throughValues(file, value),
              });
          }
        }
      } else if (r.kind === 'resource' && r.type.startsWith('kubernetes_')) {
        for (const v of walk(r.body)) {
          if (v.entry?.key === 'host_network' && bool(v.node) === true) flag(v.node, `${r.type}.${r.name}`);
        }
      }
    }
  },
});
