import { type Entry, type EvalContext, evaluate, get, isExpr, isList, isMap, isScalar, type Node, type Resource, str } from '../../../core';
import { awsPorts, protocolOf, type Ports } from './ports';
import { isWorldText, literal, peers, type Peers } from './addresses';
import type { Direction, NetRule } from './firewall';

/**
 * Firewall rules passed to the terraform-aws-modules modules, the most used way to write AWS security
 * groups and NACLs in Terraform. Only what the caller writes is read; the modules' own defaults are
 * theirs, like a provider default (the security-group submodules' all-all egress, the VPC module's
 * allow-all default NACL).
 */

/** Named rules of the security-group module whose names do not spell their port: [from, to, protocol]. */
const NAMED_RULES: Record<string, [number, number, string]> = {
  'all-all': [-1, -1, '-1'],
  'all-tcp': [0, 65535, 'tcp'],
  'all-udp': [0, 65535, 'udp'],
  'all-icmp': [-1, -1, 'icmp'],
  'all-ipv6-icmp': [-1, -1, '58'],
  'ssh-tcp': [22, 22, 'tcp'],
  'rdp-tcp': [3389, 3389, 'tcp'],
  'rdp-udp': [3389, 3389, 'udp'],
  'mysql-tcp': [3306, 3306, 'tcp'],
  'postgresql-tcp': [5432, 5432, 'tcp'],
  'mssql-tcp': [1433, 1433, 'tcp'],
  'mssql-udp': [1434, 1434, 'udp'],
  'mssql-analytics-tcp': [2383, 2383, 'tcp'],
  'oracle-db-tcp': [1521, 1521, 'tcp'],
  'redis-tcp': [6379, 6379, 'tcp'],
  'memcached-tcp': [11211, 11211, 'tcp'],
  'elasticsearch-rest-tcp': [9200, 9200, 'tcp'],
  'elasticsearch-java-tcp': [9300, 9300, 'tcp'],
  'kafka-broker-tcp': [9092, 9092, 'tcp'],
  'kibana-tcp': [5601, 5601, 'tcp'],
  'kubernetes-api-tcp': [6443, 6443, 'tcp'],
  'dns-udp': [53, 53, 'udp'],
  'dns-tcp': [53, 53, 'tcp'],
  'ntp-udp': [123, 123, 'udp'],
  'winrm-http-tcp': [5985, 5985, 'tcp'],
  'winrm-https-tcp': [5986, 5986, 'tcp'],
  'smtp-tcp': [25, 25, 'tcp'],
  'ldap-tcp': [389, 389, 'tcp'],
  'ldaps-tcp': [636, 636, 'tcp'],
  'nfs-tcp': [2049, 2049, 'tcp'],
  'docker-swarm-mngmt-tcp': [2377, 2377, 'tcp'],
  'etcd-client-tcp': [2379, 2379, 'tcp'],
  'etcd-peer-tcp': [2380, 2380, 'tcp'],
  'grafana-tcp': [3000, 3000, 'tcp'],
  'prometheus-http-tcp': [9090, 9090, 'tcp'],
  'puppet-tcp': [8140, 8140, 'tcp'],
  'cassandra-clients-tcp': [9042, 9042, 'tcp'],
  'cassandra-thrift-clients-tcp': [9160, 9160, 'tcp'],
  'cassandra-jmx-tcp': [7199, 7199, 'tcp'],
  'minio-tcp': [9000, 9000, 'tcp'],
  'saltstack-tcp': [4505, 4506, 'tcp'],
  'openvpn-udp': [1194, 1194, 'udp'],
  'openvpn-https-tcp': [443, 443, 'tcp'],
  'vault-tcp': [8200, 8200, 'tcp'],
  'consul-tcp': [8300, 8300, 'tcp'],
  'nomad-http-tcp': [4646, 4646, 'tcp'],
  'splunk-web-tcp': [8000, 8000, 'tcp'],
};

/** `http-80-tcp`, `mongodb-27017-tcp`, `ipsec-500-udp`: names that carry their port. */
function namedRule(name: string): [number, number, string] | undefined {
  if (NAMED_RULES[name]) return NAMED_RULES[name];
  const m = /-(\d{1,5})-(tcp|udp)$/.exec(name);
  return m ? [Number(m[1]), Number(m[1]), m[2]] : undefined;
}

function rulePorts(name: string | undefined, node: Node): Ports {
  const r = name === undefined ? undefined : namedRule(name);
  if (!r) return { kind: 'unknown', node };
  return awsPorts(protocolOf(r[2]), r[0], r[1]);
}

const SG_MODULE = /terraform-aws-modules\/security-group\/aws|terraform-aws-modules\/terraform-aws-security-group/;

/**
 * The module takes several ranges as one comma-separated string (`"10.0.0.0/8,0.0.0.0/0"`): open when one
 * of the parts is; the finding points at the string.
 */
function commaPeers(node: Node, ctx: EvalContext): Peers {
  if (isScalar(node) && typeof node.value === 'string' && node.value.includes(',')) {
    return { open: node.value.split(',').some((part) => isWorldText(part)) ? [{ value: node, partOf: true }] : [], inputs: [] };
  }
  return peers(ctx, node);
}

function listValues(node: Node | undefined, ctx: EvalContext): Node[] {
  if (node === undefined) return [];
  if (isList(node)) return node.items;
  return evaluate(node, ctx).values.flatMap((v) => (isList(v) ? v.items : []));
}

