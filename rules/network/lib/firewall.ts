import {
  contentSpan,
  type EvalContext,
  type Fix,
  isScalar,
  type Node,
  type RelatedLocation,
  type Resource,
  type Span,
  isTerraform,
  sharedResult,
} from '../../../core';
import { replaceWithReference } from '../../lib/fixes';
import { beyondPublicServices, describeRanges, sensitivePortIn, serviceName, type Ports, type Range } from './ports';
import { fileOf, type Peer, type Peers } from './addresses';
import { cloudFormationRules } from './firewall-cloudformation';
import { FIREWALL_READERS, terraformRules } from './firewall-terraform';

/**
 * Firewall rules of every provider and format, normalised into one shape so each network rule is one
 * check: AWS security groups (inline, every rule resource, the default group), NACLs, RDS/Redshift
 * security groups, GCP firewalls, Azure NSG rules and database firewall rules, endpoint allow-lists (EKS,
 * AKS, GKE, Cloud SQL), in Terraform and CloudFormation; and in Terraform the security groups and firewalls of
 * Alibaba Cloud, Oracle Cloud, OpenStack, Huawei Cloud, Tencent Cloud, Yandex Cloud, DigitalOcean, Hetzner, Linode,
 * IBM VPC and Nifcloud (`firewall-tf-providers.ts`).
 */

export type Direction = 'ingress' | 'egress';

/**
 * The resource types (and module inputs) `networkRules` reads: a file with none of them has no network
 * rules. Keep in step with the switches in `firewall-terraform.ts`, `firewall-tf-clusters.ts`,
 * `firewall-tf-modules.ts`, `firewall-tf-gcp-modules.ts` and `firewall-cloudformation.ts` (the table of `firewall-tf-providers.ts` is listed as is).
 */
export const NETWORK_PREFILTER = {
  terraform: [
    'aws_security_group',
    'aws_default_security_group',
    'aws_vpc_security_group_',
    'aws_network_acl',
    'aws_default_network_acl',
    'aws_db_security_group',
    'aws_redshift_security_group',
    'aws_eks_cluster',
    'azurerm_kubernetes_cluster',
    'google_container_cluster',
    'google_sql_database_instance',
    'google_compute_firewall',
    'azurerm_network_security_',
    ...Object.keys(FIREWALL_READERS),
    // terraform-aws-modules security-group sources, VPC module NACL inputs, the EKS module; the Google network
    // and kubernetes-engine modules
    'terraform-aws-modules',
    'terraform-google-modules',
    'default_network_acl_',
    '_acl_rules',
  ],
  cloudformation: [
    'AWS::EC2::SecurityGroup',
    'AWS::EC2::NetworkAclEntry',
    'AWS::RDS::DBSecurityGroup',
    'AWS::Redshift::ClusterSecurityGroupIngress',
    'AWS::EKS::Cluster',
    'AWS::Lightsail::Instance',
  ],
} as const;

export interface NetRule {
  direction: Direction;
  resource: Resource;
  /** Addresses the rule lets in (ingress) or out to (egress) that are the whole internet. */
  peers: Peers;
  ports: Ports;
  /** A protocol-level endpoint with no port list (a database, the Kubernetes API): sensitive by itself. */
  service?: string;
  /**
   * Key of the inline rule list or block the rule is written under (`SecurityGroupIngress`, `ingress`);
   * absent for rule resources.
   */
  container?: Span;
  /** The security group (CFN logical id, Terraform `type.name`) the rule belongs to. */
  group?: string;
  /**
   * The port values, for providers whose addresses are shared by several port lists (a GCP firewall's
   * `allow` blocks): findings point at the port that is open rather than at the shared address.
   */
  portNodes?: { node: Node; ports: Ports }[];
  /**
   * A NACL entry. NACLs do not track connections, so subnets that talk to the internet must admit the replies
   * on the ephemeral ports (1024-65535, 32768-65535): such a range is the idiom, not an exposure.
   */
  stateless?: boolean;
}

/** The network rules of a file, computed once for all the rules that read them (per project and module call). */
export function networkRules(ctx: EvalContext): NetRule[] {
  const { file } = ctx;
  if (!isTerraform(file.format) && file.format !== 'cloudformation') return [];
  return sharedResult('network-rules', ctx, () => (isTerraform(file.format) ? terraformRules(ctx) : cloudFormationRules(ctx)));
}

/** What a rule exposes, most severe first. */
export type Exposure =
  | { kind: 'all' }
  | { kind: 'service'; name: string }
  | { kind: 'sensitive'; port: number; ranges: Range[]; protocol?: 'tcp' | 'udp' }
  /** Ports that are not on the sensitive list (plain HTTP, application ports); `extra`: those beyond the public-service ports. */
  | { kind: 'other'; ranges: Range[]; extra: Range[] }
  /** Only ports made to face the internet (HTTPS, VPN endpoints). */
  | { kind: 'public' }
  | { kind: 'unknown'; node?: Node }
  | { kind: 'odd'; why: string }
  | { kind: 'none' };

