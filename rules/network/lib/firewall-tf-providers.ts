import { type EvalContext, evaluateItems, get, isList, isScalar, type Node, type Resource } from '../../../core';
import { inOverrideFile, providerDefault } from '../../lib/provider-defaults';
import { defaultPeers, isWorldText, literal, literalInteger, peers, type Peers, type Value } from './addresses';
import type { Direction, NetRule } from './firewall';
import { type Block, blocks, nestedBlocks, nodeOf, text } from './firewall-tf-blocks';
import { ALL, awsPorts, parsePortSpec, protocolOf, subtract, type Ports, type Protocol, type Range } from './ports';

/**
 * Firewall rules of the Terraform providers beyond AWS, Azure and Google Cloud, one table entry per resource type:
 * where its rules are written, which attributes give the direction, action, protocol, ports and addresses, and what
 * the provider's documentation says a left-out attribute means. Every entry is read by the same `shaped` reader,
 * through `blocks` (plain, list-attribute and `dynamic` blocks) and the resource's `for_each` instances, so
 * variables, locals and iterator reads resolve as they do for AWS; Tencent Cloud's rule strings and Linode's default
 * policies have readers of their own.
 */

/** How one resource type writes a rule: its direction, from the block that holds it or an attribute of the rule. */
interface RuleSource {
  /** The nested block the rules are written in; absent: the resource (each `for_each` instance) is the rule. */
  block?: string;
  /** The direction of every rule here, or the attribute that gives it (`default`: when the attribute is left out). */
  direction: Direction | { key: string; default?: Direction };
}

type PortReader = (b: Block, protocol: Protocol, ctx: EvalContext) => Ports;

interface Shape {
  rules: RuleSource[];
  /**
   * The protocol attribute, the value the provider uses when it is left out (undefined: required), and nested blocks
   * whose name is the protocol (IBM's older `tcp {}` / `udp {}` / `icmp {}`).
   */
  protocol: { key: string; absent?: string; blocks?: string[] };
  ports: PortReader;
  /** Address attributes per direction. */
  addresses: Record<Direction, string[]>;
  /** The attribute that allows or drops, the values that allow, and its default. */
  action?: { key: string; allow: string[]; absent?: string };
  /**
   * Other ways a rule names its peers (a security group, an address template): a rule that leaves them and the
   * addresses out gets the provider default of `addresses[direction][0]`, where docs/provider-defaults.md has one.
   */
  peersBesides?: string[];
  /** A resource-level switch that turns every rule off when `true`. */
  disabled?: string;
  /** The rules admit to a service with no port list (a database security group): sensitive by itself. */
  service?: string;
}

/** A value left out: absent, or `null` (what a plan shows for an attribute left out). */
function leftOut(v: Value): boolean {
  const n = nodeOf(v);
  return n === undefined || (isScalar(n) && n.value === null);
}

const EGRESS = new Set(['egress', 'out', 'outbound']);
const INGRESS = new Set(['ingress', 'in', 'inbound']);

function directionOf(b: Block, source: RuleSource, ctx: EvalContext): Direction | undefined {
  if (typeof source.direction === 'string') return source.direction;
  const v = b.attr(source.direction.key);
  if (leftOut(v)) return source.direction.default;
  const d = text(v, ctx)?.trim().toLowerCase();
  return d === undefined ? undefined : EGRESS.has(d) ? 'egress' : INGRESS.has(d) ? 'ingress' : undefined;
}

/**
 * A port spec written as one string: `"22"`, `"80-90, 91"`, Alibaba Cloud's `"22/22"`, and the spellings of every
 * port (`all`, `any`, `-1/-1`). Undefined when it is not a port spec.
 */
function specPorts(value: string, protocol: Protocol): Ports | undefined {
  const t = value.trim().toLowerCase();
  if (t === '' || t === 'all' || t === 'any' || t === '-1' || t === '-1/-1') return ALL;
  return parsePortSpec(t.replace(/^(\d{1,5})\s*\/\s*(\d{1,5})$/, '$1-$2'), protocol);
}