function securityGroupModule(r: Resource, ctx: EvalContext, out: NetRule[]) {
  const source = str(get(r.body, 'source'));
  if (!source || !SG_MODULE.test(source)) return;
  const submodule = /\/\/modules\/([\w-]+)/.exec(source)?.[1];
  for (const direction of ['ingress', 'egress'] as const) {
    const cidrs = get(r.body, `${direction}_cidr_blocks`);
    const ipv6 = get(r.body, `${direction}_ipv6_cidr_blocks`);
    const shared: Peers = peers(ctx, cidrs, ipv6);
    // `computed_*` inputs are the same rules, for values known only at apply time (`number_of_computed_*` counts them).
    const rulesEntries = r.body.entries.filter((e) => e.key === `${direction}_rules` || e.key === `computed_${direction}_rules`);
    const names: { name?: string; node: Node }[] = rulesEntries.flatMap((e) => listValues(e.value, ctx).map((n) => ({ name: str(n), node: n })));
    // A submodule (`//modules/ssh`, `//modules/http-80`) opens its own rules to `ingress_cidr_blocks`.
    if (submodule && direction === 'ingress' && (cidrs || ipv6)) {
      const named = Object.keys(NAMED_RULES).filter((n) => n.startsWith(`${submodule}-`));
      const own = named.length || !namedRule(`${submodule}-tcp`) ? named : [`${submodule}-tcp`];
      const node = cidrs ?? ipv6!;
      for (const name of own.length ? own : [undefined]) names.push({ name, node });
    }
    if (shared.open.length + shared.inputs.length > 0) {
      for (const n of names) out.push({ direction, resource: r, peers: shared, ports: rulePorts(n.name, n.node) });
    }
    // `ingress_with_cidr_blocks = [{ rule = "ssh-tcp" | from_port/to_port/protocol, cidr_blocks = "a,b" }]`
    for (const e of r.body.entries) {
      const m = /^(?:computed_)?(ingress|egress)_with_(ipv6_)?cidr_blocks$/.exec(e.key);
      if (!m || m[1] !== direction) continue;
      for (const item of listValues(e.value, ctx)) {
        if (!isMap(item)) continue;
        const own = get(item, m[2] ? 'ipv6_cidr_blocks' : 'cidr_blocks');
        const p = own ? commaPeers(own, ctx) : peers(ctx, m[2] ? ipv6 : cidrs);
        if (p.open.length + p.inputs.length === 0) continue;
        const rule = get(item, 'rule');
        const from = literal(get(item, 'from_port'), ctx).value;
        const ports =
          rule !== undefined
            ? rulePorts(str(rule), rule)
            : awsPorts(
                protocolOf(literal(get(item, 'protocol'), ctx).value ?? 'tcp'),
                from === undefined ? undefined : Number(from),
                numberOf(get(item, 'to_port'), ctx),
              );
        out.push({ direction, resource: r, peers: p, ports, container: e.keySpan });
      }
    }
  }
}

function numberOf(node: Node | undefined, ctx: EvalContext): number | undefined {
  const v = literal(node, ctx).value;
  return v === undefined || !/^-?\d+$/.test(v.trim()) ? undefined : Number(v);
}

/**
 * NACL rules passed to the VPC module (`default_network_acl_ingress`, `public_inbound_acl_rules`, ...), or to
 * a wrapper or copy of it under the same input names: lists of objects shaped like NACL entries.
 */
const VPC_MODULE_ACL_INPUT = /^(?:default_network_acl_(ingress|egress)|[a-z]+_(inbound|outbound)_acl_rules)$/;

function vpcModule(r: Resource, ctx: EvalContext, out: NetRule[], nacl: NaclReader) {
  for (const e of r.body.entries) {
    const m = VPC_MODULE_ACL_INPUT.exec(e.key);
    if (!m) continue;
    const direction: Direction = m[1] === 'ingress' || m[2] === 'inbound' ? 'ingress' : 'egress';
    nacl(r, direction, listItems(e.value, ctx).filter(isMap), e, out);
  }
}

/** The items of a list value: a literal, `concat(...)`, a variable or local (with `["key"]` / `.key` lookups). */
export function listItems(node: Node | undefined, ctx: EvalContext, depth = 0): Node[] {
  if (node === undefined || depth > 4) return [];
  if (isList(node)) return node.items;
  if (!isExpr(node)) return [];
  if (node.fn === 'concat' || node.fn === 'flatten') return (node.args ?? []).flatMap((a) => listItems(a, ctx, depth + 1));
  const m = /^((?:var|local)\.[\w-]+)((?:\["[\w-]+"\]|\.[\w-]+)*)$/.exec(node.text.trim());
  if (!m) return [];
  const keys = [...m[2].matchAll(/\["([\w-]+)"\]|\.([\w-]+)/g)].map((k) => k[1] ?? k[2]);
  const base: Node = { ...node, text: m[1], fn: undefined, args: undefined, literalParts: undefined };
  return evaluate(base, ctx).values.flatMap((v) => {
    let cur: Node | undefined = v;
    for (const k of keys) cur = get(cur, k);
    return cur === undefined ? [] : listItems(cur, ctx, depth + 1);
  });
}

/** Reads NACL-shaped items (provided by the Terraform reader, which owns NACL rule-order semantics). */
export type NaclReader = (r: Resource, direction: Direction, items: Node[], written: Entry, out: NetRule[]) => void;

export function moduleRules(r: Resource, ctx: EvalContext, out: NetRule[], nacl: NaclReader) {
  if (r.kind !== 'module') return;
  securityGroupModule(r, ctx, out);
  vpcModule(r, ctx, out, nacl);
}