export function exposure(rule: NetRule): Exposure {
  if (rule.service) return { kind: 'service', name: rule.service };
  const p = rule.ports;
  switch (p.kind) {
    case 'all':
      return { kind: 'all' };
    case 'none':
      return { kind: 'none' };
    case 'unknown':
      return { kind: 'unknown', node: p.node };
    case 'odd':
      return { kind: 'odd', why: p.why };
    case 'ranges': {
      if (rule.stateless && p.ranges.every(([f, t]) => f >= 1024 && t === 65535)) return { kind: 'none' };
      const port = sensitivePortIn(p.ranges, p.protocol);
      if (port !== undefined) return { kind: 'sensitive', port, ranges: p.ranges, protocol: p.protocol };
      const extra = beyondPublicServices(p.ranges);
      return extra.length ? { kind: 'other', ranges: p.ranges, extra } : { kind: 'public' };
    }
  }
}

export function describeExposure(e: Exposure): string {
  switch (e.kind) {
    case 'all':
      return 'all ports';
    case 'service':
      return e.name;
    case 'sensitive': {
      const single = e.ranges.length === 1 && e.ranges[0][0] === e.ranges[0][1];
      const name = serviceName(e.port, e.protocol);
      const proto = e.protocol === 'udp' ? 'UDP ' : '';
      return single ? `${proto}port ${e.port} (${name})` : `${proto}ports ${describeRanges(e.ranges)}, including ${e.port} (${name})`;
    }
    case 'other': {
      const http = e.ranges.some(([f, t]) => f <= 80 && t >= 80) ? ' (plain HTTP)' : '';
      const single = e.ranges.length === 1 && e.ranges[0][0] === e.ranges[0][1];
      return `${single ? 'port' : 'ports'} ${describeRanges(e.ranges)}${http}`;
    }
    case 'public':
      return 'public service ports';
    default:
      return 'some ports';
  }
}

export interface Placement {
  span: Span;
  related: RelatedLocation[];
  fixes: Fix<'replace-with-variable' | 'replace-with-trusted-range'>[];
}

/**
 * Where a finding about an open address goes, with its related locations and fix: on the literal when it
 * is written in this file (a parameter default, a variable default in the same file), otherwise on the
 * expression of the rule that uses it. For GCP firewalls, on the open port of the `allow` block when the resource
 * writes it.
 */
export function placement(ctx: EvalContext, rule: NetRule, peer: Peer, e: Exposure, name: string): Placement {
  const related: RelatedLocation[] = [];
  const fixes: Placement['fixes'] = [];
  // A provider default: nothing written to point at or replace but the block that leaves the range out.
  if (peer.implicit) return { span: peer.value.span, related, fixes };
  const at = peer.foreign ? peer.via! : peer.value;
  if (peer.via && !peer.foreign && !within(peer.value.span, peer.via.span))
    related.push({ span: contentSpan(peer.via), message: `used here by ${rule.resource.name || rule.resource.type}, on ${describeExposure(e)}` });
  if (peer.foreign && peer.origin) related.push({ span: contentSpan(peer.value), uri: peer.origin.uri, message: 'the open range is defined here' });
  const inPlace = !peer.via || within(peer.value.span, peer.via.span);
  if (peer.partOf) {
    // Nothing to replace without losing the other ranges of the string.
  } else if (inPlace) {
    const fix = replaceWithReference(ctx.file, peer.value, name, 'Replace the open range with a variable', 'replace-with-variable');
    if (fix) fixes.push(fix);
  } else if (!peer.foreign && isScalar(peer.value)) {
    // A parameter or variable default, or a literal item a dynamic block iterates over.
    fixes.push({
      title: 'Replace the open range with a trusted range',
      kind: 'replace-with-trusted-range',
      safety: 'suggestion',
      snippet: true,
      edits: [{ span: contentSpan(peer.value), newText: '${1:trusted CIDR}' }],
    });
  }
  const port = rule.direction === 'ingress' ? portNode(rule, e) : undefined;
  // A port written outside the resource (an item of a tfvars map, of a variable default or a local that a dynamic
  // block iterates) says nothing there about who is let in: the address is the place.
  if (port && fileOf(port, ctx) === ctx.file && within(port.span, rule.resource.span)) {
    related.unshift({ span: contentSpan(at), message: 'open to the whole internet here' });
    return { span: contentSpan(port), related, fixes };
  }
  return { span: contentSpan(at), related, fixes };
}

function within(inner: Span, outer: Span): boolean {
  return inner.start >= outer.start && inner.end <= outer.end;
}

function portNode(rule: NetRule, e: Exposure): Node | undefined {
  if (!rule.portNodes?.length) return undefined;
  for (const { node, ports } of rule.portNodes) {
    if (e.kind === 'all' && ports.kind === 'all') return node;
    if (ports.kind !== 'ranges') continue;
    if (e.kind === 'sensitive' && ports.ranges.some(([f, t]) => e.port >= f && e.port <= t)) return node;
    if (e.kind === 'other' && beyondPublicServices(ports.ranges).length) return node;
  }
  return rule.portNodes[0].node;
}
