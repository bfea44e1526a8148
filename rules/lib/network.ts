import type { MapNode, Node, ParsedFile, Resource } from '../../core/model';
import { all, bool, get, isMap, items, str } from '../../core/nodes';

/**
 * Firewall rules of every provider and format, normalised into one shape so the ingress and egress rules
 * are one check each: AWS security groups (inline blocks and every rule resource), NACLs, GCP firewalls,
 * Azure NSG rules, CloudFormation security groups and NACL entries.
 */

export type Direction = 'ingress' | 'egress';

/** Ports a rule allows: `all`, an inclusive range list, or `unknown` (a reference we cannot resolve). */
export type Ports = 'all' | 'unknown' | Array<[number, number]>;

export interface NetRule {
  direction: Direction;
  resource: Resource;
  /** The peer address values (sources for ingress, destinations for egress) that are open to the world. */
  open: Node[];
  ports: Ports;
  /** The value that decides the ports, to name it when it cannot be resolved. */
  portsNode?: Node;
}

const WORLD = new Set(['0.0.0.0/0', '::/0', '0::/0', '0.0.0.0', '*', 'internet', 'any', '0.0.0.0/00']);

export function isWorld(node: Node): boolean {
  const v = str(node);
  return v !== undefined && WORLD.has(v.trim().toLowerCase());
}

function openValues(...nodes: (Node | undefined)[]): Node[] {
  return nodes.flatMap((n) => items(n)).filter(isWorld);
}

function num(node: Node | undefined): number | undefined {
  const v = str(node);
  if (v === undefined || !/^-?\d+$/.test(v.trim())) return undefined;
  return Number(v);
}

const ALL_PROTOCOLS = new Set(['-1', 'all', '*']);

/** AWS-style from/to ports with a protocol (`-1` means every protocol and port). */
function awsPorts(protocol: Node | undefined, from: Node | undefined, to: Node | undefined): { ports: Ports; node?: Node } {
  const p = str(protocol)?.toLowerCase();
  if (p !== undefined && ALL_PROTOCOLS.has(p)) return { ports: 'all' };
  if (protocol && p === undefined) return { ports: 'unknown', node: protocol };
  if (from === undefined && to === undefined) return { ports: 'all' };
  const f = num(from);
  const t = num(to ?? from);
  if (f === undefined) return { ports: 'unknown', node: from };
  if (t === undefined) return { ports: 'unknown', node: to };
  if ((f <= 0 && t >= 65535) || (f === -1 && t === -1)) return { ports: 'all' };
  return { ports: [[f, t]] };
}

/** `"22"`, `"1000-2000"`, `"*"` (GCP and Azure port specs). */
function portSpecs(nodes: Node[]): { ports: Ports; node?: Node } {
  const ranges: Array<[number, number]> = [];
  for (const n of nodes) {
    const v = str(n)?.trim();
    if (v === undefined) return { ports: 'unknown', node: n };
    if (v === '*' || v === '0-65535' || v === '1-65535') return { ports: 'all' };
    const m = /^(\d+)(?:\s*-\s*(\d+))?$/.exec(v);
    if (!m) return { ports: 'unknown', node: n };
    ranges.push([Number(m[1]), Number(m[2] ?? m[1])]);
  }
  return { ports: ranges };
}

function push(out: NetRule[], resource: Resource, direction: Direction, open: Node[], p: { ports: Ports; node?: Node }) {
  if (open.length) out.push({ direction, resource, open, ports: p.ports, portsNode: p.node });
}

function awsRule(out: NetRule[], r: Resource, direction: Direction, rule: Node) {
  push(
    out,
    r,
    direction,
    openValues(get(rule, 'cidr_blocks'), get(rule, 'ipv6_cidr_blocks'), get(rule, 'cidr_ipv4'), get(rule, 'cidr_ipv6')),
    awsPorts(get(rule, 'protocol') ?? get(rule, 'ip_protocol'), get(rule, 'from_port'), get(rule, 'to_port')),
  );
}

