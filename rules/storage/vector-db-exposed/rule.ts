import {
  basenameOf,
  containers,
  contentSpan,
  defineRule,
  evaluate,
  type FindingInput,
  get,
  helmRole,
  helmValuesOrigins,
  isExpr,
  isMap,
  items,
  type Node,
  type ParsedFile,
  type RuleContext,
  type Project,
  str,
} from '../../../core';
import { throughValues } from '../../lib/helm';
import { portsOnAllInterfaces } from '../../lib/published-ports';
import { parseImage } from '../../lib/image';
import { externalExposure, selectedWorkloads } from '../lib/k8s-services';

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

/** Text that can hold an image `storeOf` recognises. */
function mayNameStore(text: string): boolean {
  const lower = text.toLowerCase();
  return STORES.some((s) => lower.includes(s));
}

/** Environment variables that switch on authentication in these stores (any value counts: it may come from a Secret). */
const AUTH_ENV =
  /^(QDRANT__SERVICE__API_KEY|AUTHENTICATION_APIKEY_ENABLED|AUTHENTICATION_OIDC_ENABLED|CHROMA_SERVER_AUTHN_PROVIDER|CHROMA_SERVER_AUTH_PROVIDER|ELASTIC_PASSWORD|OPENSEARCH_INITIAL_ADMIN_PASSWORD|COMMON_SECURITY_AUTHORIZATIONENABLED)$/;

function hasAuth(env: Node | undefined): boolean {
  if (isMap(env)) return env.entries.some((e) => AUTH_ENV.test(e.key));
  return items(env).some((e) => AUTH_ENV.test((str(e) ?? '').split('=')[0]));
}

/** Compose: a store's service publishing a port on every host interface. */
function composeStores(ctx: RuleContext): void {
  for (const service of ctx.file.resources) {
    const image = str(get(service.body, 'image'));
    const store = image ? storeOf(image) : undefined;
    if (!store) continue;
    const auth = hasAuth(get(service.body, 'environment'));
    for (const port of portsOnAllInterfaces(ctx.file, service)) {
      const where = port.hostIp ? `explicitly on ${port.hostIp}` : 'on every host interface (no host address)';
      ctx.report({
        span: port.span,
        severity: auth ? 'warning' : undefined,
        message: `Service "${service.name}" publishes ${store} (${image!.trim()}) as "${port.text}" ${where}${auth ? '; it has authentication configured, but the index is reachable by anyone who can reach the host' : ': anyone who can reach the host can read and overwrite the index'}`,
        fixes: port.bindLoopback ? [{ title: 'Publish the port on 127.0.0.1 only', kind: 'bind-loopback', safety: 'unsafe', edits: [port.bindLoopback] }] : [],
      });
    }
  }
}

