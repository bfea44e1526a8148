import { entry, type EvalContext, get, isExpr, isMap, items, type MapNode, neverCreated, type Node, type Resource, resourceRef } from '../../../core';
import { AZAPI_RESOURCES, azapiPropertiesOf, azapiType } from '../../lib/azapi';
import { ALL, awsPorts, mergePorts, parsePortSpec, protocolOf, subtract, type Ports, type Range } from './ports';
import { inOverrideFile, providerDefault } from '../../lib/provider-defaults';
import { defaultPeers, describeVia, literal, literalInteger, peerOf, peers, type Value } from './addresses';
import type { Direction, NetRule } from './firewall';
import { moduleRules } from './firewall-tf-modules';
import { type Block, bindValue, blocks, forEachItems, nestedBlocks, nodeOf, plain, text } from './firewall-tf-blocks';
import { clusterEndpoint, clusterModuleEndpoint } from './firewall-tf-clusters';
import { gcpNetworkModule } from './firewall-tf-gcp-modules';
import { PROVIDER_FIREWALLS } from './firewall-tf-providers';
import { AZURE_DNAT_RULES, azureDnat, GCP_POLICY_RULES, gcpPolicyRule, protocolPorts } from './firewall-tf-policies';

/**
 * Terraform firewall rules → `NetRule`. Nested rule blocks are read through `blocks` (plain, list-attribute and
 * `dynamic` blocks alike; a `dynamic` block over known items gives one rule per item).
 */

/**
 * A rule resource with `for_each` over a literal list or map (in place, or a variable or local default) is
 * one rule per item, read through `each.value`; otherwise the resource itself.
 */
function instances(r: Resource, self: Block, ctx: EvalContext): Block[] {
  const forEachNode = get(r.body, 'for_each');
  if (!forEachNode) return [self];
  const forEach = forEachItems(forEachNode, ctx, true);
  if (!forEach.known) return [self];
  const label = isExpr(forEachNode) ? `an item of ${describeVia(forEachNode)}` : 'a for_each item';
  return forEach.items.map((item) => {
    const bind = (n: Node | undefined) => bindValue(n, 'each', item, label, forEachNode);
    return { ...self, attr: (name: string) => bind(get(self.node, name)), bind };
  });
}

/** AWS-style protocol + from/to ports of a rule block. */
function awsRulePorts(b: Block, ctx: EvalContext, protocolKey = 'protocol'): Ports {
  const protocolValue = b.attr(protocolKey);
  const protocol = nodeOf(protocolValue) === undefined ? 'tcp' : protocolOf(text(protocolValue, ctx));
  if (protocol === 'unknown') return { kind: 'unknown', node: nodeOf(protocolValue) };
  const from = literalInteger(nodeOf(b.attr('from_port')), ctx);
  const to = literalInteger(nodeOf(b.attr('to_port')), ctx);
  return awsPorts(protocol, from.value, to.value, from.unreadable ?? to.unreadable);
}

/** `ports` is read only for a rule whose addresses are open or unknown: the others are dropped unread. */
function rule(
  r: Resource,
  direction: Direction,
  b: Block | undefined,
  values: Value[],
  ports: Ports | (() => Ports),
  ctx: EvalContext,
  extra: Partial<NetRule> = {},
): NetRule {
  const found = peers(ctx, ...values);
  const read = found.open.length + found.inputs.length > 0;
  return { direction, resource: r, peers: found, ports: typeof ports !== 'function' ? ports : read ? ports() : NO_PORTS, container: b?.keySpan, ...extra };
}

const NO_PORTS: Ports = { kind: 'none' };

function securityGroupRule(r: Resource, direction: Direction, b: Block, ctx: EvalContext, inline: boolean, protocolKey = 'protocol'): NetRule {
  const values = [b.attr('cidr_blocks'), b.attr('ipv6_cidr_blocks'), b.attr('cidr_ipv4'), b.attr('cidr_ipv6')];
  return rule(r, direction, inline ? b : undefined, values, () => awsRulePorts(b, ctx, protocolKey), ctx, {
    group: inline ? `${r.type}.${r.name}` : resourceRef(get(r.body, 'security_group_id'), 'aws_security_group'),
  });
}

/**
 * NACL entries are evaluated in rule-number order and the first match wins: an allow from the internet
 * loses the ports that lower-numbered denies from the internet already drop.
 */