function terraformRules(r: Resource, out: NetRule[]) {
  const b = r.body;
  switch (r.type) {
    case 'aws_security_group':
    case 'aws_default_security_group':
      for (const d of ['ingress', 'egress'] as const) for (const rule of all(b, d)) awsRule(out, r, d, rule);
      break;
    case 'aws_security_group_rule': {
      const type = str(get(b, 'type'))?.toLowerCase();
      if (type === 'ingress' || type === 'egress') awsRule(out, r, type, b);
      break;
    }
    case 'aws_vpc_security_group_ingress_rule':
      awsRule(out, r, 'ingress', b);
      break;
    case 'aws_vpc_security_group_egress_rule':
      awsRule(out, r, 'egress', b);
      break;
    case 'aws_network_acl':
    case 'aws_default_network_acl':
      for (const d of ['ingress', 'egress'] as const) {
        for (const rule of all(b, d)) {
          if (str(get(rule, 'action'))?.toLowerCase() !== 'allow') continue;
          push(out, r, d, openValues(get(rule, 'cidr_block'), get(rule, 'ipv6_cidr_block')), awsPorts(get(rule, 'protocol'), get(rule, 'from_port'), get(rule, 'to_port')));
        }
      }
      break;
    case 'aws_network_acl_rule': {
      if (str(get(b, 'rule_action'))?.toLowerCase() !== 'allow') break;
      const direction = bool(get(b, 'egress')) ? 'egress' : 'ingress';
      push(out, r, direction, openValues(get(b, 'cidr_block'), get(b, 'ipv6_cidr_block')), awsPorts(get(b, 'protocol'), get(b, 'from_port'), get(b, 'to_port')));
      break;
    }
    case 'google_compute_firewall': {
      const direction = str(get(b, 'direction'))?.toUpperCase() === 'EGRESS' ? 'egress' : 'ingress';
      const allows = all(b, 'allow');
      if (allows.length === 0 || bool(get(b, 'disabled')) === true) break;
      const open = openValues(direction === 'ingress' ? get(b, 'source_ranges') : get(b, 'destination_ranges'));
      let ports: { ports: Ports; node?: Node } = { ports: [] };
      for (const a of allows) {
        const proto = str(get(a, 'protocol'))?.toLowerCase();
        const specs = items(get(a, 'ports'));
        const p = proto === 'all' || specs.length === 0 ? { ports: 'all' as const } : portSpecs(specs);
        ports = mergePorts(ports, p);
      }
      push(out, r, direction, open, ports);
      break;
    }
    case 'azurerm_network_security_rule':
      azureRule(out, r, b);
      break;
    case 'azurerm_network_security_group':
      for (const rule of all(b, 'security_rule')) azureRule(out, r, rule);
      break;
    default:
      break;
  }
}

function azureRule(out: NetRule[], r: Resource, rule: Node) {
  if (str(get(rule, 'access'))?.toLowerCase() !== 'allow') return;
  const inbound = str(get(rule, 'direction'))?.toLowerCase() !== 'outbound';
  const side = inbound ? 'source' : 'destination';
  const open = openValues(get(rule, `${side}_address_prefix`), get(rule, `${side}_address_prefixes`));
  const specs = [...items(get(rule, 'destination_port_range')), ...items(get(rule, 'destination_port_ranges'))];
  const proto = str(get(rule, 'protocol'))?.toLowerCase();
  push(out, r, inbound ? 'ingress' : 'egress', open, proto === '*' && specs.length === 0 ? { ports: 'all' } : portSpecs(specs));
}

function mergePorts(a: { ports: Ports; node?: Node }, b: { ports: Ports; node?: Node }): { ports: Ports; node?: Node } {
  if (a.ports === 'all' || b.ports === 'all') return { ports: 'all' };
  if (a.ports === 'unknown') return a;
  if (b.ports === 'unknown') return b;
  return { ports: [...a.ports, ...b.ports] };
}

