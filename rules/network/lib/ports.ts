import type { Node } from '../../../core';

/**
 * Ports and protocols of firewall rules, the same for every provider: what a rule's protocol and port
 * fields mean once the provider's idioms are applied.
 */

/** An inclusive port range. */
export type Range = [number, number];

export type Ports =
  /** Every port (or every protocol). */
  | { kind: 'all' }
  /** `protocol`: the ranges are TCP-only or UDP-only; absent when both (or any protocol with ports). */
  | { kind: 'ranges'; ranges: Range[]; protocol?: 'tcp' | 'udp' }
  /** ICMP / ICMPv6: no ports, nothing a scanner can log in to. */
  | { kind: 'none' }
  /** A value that cannot be read here (a reference, an unparsable spec); `node` is named in messages. */
  | { kind: 'unknown'; node?: Node }
  /**
   * Written in a way the provider does not read as the author probably meant: TCP/UDP `0`-`0` (port 0 only,
   * though it is widely used to mean "every port") or an inverted range the API rejects.
   */
  | { kind: 'odd'; ranges: Range[]; why: string };

export const ALL: Ports = { kind: 'all' };

export type Protocol = 'all' | 'tcp' | 'udp' | 'icmp' | 'other' | 'unknown';

/** ICMP and ICMPv6 as the providers spell them (Yandex Cloud `IPV6_ICMP`, Nifcloud `ICMPv6-all`). */
const ICMP = new Set(['icmp', '1', 'icmpv6', '58', 'icmp6', 'ipv6-icmp', 'ipv6_icmp', 'icmpv6-all']);

/**
 * AWS/Azure/GCP protocol spellings, and those of the other providers' firewalls. Protocol numbers other than TCP, UDP and ICMP carry no ports: AWS
 * documents that such a rule allows "traffic on all ports" of that protocol.
 */
export function protocolOf(value: string | undefined): Protocol {
  if (value === undefined) return 'unknown';
  const v = value.trim().toLowerCase();
  // `icmp_tcp_udp`: IBM VPC's every-protocol rule.
  if (v === '-1' || v === 'all' || v === '*' || v === 'any' || v === 'icmp_tcp_udp') return 'all';
  if (v === 'tcp' || v === '6') return 'tcp';
  if (v === 'udp' || v === '17') return 'udp';
  if (ICMP.has(v)) return 'icmp';
  return /^\d+$/.test(v) || /^[a-z][a-z0-9-]*$/.test(v) ? 'other' : 'unknown';
}

/**
 * AWS from/to ports for a protocol (security groups, NACLs, CloudFormation). `from`/`to` are the literal
 * numbers when they could be read, `undefined` when absent; `unreadable` is the node that could not be.
 */
export function awsPorts(protocol: Protocol, from: number | undefined, to: number | undefined, unreadable?: Node): Ports {
  if (protocol === 'all' || protocol === 'other') return ALL;
  if (protocol === 'icmp') return { kind: 'none' };
  if (unreadable) return { kind: 'unknown', node: unreadable };
  if (from === undefined && to === undefined) return ALL;
  const f = from ?? to!;
  const t = to ?? from!;
  if ((f === -1 && t === -1) || (f <= 0 && t >= 65535)) return ALL;
  if (f === 0 && t === 0)
    return { kind: 'odd', ranges: [[0, 65535]], why: 'port range 0-0 opens port 0 only; if it was meant as "every port", every port is open' };
  if (f > t) return { kind: 'odd', ranges: [[f, f]], why: `port range ${f}-${t} is inverted, which the API rejects` };
  return { kind: 'ranges', ranges: [[Math.max(f, 0), Math.min(t, 65535)]], protocol: protocol === 'tcp' || protocol === 'udp' ? protocol : undefined };
}

/**
 * Port specs as GCP and Azure write them: `"22"`, `"1000-2000"`, `"*"`, and Azure's comma lists
 * (`"3389,3391"`, `"21-24, 230"`). Returns undefined for text that is not a port spec.
 */
export function parsePortSpec(text: string, protocol?: Protocol): Ports | undefined {
  const ranges: Range[] = [];
  for (const raw of text.split(',')) {
    const v = raw.trim();
    if (v === '') continue;
    if (v === '*') return ALL;
    const m = /^(\d{1,5})(?:\s*-\s*(\d{1,5}))?$/.exec(v);
    if (!m) return undefined;
    const f = Number(m[1]);
    const t = Number(m[2] ?? m[1]);
    if (f > t) return undefined;
    if (f <= 1 && t >= 65535) return ALL;
    ranges.push([f, t]);
  }
  return ranges.length ? { kind: 'ranges', ranges, protocol: protocol === 'tcp' || protocol === 'udp' ? protocol : undefined } : undefined;
}

/** Union of two port sets. */
export function mergePorts(a: Ports | undefined, b: Ports): Ports {
  if (!a) return b;
  if (a.kind === 'all' || b.kind === 'all') return ALL;
  if (a.kind === 'unknown') return a;
  if (b.kind === 'unknown') return b;
  if (a.kind === 'none') return b;
  if (b.kind === 'none') return a;
  if (a.kind === 'odd') return a;
  if (b.kind === 'odd') return b;
  return { kind: 'ranges', ranges: [...a.ranges, ...b.ranges], protocol: a.protocol === b.protocol ? a.protocol : undefined };
}