function naclEntries(r: Resource, direction: Direction, list: Block[], ctx: EvalContext, out: NetRule[]) {
  const entries = list.map((b) => ({
    b,
    action: text(b.attr('action') ?? b.attr('rule_action'), ctx)?.toLowerCase(),
    number: literalInteger(nodeOf(b.attr('rule_no') ?? b.attr('rule_number')), ctx).value,
    ports: awsRulePorts(b, ctx),
    peers: peers(ctx, b.attr('cidr_block'), b.attr('ipv6_cidr_block')),
  }));
  for (const e of entries) {
    if (e.action !== 'allow' || e.peers.open.length + e.peers.inputs.length === 0) continue;
    let ports = e.ports;
    const denied: Range[] = [];
    for (const d of entries) {
      if (d.action !== 'deny' || d.number === undefined || e.number === undefined || d.number >= e.number || d.peers.open.length === 0) continue;
      if (d.ports.kind === 'all') denied.push([0, 65535]);
      else if (d.ports.kind === 'ranges') denied.push(...d.ports.ranges);
    }
    if (denied.length && (ports.kind === 'all' || ports.kind === 'ranges')) {
      const left = subtract(ports.kind === 'all' ? [[0, 65535]] : ports.ranges, denied);
      if (left.length === 0) continue;
      ports = { kind: 'ranges', ranges: left };
    }
    out.push({ direction, resource: r, peers: e.peers, ports, container: e.b.keySpan, stateless: true });
  }
}

/** What limits the sources of a Google Cloud ingress firewall rule. */
const GCP_SOURCES = ['source_ranges', 'source_tags', 'source_service_accounts'];

/** A Google Cloud firewall: one rule per `for_each` item, each item's `allow` blocks read through it. */
function gcpFirewall(r: Resource, ctx: EvalContext, out: NetRule[]) {
  const self = plain(r.body, r.nameSpan, { key: r.type, keySpan: r.nameSpan, value: r.body });
  for (const x of instances(r, self, ctx)) gcpInstance(r, x, ctx, out);
}

function gcpInstance(r: Resource, x: Block, ctx: EvalContext, out: NetRule[]) {
  const b = r.body;
  if (text(x.attr('disabled'), ctx) === 'true') return;
  const directionValue = x.attr('direction');
  const directionText = text(directionValue, ctx);
  const direction: Direction = directionText?.toUpperCase() === 'EGRESS' ? 'egress' : 'ingress';
  let addresses = peers(ctx, x.attr(direction === 'ingress' ? 'source_ranges' : 'destination_ranges'));
  // An ingress rule that names no source at all admits every address (the API's default source range).
  const readable = nodeOf(directionValue) === undefined || directionText !== undefined;
  if (direction === 'ingress' && readable && GCP_SOURCES.every((k) => get(b, k) === undefined) && !inOverrideFile(ctx.file)) {
    const d = providerDefault(r.type, ['source_ranges']);
    if (d) addresses = defaultPeers(d, r.nameSpan);
  }
  if (addresses.open.length + addresses.inputs.length === 0) return;
  for (const allow of nestedBlocks(x, 'allow', ctx)) {
    const protocol = allow.attr('protocol');
    const { ports, portNodes } = protocolPorts(text(protocol, ctx), nodeOf(protocol), allow.attr('ports'), ctx);
    out.push({ direction, resource: r, peers: addresses, ports, container: allow.keySpan, portNodes });
  }
}

function azureRule(r: Resource, b: Block, ctx: EvalContext, out: NetRule[]) {
  if (text(b.attr('access'), ctx)?.toLowerCase() !== 'allow') return;
  const inbound = text(b.attr('direction'), ctx)?.toLowerCase() !== 'outbound';
  const side = inbound ? 'source' : 'destination';
  const addresses = peers(ctx, b.attr(`${side}_address_prefix`), b.attr(`${side}_address_prefixes`));
  const protocol = protocolOf(text(b.attr('protocol'), ctx));
  const specs = [...items(nodeOf(b.attr('destination_port_range'))), ...items(nodeOf(b.attr('destination_port_ranges')))];
  let ports: Ports | undefined;
  if (protocol === 'icmp') ports = { kind: 'none' };
  else {
    for (const s of specs) {
      const spec = literal(s, ctx).value;
      ports = mergePorts(ports, (spec !== undefined && parsePortSpec(spec, protocol)) || { kind: 'unknown', node: s });
    }
    if (!ports) ports = protocol === 'all' ? ALL : { kind: 'unknown' };
  }
  out.push({ direction: inbound ? 'ingress' : 'egress', resource: r, peers: addresses, ports, container: r.body === b.node ? undefined : b.keySpan });
}

