import { entry, type EvalContext, get, isExpr, isMap, items, type Node, type Resource, str } from '../../../core';
import { ALL, awsPorts, protocolOf, type Ports } from './ports';
import { providerDefault } from '../../lib/provider-defaults';
import { defaultPeers, literal, literalInteger, peers } from './addresses';
import type { Direction, NetRule } from './firewall';

/**
 * CloudFormation firewall rules → `NetRule`: security groups (inline lists and rule resources), NACL
 * entries, RDS and Redshift security groups, Lightsail instance ports, EKS endpoint allow-lists. A security group without
 * `SecurityGroupEgress` gets CloudFormation's implicit allow-all egress rule, which is the platform
 * default and not reported.
 */

function ports(ctx: EvalContext, protocolNode: Node | undefined, from: Node | undefined, to: Node | undefined): Ports {
  const p = literal(protocolNode, ctx);
  const protocol = protocolNode === undefined ? 'tcp' : protocolOf(p.value);
  if (protocol === 'unknown') return { kind: 'unknown', node: protocolNode };
  const f = literalInteger(from, ctx);
  const t = literalInteger(to, ctx);
  return awsPorts(protocol, f.value, t.value, f.unreadable ?? t.unreadable);
}

/** The logical id a `!Ref X`, `!GetAtt X.GroupId` or plain `"X"` names. */
export function logicalId(node: Node | undefined): string | undefined {
  if (isExpr(node)) {
    const a = node.args?.[0];
    if (node.fn === 'Ref') return str(a);
    if (node.fn === 'Fn::GetAtt') return str(a)?.split('.')[0] ?? node.refs?.[0];
    return undefined;
  }
  return str(node)?.split('.')[0];
}

/** A value or, for `Fn::If`, each branch (a conditional rule, or a conditional list of rules). */
function branches(node: Node | undefined, depth = 0): Node[] {
  if (node === undefined) return [];
  if (isExpr(node) && node.fn === 'Fn::If' && depth < 4) return (node.args ?? []).slice(1).flatMap((a) => branches(a, depth + 1));
  return [node];
}

/** The rules of an inline list: list items, each possibly conditional, or a conditional list. */
function ruleItems(value: Node | undefined): Node[] {
  return branches(value)
    .flatMap((v) => items(v))
    .flatMap((v) => branches(v));
}

function sgRule(r: Resource, direction: Direction, rule: Node, ctx: EvalContext, container?: NetRule['container'], group?: string): NetRule | undefined {
  if (!isMap(rule)) return undefined;
  const addresses = peers(ctx, get(rule, 'CidrIp'), get(rule, 'CidrIpv6'));
  return { direction, resource: r, peers: addresses, ports: ports(ctx, get(rule, 'IpProtocol'), get(rule, 'FromPort'), get(rule, 'ToPort')), container, group };
}

export function cloudFormationRules(ctx: EvalContext): NetRule[] {
  const out: (NetRule | undefined)[] = [];
  for (const r of ctx.file.resources) {
    if (r.kind !== 'resource') continue;
    const p = r.body;
    switch (r.type) {
      case 'AWS::EC2::SecurityGroup':
        for (const [key, direction] of [
          ['SecurityGroupIngress', 'ingress'],
          ['SecurityGroupEgress', 'egress'],
        ] as const) {
          const e = entry(p, key);
          if (e) for (const rule of ruleItems(e.value)) out.push(sgRule(r, direction, rule, ctx, e.keySpan, r.name));
        }
        break;
      case 'AWS::EC2::SecurityGroupIngress':
        out.push(sgRule(r, 'ingress', p, ctx, undefined, logicalId(get(p, 'GroupId')) ?? str(get(p, 'GroupName'))));
        break;
      case 'AWS::EC2::SecurityGroupEgress':
        out.push(sgRule(r, 'egress', p, ctx, undefined, logicalId(get(p, 'GroupId'))));
        break;
      case 'AWS::EC2::NetworkAclEntry': {
        if (literal(get(p, 'RuleAction'), ctx).value?.toLowerCase() !== 'allow') break;
        const range = get(p, 'PortRange');
        out.push({
          direction: literal(get(p, 'Egress'), ctx).value === 'true' ? 'egress' : 'ingress',
          resource: r,
          peers: peers(ctx, get(p, 'CidrBlock'), get(p, 'Ipv6CidrBlock')),
          ports: ports(ctx, get(p, 'Protocol'), get(range, 'From'), get(range, 'To')),
          stateless: true,
        });
        break;
      }
      case 'AWS::RDS::DBSecurityGroup': {
        const e = entry(p, 'DBSecurityGroupIngress');
        for (const rule of ruleItems(e?.value)) {
          if (isMap(rule))
            out.push({
              direction: 'ingress',
              resource: r,
              peers: peers(ctx, get(rule, 'CIDRIP')),
              ports: ALL,
              service: 'the database',
              container: e!.keySpan,
              group: r.name,
            });
        }
        break;
      }
      case 'AWS::RDS::DBSecurityGroupIngress':
        out.push({
          direction: 'ingress',
          resource: r,
          peers: peers(ctx, get(p, 'CIDRIP')),
          ports: ALL,
          service: 'the database',
          group: logicalId(get(p, 'DBSecurityGroupName')),
        });
        break;
      case 'AWS::Redshift::ClusterSecurityGroupIngress':
        out.push({ direction: 'ingress', resource: r, peers: peers(ctx, get(p, 'CIDRIP')), ports: ALL, service: 'the Redshift cluster' });
        break;
      // Lightsail instance ports admit inbound traffic only:
      // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-lightsail-instance-port.html
      case 'AWS::Lightsail::Instance': {
        const e = entry(get(p, 'Networking'), 'Ports');
        for (const port of ruleItems(e?.value)) {
          if (!isMap(port)) continue;
          const addresses = peers(ctx, get(port, 'Cidrs'), get(port, 'Ipv6Cidrs'));
          out.push({
            direction: 'ingress',
            resource: r,
            peers: addresses,
            ports: ports(ctx, get(port, 'Protocol'), get(port, 'FromPort'), get(port, 'ToPort')),
            container: e!.keySpan,
          });
        }
        break;
      }
      case 'AWS::EKS::Cluster': {
        const vpcEntry = entry(p, 'ResourcesVpcConfig');
        const vpc = vpcEntry?.value;
        const publicAccess = get(vpc, 'EndpointPublicAccess');
        const open = literal(publicAccess, ctx).value;
        if (open === 'false') break;
        const cidrs = get(vpc, 'PublicAccessCidrs');
        const service = 'the Kubernetes API endpoint';
        if (cidrs !== undefined) out.push({ direction: 'ingress', resource: r, peers: peers(ctx, cidrs), ports: ALL, service });
        else if (vpcEntry && (publicAccess === undefined ? providerDefault(r.type, ['ResourcesVpcConfig', 'EndpointPublicAccess'])?.value : open) === 'true') {
          const d = providerDefault(r.type, ['ResourcesVpcConfig', 'PublicAccessCidrs']);
          if (d) out.push({ direction: 'ingress', resource: r, peers: defaultPeers(d, vpcEntry.keySpan), ports: ALL, service });
        }
        break;
      }
      default:
        break;
    }
  }
  return out.filter((x): x is NetRule => x !== undefined && (x.peers.open.length > 0 || x.peers.inputs.length > 0));
}