/** The port spec attribute `key`. Left out, the providers that take one open every port of the protocol. */
function spec(key: string): PortReader {
  return (b, protocol, ctx) => {
    const v = b.attr(key);
    if (leftOut(v)) return ALL;
    const node = nodeOf(v)!;
    const t = literal(node, ctx).value;
    return (t !== undefined && specPorts(t, protocol)) || { kind: 'unknown', node };
  };
}

/**
 * First and last port as numbers (and `single`, one port; -1 there is "not set", as a plan shows it beside a range).
 * `zeroAll`: the provider documents 0-0 as every port (OpenStack), where AWS reads it as port 0.
 */
function range(from: string, to: string, opts: { single?: string; zeroAll?: boolean } = {}): PortReader {
  return (b, protocol, ctx) => {
    const single = opts.single && !leftOut(b.attr(opts.single)) ? literalInteger(nodeOf(b.attr(opts.single)), ctx) : undefined;
    const one = single?.value === -1 ? undefined : single;
    const f = one ?? literalInteger(nodeOf(b.attr(from)), ctx);
    const t = one ?? literalInteger(nodeOf(b.attr(to)), ctx);
    if (opts.zeroAll && f.value === 0 && t.value === 0) return ALL;
    return awsPorts(protocol, f.value, t.value, f.unreadable ?? t.unreadable);
  };
}

/** Oracle Cloud: destination ports in `tcp_options` / `udp_options`, as `min`/`max` or a `destination_port_range`. */
const ociPorts: PortReader = (b, protocol, ctx) => {
  if (protocol !== 'tcp' && protocol !== 'udp') return awsPorts(protocol, undefined, undefined);
  const options = nestedBlocks(b, `${protocol}_options`, ctx)[0];
  if (!options) return ALL;
  const dest = nestedBlocks(options, 'destination_port_range', ctx)[0] ?? options;
  return range('min', 'max')(dest, protocol, ctx);
};

/** IBM VPC: `port_min`/`port_max` of the rule, or of its older `tcp {}` / `udp {}` block. */
const ibmPorts: PortReader = (b, protocol, ctx) => range('port_min', 'port_max')(nestedBlocks(b, protocol, ctx)[0] ?? b, protocol, ctx);

const OCI_SECURITY_LIST: Shape = {
  rules: [
    { block: 'ingress_security_rules', direction: 'ingress' },
    { block: 'egress_security_rules', direction: 'egress' },
  ],
  protocol: { key: 'protocol' },
  ports: ociPorts,
  addresses: { ingress: ['source'], egress: ['destination'] },
};

const YANDEX_SECURITY_GROUP: Shape = {
  rules: [
    { block: 'ingress', direction: 'ingress' },
    { block: 'egress', direction: 'egress' },
  ],
  protocol: { key: 'protocol' },
  ports: range('from_port', 'to_port', { single: 'port' }),
  addresses: { ingress: ['v4_cidr_blocks', 'v6_cidr_blocks'], egress: ['v4_cidr_blocks', 'v6_cidr_blocks'] },
};