/** Database firewall rules that take an address range (`start_ip_address`..`end_ip_address`). */
const AZURE_IP_RANGE_RULES: Record<string, string> = {
  azurerm_sql_firewall_rule: 'the SQL server',
  azurerm_mssql_firewall_rule: 'the SQL server',
  azurerm_postgresql_firewall_rule: 'the PostgreSQL server',
  azurerm_postgresql_flexible_server_firewall_rule: 'the PostgreSQL server',
  azurerm_mysql_firewall_rule: 'the MySQL server',
  azurerm_mysql_flexible_server_firewall_rule: 'the MySQL server',
  azurerm_mariadb_firewall_rule: 'the MariaDB server',
  azurerm_redis_firewall_rule: 'the Redis cache',
  azurerm_synapse_firewall_rule: 'the Synapse workspace',
  azurerm_cosmosdb_postgresql_firewall_rule: 'the PostgreSQL cluster',
};

/** The range's first and last address, where a rule type names them other than `start_ip_address`/`end_ip_address`. */
const IP_RANGE_KEYS: Record<string, [string, string]> = { azurerm_redis_firewall_rule: ['start_ip', 'end_ip'] };

function azureIpRange(r: Resource, ctx: EvalContext, out: NetRule[], x: Block, keys = IP_RANGE_KEYS[r.type], service = AZURE_IP_RANGE_RULES[r.type]) {
  const [startKey, endKey] = keys ?? ['start_ip_address', 'end_ip_address'];
  const start = text(x.attr(startKey), ctx)?.trim();
  const endValue = x.attr(endKey);
  const end = text(endValue, ctx)?.trim();
  // 0.0.0.0-0.0.0.0 is Azure's "allow Azure services" switch, not the internet.
  if (start !== '0.0.0.0' || end !== '255.255.255.255' || !endValue) return;
  out.push({ direction: 'ingress', resource: r, peers: { open: [peerOf(endValue, ctx)], inputs: [] }, ports: ALL, service });
}

/**
 * ARM database firewall rules written as `azapi_resource` (`properties.startIpAddress` / `endIpAddress`):
 * https://learn.microsoft.com/azure/templates/microsoft.dbforpostgresql/flexibleservers/firewallrules
 */
const AZAPI_IP_RANGE_RULES: Record<string, string> = {
  'microsoft.sql/servers/firewallrules': 'the SQL server',
  'microsoft.dbforpostgresql/flexibleservers/firewallrules': 'the PostgreSQL server',
  'microsoft.dbforpostgresql/servers/firewallrules': 'the PostgreSQL server',
  'microsoft.dbformysql/flexibleservers/firewallrules': 'the MySQL server',
  'microsoft.dbformysql/servers/firewallrules': 'the MySQL server',
};

/** The azurerm argument names `azureRule` reads, as ARM writes them (`source_address_prefix` → `sourceAddressPrefix`). */
const armName = (name: string) => name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/**
 * Network security rules written as `azapi_resource`: a group's `properties.securityRules[*].properties`, or a
 * rule's own `properties`, read by `azureRule` under their ARM names.
 * https://learn.microsoft.com/azure/templates/microsoft.network/networksecuritygroups
 */
function azapiRules(r: Resource, ctx: EvalContext, out: NetRule[]) {
  const type = azapiType(r);
  const properties = azapiPropertiesOf(r);
  const written = entry(r.body, 'body');
  if (!type || !properties || !written) return;
  const asBlock = (node: MapNode): Block => ({ node, keySpan: node.span, written, attr: (name) => get(node, armName(name)) });
  if (type in AZAPI_IP_RANGE_RULES) azureIpRange(r, ctx, out, asBlock(properties), ['startIpAddress', 'endIpAddress'], AZAPI_IP_RANGE_RULES[type]);
  else if (type === 'microsoft.network/networksecuritygroups/securityrules') azureRule(r, asBlock(properties), ctx, out);
  else if (type === 'microsoft.network/networksecuritygroups') {
    for (const item of items(get(properties, 'securityRules'))) {
      const rule = get(item, 'properties');
      if (isMap(rule)) azureRule(r, asBlock(rule), ctx, out);
    }
  }
}

type Reader = (r: Resource, each: Block[], ctx: EvalContext, out: NetRule[]) => void;

const readAll = (types: readonly string[], read: (r: Resource, ctx: EvalContext, out: NetRule[]) => void): [string, Reader][] =>
  types.map((type) => [type, (r, _each, ctx, out) => read(r, ctx, out)]);

/**
 * The readers of the resource types `terraformRules` has no case of its own for (other providers' firewalls,
 * Azure database firewall rules, Google Cloud firewall policy rules, Azure Firewall DNAT rules): its dispatch, and
 * the types the network prefilter looks for.
 */
export const FIREWALL_READERS: Record<string, Reader> = {
  ...PROVIDER_FIREWALLS,
  ...Object.fromEntries([
    ...Object.keys(AZURE_IP_RANGE_RULES).map((type): [string, Reader] => [
      type,
      (r, each, ctx, out) => {
        for (const x of each) azureIpRange(r, ctx, out, x);
      },
    ]),
    ...readAll(GCP_POLICY_RULES, gcpPolicyRule),
    ...readAll(AZURE_DNAT_RULES, azureDnat),
    ...readAll(AZAPI_RESOURCES, azapiRules),
  ]),
};

