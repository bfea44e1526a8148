/**
 * Address ranges that no request from the internet comes from: the private IPv4 blocks of RFC 1918, loopback and
 * link-local, and IPv6 unique local (fc00::/7), link-local (fe80::/10) and loopback addresses. A range counts only
 * when it lies wholly inside one of them (`10.0.0.0/7` reaches public addresses and does not).
 */

const IPV4_BLOCKS: readonly [number, number][] = [
  [ipv4('10.0.0.0') as number, 8],
  [ipv4('172.16.0.0') as number, 12],
  [ipv4('192.168.0.0') as number, 16],
  [ipv4('127.0.0.0') as number, 8],
  [ipv4('169.254.0.0') as number, 16],
];

/** The first 16 bits of the IPv6 blocks, with their prefix length. */
const IPV6_BLOCKS: readonly [number, number][] = [
  [0xfc00, 7],
  [0xfe80, 10],
];

function ipv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return undefined;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

function inIpv4Block(address: number, prefix: number): boolean {
  return IPV4_BLOCKS.some(([base, bits]) => prefix >= bits && Math.floor(address / 2 ** (32 - bits)) === Math.floor(base / 2 ** (32 - bits)));
}

function inIpv6Block(address: string, prefix: number): boolean {
  if (/^(0{0,4}:){2,7}0{0,3}1$|^::1$/.test(address)) return prefix === 128;
  const first = /^([0-9a-f]{1,4}):/.exec(address);
  if (!first) return false;
  const hextet = Number.parseInt(first[1], 16);
  return IPV6_BLOCKS.some(([base, bits]) => prefix >= bits && hextet >> (16 - bits) === base >> (16 - bits));
}

/** Whether an address or CIDR (`10.1.0.0/16`, `192.168.1.5`, `fd00::/8`) lies inside a private range. */
export function isPrivateRange(value: string): boolean {
  const m = /^([0-9a-f.:]+)(?:\/(\d{1,3}))?$/i.exec(value.trim());
  if (!m) return false;
  const address = m[1].toLowerCase();
  if (address.includes(':')) {
    const prefix = m[2] === undefined ? 128 : Number(m[2]);
    return prefix <= 128 && /^[0-9a-f:]+$/.test(address) && inIpv6Block(address, prefix);
  }
  const n = ipv4(address);
  const prefix = m[2] === undefined ? 32 : Number(m[2]);
  return n !== undefined && prefix <= 32 && inIpv4Block(n, prefix);
}