const SHAPES: Record<string, Shape> = {
  // https://registry.terraform.io/providers/aliyun/alicloud/latest/docs/resources/security_group_rule
  alicloud_security_group_rule: {
    rules: [{ direction: { key: 'type' } }],
    protocol: { key: 'ip_protocol' },
    ports: spec('port_range'),
    addresses: { ingress: ['cidr_ip', 'ipv6_cidr_ip'], egress: ['cidr_ip', 'ipv6_cidr_ip'] },
    action: { key: 'policy', allow: ['accept'], absent: 'accept' },
  },
  // https://registry.terraform.io/providers/oracle/oci/latest/docs/resources/core_security_list
  oci_core_security_list: OCI_SECURITY_LIST,
  // The VCN's default security list, taken over with the same rule blocks:
  // https://registry.terraform.io/providers/oracle/oci/latest/docs/guides/managing_default_resources
  oci_core_default_security_list: OCI_SECURITY_LIST,
  // https://registry.terraform.io/providers/oracle/oci/latest/docs/resources/core_network_security_group_security_rule
  oci_core_network_security_group_security_rule: {
    rules: [{ direction: { key: 'direction' } }],
    protocol: { key: 'protocol' },
    ports: ociPorts,
    addresses: { ingress: ['source'], egress: ['destination'] },
  },
  // https://registry.terraform.io/providers/terraform-provider-openstack/openstack/latest/docs/resources/networking_secgroup_rule_v2
  openstack_networking_secgroup_rule_v2: {
    rules: [{ direction: { key: 'direction' } }],
    protocol: { key: 'protocol', absent: 'all' },
    ports: range('port_range_min', 'port_range_max', { zeroAll: true }),
    addresses: { ingress: ['remote_ip_prefix'], egress: ['remote_ip_prefix'] },
  },
  // https://registry.terraform.io/providers/terraform-provider-openstack/openstack/latest/docs/resources/compute_secgroup_v2
  openstack_compute_secgroup_v2: {
    rules: [{ block: 'rule', direction: 'ingress' }],
    protocol: { key: 'ip_protocol' },
    ports: range('from_port', 'to_port'),
    addresses: { ingress: ['cidr'], egress: [] },
  },
  // https://registry.terraform.io/providers/huaweicloud/huaweicloud/latest/docs/resources/networking_secgroup_rule
  huaweicloud_networking_secgroup_rule: {
    rules: [{ direction: { key: 'direction' } }],
    protocol: { key: 'protocol', absent: 'all' },
    ports: (b, protocol, ctx) => (leftOut(b.attr('ports')) ? range('port_range_min', 'port_range_max')(b, protocol, ctx) : spec('ports')(b, protocol, ctx)),
    addresses: { ingress: ['remote_ip_prefix'], egress: ['remote_ip_prefix'] },
    action: { key: 'action', allow: ['allow'], absent: 'allow' },
    peersBesides: ['remote_group_id', 'remote_address_group_id'],
  },
  // https://registry.terraform.io/providers/tencentcloudstack/tencentcloud/latest/docs/resources/security_group_rule
  tencentcloud_security_group_rule: {
    rules: [{ direction: { key: 'type' } }],
    protocol: { key: 'ip_protocol', absent: 'all' },
    ports: spec('port_range'),
    addresses: { ingress: ['cidr_ip'], egress: ['cidr_ip'] },
    action: { key: 'policy', allow: ['accept'] },
  },
  // https://registry.terraform.io/providers/tencentcloudstack/tencentcloud/latest/docs/resources/security_group_rule_set
  tencentcloud_security_group_rule_set: {
    rules: [
      { block: 'ingress', direction: 'ingress' },
      { block: 'egress', direction: 'egress' },
    ],
    protocol: { key: 'protocol', absent: 'all' },
    ports: spec('port'),
    addresses: { ingress: ['cidr_block', 'ipv6_cidr_block'], egress: ['cidr_block', 'ipv6_cidr_block'] },
    action: { key: 'action', allow: ['accept'] },
  },
  // https://registry.terraform.io/providers/yandex-cloud/yandex/latest/docs/resources/vpc_security_group
  yandex_vpc_security_group: YANDEX_SECURITY_GROUP,
  // https://registry.terraform.io/providers/yandex-cloud/yandex/latest/docs/resources/vpc_default_security_group
  yandex_vpc_default_security_group: YANDEX_SECURITY_GROUP,
  // https://registry.terraform.io/providers/yandex-cloud/yandex/latest/docs/resources/vpc_security_group_rule
  yandex_vpc_security_group_rule: {
    rules: [{ direction: { key: 'direction' } }],
    protocol: { key: 'protocol' },
    ports: range('from_port', 'to_port', { single: 'port' }),
    addresses: { ingress: ['v4_cidr_blocks', 'v6_cidr_blocks'], egress: ['v4_cidr_blocks', 'v6_cidr_blocks'] },
  },
  // https://registry.terraform.io/providers/digitalocean/digitalocean/latest/docs/resources/firewall
  digitalocean_firewall: {
    rules: [
      { block: 'inbound_rule', direction: 'ingress' },
      { block: 'outbound_rule', direction: 'egress' },
    ],
    protocol: { key: 'protocol' },
    ports: spec('port_range'),
    addresses: { ingress: ['source_addresses'], egress: ['destination_addresses'] },
  },
  // https://registry.terraform.io/providers/hetznercloud/hcloud/latest/docs/resources/firewall
  hcloud_firewall: {
    rules: [{ block: 'rule', direction: { key: 'direction' } }],
    protocol: { key: 'protocol' },
    ports: spec('port'),
    addresses: { ingress: ['source_ips'], egress: ['destination_ips'] },
  },
  // https://registry.terraform.io/providers/linode/linode/latest/docs/resources/firewall
  linode_firewall: {
    rules: [
      { block: 'inbound', direction: 'ingress' },
      { block: 'outbound', direction: 'egress' },
    ],
    protocol: { key: 'protocol' },
    ports: spec('ports'),
    addresses: { ingress: ['ipv4', 'ipv6'], egress: ['ipv4', 'ipv6'] },
    action: { key: 'action', allow: ['accept'] },
    disabled: 'disabled',
  },
  // https://registry.terraform.io/providers/IBM-Cloud/ibm/latest/docs/resources/is_security_group_rule
  ibm_is_security_group_rule: {
    rules: [{ direction: { key: 'direction' } }],
    protocol: { key: 'protocol', absent: 'icmp_tcp_udp', blocks: ['tcp', 'udp', 'icmp'] },
    ports: ibmPorts,
    addresses: { ingress: ['remote'], egress: ['remote'] },
  },
  // https://registry.terraform.io/providers/nifcloud/nifcloud/latest/docs/resources/security_group_rule
  nifcloud_security_group_rule: {
    rules: [{ direction: { key: 'type', default: 'ingress' } }],
    protocol: { key: 'protocol', absent: 'tcp' },
    ports: range('from_port', 'to_port'),
    addresses: { ingress: ['cidr_ip'], egress: ['cidr_ip'] },
  },
  // https://registry.terraform.io/providers/nifcloud/nifcloud/latest/docs/resources/db_security_group
  nifcloud_db_security_group: {
    rules: [{ block: 'rule', direction: 'ingress' }],
    protocol: { key: 'protocol', absent: 'all' },
    ports: () => ALL,
    addresses: { ingress: ['cidr_ip'], egress: [] },
    service: 'the database',
  },
};

