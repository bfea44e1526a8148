import { at, contentSpan, defineRule, get, isMap, items, type Node, str } from '../../../core';
import { isWorldText } from '../lib/addresses';

/** A rule's `to` allows every destination: no peers at all, or an `ipBlock` of the whole internet with no `except`. */
function openPeer(rule: Node): Node | undefined {
  const to = items(get(rule, 'to'));
  if (to.length === 0) return rule;
  for (const peer of to) {
    const block = get(peer, 'ipBlock');
    const cidr = get(block, 'cidr');
    const value = str(cidr);
    if (value !== undefined && isWorldText(value) && items(get(block, 'except')).length === 0) return cidr;
  }
  return undefined;
}

export default defineRule({
  id: 'network/netpol-allow-all-egress',
  family: 'network',
  severity: 'warning',
  formats: ['kubernetes', 'helm'],
  prefilter: { kubernetes: ['NetworkPolicy'], helm: ['NetworkPolicy'] },
  docs: {
    summary:
      'Kubernetes NetworkPolicy whose egress rule allows every destination on every port (`- {}`, or an `ipBlock` of 0.0.0.0/0 without `except` and without `ports`).',
    why: 'An egress policy exists to limit where a compromised pod can send data. A rule that allows everything turns it into a no-op while looking like protection: stolen tokens, data and model weights can leave to any host on any port.',
    fix: 'List the destinations the pods need (namespace/pod selectors for in-cluster services, specific `ipBlock` ranges for external ones) and the ports they use; allow DNS (53) to the cluster DNS service explicitly.',
    examples: {
      format: 'kubernetes',
      bad: 'spec:\n  podSelector: {}\n  policyTypes: [Egress]\n  egress:\n    - {}',
      good: 'spec:\n  podSelector: {}\n  policyTypes: [Egress]\n  egress:\n    - to:\n        - ipBlock:\n            cidr: 10.20.0.0/16\n      ports:\n        - protocol: TCP\n          port: 443',
    },
  },
  check({ file, report }) {
    for (const r of file.resources) {
      if (r.type !== 'NetworkPolicy') continue;
      const spec = get(r.body, 'spec');
      if (!isMap(spec)) continue;
      const egress = get(spec, 'egress');
      const types = items(get(spec, 'policyTypes')).map((t) => str(t)?.toLowerCase());
      // Without policyTypes, Egress is enforced exactly when the policy has an `egress` section.
      const enforced = types.length ? types.includes('egress') : egress !== undefined;
      if (!enforced) continue;
      for (const rule of items(egress)) {
        if (!isMap(rule) || items(get(rule, 'ports')).length > 0) continue;
        const open = openPeer(rule);
        if (!open) continue;
        const name = str(at(r.body, 'metadata', 'name')) ?? 'NetworkPolicy';
        report({ span: contentSpan(open), message: `NetworkPolicy "${name}" allows egress to every destination on every port` });
      }
    }
  },
});
