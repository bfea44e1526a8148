import { type Entry, type EvalContext, get, isMap, isScalar, type MapNode, type Node, type Resource, str } from '../../../core';
import { listItems } from './firewall-tf-modules';
import type { NetRule } from './firewall';

/**
 * Firewall rules passed to the terraform-google-modules network module, the most used way to write Google Cloud
 * firewalls in Terraform besides the resource itself. Each item becomes the `google_compute_firewall` the module
 * makes of it (modules/firewall-rules/main.tf): `ranges` are the sources of an INGRESS rule and the destinations of
 * an EGRESS one unless `source_ranges` / `destination_ranges` are given. Only what the caller writes is read: an
 * item that names no source at all is left to the module, which does not document a default for it.
 * https://github.com/terraform-google-modules/terraform-google-network/tree/main/modules/firewall-rules
 */

const NETWORK_MODULE = /terraform-google-modules\/network\/google|terraform-google-modules\/terraform-google-network/;

/** The inputs that take firewall rules: the submodule's `rules`, the root module's `firewall_rules`, and both modules' newer lists by direction. */
const RULE_INPUTS: Record<string, 'INGRESS' | 'EGRESS' | undefined> = {
  rules: undefined,
  firewall_rules: undefined,
  ingress_rules: 'INGRESS',
  egress_rules: 'EGRESS',
};

const SOURCES = ['source_ranges', 'ranges', 'source_tags', 'source_service_accounts'];
const PASSED = ['allow', 'disabled', 'source_tags', 'source_service_accounts'];

/** A value that is there: written, and not `null`. */
function written(node: Node | undefined): node is Node {
  return node !== undefined && !(isScalar(node) && node.value === null);
}

function entryOf(key: string, value: Node): Entry {
  return { key, keySpan: value.span, value, form: 'attribute' };
}

/** The body of the `google_compute_firewall` the module makes of one item, or undefined when it names no source. */
function firewallBody(item: MapNode, fixed: 'INGRESS' | 'EGRESS' | undefined): MapNode | undefined {
  const directionNode = get(item, 'direction');
  const direction = fixed ?? (written(directionNode) ? str(directionNode)?.toUpperCase() : 'INGRESS');
  if (direction !== 'INGRESS' && direction !== 'EGRESS') return undefined;
  if (direction === 'INGRESS' && !SOURCES.some((k) => written(get(item, k)))) return undefined;
  const entries: Entry[] = [entryOf('direction', { kind: 'scalar', value: direction, span: directionNode?.span ?? item.span, path: [] })];
  const side = direction === 'INGRESS' ? 'source_ranges' : 'destination_ranges';
  const ranges = [get(item, side), get(item, 'ranges')].find(written);
  if (ranges) entries.push(entryOf(side, ranges));
  for (const key of PASSED) {
    const v = get(item, key);
    if (written(v)) entries.push(entryOf(key, v));
  }
  return { kind: 'map', entries, span: item.span, path: item.path };
}

/** Reads one `google_compute_firewall` body (the Terraform reader's own). */
export type GcpFirewallReader = (r: Resource, ctx: EvalContext, out: NetRule[]) => void;

export function gcpNetworkModule(r: Resource, ctx: EvalContext, out: NetRule[], read: GcpFirewallReader) {
  const source = str(get(r.body, 'source'));
  if (!source || !NETWORK_MODULE.test(source)) return;
  for (const e of r.body.entries) {
    if (!(e.key in RULE_INPUTS)) continue;
    for (const item of listItems(e.value, ctx)) {
      if (!isMap(item)) continue;
      const body = firewallBody(item, RULE_INPUTS[e.key]);
      if (body) read({ ...r, body }, ctx, out);
    }
  }
}
