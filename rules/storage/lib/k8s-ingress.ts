import { at, get, isExpr, items, type Node, type ParsedFile, type Resource, str } from '../../../core';
import { namespaceOf } from '../../lib/k8s-services';

/**
 * Objects that route requests from outside the cluster to a Service, and the Services they name:
 * - an Ingress: `networking.k8s.io/v1` names the Service under `backend.service.name`, the older `extensions/v1beta1`
 *   and `networking.k8s.io/v1beta1` under `backend.serviceName`, in each path of each rule and in the default backend
 *   (`defaultBackend`, formerly `backend`);
 * - a Gateway API route (`HTTPRoute`, `GRPCRoute`, `TLSRoute`, `TCPRoute`, `UDPRoute`): each rule's `backendRefs`
 *   whose `kind` is `Service` (the default), in the route's namespace unless the reference names another;
 * - an OpenShift `Route`: `spec.to` and `spec.alternateBackends` of kind `Service`.
 */

export interface IngressBackend {
  /** The value naming the Service. */
  nameNode: Node;
  /** The Service's namespace when the reference names one (a Gateway API `backendRefs` entry). */
  namespace?: string;
  /** Which requests it receives, for messages: `host "x"`, `its templated host` or `every host`. */
  hosts: string;
}

const GATEWAY_ROUTES = new Set(['HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute']);

const hostsOf = (hostNode: Node | undefined): string => {
  const host = str(hostNode);
  return host ? `host "${host}"` : hostNode ? 'its templated host' : 'every host';
};

/** Whether a reference names a Service: no `kind` (the default) or `kind: Service`. */
const toService = (ref: Node | undefined) => (str(get(ref, 'kind')) ?? 'Service') === 'Service';

/** Every backend a routing object sends requests to. */
export function ingressBackends(r: Resource): IngressBackend[] {
  const apiVersion = str(get(r.body, 'apiVersion')) ?? '';
  const out: IngressBackend[] = [];
  if (r.type === 'Ingress') {
    const add = (backend: Node | undefined, hostNode?: Node) => {
      const nameNode = at(backend, 'service', 'name') ?? get(backend, 'serviceName');
      if (nameNode) out.push({ nameNode, hosts: hostsOf(hostNode) });
    };
    add(at(r.body, 'spec', 'defaultBackend'));
    add(at(r.body, 'spec', 'backend'));
    for (const rule of items(at(r.body, 'spec', 'rules'))) {
      for (const path of items(at(rule, 'http', 'paths'))) add(get(path, 'backend'), get(rule, 'host'));
    }
  } else if (GATEWAY_ROUTES.has(r.type) && apiVersion.startsWith('gateway.networking.k8s.io/')) {
    const hosts = hostsOf(items(at(r.body, 'spec', 'hostnames'))[0]);
    for (const rule of items(at(r.body, 'spec', 'rules'))) {
      for (const ref of items(get(rule, 'backendRefs'))) {
        const nameNode = get(ref, 'name');
        if (nameNode && toService(ref)) out.push({ nameNode, namespace: str(get(ref, 'namespace')), hosts });
      }
    }
  } else if (r.type === 'Route' && apiVersion.startsWith('route.openshift.io/')) {
    const hosts = hostsOf(at(r.body, 'spec', 'host'));
    for (const ref of [at(r.body, 'spec', 'to'), ...items(at(r.body, 'spec', 'alternateBackends'))]) {
      const nameNode = get(ref, 'name');
      if (nameNode && toService(ref)) out.push({ nameNode, hosts });
    }
  }
  return out;
}

/** Annotations that keep an Ingress's load balancer inside the network (AWS ALB, GKE). */
const INTERNAL: Array<[string, RegExp]> = [
  ['alb.ingress.kubernetes.io/scheme', /^internal$/i],
  ['kubernetes.io/ingress.class', /^gce-internal$/i],
];

/** Annotations listing the client ranges an ingress controller admits (ingress-nginx, AWS ALB, the OpenShift router). */
const SOURCE_RANGES = [
  'nginx.ingress.kubernetes.io/whitelist-source-range',
  'nginx.ingress.kubernetes.io/allowlist-source-range',
  'alb.ingress.kubernetes.io/inbound-cidrs',
  'haproxy.router.openshift.io/ip_whitelist',
  'haproxy.router.openshift.io/ip_allowlist',
];

/** Annotations that make the ingress controller authenticate every request (ingress-nginx, AWS ALB). */
const AUTH: Array<[string, RegExp]> = [
  ['nginx.ingress.kubernetes.io/auth-url', /./],
  ['nginx.ingress.kubernetes.io/auth-type', /^(basic|digest)$/i],
  ['nginx.ingress.kubernetes.io/auth-tls-verify-client', /^on$/i],
  ['alb.ingress.kubernetes.io/auth-type', /^(cognito|oidc)$/i],
];

const WORLD = /^(0\.0\.0\.0\/0|::\/0)$/;

export type IngressReach = { open: false } | { open: true; auth?: string };

/**
 * Whether an Ingress or route is reachable by anyone: not when its load balancer is internal or its controller admits only
 * listed ranges (none of them the whole internet); `auth` names the annotation that puts authentication in front.
 */
export function ingressReach(r: Resource): IngressReach {
  const annotations = at(r.body, 'metadata', 'annotations');
  const value = (key: string) => str(get(annotations, key))?.trim() ?? '';
  if (INTERNAL.some(([k, v]) => v.test(value(k)))) return { open: false };
  for (const key of SOURCE_RANGES) {
    const ranges = value(key)
      .split(/[\s,]+/)
      .map((s) => s.trim())
      .filter(Boolean);
    if (ranges.length > 0 && !ranges.some((s) => WORLD.test(s))) return { open: false };
  }
  const auth = AUTH.find(([k, v]) => v.test(value(k)))?.[0];
  return auth ? { open: true, auth } : { open: true };
}

/**
 * What a Service name is written as, for matching an Ingress backend with a Service: a literal, or in a Helm
 * template the same actions with the same text around them (`{{ include "x.fullname" . }}` in both).
 */
function nameKey(node: Node | undefined): string | undefined {
  const literal = str(node);
  if (literal !== undefined) return literal;
  return isExpr(node) ? JSON.stringify([node.literalParts ?? [], node.refs]) : undefined;
}

/** A file's Services by `namespace, name key` (built once per file). */
const serviceIndexes = new WeakMap<ParsedFile, Map<string, Resource>>();

function serviceIndex(file: ParsedFile): Map<string, Resource> {
  let index = serviceIndexes.get(file);
  if (index) return index;
  index = new Map();
  for (const r of file.resources) {
    if (r.type !== 'Service') continue;
    const key = nameKey(at(r.body, 'metadata', 'name'));
    if (key !== undefined && !index.has(`${namespaceOf(r)}\0${key}`)) index.set(`${namespaceOf(r)}\0${key}`, r);
  }
  serviceIndexes.set(file, index);
  return index;
}

/** The Service a backend names, in its namespace (by default the routing object's), among `files`. */
export function backendService(ingress: Resource, backend: IngressBackend, files: ParsedFile[]): { file: ParsedFile; service: Resource } | undefined {
  const key = nameKey(backend.nameNode);
  if (key === undefined) return undefined;
  const namespace = backend.namespace ?? namespaceOf(ingress);
  for (const file of files) {
    const service = serviceIndex(file).get(`${namespace}\0${key}`);
    if (service) return { file, service };
  }
  return undefined;
}
