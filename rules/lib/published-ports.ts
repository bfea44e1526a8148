import {
  contentSpan,
  entry,
  get,
  inFileStyle,
  interpolatedDefault,
  isList,
  isMap,
  isScalar,
  lineIndexOf,
  type Node,
  type ParsedFile,
  type Resource,
  type Span,
  str,
} from '../../core';
import { parseImage } from './image';

/**
 * The ports a Compose service publishes on the host, short (`"8080:80"`, `"127.0.0.1:5432:5432"`, `"6333"`,
 * `"[::1]:80:80/tcp"`) and long syntax (`target`, `published`, `host_ip`), with whether each one listens on every
 * host interface — Docker's default when no host address is given — and the edit that binds it to 127.0.0.1.
 * Shared by the network and storage families: which services are sensitive is theirs to say.
 */

export interface PublishedPort {
  /** The container port (the first of a range). */
  target: number;
  /** `0.0.0.0`, `::`, or undefined when no host address is written. */
  hostIp?: string;
  /** Where to report: the short-syntax item, or the long syntax's `published` (else `target`) value. */
  span: Span;
  /** The port as written, for messages. */
  text: string;
  /** The edit that binds the port to 127.0.0.1, when the text allows one. */
  bindLoopback?: { span: Span; newText: string };
}

const ALL_INTERFACES = new Set(['0.0.0.0', '::', '[::]', '*']);

/** `[ip:][host[-range]:]container[-range][/proto]` → host address and container port; undefined when unreadable. */
function parseShort(spec: string): { ip?: string; ipLength: number; host?: string; target: number } | undefined {
  let rest = spec.trim().replace(/\/(tcp|udp|sctp)$/i, '');
  let ip: string | undefined;
  let ipLength = 0;
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close < 0 || rest[close + 1] !== ':') return undefined;
    ip = rest.slice(0, close + 1);
    ipLength = close + 2;
    rest = rest.slice(close + 2);
  }
  const parts = rest.split(':');
  if (ip === undefined && parts.length >= 3) {
    ip = parts.slice(0, parts.length - 2).join(':');
    ipLength = ip.length + 1;
    parts.splice(0, parts.length - 2);
  }
  if (parts.length > 2) return undefined;
  const container = /^(\d{1,5})(?:-\d{1,5})?$/.exec(parts[parts.length - 1]);
  if (!container) return undefined;
  const host = parts.length === 2 ? parts[0] : undefined;
  if (host !== undefined && host !== '' && !/^\d{1,5}(?:-\d{1,5})?$/.test(host)) return undefined;
  return { ip, ipLength, host, target: Number(container[1]) };
}

function isAllInterfaces(ip: string | undefined): boolean {
  return ip === undefined || ip === '' || ALL_INTERFACES.has(ip);
}

/** A port as Compose reads it when the variables it interpolates are unset: `${BIND:-0.0.0.0}:5432:5432`. */
function portSpec(node: Node): string | undefined {
  if (isScalar(node)) return typeof node.value === 'string' || typeof node.value === 'number' ? String(node.value) : undefined;
  return interpolatedDefault(node);
}

function shortPort(file: ParsedFile, node: Node): PublishedPort | undefined {
  const spec = portSpec(node);
  if (spec === undefined) return undefined;
  const parsed = parseShort(spec);
  if (!parsed || !isAllInterfaces(parsed.ip)) return undefined;
  const span = contentSpan(node);
  // An interpolated port is not `written`: binding its default alone would leave the variable deciding, so no fix.
  const written = isScalar(node) && file.text.slice(span.start, span.end) === spec;
  let bindLoopback: PublishedPort['bindLoopback'];
  if (isScalar(node) && typeof node.value === 'number') {
    // `- 5432`: a YAML number; the bound form is a string.
    bindLoopback = { span: node.span, newText: `"127.0.0.1::${spec}"` };
  } else if (written) {
    const lead = spec.length - spec.trimStart().length;
    const at = span.start + lead;
    if (parsed.ip !== undefined) bindLoopback = { span: { start: at, end: at + parsed.ipLength - 1 }, newText: '127.0.0.1' };
    else bindLoopback = { span: { start: at, end: at }, newText: parsed.host === undefined ? '127.0.0.1::' : '127.0.0.1:' };
  }
  const text = isScalar(node)
    ? spec.trim()
    : file.text
        .slice(span.start, span.end)
        .replace(/^(["'])(.*)\1$/s, '$2')
        .trim();
  return { target: parsed.target, hostIp: parsed.ip || undefined, span, text, bindLoopback };
}

function longPort(file: ParsedFile, node: Node): PublishedPort | undefined {
  if (!isMap(node)) return undefined;
  const target = Number(str(get(node, 'target')));
  if (!Number.isInteger(target)) return undefined;
  const ipEntry = entry(node, 'host_ip');
  const ip = ipEntry ? (str(ipEntry.value) ?? interpolatedDefault(ipEntry.value)) : undefined;
  if (ipEntry && !isAllInterfaces(ip)) return undefined;
  const published = get(node, 'published');
  // `published: "127.0.0.1:8080"` is not Compose syntax, but it says where the author meant to bind.
  if (published && !isAllInterfaces(parseShort(`${str(published) ?? ''}:${target}`)?.ip)) return undefined;
  const at = published ?? get(node, 'target')!;
  let bindLoopback: PublishedPort['bindLoopback'];
  if (ipEntry) {
    // `host_ip: ${BIND:-0.0.0.0}`: the variable decides, as for a short port; no fix.
    if (isScalar(ipEntry.value)) bindLoopback = { span: contentSpan(ipEntry.value), newText: '127.0.0.1' };
  } else if (file.text.charCodeAt(node.span.start) !== 123 && node.entries.length > 0) {
    // A block mapping: a `host_ip` line after its last entry, at the column of its keys.
    const first = node.entries[0].keySpan.start;
    const column = lineIndexOf(file.text).position(first).character;
    const last = node.entries[node.entries.length - 1].value.span.end;
    bindLoopback = { span: { start: last, end: last }, newText: inFileStyle(file, `\n${' '.repeat(column)}host_ip: 127.0.0.1`) };
  }
  return { target, hostIp: ip, span: contentSpan(at), text: `${str(published) ?? ''}${published ? ':' : ''}${target}`, bindLoopback };
}

/** The service's ports published on every host interface. */
export function portsOnAllInterfaces(file: ParsedFile, service: Resource): PublishedPort[] {
  const ports = get(service.body, 'ports');
  if (!isList(ports)) return [];
  const out: PublishedPort[] = [];
  for (const item of ports.items) {
    const p = shortPort(file, item) ?? longPort(file, item);
    if (p) out.push(p);
  }
  return out;
}

/** A service's image as written, or as Compose runs it when its variables are unset (`vllm/vllm-openai:${TAG:-latest}`). */
export function imageRef(service: Resource): string | undefined {
  const node = get(service.body, 'image');
  return str(node) ?? (node && interpolatedDefault(node));
}

/** The last path segment of a service's image, lower case (`bitnami/postgresql:16` → `postgresql`), if it names one. */
export function imageName(service: Resource): string | undefined {
  const image = imageRef(service);
  if (!image) return undefined;
  return parseImage(image.trim()).repository.split('/').pop()?.toLowerCase();
}
