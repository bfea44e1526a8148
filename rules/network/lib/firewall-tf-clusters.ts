import { type EvalContext, get, isList, isScalar, type MapNode, type Node, type Resource, str } from '../../../core';
import { inOverrideFile, providerDefault } from '../../lib/provider-defaults';
import { defaultPeers, peers, type Value } from './addresses';
import { type Block, blocks, nodeOf, text } from './firewall-tf-blocks';
import type { NetRule } from './firewall';
import { ALL } from './ports';

/**
 * The Kubernetes API endpoints of managed clusters (EKS, AKS, GKE): the address ranges allowed to reach them, or,
 * where the cluster leaves both the private switch and the ranges out, the provider default (every address;
 * docs/provider-defaults.md). A switch written through a value that cannot be read here is not guessed.
 */

const SERVICE = 'the Kubernetes API endpoint';

/** A value left out: absent, or `null` (Terraform's unset, and what a plan shows for an attribute left out). */
function leftOut(v: Value): boolean {
  const n = nodeOf(v);
  return n === undefined || (isScalar(n) && n.value === null);
}

/** The value at a path of nested blocks: `written` with `value` undefined when it cannot be read. */
function valueAt(body: MapNode, path: readonly string[], ctx: EvalContext): { written: boolean; value?: string } {
  const last = path[path.length - 1];
  if (path.length === 1) {
    const v = get(body, last);
    return leftOut(v) ? { written: false } : { written: true, value: text(v, ctx) };
  }
  let scopes: Block[] = blocks(body, path[0], ctx);
  for (const key of path.slice(1, -1)) scopes = scopes.flatMap((s) => blocks(s.node, key, ctx));
  for (const s of scopes) {
    const v = s.attr(last);
    if (!leftOut(v)) return { written: true, value: text(v, ctx) };
  }
  return { written: false };
}

/** The setting at `path`, or the provider default when it is left out; undefined when it cannot be read. */
function switchOf(r: Resource, path: readonly string[], ctx: EvalContext): string | undefined {
  const at = valueAt(r.body, path, ctx);
  return at.written ? at.value : providerDefault(r.type, path)?.value;
}

/** The entries of one allow-list, read together: ranges that only together span every address count as open. */
function ranges(r: Resource, values: Value[], ctx: EvalContext): NetRule[] {
  return values.length ? [{ direction: 'ingress', resource: r, peers: peers(ctx, ...values), ports: ALL, service: SERVICE }] : [];
}

/** The endpoint open to every address by the provider default for `rangesPath`, reported at `at`. */
function byDefault(r: Resource, rangesPath: readonly string[], at: Block | undefined, ctx: EvalContext): NetRule[] {
  // An override file changes a resource written in another file: what it leaves out is not left out.
  const d = inOverrideFile(ctx.file) ? undefined : providerDefault(r.type, rangesPath);
  return d ? [{ direction: 'ingress', resource: r, peers: defaultPeers(d, at?.keySpan ?? r.nameSpan), ports: ALL, service: SERVICE }] : [];
}

/** Authorized ranges written as an empty set: every address, reported on the empty set. */
function emptyRanges(r: Resource, v: Value, ctx: EvalContext): NetRule[] {
  const n = nodeOf(v);
  if (n === undefined || inOverrideFile(ctx.file)) return [];
  const value: Node = { kind: 'scalar', value: '0.0.0.0/0', span: n.span, path: [] };
  const implicit = 'the authorized IP ranges are an empty set, which restricts no address';
  return [{ direction: 'ingress', resource: r, peers: { open: [{ value, implicit }], inputs: [] }, ports: ALL, service: SERVICE }];
}

