import { bool, contentSpan, defineRule, entry, isScalar, podSpecs, walk } from '../../../core';

/**
 * A pod in the node's network namespace. Kubernetes manifests say `hostNetwork: true` in the pod spec;
 * the Terraform Kubernetes provider says `host_network = true` in a `spec` block.
 */
export default defineRule({
  id: 'network/host-network',
  family: 'network',
  severity: 'warning',
  formats: ['kubernetes', 'terraform', 'terraform-json', 'terraform-plan'],
  prefilter: { kubernetes: ['hostNetwork'], terraform: ['host_network'] },
  fixes: { 'set-false': 'unsafe' },
  docs: {
    summary: "Pod shares the node's network namespace (`hostNetwork: true`).",
    why: "A pod on the host network binds its ports on the node's own interfaces, bypasses NetworkPolicies, can reach services listening on the node's localhost (the kubelet, cloud metadata proxies, other pods' host ports) and can sniff node traffic. A compromised container there is a compromised node network.",
    fix: 'Remove `hostNetwork: true` and expose the pod through a Service (a NodePort or LoadBalancer if it must be reachable from outside). Node agents that truly need the host network (CNI, monitoring) belong in a dedicated, locked-down namespace.',
    fixes: {
      'set-false': 'Sets the value to `false`, which changes how the pod is reached; check its ports and clients first.',
    },
    examples: {
      format: 'kubernetes',
      bad: 'spec:\n  hostNetwork: true\n  containers:\n    - name: app\n      image: app@sha256:<digest>',
      good: 'spec:\n  containers:\n    - name: app\n      image: app@sha256:<digest>',
    },
  },
  check({ file, report }) {
    const flag = (value: Parameters<typeof contentSpan>[0], name: string) => {
      const span = contentSpan(value);
      report({
        span,
        message: `${name} shares the node's network namespace: it bypasses NetworkPolicies and reaches services bound to the node`,
        fixes: [{ title: 'Set to false', kind: 'set-false', safety: 'unsafe', edits: [{ span, newText: 'false' }] }],
      });
    };
    for (const r of file.resources) {
      if (file.format === 'kubernetes') {
        for (const { spec } of podSpecs(r)) {
          // Only the YAML/JSON boolean: the API server rejects the string "true".
          const e = entry(spec, 'hostNetwork');
          if (e && isScalar(e.value) && e.value.value === true) flag(e.value, `${r.type} "${r.name}"`);
        }
      } else if (r.kind === 'resource' && r.type.startsWith('kubernetes_')) {
        for (const v of walk(r.body)) {
          if (v.entry?.key === 'host_network' && bool(v.node) === true) flag(v.node, `${r.type}.${r.name}`);
        }
      }
    }
  },
});