function allowed(b: Block, shape: Shape, ctx: EvalContext): boolean {
  if (!shape.action) return true;
  const v = b.attr(shape.action.key);
  const action = leftOut(v) ? shape.action.absent : text(v, ctx)?.trim().toLowerCase();
  return action !== undefined && shape.action.allow.includes(action);
}

function addressesOf(r: Resource, b: Block, direction: Direction, shape: Shape, ctx: EvalContext): Peers {
  const keys = shape.addresses[direction];
  const written = [...keys, ...(shape.peersBesides ?? [])].some((k) => !leftOut(b.attr(k)));
  // A rule that names no peer at all: open where the provider documents that as every address.
  const d = !written && keys.length && !inOverrideFile(ctx.file) ? providerDefault(r.type, [keys[0]]) : undefined;
  if (d) return defaultPeers(d, r.nameSpan);
  return peers(ctx, ...keys.map((k) => b.attr(k)));
}

/**
 * The rule's protocol as written, or the provider's value when it is left out or empty (OpenStack documents an empty
 * string as every protocol; plans show one left out so); undefined when it cannot be read.
 */
function protocolText(b: Block, shape: Shape, ctx: EvalContext): string | undefined {
  const legacy = shape.protocol.blocks?.find((k) => nestedBlocks(b, k, ctx).length > 0);
  if (legacy) return legacy;
  const p = b.attr(shape.protocol.key);
  const written = leftOut(p) ? '' : text(p, ctx);
  return written?.trim() === '' ? shape.protocol.absent : written;
}

function shaped(r: Resource, shape: Shape, each: Block[], ctx: EvalContext, out: NetRule[]) {
  if (shape.disabled && text(each[0]?.attr(shape.disabled), ctx) === 'true') return;
  for (const source of shape.rules) {
    const list = source.block ? blocks(r.body, source.block, ctx) : each;
    for (const b of list) {
      const direction = directionOf(b, source, ctx);
      if (!direction || !allowed(b, shape, ctx)) continue;
      const addresses = addressesOf(r, b, direction, shape, ctx);
      if (addresses.open.length + addresses.inputs.length === 0) continue;
      const protocol = protocolOf(protocolText(b, shape, ctx));
      // Ports belong to TCP and UDP: an ICMP rule opens none, every other protocol opens all of its traffic.
      let ports: Ports;
      if (protocol === 'tcp' || protocol === 'udp') ports = shape.ports(b, protocol, ctx);
      else if (protocol === 'unknown') ports = { kind: 'unknown', node: nodeOf(b.attr(shape.protocol.key)) };
      else ports = awsPorts(protocol, undefined, undefined);
      out.push({ direction, resource: r, peers: addresses, ports, container: source.block ? b.keySpan : undefined, service: shape.service });
    }
  }
}

