import {
  at,
  containers,
  contentSpan,
  defineRule,
  evaluate,
  type FindingInput,
  get,
  helmRole,
  isExpr,
  items,
  type Node,
  type ParsedFile,
  type Project,
  type Resource,
  type RuleContext,
  str,
} from '../../../core';
import { throughValues } from '../../lib/helm';
import { parseImage } from '../../lib/image';
import { backendService, ingressBackends, ingressReach } from '../lib/k8s-ingress';
import { type NamespacePolicies, policyIndex, selecting } from '../lib/k8s-network-policies';
import { externalExposure, namespaceOf, podLabels, selectedWorkloads } from '../../lib/k8s-services';

/** Vector and search databases that hold embeddings and documents, by a token of the image name. */
const STORES = ['qdrant', 'weaviate', 'milvus', 'chroma', 'chromadb', 'opensearch', 'elasticsearch', 'vespa', 'pgvector', 'marqo'];
/** Companion images that carry a store's name but hold no data. */
const COMPANIONS = /(?:^|[-_.])(?:exporter|dashboards?|kibana|curator|operator|proxy|fluentd?|beat|logstash|attu|ui|client)(?:[-_.]|$)/;

/** The store an image runs (`qdrant/qdrant:v1.9`, `docker.elastic.co/elasticsearch/elasticsearch:8.13`), if any. */
export function storeOf(image: string): string | undefined {
  const name = parseImage(image.trim()).repository.split('/').pop()?.toLowerCase() ?? '';
  if (COMPANIONS.test(name)) return undefined;
  return STORES.find((s) => new RegExp(`(?:^|[-_.])${s}(?:[-_.]|$)`).test(name));
}

const STORE_TEXT = new RegExp(STORES.join('|'), 'i');

/** Text that can hold an image `storeOf` recognises. */
function mayNameStore(text: string): boolean {
  return STORE_TEXT.test(text);
}

/** Whether the file or another of its folder or chart holds a NetworkPolicy. */
const policyNearby = (text: string, neighbours: () => readonly string[]) =>
  text.includes('NetworkPolicy') || neighbours().some((t) => t.includes('NetworkPolicy'));

/** Environment variables that switch on authentication in these stores (any value counts: it may come from a Secret). */
const AUTH_ENV =
  /^(QDRANT__SERVICE__API_KEY|AUTHENTICATION_APIKEY_ENABLED|AUTHENTICATION_OIDC_ENABLED|CHROMA_SERVER_AUTHN_PROVIDER|CHROMA_SERVER_AUTH_PROVIDER|ELASTIC_PASSWORD|OPENSEARCH_INITIAL_ADMIN_PASSWORD|COMMON_SECURITY_AUTHORIZATIONENABLED)$/;

/** A container's environment as names and values (a Kubernetes `env` list). */
function envPairs(env: Node | undefined): Array<[string, string | undefined]> {
  return items(env).map((e): [string, string | undefined] => [str(get(e, 'name')) ?? '', str(get(e, 'value'))]);
}

/**
 * Whether the store asks clients to authenticate: an authentication variable is set, or it is Elasticsearch 8 or
 * later, whose security is on unless `xpack.security.enabled` is false (before 8.0 it is off unless set to true).
 */
function hasAuth(store: string, image: string, env: Node | undefined): boolean {
  const pairs = envPairs(env);
  const xpack = pairs
    .find(([name]) => name === 'xpack.security.enabled')?.[1]
    ?.trim()
    .toLowerCase();
  if (store === 'elasticsearch' && xpack !== undefined) return xpack !== 'false';
  if (pairs.some(([name]) => AUTH_ENV.test(name))) return true;
  return store === 'elasticsearch' && Number.parseInt(parseImage(image.trim()).tag ?? '', 10) >= 8;
}