export function clusterEndpoint(r: Resource, ctx: EvalContext, out: NetRule[]) {
  const b = r.body;
  switch (r.type) {
    case 'aws_eks_cluster':
      for (const vpc of blocks(b, 'vpc_config', ctx)) {
        const publicAccess = vpc.attr('endpoint_public_access');
        const isPublic = publicAccess === undefined ? providerDefault(r.type, ['vpc_config', 'endpoint_public_access'])?.value : text(publicAccess, ctx);
        if (isPublic === 'false') continue;
        const cidrs = vpc.attr('public_access_cidrs');
        if (cidrs !== undefined) out.push(...ranges(r, [cidrs], ctx));
        else if (isPublic === 'true') out.push(...byDefault(r, ['vpc_config', 'public_access_cidrs'], vpc, ctx));
      }
      break;
    case 'azurerm_kubernetes_cluster': {
      const profiles = blocks(b, 'api_server_access_profile', ctx);
      // `api_server_authorized_ip_ranges` is the argument the profile block replaced (azurerm 3.x).
      const written = [get(b, 'api_server_authorized_ip_ranges'), ...profiles.map((p) => p.attr('authorized_ip_ranges'))].filter((v) => !leftOut(v));
      // An empty set authorizes no range in particular: the endpoint stays open to every address, as when left out.
      const emptied = written.filter((v) => {
        const n = nodeOf(v);
        return isList(n) && n.items.length === 0;
      });
      out.push(...ranges(r, written, ctx));
      if (written.length === emptied.length && switchOf(r, ['private_cluster_enabled'], ctx) === 'false') {
        if (emptied.length > 0) out.push(...emptyRanges(r, emptied[0], ctx));
        else out.push(...byDefault(r, ['api_server_access_profile', 'authorized_ip_ranges'], profiles[0], ctx));
      }
      break;
    }
    case 'google_container_cluster': {
      const networks = blocks(b, 'master_authorized_networks_config', ctx);
      for (const m of networks)
        out.push(
          ...ranges(
            r,
            blocks(m.node, 'cidr_blocks', ctx).map((c) => c.attr('cidr_block')),
            ctx,
          ),
        );
      // A private endpoint, or the IP-based endpoints turned off (only the IAM-checked DNS endpoint is left).
      const publicIp =
        switchOf(r, ['private_cluster_config', 'enable_private_endpoint'], ctx) === 'false' &&
        switchOf(r, ['control_plane_endpoints_config', 'ip_endpoints_config', 'enabled'], ctx) === 'true';
      if (networks.length === 0 && publicIp) out.push(...byDefault(r, ['master_authorized_networks_config'], undefined, ctx));
      break;
    }
  }
}

/**
 * Registry modules that make a cluster, by source, and the inputs that decide its endpoint. EKS module (releases
 * 19-20 name the inputs `cluster_endpoint_*`, 21 drops the prefix): a public endpoint takes
 * `["0.0.0.0/0"]` when its CIDRs are left out, the module's documented default; whether it is public when the switch
 * is left out changed between releases (true before 19, false since), so only a switch written true is read.
 * https://github.com/terraform-aws-modules/terraform-aws-eks/blob/master/variables.tf
 * kubernetes-engine module: `master_authorized_networks` items (`cidr_block`); left out or empty, the module allows
 * no external address, as its variable documents.
 * https://github.com/terraform-google-modules/terraform-google-kubernetes-engine/blob/main/variables.tf
 */
const EKS_MODULE = /terraform-aws-modules\/eks\/aws|terraform-aws-modules\/terraform-aws-eks/;
const GKE_MODULE = /terraform-google-modules\/kubernetes-engine\/google|terraform-google-modules\/terraform-google-kubernetes-engine/;

function eksModule(r: Resource, ctx: EvalContext, out: NetRule[]) {
  for (const prefix of ['cluster_endpoint_', 'endpoint_']) {
    const publicAccess = r.body.entries.find((e) => e.key === `${prefix}public_access`);
    if (!publicAccess || text(publicAccess.value, ctx) !== 'true') continue;
    const cidrs = get(r.body, `${prefix}public_access_cidrs`);
    if (!leftOut(cidrs)) {
      out.push(...ranges(r, [cidrs], ctx));
      continue;
    }
    const value: Node = { kind: 'scalar', value: '0.0.0.0/0', span: publicAccess.value.span, path: [] };
    const implicit = `${prefix}public_access_cidrs is left out, which the module reads as ["0.0.0.0/0"]`;
    out.push({ direction: 'ingress', resource: r, peers: { open: [{ value, implicit }], inputs: [] }, ports: ALL, service: SERVICE });
  }
}

function gkeModule(r: Resource, ctx: EvalContext, out: NetRule[]) {
  // With the private endpoint on (the private-cluster submodules), the ranges admit addresses to that endpoint only.
  if (leftOut(get(r.body, 'master_authorized_networks')) || text(get(r.body, 'enable_private_endpoint'), ctx) === 'true') return;
  out.push(
    ...ranges(
      r,
      blocks(r.body, 'master_authorized_networks', ctx).map((n) => n.attr('cidr_block')),
      ctx,
    ),
  );
}

/** The Kubernetes API endpoint of a cluster made by a registry module (the root module only: not `//modules/...`). */
export function clusterModuleEndpoint(r: Resource, ctx: EvalContext, out: NetRule[]) {
  const source = str(get(r.body, 'source'));
  if (!source) return;
  if (EKS_MODULE.test(source) && !source.includes('//')) eksModule(r, ctx, out);
  else if (GKE_MODULE.test(source)) gkeModule(r, ctx, out);
}