/**
 * Tencent Cloud's lite rules: `ACTION#CIDR#PORT#PROTOCOL` strings in `ingress` / `egress` lists. An open CIDR is
 * one part of the string: the finding points at the string, with no replacement.
 * https://registry.terraform.io/providers/tencentcloudstack/tencentcloud/latest/docs/resources/security_group_lite_rule
 */
function tencentLiteRules(r: Resource, ctx: EvalContext, out: NetRule[]) {
  for (const direction of ['ingress', 'egress'] as const) {
    const list = get(r.body, direction);
    for (const item of isList(list) ? list.items : list ? evaluateItems(list, ctx).values : []) {
      const parts = literal(item, ctx).value?.split('#');
      if (parts?.length !== 4 || parts[0].trim().toUpperCase() !== 'ACCEPT' || !isWorldText(parts[1])) continue;
      const protocol = protocolOf(parts[3]);
      const ports =
        protocol === 'tcp' || protocol === 'udp'
          ? (specPorts(parts[2], protocol) ?? { kind: 'unknown', node: item })
          : awsPorts(protocol, undefined, undefined);
      out.push({ direction, resource: r, peers: { open: [{ value: item, partOf: true }], inputs: [] }, ports });
    }
  }
}

/**
 * Linode's `inbound_policy` / `outbound_policy`: `ACCEPT` lets through, from and to every address, all traffic that no
 * rule drops. Reported at the policy, on the ports that `DROP` rules from everywhere leave open.
 */
function linodePolicies(r: Resource, ctx: EvalContext, out: NetRule[]) {
  if (text(get(r.body, 'disabled'), ctx) === 'true') return;
  for (const [key, block, direction] of [
    ['inbound_policy', 'inbound', 'ingress'],
    ['outbound_policy', 'outbound', 'egress'],
  ] as const) {
    const policy = get(r.body, key);
    if (!policy || text(policy, ctx)?.trim().toUpperCase() !== 'ACCEPT') continue;
    const dropped: Range[] = [];
    for (const b of blocks(r.body, block, ctx)) {
      if (text(b.attr('action'), ctx)?.trim().toUpperCase() !== 'DROP' || peers(ctx, b.attr('ipv4'), b.attr('ipv6')).open.length === 0) continue;
      const ports = spec('ports')(b, protocolOf(text(b.attr('protocol'), ctx)), ctx);
      if (ports.kind === 'all') dropped.push([0, 65535]);
      else if (ports.kind === 'ranges') dropped.push(...ports.ranges);
    }
    const left = subtract([[1, 65535]], dropped);
    if (left.length === 0) continue;
    const ports: Ports = dropped.length ? { kind: 'ranges', ranges: left } : ALL;
    const value: Node = { kind: 'scalar', value: '0.0.0.0/0', span: policy.span, path: [] };
    const implicit = `${key} is ACCEPT: traffic that no rule drops is accepted ${direction === 'ingress' ? 'from' : 'to'} every address`;
    out.push({ direction, resource: r, peers: { open: [{ value, implicit }], inputs: [] }, ports });
  }
}

/** The readers by resource type, for `terraformRules` and the network prefilter. */
export const PROVIDER_FIREWALLS: Record<string, (r: Resource, each: Block[], ctx: EvalContext, out: NetRule[]) => void> = {
  ...Object.fromEntries(
    Object.entries(SHAPES).map(([type, shape]) => [type, (r: Resource, each: Block[], ctx: EvalContext, out: NetRule[]) => shaped(r, shape, each, ctx, out)]),
  ),
  tencentcloud_security_group_lite_rule: (r, _each, ctx, out) => tencentLiteRules(r, ctx, out),
  linode_firewall: (r, each, ctx, out) => {
    shaped(r, SHAPES.linode_firewall, each, ctx, out);
    linodePolicies(r, ctx, out);
  },
};
