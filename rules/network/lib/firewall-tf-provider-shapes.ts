import { type EvalContext, isScalar } from '../../../core';
import { literal, literalInteger, type Value } from './addresses';
import type { Direction } from './firewall';
import { type Block, nestedBlocks, nodeOf } from './firewall-tf-blocks';
import { ALL, awsPorts, parsePortSpec, type Ports, type Protocol } from './ports';

/**
 * How the Terraform providers beyond AWS, Azure and Google Cloud (and AWS Lightsail, whose instance ports are not
 * security groups) write a firewall rule, one entry per resource type,
 * each from the provider's registry documentation (linked at the entry): where its rules are written, which
 * attributes give the direction, action, protocol, ports and addresses, and what a left-out attribute means there.
 * `firewall-tf-providers.ts` reads every entry the same way.
 */

/** How one resource type writes a rule: its direction, from the block that holds it or an attribute of the rule. */
export interface RuleSource {
  /** The nested block the rules are written in; absent: the resource (each `for_each` instance) is the rule. */
  block?: string;
  /** The direction of every rule here, or the attribute that gives it (`default`: when the attribute is left out). */
  direction: Direction | { key: string; default?: Direction };
}

export type PortReader = (b: Block, protocol: Protocol, ctx: EvalContext) => Ports;

export interface Shape {
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
  /** A resource-level switch that turns every rule off when `false`. */
  enabled?: string;
  /** The rules admit to a service with no port list (a database security group): sensitive by itself. */
  service?: string;
  /** For a rule resource, the attribute that names its security group (for port 80 beside the group's 443). */
  group?: string;
}

/** A value left out: absent, or `null` (what a plan shows for an attribute left out). */
export function leftOut(v: Value): boolean {
  const n = nodeOf(v);
  return n === undefined || (isScalar(n) && n.value === null);
}

/**
 * A port spec written as one string: `"22"`, `"80-90, 91"`, Alibaba Cloud's `"22/22"`, and the spellings of every
 * port (`all`, `any`, `-1/-1`). Undefined when it is not a port spec.
 */
export function specPorts(value: string, protocol: Protocol): Ports | undefined {
  const t = value.trim().toLowerCase();
  if (t === '' || t === 'all' || t === 'any' || t === '-1' || t === '-1/-1') return ALL;
  return parsePortSpec(t.replace(/^(\d{1,5})\s*\/\s*(\d{1,5})$/, '$1-$2'), protocol);
}

/** The port spec attribute `key`. Left out, the providers that take one open every port of the protocol. */
export function spec(key: string): PortReader {
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

/** A source left out is not read as every address: the provider documents no default for it. */
const OPENSTACK_FW_RULE: Shape = {
  rules: [{ direction: 'ingress' }],
  protocol: { key: 'protocol' },
  ports: spec('destination_port'),
  addresses: { ingress: ['source_ip_address'], egress: [] },
  action: { key: 'action', allow: ['allow'] },
  enabled: 'enabled',
};

export const SHAPES: Record<string, Shape> = {
  // Inbound only; `protocol` is `tcp`, `udp`, `icmp`, `icmpv6` or `all`:
  // https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/lightsail_instance_public_ports
  aws_lightsail_instance_public_ports: {
    rules: [{ block: 'port_info', direction: 'ingress' }],
    protocol: { key: 'protocol' },
    ports: range('from_port', 'to_port'),
    addresses: { ingress: ['cidrs', 'ipv6_cidrs'], egress: [] },
  },
  // https://registry.terraform.io/providers/aliyun/alicloud/latest/docs/resources/security_group_rule
  alicloud_security_group_rule: {
    group: 'security_group_id',
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
    group: 'network_security_group_id',
    rules: [{ direction: { key: 'direction' } }],
    protocol: { key: 'protocol' },
    ports: ociPorts,
    addresses: { ingress: ['source'], egress: ['destination'] },
  },
  // https://registry.terraform.io/providers/terraform-provider-openstack/openstack/latest/docs/resources/networking_secgroup_rule_v2
  openstack_networking_secgroup_rule_v2: {
    group: 'security_group_id',
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
  // FWaaS rules match traffic the router's firewall group passes, by source; `protocol` `any` is every protocol:
  // https://registry.terraform.io/providers/terraform-provider-openstack/openstack/latest/docs/resources/fw_rule_v2
  // https://registry.terraform.io/providers/terraform-provider-openstack/openstack/latest/docs/resources/fw_rule_v1
  openstack_fw_rule_v2: OPENSTACK_FW_RULE,
  openstack_fw_rule_v1: OPENSTACK_FW_RULE,
  // https://registry.terraform.io/providers/huaweicloud/huaweicloud/latest/docs/resources/networking_secgroup_rule
  huaweicloud_networking_secgroup_rule: {
    group: 'security_group_id',
    rules: [{ direction: { key: 'direction' } }],
    protocol: { key: 'protocol', absent: 'all' },
    ports: (b, protocol, ctx) => (leftOut(b.attr('ports')) ? range('port_range_min', 'port_range_max')(b, protocol, ctx) : spec('ports')(b, protocol, ctx)),
    addresses: { ingress: ['remote_ip_prefix'], egress: ['remote_ip_prefix'] },
    action: { key: 'action', allow: ['allow'], absent: 'allow' },
    peersBesides: ['remote_group_id', 'remote_address_group_id'],
  },
  // https://registry.terraform.io/providers/tencentcloudstack/tencentcloud/latest/docs/resources/security_group_rule
  tencentcloud_security_group_rule: {
    group: 'security_group_id',
    rules: [{ direction: { key: 'type' } }],
    protocol: { key: 'ip_protocol', absent: 'all' },
    ports: spec('port_range'),
    addresses: { ingress: ['cidr_ip'], egress: ['cidr_ip'] },
    action: { key: 'policy', allow: ['accept'] },
  },
  // https://registry.terraform.io/providers/tencentcloudstack/tencentcloud/latest/docs/resources/security_group_rule_set
  tencentcloud_security_group_rule_set: {
    group: 'security_group_id',
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
    group: 'security_group_binding',
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
    group: 'group',
    rules: [{ direction: { key: 'direction' } }],
    protocol: { key: 'protocol', absent: 'icmp_tcp_udp', blocks: ['tcp', 'udp', 'icmp'] },
    ports: ibmPorts,
    addresses: { ingress: ['remote'], egress: ['remote'] },
  },
  // https://registry.terraform.io/providers/nifcloud/nifcloud/latest/docs/resources/security_group_rule
  nifcloud_security_group_rule: {
    group: 'security_group_names',
    rules: [{ direction: { key: 'type', default: 'ingress' } }],
    protocol: { key: 'protocol', absent: 'tcp' },
    ports: range('from_port', 'to_port'),
    addresses: { ingress: ['cidr_ip'], egress: ['cidr_ip'] },
  },
  // https://registry.terraform.io/providers/nifcloud/nifcloud/latest/docs/resources/nas_security_group
  nifcloud_nas_security_group: {
    rules: [{ block: 'rule', direction: 'ingress' }],
    protocol: { key: 'protocol', absent: 'all' },
    ports: () => ALL,
    addresses: { ingress: ['cidr_ip'], egress: [] },
    service: 'the NAS instance',
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