export default defineRule({
  id: 'storage/vector-db-exposed',
  family: 'storage',
  severity: 'error',
  formats: ['kubernetes', 'helm'],
  // Findings sit on a Service of type LoadBalancer or NodePort (in a Helm chart, often set in values.yaml), on an
  // Ingress backend, or on a store's workload where NetworkPolicies are in use.
  prefilter: {
    kubernetes: (text, neighbours) => /LoadBalancer|NodePort|Ingress|Route/.test(text) || (mayNameStore(text) && policyNearby(text, neighbours)),
    helm: (text, neighbours) => /Service|LoadBalancer|NodePort|Ingress|Route/.test(text) || (text.includes('image') && policyNearby(text, neighbours)),
  },
  docs: {
    summary:
      "Vector or search database (Qdrant, Weaviate, Milvus, Chroma, OpenSearch, Elasticsearch, Vespa, pgvector, Marqo) behind a Kubernetes Service of type `LoadBalancer` without `loadBalancerSourceRanges`, or `NodePort`, or an Ingress, Gateway API route or OpenShift Route that sends requests to its Service; or a store no NetworkPolicy selects in a namespace where policies restrict other pods. A Compose service publishing a store's port on every host interface is `network/port-published-all-interfaces`'s finding.",
    why: "These stores hold the embeddings and the documents behind a RAG system, and most of them ship with no authentication. A LoadBalancer Service gives them a public address; a NodePort opens them on every node; an Ingress, a Gateway API route (`HTTPRoute`, `GRPCRoute`, …) or an OpenShift `Route` publishes them through the ingress controller, gateway or router (unless it is internal or admits only listed source ranges). Scanners index open Elasticsearch, Qdrant and Chroma endpoints within hours, and embeddings can be inverted back into text. Elasticsearch and OpenSearch count whatever they index: a log store of an ELK stack published without authentication is the same open database (Elasticsearch before 8.0 has security off by default). Inside the cluster, pods no NetworkPolicy selects accept connections from every pod: where policies restrict the other workloads of the namespace, a store left out of them is the one database any compromised pod can read. A Service is matched to its workloads by its selector and an Ingress or route to its Service by name (and namespace), in the same file or folder (in a Helm chart: the chart, where a name written by the same action in both matches); in a Helm chart the type and image are read through `values.yaml`, a selector written by an `include` selects the workloads of the chart whose labels are written the same way, and a label value written by an action (`app: {{ .Release.Name }}-qdrant`) matches the same action text in the pod labels, and a policy selector that may select the store's templated labels counts as selecting it. A template's `if` guards are not evaluated. A store that requires authentication (set through its environment, or Elasticsearch 8 and later by default), or behind an Ingress that asks for it, is reported as a warning instead of an error; a store no NetworkPolicy selects is a warning, or information when it requires authentication.",
    fix: "Use a ClusterIP Service and reach the store from inside the cluster, or add loadBalancerSourceRanges (or an internal load balancer annotation); route no public Ingress, Gateway API route or OpenShift Route to it, or restrict the Ingress to known source ranges and put authentication in front; add a NetworkPolicy that admits only the pods that query the store; turn on the store's API key or authentication.",
    examples: {
      format: 'kubernetes',
      bad: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: qdrant\nspec:\n  type: LoadBalancer\n  selector:\n    app: qdrant\n  ports:\n    - port: 6333',
      good: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: qdrant\nspec:\n  type: ClusterIP\n  selector:\n    app: qdrant\n  ports:\n    - port: 6333',
    },
  },
  check(ctx) {
    const { file, project } = ctx;
    if (file.format !== 'helm' || helmRole(file) === 'template') {
      for (const e of exposures(file, project)) ctx.report(e.finding);
      ingressRoutes(ctx);
      unrestrictedStores(ctx);
      return;
    }
  },
});

interface Exposed {
  finding: FindingInput<never>;
  typeNode: Node;
  /** The values node a Helm template's `type` was read from. */
  typeValue?: Node;
}

/** A value as a template renders it: a Helm template's through the chart's values (`values` keeps where it came from). */
type Reader = (node: Node | undefined, from?: ParsedFile) => string | undefined;

function reader(file: ParsedFile, project: Project, values: Map<Node, Node> = new Map()): Reader {
  return (node, from = file) => {
    if (file.format !== 'helm' || !isExpr(node)) return str(node);
    const value = evaluate(node, { file: from, project }).values.find((v) => str(v) !== undefined);
    if (value) values.set(node, value);
    // Unresolved, an image still names its repository when only the tag is an action: `qdrant/qdrant:{{ ... }}`.
    return str(value) ?? (node.literalParts?.[0] || undefined);
  };
}

interface StoreContainer {
  store: string;
  imageNode: Node;
  /** Authentication is configured through the container's environment. */
  auth: boolean;
}

/** The first container of a workload that runs a store. */
function storeContainer(workload: Resource, from: ParsedFile, read: Reader): StoreContainer | undefined {
  for (const { container } of containers(workload)) {
    const imageNode = get(container, 'image');
    const image = read(imageNode, from);
    const store = image ? storeOf(image) : undefined;
    if (!imageNode || !store) continue;
    return { store, imageNode, auth: hasAuth(store, image!, get(container, 'env')) };
  }
  return undefined;
}

const related = (file: ParsedFile, other: ParsedFile, node: Node, message: string) => ({
  span: contentSpan(node),
  message,
  uri: other === file ? undefined : other.uri,
});

