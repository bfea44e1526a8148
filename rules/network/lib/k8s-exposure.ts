import {
  at,
  contentSpan,
  evaluate,
  get,
  isExpr,
  isMap,
  items,
  type Node,
  type ParsedFile,
  type Project,
  type Resource,
  type Span,
  str,
  walk,
} from '../../../core';
import { externalExposure, selectedWorkloads } from '../../lib/k8s-services';

/**
 * What exposes pods outside a cluster: a Service of type LoadBalancer (not internal, no source ranges short of
 * the world) or NodePort, or an Ingress routing to a Service (an ingress controller answers for the world unless
 * told otherwise). Services and Ingresses are read from the files given (a folder of manifests, a chart).
 */
export interface Exposer {
  /** Where the exposure is written: the Service's `type`, or the Ingress backend's Service name. */
  span: Span;
  file: ParsedFile;
  /** In messages: `Service "llm" (LoadBalancer)`, `Ingress "web" (through Service "llm")`. */
  what: string;
  /** The Service whose selector picks the pods. */
  service: Resource;
  helm: boolean;
}

const namespaceOf = (r: Resource) => str(at(r.body, 'metadata', 'namespace')) ?? '';
/** A resource in messages; a Helm template's name written by an action is left out. */
const named = (kind: string, r: Resource) => (r.name.includes('{{') ? `a ${kind}` : `${kind} "${r.name}"`);

/** The Service names an Ingress routes to (`backend.service.name`, or `backend.serviceName` in v1beta1), with their nodes. */
function ingressBackends(ingress: Resource): Node[] {
  const out: Node[] = [];
  const spec = get(ingress.body, 'spec');
  if (!spec) return out;
  for (const v of walk(spec)) {
    if (!isMap(v.node) || (v.entry?.key !== 'backend' && v.entry?.key !== 'defaultBackend')) continue;
    const name = at(v.node, 'service', 'name') ?? get(v.node, 'serviceName');
    if (name && str(name) !== undefined) out.push(name);
  }
  return out;
}

/** A value as written, or a Helm template's through the chart's values (`type: {{ .Values.service.type }}`). */
export function valueReader(file: ParsedFile, project: Project): (node: Node | undefined) => string | undefined {
  if (file.format !== 'helm') return str;
  return (node) => (isExpr(node) ? str(evaluate(node, { file, project }).values.find((v) => str(v) !== undefined)) : str(node));
}

/** The Services and Ingresses of `files` that reach outside the cluster. */
export function clusterExposers(files: ParsedFile[], project: Project): Exposer[] {
  const out: Exposer[] = [];
  const services = new Map<string, { file: ParsedFile; r: Resource }>();
  for (const file of files) for (const r of file.resources) if (r.type === 'Service') services.set(`${namespaceOf(r)}\0${r.name}`, { file, r });
  for (const file of files) {
    const helm = file.format === 'helm';
    for (const r of file.resources) {
      const exposure = r.type === 'Service' ? externalExposure(r, valueReader(file, project)) : undefined;
      if (exposure) out.push({ span: contentSpan(exposure.typeNode), file, what: `${named('Service', r)} (${exposure.type})`, service: r, helm });
      if (r.type !== 'Ingress') continue;
      for (const name of ingressBackends(r)) {
        const target = services.get(`${namespaceOf(r)}\0${str(name)}`);
        if (target)
          out.push({ span: contentSpan(name), file, what: `${named('Ingress', r)} (through ${named('Service', target.r)})`, service: target.r, helm });
      }
    }
  }
  return out;
}

/**
 * The exposers of each workload of `file`, by the Service selectors (each Service's pods looked up once, through
 * the file's label index).
 */
export function exposersByWorkload(exposers: Exposer[], file: ParsedFile): Map<Resource, Exposer[]> {
  const out = new Map<Resource, Exposer[]>();
  for (const e of exposers) {
    for (const { workload } of selectedWorkloads(e.service, [file], e.helm)) {
      const list = out.get(workload);
      if (list) list.push(e);
      else out.set(workload, [e]);
    }
  }
  return out;
}

/** Whether the exposer's Service routes `port` (any port when the port or a target port is unknown). */
export function routesPort(e: Exposer, port: number | undefined): boolean {
  if (port === undefined) return true;
  const ports = items(at(e.service.body, 'spec', 'ports'));
  if (ports.length === 0) return true;
  return ports.some((p) => {
    const target = str(get(p, 'targetPort') ?? get(p, 'port'));
    return target === undefined || !/^\d+$/.test(target) || Number(target) === port;
  });
}

/** KubeRay: the head's Service type (`headGroupSpec.serviceType`) when it is LoadBalancer or NodePort. */
export function rayHeadExposure(body: Node): { span: Span; type: string } | undefined {
  for (const v of walk(body)) {
    if (!isMap(v.node) || v.entry?.key !== 'headGroupSpec') continue;
    const type = get(v.node, 'serviceType');
    const value = str(type);
    if (type && (value === 'LoadBalancer' || value === 'NodePort')) return { span: contentSpan(type), type: value };
  }
  return undefined;
}
