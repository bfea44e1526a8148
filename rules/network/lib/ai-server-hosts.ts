import { contentSpan, get, isMap, type Node, type ParsedFile, type Project, type Span } from '../../../core';
import { scriptValueLaunches } from './ai-server-commands';
import type { Launch } from './ai-servers';
import { NETWORK_PREFILTER, type NetRule, networkRules } from './firewall';

/**
 * Servers a Terraform module starts on its virtual machines, and the firewall rules of the module that let the
 * whole internet reach their port. A startup script is the string of `user_data` (AWS), `custom_data` (Azure),
 * `metadata_startup_script` or `metadata["startup-script"]` (GCP); one built by a function (`base64encode`,
 * `templatefile`) is not read. A security group or firewall rule of the same module open to the world on the
 * server's port is taken to guard it: which instance a group is attached to is not followed.
 */

const SCRIPT_KEYS = ['user_data', 'custom_data', 'metadata_startup_script'];

/** Text of a Terraform file that may start one of the servers on a machine. */
export const MAY_START = /user_data|custom_data|startup[-_]script/;

/** The launches of the startup scripts of a file's resources. */
export function startupLaunches(file: ParsedFile): Launch[] {
  const out: Launch[] = [];
  for (const r of file.resources) {
    if (r.kind !== 'resource') continue;
    const metadata = get(r.body, 'metadata');
    const scripts: Node[] = SCRIPT_KEYS.map((k) => get(r.body, k)).filter((n): n is Node => n !== undefined);
    const startup = isMap(metadata) ? get(metadata, 'startup-script') : undefined;
    if (startup) scripts.push(startup);
    for (const node of scripts) out.push(...scriptValueLaunches(node, file.text));
  }
  return out;
}

/** An ingress rule of the module open to the world, with the file it is written in. */
export interface WorldRule {
  rule: NetRule;
  file: ParsedFile;
}

/** The module's ingress rules that let the whole internet in. */
export function worldIngress(file: ParsedFile, project: Project): WorldRule[] {
  const files = project.module(file, (text) => NETWORK_PREFILTER.terraform.some((t) => text.includes(t)));
  return files.flatMap((f) =>
    networkRules({ file: f, project })
      .filter((rule) => rule.direction === 'ingress' && rule.peers.open.length > 0)
      .map((rule) => ({ rule, file: f })),
  );
}

/** Whether the rule lets TCP in on the port. */
export function opensPort(rule: NetRule, port: number | undefined): boolean {
  if (rule.ports.kind === 'all') return true;
  if (rule.ports.kind !== 'ranges' || port === undefined || rule.ports.protocol === 'udp') return false;
  return rule.ports.ranges.some(([from, to]) => from <= port && port <= to);
}

/** Where a world-open rule says "the whole internet", for a related location. */
export function openAt(w: WorldRule): Span {
  const peer = w.rule.peers.open[0];
  return contentSpan(peer.foreign && peer.via ? peer.via : peer.value);
}