function cfnRule(out: NetRule[], r: Resource, direction: Direction, rule: Node) {
  if (!isMap(rule)) return;
  push(out, r, direction, openValues(get(rule, 'CidrIp'), get(rule, 'CidrIpv6')), awsPorts(get(rule, 'IpProtocol'), get(rule, 'FromPort'), get(rule, 'ToPort')));
}

function cloudFormationRules(r: Resource, out: NetRule[]) {
  const p: MapNode = r.body;
  switch (r.type) {
    case 'AWS::EC2::SecurityGroup':
      for (const rule of items(get(p, 'SecurityGroupIngress'))) cfnRule(out, r, 'ingress', rule);
      for (const rule of items(get(p, 'SecurityGroupEgress'))) cfnRule(out, r, 'egress', rule);
      break;
    case 'AWS::EC2::SecurityGroupIngress':
      cfnRule(out, r, 'ingress', p);
      break;
    case 'AWS::EC2::SecurityGroupEgress':
      cfnRule(out, r, 'egress', p);
      break;
    case 'AWS::EC2::NetworkAclEntry': {
      if (str(get(p, 'RuleAction'))?.toLowerCase() !== 'allow') break;
      const range = get(p, 'PortRange');
      push(
        out,
        r,
        bool(get(p, 'Egress')) ? 'egress' : 'ingress',
        openValues(get(p, 'CidrBlock'), get(p, 'Ipv6CidrBlock')),
        awsPorts(get(p, 'Protocol'), get(range, 'From'), get(range, 'To')),
      );
      break;
    }
    default:
      break;
  }
}

export function networkRules(file: ParsedFile): NetRule[] {
  const out: NetRule[] = [];
  for (const r of file.resources) {
    if (file.format === 'terraform' && r.kind === 'resource') terraformRules(r, out);
    else if (file.format === 'cloudformation' && r.kind === 'resource') cloudFormationRules(r, out);
  }
  return out;
}

/** Ports an attacker scans for first: remote shells, databases, caches, search and admin consoles. */
export const SENSITIVE_PORTS: Record<number, string> = {
  20: 'FTP data', 21: 'FTP', 22: 'SSH', 23: 'Telnet', 25: 'SMTP', 53: 'DNS', 110: 'POP3', 135: 'MSRPC', 137: 'NetBIOS',
  138: 'NetBIOS', 139: 'NetBIOS', 143: 'IMAP', 445: 'SMB', 1433: 'SQL Server', 1434: 'SQL Server browser', 1521: 'Oracle',
  2049: 'NFS', 2375: 'Docker API', 2376: 'Docker API', 2379: 'etcd', 3000: 'dashboards', 3306: 'MySQL', 3389: 'RDP',
  4333: 'mSQL', 5000: 'Docker registry', 5432: 'PostgreSQL', 5500: 'VNC', 5601: 'Kibana', 5900: 'VNC', 5984: 'CouchDB',
  6379: 'Redis', 6443: 'Kubernetes API', 7001: 'Cassandra', 8020: 'HDFS', 8086: 'InfluxDB', 8888: 'Jupyter',
  9000: 'admin consoles', 9042: 'Cassandra', 9090: 'Prometheus', 9200: 'Elasticsearch', 9300: 'Elasticsearch',
  10250: 'kubelet', 11211: 'Memcached', 27017: 'MongoDB', 27018: 'MongoDB', 50070: 'HDFS',
};

/** The first sensitive port inside the allowed ranges, if any. */
export function sensitivePortIn(ranges: Array<[number, number]>): number | undefined {
  for (const p of Object.keys(SENSITIVE_PORTS).map(Number)) {
    if (ranges.some(([f, t]) => p >= f && p <= t)) return p;
  }
  return undefined;
}

export function describePorts(ranges: Array<[number, number]>): string {
  return ranges.map(([f, t]) => (f === t ? `${f}` : `${f}-${t}`)).join(', ');
}
