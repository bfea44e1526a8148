import { type EvalContext, evaluateItems, get, isList, type Node, type Resource, resourceRef } from '../../../core';
import { inOverrideFile, providerDefault } from '../../lib/provider-defaults';
import { defaultPeers, describeVia, fileOf, isWorldText, literal, type Peer, peers, type Peers } from './addresses';
import type { Direction, NetRule } from './firewall';
import { type Block, blocks, nestedBlocks, nodeOf, text } from './firewall-tf-blocks';
import { leftOut, type RuleSource, SHAPES, type Shape, spec, specPorts } from './firewall-tf-provider-shapes';
import { ALL, awsPorts, protocolOf, subtract, type Ports, type Range, unionRanges } from './ports';

/**
 * Firewall rules of the Terraform providers beyond AWS, Azure and Google Cloud, one entry per resource type of
 * the table in `firewall-tf-provider-shapes.ts`. Every entry is read by the same `shaped` reader,
 * through `blocks` (plain, list-attribute and `dynamic` blocks) and the resource's `for_each` instances, so
 * variables, locals and iterator reads resolve as they do for AWS; Tencent Cloud's rule strings and Linode's default
 * policies have readers of their own.
 */

const EGRESS = new Set(['egress', 'out', 'outbound']);
const INGRESS = new Set(['ingress', 'in', 'inbound']);

function directionOf(b: Block, source: RuleSource, ctx: EvalContext): Direction | undefined {
  if (typeof source.direction === 'string') return source.direction;
  const v = b.attr(source.direction.key);
  if (leftOut(v)) return source.direction.default;
  const d = text(v, ctx)?.trim().toLowerCase();
  return d === undefined ? undefined : EGRESS.has(d) ? 'egress' : INGRESS.has(d) ? 'ingress' : undefined;
}

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

/** `alicloud_security_group.web.id` → `alicloud_security_group.web`: the group a rule resource adds to. */
function groupOf(r: Resource, key: string): string | undefined {
  const written = get(r.body, key);
  return resourceRef(isList(written) ? written.items[0] : written);
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
  if (shape.enabled && text(each[0]?.attr(shape.enabled), ctx) === 'false') return;
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
      else if (protocol === 'unknown') {
        // A protocol that cannot be read (or a required one left out): ports written as literals still name the ports.
        const written = shape.ports(b, protocol, ctx);
        ports = written.kind === 'ranges' ? written : { kind: 'unknown', node: nodeOf(b.attr(shape.protocol.key)) };
      } else ports = awsPorts(protocol, undefined, undefined);
      out.push({
        direction,
        resource: r,
        peers: addresses,
        ports,
        container: source.block ? b.keySpan : undefined,
        service: shape.service,
        group: shape.group && groupOf(r, shape.group),
      });
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
    // A list read through a variable or local: its items are reported where the rule uses them, unless written here.
    const via = list && !isList(list) ? list : undefined;
    for (const item of isList(list) ? list.items : list ? evaluateItems(list, ctx).values : []) {
      const parts = literal(item, ctx).value?.split('#');
      if (parts?.length !== 4 || parts[0].trim().toUpperCase() !== 'ACCEPT' || !isWorldText(parts[1])) continue;
      const protocol = protocolOf(parts[3]);
      const ports =
        protocol === 'tcp' || protocol === 'udp'
          ? (specPorts(parts[2], protocol) ?? { kind: 'unknown', node: item })
          : awsPorts(protocol, undefined, undefined);
      const origin = via && fileOf(item, ctx);
      const peer: Peer = via
        ? { value: item, via, label: describeVia(via), partOf: true, ...(origin === ctx.file ? {} : { foreign: true, origin }) }
        : { value: item, partOf: true };
      out.push({ direction, resource: r, peers: { open: [peer], inputs: [] }, ports });
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
    // A port stays open if either TCP or UDP still reaches it.
    const dropped = { tcp: [] as Range[], udp: [] as Range[] };
    for (const b of blocks(r.body, block, ctx)) {
      const protocol = protocolOf(text(b.attr('protocol'), ctx));
      if (protocol !== 'tcp' && protocol !== 'udp') continue;
      if (text(b.attr('action'), ctx)?.trim().toUpperCase() !== 'DROP' || peers(ctx, b.attr('ipv4'), b.attr('ipv6')).open.length === 0) continue;
      const ports = spec('ports')(b, protocol, ctx);
      if (ports.kind === 'all') dropped[protocol].push([0, 65535]);
      else if (ports.kind === 'ranges') dropped[protocol].push(...ports.ranges);
    }
    const tcp = subtract([[1, 65535]], dropped.tcp);
    const udp = subtract([[1, 65535]], dropped.udp);
    const left = unionRanges(tcp, udp);
    if (left.length === 0) continue;
    const only = tcp.length === 0 ? 'udp' : udp.length === 0 ? 'tcp' : undefined;
    const ports: Ports = left.length === 1 && left[0][0] === 1 && left[0][1] === 65535 ? ALL : { kind: 'ranges', ranges: left, protocol: only };
    const value: Node = { kind: 'scalar', value: '0.0.0.0/0', span: policy.span, path: [] };
    const implicit = `${key} is ACCEPT: traffic that no rule drops is accepted ${direction === 'ingress' ? 'from' : 'to'} every address`;
    out.push({ direction, resource: r, peers: { open: [{ value, implicit }], inputs: [] }, ports });
  }
}

/** The readers of other providers' firewalls by resource type (see `FIREWALL_READERS`). */
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