export function terraformRules(ctx: EvalContext): NetRule[] {
  const out: NetRule[] = [];
  for (const r of ctx.file.resources) {
    moduleRules(r, ctx, out, (res, d, list, written, o) =>
      naclEntries(
        res,
        d,
        list.filter(isMap).map((item) => plain(item, written.keySpan, written)),
        ctx,
        o,
      ),
    );
    if (r.kind === 'module') {
      gcpNetworkModule(r, ctx, out, gcpFirewall);
      clusterModuleEndpoint(r, ctx, out);
    }
    if (r.kind !== 'resource') continue;
    const b = r.body;
    const self = plain(b, r.nameSpan, { key: r.type, keySpan: r.nameSpan, value: b });
    const each = instances(r, self, ctx);
    switch (r.type) {
      case 'aws_security_group':
      case 'aws_default_security_group':
        // A group made per `for_each` item reads its inline rules through that item.
        for (const g of each)
          for (const d of ['ingress', 'egress'] as const) for (const x of nestedBlocks(g, d, ctx)) out.push(securityGroupRule(r, d, x, ctx, true));
        break;
      case 'aws_security_group_rule':
        for (const x of each) {
          const type = text(x.attr('type'), ctx)?.toLowerCase();
          if (type === 'ingress' || type === 'egress') out.push(securityGroupRule(r, type, x, ctx, false));
        }
        break;
      case 'aws_vpc_security_group_ingress_rule':
        for (const x of each) out.push(securityGroupRule(r, 'ingress', x, ctx, false, 'ip_protocol'));
        break;
      case 'aws_vpc_security_group_egress_rule':
        for (const x of each) out.push(securityGroupRule(r, 'egress', x, ctx, false, 'ip_protocol'));
        break;
      case 'aws_network_acl':
      case 'aws_default_network_acl':
        for (const g of each) for (const d of ['ingress', 'egress'] as const) naclEntries(r, d, nestedBlocks(g, d, ctx), ctx, out);
        break;
      case 'aws_network_acl_rule':
        for (const x of each) {
          if (text(x.attr('rule_action'), ctx)?.toLowerCase() !== 'allow') continue;
          const direction = text(x.attr('egress'), ctx) === 'true' ? 'egress' : 'ingress';
          out.push({ ...rule(r, direction, undefined, [x.attr('cidr_block'), x.attr('ipv6_cidr_block')], () => awsRulePorts(x, ctx), ctx), stateless: true });
        }
        break;
      case 'aws_db_security_group':
        for (const x of blocks(b, 'ingress', ctx)) out.push(rule(r, 'ingress', x, [x.attr('cidr')], ALL, ctx, { service: 'the database' }));
        break;
      case 'aws_redshift_security_group':
        for (const x of blocks(b, 'ingress', ctx)) out.push(rule(r, 'ingress', x, [x.attr('cidr')], ALL, ctx, { service: 'the Redshift cluster' }));
        break;
      case 'aws_eks_cluster':
      case 'azurerm_kubernetes_cluster':
      case 'google_container_cluster':
        clusterEndpoint(r, ctx, out);
        break;
      case 'google_sql_database_instance':
        for (const s of blocks(b, 'settings', ctx)) {
          for (const ip of blocks(s.node, 'ip_configuration', ctx)) {
            for (const n of blocks(ip.node, 'authorized_networks', ctx))
              out.push(rule(r, 'ingress', undefined, [n.attr('value')], ALL, ctx, { service: 'the Cloud SQL instance' }));
          }
        }
        break;
      case 'google_compute_firewall':
        gcpFirewall(r, ctx, out);
        break;
      case 'azurerm_network_security_rule':
        for (const x of each) azureRule(r, x, ctx, out);
        break;
      case 'azurerm_network_security_group':
        for (const g of each) for (const x of nestedBlocks(g, 'security_rule', ctx)) azureRule(r, x, ctx, out);
        break;
      default:
        FIREWALL_READERS[r.type]?.(r, each, ctx, out);
        break;
    }
  }
  // A resource that is never created (`count = 0`, an empty `for_each`) opens nothing: asked only of resources
  // whose rules would be reported, once each.
  const created = new Map<Resource, boolean>();
  const exists = (r: Resource) => {
    let known = created.get(r);
    if (known === undefined) created.set(r, (known = r.kind !== 'resource' || !neverCreated(r, ctx)));
    return known;
  };
  return out.filter((x) => (x.peers.open.length > 0 || x.peers.inputs.length > 0) && exists(x.resource));
}
