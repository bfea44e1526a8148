import { at, contentSpan, get, items, type Node, type ParsedFile, type Project, type RelatedLocation, type Span } from '../../../core';
import { externalExposure } from '../../lib/k8s-services';
import { sensitivePortIn, serviceName } from './ports';
import { valueReader } from './k8s-exposure';

/**
 * A port a Kubernetes LoadBalancer Service puts on the internet that serves remote access, a database or an admin
 * interface. A LoadBalancer gets an address on the internet unless an annotation makes it internal or
 * `loadBalancerSourceRanges` narrows who may connect (`externalExposure`;
 * https://kubernetes.io/docs/concepts/services-networking/service/#loadbalancer). A port counts when the load
 * balancer listens on a sensitive port (`port`), or hands connections to one (a numeric `targetPort`: `15432` →
 * `5432` still speaks PostgreSQL). A NodePort is not read: whether a node's port is reachable depends on the nodes'
 * own firewall, which the manifest does not show. Public web ports are what a load balancer is for, and are not
 * reported.
 */
export interface LoadBalancerPort {
  span: Span;
  /** `Service "postgres"`, or `a Service` when a template writes its name. */
  service: string;
  /** `PostgreSQL (port 5432)`, `PostgreSQL (port 15432 to target port 5432)`. */
  what: string;
  /** Why nothing narrows it: no source ranges, or ranges that admit everyone. */
  why: string;
  related: RelatedLocation[];
}

export function sensitiveLoadBalancerPorts(file: ParsedFile, project: Project): LoadBalancerPort[] {
  const out: LoadBalancerPort[] = [];
  const read = valueReader(file, project);
  for (const r of file.resources) {
    const exposure = externalExposure(r, read);
    if (exposure?.type !== 'LoadBalancer') continue;
    const service = r.name.includes('{{') ? 'a Service' : `Service "${r.name}"`;
    const ranges = items(at(r.body, 'spec', 'loadBalancerSourceRanges')).length > 0;
    const why = ranges ? 'its loadBalancerSourceRanges admit every address' : 'no loadBalancerSourceRanges and no internal load balancer annotation';
    const related = [{ span: contentSpan(exposure.typeNode), message: 'type: LoadBalancer' }];
    for (const p of items(at(r.body, 'spec', 'ports'))) {
      const port = portOf(get(p, 'port'), read);
      const target = portOf(get(p, 'targetPort'), read);
      const protocol = read(get(p, 'protocol'))?.toLowerCase() === 'udp' ? 'udp' : 'tcp';
      const listened = sensitiveService(port?.number, protocol);
      const handed = target?.number !== port?.number ? sensitiveService(target?.number, protocol) : undefined;
      if (listened && port) out.push({ span: port.span, service, what: `${listened} (port ${port.number})`, why, related });
      else if (handed && target)
        out.push({ span: target.span, service, what: `${handed} (port ${port?.number ?? 'unknown'} to target port ${target.number})`, why, related });
    }
  }
  return out;
}

/**
 * Sensitive ports that are web interfaces (dashboards on 3000, a registry on 5000, Kibana, Jupyter, consoles on 9000,
 * Prometheus, RabbitMQ's management UI): on a Service, these numbers are as often an application's own HTTP port,
 * and publishing a web interface is what a load balancer is for. The AI servers among them are judged with their
 * workload (`network/ai-service-exposed`).
 */
const WEB_INTERFACES = new Set([3000, 5000, 5601, 8888, 9000, 9090, 15672]);

/** The service a sensitive port serves (`PostgreSQL`); undefined for other ports and web interfaces. */
function sensitiveService(port: number | undefined, protocol: 'tcp' | 'udp'): string | undefined {
  if (port === undefined || WEB_INTERFACES.has(port)) return undefined;
  return sensitivePortIn([[port, port]], protocol) !== undefined ? serviceName(port, protocol) : undefined;
}

/** A port number as written or rendered from a chart's values; a named port (`targetPort: http`) has no number. */
function portOf(node: Node | undefined, read: (node: Node | undefined) => string | undefined): { number?: number; span: Span } | undefined {
  if (!node) return undefined;
  const value = read(node)?.trim();
  return { number: value !== undefined && /^\d{1,5}$/.test(value) ? Number(value) : undefined, span: contentSpan(node) };
}