/** Two sets of port ranges as one, sorted, overlapping and touching ranges joined. */
export function unionRanges(a: Range[], b: Range[]): Range[] {
  const out: Range[] = [];
  for (const [f, t] of [...a, ...b].sort((x, y) => x[0] - y[0])) {
    const last = out[out.length - 1];
    if (last && f <= last[1] + 1) last[1] = Math.max(last[1], t);
    else out.push([f, t]);
  }
  return out;
}

/** `ranges` minus `remove` (both inclusive ranges). */
export function subtract(ranges: Range[], remove: Range[]): Range[] {
  let out = ranges.slice();
  for (const [rf, rt] of remove) {
    const next: Range[] = [];
    for (const [f, t] of out) {
      if (rt < f || rf > t) {
        next.push([f, t]);
        continue;
      }
      if (rf > f) next.push([f, rf - 1]);
      if (rt < t) next.push([rt + 1, t]);
    }
    out = next;
  }
  return out;
}

/** Ports attackers look for first: remote shells, databases, caches, message brokers, admin consoles. */
export const SENSITIVE_PORTS: Record<number, string> = {
  20: 'FTP data',
  21: 'FTP',
  22: 'SSH',
  23: 'Telnet',
  25: 'SMTP',
  53: 'DNS',
  110: 'POP3',
  135: 'MSRPC',
  137: 'NetBIOS',
  138: 'NetBIOS',
  139: 'NetBIOS',
  143: 'IMAP',
  161: 'SNMP',
  389: 'LDAP',
  445: 'SMB',
  636: 'LDAPS',
  1433: 'SQL Server',
  1434: 'SQL Server browser',
  1521: 'Oracle',
  1522: 'Oracle',
  2049: 'NFS',
  2375: 'Docker API',
  2376: 'Docker API',
  2379: 'etcd',
  2380: 'etcd',
  2382: 'SQL Server Analysis Services',
  2383: 'SQL Server Analysis Services',
  2483: 'Oracle',
  2484: 'Oracle',
  3000: 'dashboards',
  3020: 'CIFS',
  3306: 'MySQL',
  3389: 'RDP',
  4333: 'mSQL',
  4505: 'SaltStack',
  4506: 'SaltStack',
  5000: 'Docker registry',
  5432: 'PostgreSQL',
  5500: 'VNC',
  5601: 'Kibana',
  5672: 'RabbitMQ',
  5900: 'VNC',
  5984: 'CouchDB',
  5985: 'WinRM',
  5986: 'WinRM',
  6379: 'Redis',
  6443: 'Kubernetes API',
  7000: 'Cassandra',
  7001: 'Cassandra',
  7199: 'Cassandra JMX',
  8020: 'HDFS',
  8086: 'InfluxDB',
  8140: 'Puppet',
  8888: 'Jupyter',
  9000: 'admin consoles',
  9042: 'Cassandra',
  9090: 'Prometheus',
  9092: 'Kafka',
  9160: 'Cassandra',
  9200: 'Elasticsearch',
  9300: 'Elasticsearch',
  10250: 'kubelet',
  11211: 'Memcached',
  11214: 'Memcached',
  11215: 'Memcached',
  15672: 'RabbitMQ management',
  27017: 'MongoDB',
  27018: 'MongoDB',
  50070: 'HDFS',
  50470: 'HDFS',
  61620: 'OpsCenter',
  61621: 'OpsCenter',
};

/**
 * The UDP services among them, plus UDP-only ones that are abused for amplification or leak data (NTP,
 * SSDP, mDNS, TFTP, portmapper). A UDP rule on 22 or 3306 opens nothing: those services speak TCP.
 */
export const UDP_SENSITIVE_PORTS: Record<number, string> = {
  53: 'DNS',
  69: 'TFTP',
  111: 'portmapper',
  123: 'NTP',
  137: 'NetBIOS',
  138: 'NetBIOS',
  161: 'SNMP',
  389: 'CLDAP',
  1900: 'SSDP',
  2049: 'NFS',
  5353: 'mDNS',
  11211: 'Memcached',
};

const SENSITIVE = Object.keys(SENSITIVE_PORTS).map(Number);
const UDP_SENSITIVE = Object.keys(UDP_SENSITIVE_PORTS).map(Number);

/** The first sensitive port inside the ranges, if any (UDP ranges: UDP services only). */
export function sensitivePortIn(ranges: Range[], protocol?: 'tcp' | 'udp'): number | undefined {
  const list = protocol === 'udp' ? UDP_SENSITIVE : SENSITIVE;
  return list.find((p) => ranges.some(([f, t]) => p >= f && p <= t));
}

export function serviceName(port: number, protocol?: 'tcp' | 'udp'): string {
  return (protocol === 'udp' ? UDP_SENSITIVE_PORTS[port] : undefined) ?? SENSITIVE_PORTS[port] ?? UDP_SENSITIVE_PORTS[port];
}

/**
 * Ports that exist to face the internet and authenticate every client themselves: HTTPS, IKE/IPsec NAT
 * traversal, OpenVPN, WireGuard. Open to the world, they are the service working as designed.
 */
export const PUBLIC_SERVICE_PORTS: Range[] = [
  [443, 443],
  [500, 500],
  [1194, 1194],
  [4500, 4500],
  [51820, 51820],
];

/** The ranges minus the public-service ports: what is open beyond them. */
export function beyondPublicServices(ranges: Range[]): Range[] {
  return subtract(ranges, PUBLIC_SERVICE_PORTS);
}

export function describeRanges(ranges: Range[]): string {
  return ranges.map(([f, t]) => (f === t ? `${f}` : `${f}-${t}`)).join(', ');
}