/** The Services of `file` that expose a store, as findings on their `type`. */
function exposures(file: ParsedFile, project: Project): Exposed[] {
  const helm = file.format === 'helm';
  const out: Exposed[] = [];
  const values = new Map<Node, Node>();
  const read = reader(file, project, values);
  let files: ParsedFile[] | undefined;
  for (const r of file.resources) {
    const exposure = externalExposure(r, read);
    if (!exposure) continue;
    // The folder's other manifests are parsed when first asked for: only for an exposed Service. A chart's
    // templates may name the store only through values.yaml.
    files ??= helm ? project.module(file) : project.module(file, mayNameStore);
    for (const { file: other, workload } of selectedWorkloads(r, files, helm)) {
      const found = storeContainer(workload, other, read);
      if (!found) continue;
      const { store, imageNode, auth } = found;
      const where = exposure.type === 'LoadBalancer' ? 'a public load balancer with no source ranges' : 'a port on every node';
      const typeValue = values.get(exposure.typeNode);
      out.push({
        typeNode: exposure.typeNode,
        typeValue,
        finding: {
          span: contentSpan(exposure.typeNode),
          severity: auth ? 'warning' : undefined,
          message: `Service "${r.name}" exposes ${store} (${workload.type} "${workload.name}") on ${where}${auth ? '; it requires authentication, but the index is still reachable from outside the cluster' : ': anyone who finds it can read and overwrite the index'}`,
          related: [...(typeValue ? throughValues(file, typeValue) : []), related(file, other, imageNode, `the ${store} container`)],
        },
      });
      break;
    }
  }
  return out;
}

/** Ingresses and routes of `file` that send requests to a Service in front of a store, as findings on the Service name. */
function ingressRoutes(ctx: RuleContext): void {
  const { file, project } = ctx;
  const helm = file.format === 'helm';
  const read = reader(file, project);
  let files: ParsedFile[] | undefined;
  for (const r of file.resources) {
    const backends = ingressBackends(r);
    if (backends.length === 0) continue;
    const reach = ingressReach(r);
    if (!reach.open) continue;
    files ??= helm ? project.module(file) : project.module(file, (text) => text.includes('Service') || mayNameStore(text));
    for (const backend of backends) {
      const target = backendService(r, backend, files);
      if (!target) continue;
      for (const { file: other, workload } of selectedWorkloads(target.service, files, helm)) {
        const found = storeContainer(workload, other, read);
        if (!found) continue;
        const { store, imageNode, auth } = found;
        const via = r.type === 'Ingress' ? 'the ingress controller' : r.type === 'Route' ? 'the router' : 'the gateway';
        const guarded = reach.auth ? `the ${r.type} asks for authentication (${reach.auth})` : auth ? 'it requires authentication' : undefined;
        ctx.report({
          span: contentSpan(backend.nameNode),
          severity: guarded ? 'warning' : undefined,
          message: `${r.type} "${r.name}" routes ${backend.hosts} to Service "${target.service.name}", in front of ${store} (${workload.type} "${workload.name}")${guarded ? `; ${guarded}, but the index is reachable through ${via} from outside the cluster` : `: anyone who reaches ${via} can read and overwrite the index`}`,
          related: [
            related(file, target.file, at(target.service.body, 'metadata', 'name') ?? target.service.body, `the Service "${target.service.name}"`),
            related(file, other, imageNode, `the ${store} container`),
          ],
        });
        break;
      }
    }
  }
}

/** Related locations shown for the policies of a namespace (the first few). */
const POLICIES_SHOWN = 3;

/**
 * Workloads of `file` running a store that no NetworkPolicy selects, in a namespace (of the folder or chart) where
 * policies restrict other pods: the store is the one workload any pod of the cluster can connect to.
 */
function unrestrictedStores(ctx: RuleContext): void {
  const { file, project } = ctx;
  const helm = file.format === 'helm';
  const read = reader(file, project);
  let policies: Map<string, NamespacePolicies> | undefined;
  for (const workload of file.resources) {
    if (workload.kind !== 'object' || workload.type === 'Service') continue;
    const found = storeContainer(workload, file, read);
    if (!found) continue;
    policies ??= policyIndex(project.module(file, (text) => text.includes('NetworkPolicy')));
    const namespace = namespaceOf(workload);
    const inNamespace = policies.get(namespace);
    if (!inNamespace || selecting(inNamespace, podLabels(workload), helm)) continue;
    const { store, imageNode, auth } = found;
    const scope = namespace ? `namespace "${namespace}"` : 'its namespace';
    const count = inNamespace.all.length === 1 ? 'a NetworkPolicy restricts' : `${inNamespace.all.length} NetworkPolicies restrict`;
    const name = at(workload.body, 'metadata', 'name');
    ctx.report({
      span: name ? contentSpan(name) : workload.nameSpan,
      severity: auth ? 'info' : 'warning',
      message: `${workload.type} "${workload.name}" runs ${store}, and no NetworkPolicy selects its pods while ${count} other pods in ${scope}: any pod in the cluster can connect to it${auth ? ' (it requires authentication)' : ' and read or overwrite the index'}`,
      related: [
        related(file, file, imageNode, `the ${store} container`),
        ...inNamespace.all
          .slice(0, POLICIES_SHOWN)
          .map((p) => related(file, p.file, p.selector ?? p.policy.body, `NetworkPolicy "${p.policy.name}" selects other pods`)),
      ],
    });
  }
}