export default defineRule({
  id: 'storage/vector-db-exposed',
  family: 'storage',
  severity: 'error',
  formats: ['kubernetes', 'helm', 'compose'],
  // Findings sit on a Service of type LoadBalancer or NodePort (in a Helm chart, often set in values.yaml), or on a
  // Compose service's published port.
  prefilter: { kubernetes: ['LoadBalancer', 'NodePort'], helm: (text) => /Service|LoadBalancer|NodePort/.test(text), compose: ['ports'] },
  fixes: { 'bind-loopback': 'unsafe' },
  // A store's published port is this rule's finding, said with more.
  supersedes: ['network/port-published-all-interfaces'],
  docs: {
    summary:
      'Vector or search database (Qdrant, Weaviate, Milvus, Chroma, OpenSearch, Elasticsearch, Vespa, pgvector, Marqo) behind a Kubernetes Service of type `LoadBalancer` without `loadBalancerSourceRanges`, or `NodePort`, or a Compose service publishing its port on every host interface (`"6333:6333"`, `"0.0.0.0:6333:6333"`).',
    why: 'These stores hold the embeddings and the documents behind a RAG system, and most of them ship with no authentication. A LoadBalancer Service gives them a public address; a NodePort opens them on every node. Scanners index open Elasticsearch, Qdrant and Chroma endpoints within hours, and embeddings can be inverted back into text. The Service is matched to the workload by its selector, in the same file or folder; in a Helm chart the type and image are read through `values.yaml`, and a selector written by an `include` selects the workloads of the chart whose labels are written the same way. A store with authentication configured is reported as a warning.',
    fix: "Use a ClusterIP Service and reach the store from inside the cluster, or add loadBalancerSourceRanges (or an internal load balancer annotation); in Compose, publish the port on `127.0.0.1` or not at all. Turn on the store's API key or authentication.",
    fixes: {
      'bind-loopback':
        'Compose: binds the published port to `127.0.0.1`, so only the host itself can connect; check which clients used it from other machines.',
    },
    examples: {
      format: 'kubernetes',
      bad: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: qdrant\nspec:\n  type: LoadBalancer\n  selector:\n    app: qdrant\n  ports:\n    - port: 6333',
      good: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: qdrant\nspec:\n  type: ClusterIP\n  selector:\n    app: qdrant\n  ports:\n    - port: 6333',
    },
  },
  check(ctx) {
    if (ctx.file.format === 'compose') return composeStores(ctx);
    const { file, project } = ctx;
    if (file.format !== 'helm' || helmRole(file) === 'template') {
      for (const e of exposures(file, project)) ctx.report(e.finding);
      return;
    }
    if (helmRole(file) !== 'values') return;
    // A values file gets the findings of the chart's templates that its lines decide (`service.type: LoadBalancer`).
    for (const template of project.module(file, (text) => text.includes('Service'))) {
      if (template === file || helmRole(template) !== 'template') continue;
      for (const e of exposures(template, project)) {
        const origin = e.typeValue && helmValuesOrigins(e.typeValue).find((o) => o.uri === file.uri);
        if (!origin) continue;
        ctx.report({
          ...e.finding,
          span: origin.span,
          related: [
            { span: contentSpan(e.typeNode), message: `the Service type in ${basenameOf(template.uri)}`, uri: template.uri },
            ...(e.finding.related ?? []).filter((r) => r.uri !== file.uri).map((r) => ({ ...r, uri: r.uri ?? template.uri })),
          ],
        });
      }
    }
  },
});

interface Exposed {
  finding: FindingInput<never>;
  typeNode: Node;
  /** The values node a Helm template's `type` was read from. */
  typeValue?: Node;
}

/** The Services of `file` that expose a store, as findings on their `type`. */
function exposures(file: ParsedFile, project: Project): Exposed[] {
  const helm = file.format === 'helm';
  const out: Exposed[] = [];
  // A Helm template's value through the chart's values.yaml, with where it is set.
  const values = new Map<Node, Node>();
  const read = (node: Node | undefined, from: ParsedFile = file): string | undefined => {
    if (!helm || !isExpr(node)) return str(node);
    const value = evaluate(node, { file: from, project }).values.find((v) => str(v) !== undefined);
    if (value) values.set(node, value);
    // Unresolved, an image still names its repository when only the tag is an action: `qdrant/qdrant:{{ ... }}`.
    return str(value) ?? (node.literalParts?.[0] || undefined);
  };
  let files: ParsedFile[] | undefined;
  for (const r of file.resources) {
    const exposure = externalExposure(r, read);
    if (!exposure) continue;
    // The folder's other manifests are parsed when first asked for: only for an exposed Service. A chart's
    // templates may name the store only through values.yaml.
    files ??= helm ? project.module(file) : project.module(file, mayNameStore);
    for (const { file: other, workload } of selectedWorkloads(r, files, helm)) {
      for (const { container } of containers(workload)) {
        const imageNode = get(container, 'image');
        const image = read(imageNode, other);
        const store = image ? storeOf(image) : undefined;
        if (!imageNode || !store) continue;
        const auth = items(get(container, 'env')).some((e) => AUTH_ENV.test(str(get(e, 'name')) ?? ''));
        const where = exposure.type === 'LoadBalancer' ? 'a public load balancer with no source ranges' : 'a port on every node';
        const typeValue = values.get(exposure.typeNode);
        out.push({
          typeNode: exposure.typeNode,
          typeValue,
          finding: {
            span: contentSpan(exposure.typeNode),
            severity: auth ? 'warning' : undefined,
            message: `Service "${r.name}" exposes ${store} (${workload.type} "${workload.name}") on ${where}${auth ? '; it has authentication configured, but the index is still reachable from outside the cluster' : ': anyone who finds it can read and overwrite the index'}`,
            related: [
              ...(typeValue ? throughValues(file, typeValue) : []),
              { span: contentSpan(imageNode), message: `the ${store} container`, uri: other === file ? undefined : other.uri },
            ],
          },
        });
        break;
      }
    }
  }
  return out;
}
