import { type EvalContext, get, items, type MapNode, type Node, type Resource, str } from '../../../core';
import { literal, peers, type Value } from './addresses';
import type { Direction, NetRule } from './firewall';
import { blocks, nodeOf, text } from './firewall-tf-blocks';
import { ALL, mergePorts, parsePortSpec, protocolOf, type Ports } from './ports';

/**
 * Rules written in a cloud firewall's policy rather than on a security group: Google Cloud firewall policy rules and
 * Azure Firewall DNAT rules.
 */

/** A protocol and its list of ports or ranges: Google Cloud `allow` blocks and policy `layer4_configs`, Azure Firewall DNAT rules. */
export function protocolPorts(
  protocolText: string | undefined,
  protocolNode: Node | undefined,
  portsValue: Value,
  ctx: EvalContext,
): { ports: Ports; portNodes: { node: Node; ports: Ports }[] } {
  const protocol = protocolOf(protocolText);
  const specs = items(nodeOf(portsValue));
  let ports: Ports;
  let portNodes: { node: Node; ports: Ports }[] = [];
  if (protocol === 'all' || protocol === 'other') ports = ALL;
  else if (protocol === 'icmp') ports = { kind: 'none' };
  else if (protocol === 'unknown') ports = { kind: 'unknown', node: protocolNode };
  else if (specs.length === 0) ports = ALL;
  else {
    portNodes = specs.map((s) => {
      const spec = literal(s, ctx).value;
      return { node: s, ports: (spec !== undefined && parsePortSpec(spec, protocol)) || { kind: 'unknown' as const, node: s } };
    });
    ports = portNodes.reduce<Ports | undefined>((acc, p) => mergePorts(acc, p.ports), undefined) ?? ALL;
  }
  if (ports.kind === 'all' && protocolNode) portNodes = [{ node: protocolNode, ports: ALL }];
  return { ports, portNodes };
}

/**
 * Google Cloud firewall policy rules: hierarchical (organisation and folder), global network and regional network
 * policies. An `allow` rule admits what its `match` names — `src_ip_ranges` for ingress, `dest_ip_ranges` for egress —
 * on the protocols and ports of each `layer4_configs` block. `deny`, `goto_next` (the decision passes to the next
 * level) and disabled rules admit nothing by themselves.
 * https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/compute_firewall_policy_rule
 * https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/compute_network_firewall_policy_rule
 * https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/compute_region_network_firewall_policy_rule
 */
export const GCP_POLICY_RULES: readonly string[] = [
  'google_compute_firewall_policy_rule',
  'google_compute_network_firewall_policy_rule',
  'google_compute_region_network_firewall_policy_rule',
];

export function gcpPolicyRule(r: Resource, ctx: EvalContext, out: NetRule[]) {
  const b = r.body;
  if (str(get(b, 'disabled')) === 'true' || literal(get(b, 'action'), ctx).value?.trim().toLowerCase() !== 'allow') return;
  const written = literal(get(b, 'direction'), ctx).value?.trim().toUpperCase();
  const direction: Direction | undefined = written === 'INGRESS' ? 'ingress' : written === 'EGRESS' ? 'egress' : undefined;
  if (!direction) return;
  for (const match of blocks(b, 'match', ctx)) {
    const addresses = peers(ctx, match.attr(direction === 'ingress' ? 'src_ip_ranges' : 'dest_ip_ranges'));
    if (addresses.open.length + addresses.inputs.length === 0) continue;
    for (const l4 of blocks(match.node, 'layer4_configs', ctx)) {
      const protocol = l4.attr('ip_protocol');
      const { ports, portNodes } = protocolPorts(text(protocol, ctx), nodeOf(protocol), l4.attr('ports'), ctx);
      out.push({ direction, resource: r, peers: addresses, ports, container: l4.keySpan, portNodes });
    }
  }
}

/**
 * Azure Firewall DNAT rules: traffic that reaches the firewall's public address on `destination_ports` is translated
 * to a private address. A rule whose `source_addresses` is `*` publishes that private host to the internet; network and
 * application rules filter traffic the firewall routes and expose nothing by themselves.
 * https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/firewall_nat_rule_collection
 * https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/firewall_policy_rule_collection_group
 */
export const AZURE_DNAT_RULES: readonly string[] = ['azurerm_firewall_nat_rule_collection', 'azurerm_firewall_policy_rule_collection_group'];

function dnatRules(r: Resource, collection: MapNode, ctx: EvalContext, out: NetRule[]) {
  if (literal(get(collection, 'action'), ctx).value?.trim().toLowerCase() !== 'dnat') return;
  for (const rule of blocks(collection, 'rule', ctx)) {
    const addresses = peers(ctx, rule.attr('source_addresses'));
    if (addresses.open.length + addresses.inputs.length === 0) continue;
    const protocols = items(nodeOf(rule.attr('protocols'))).map((p) => literal(p, ctx).value?.trim().toLowerCase());
    // TCP and UDP share the port list; `Any` is every protocol, `ICMP` alone opens no port.
    const protocol = ['any', 'tcp', 'udp', 'icmp'].find((p) => protocols.includes(p));
    const { ports, portNodes } = protocolPorts(protocol === 'any' ? 'all' : protocol, undefined, rule.attr('destination_ports'), ctx);
    out.push({ direction: 'ingress', resource: r, peers: addresses, ports, container: rule.keySpan, portNodes });
  }
}

export function azureDnat(r: Resource, ctx: EvalContext, out: NetRule[]) {
  if (r.type === 'azurerm_firewall_nat_rule_collection') dnatRules(r, r.body, ctx, out);
  else for (const c of blocks(r.body, 'nat_rule_collection', ctx)) dnatRules(r, c.node, ctx, out);
}
