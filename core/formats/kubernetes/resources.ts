import type { MapNode, Node, Path, Resource } from '../../model';
import type { StructuredDialect } from '../../parsers/yaml-model';

/**
 * Kubernetes structure on top of the model nodes the YAML and JSON readers build: one resource per
 * object (each document root with `apiVersion` and `kind`; each item of a `kind: List`/`*List`), and
 * helpers that find pod specs and containers whatever the workload kind.
 */

/**
 * Tree-building hooks for the YAML and JSON readers: the items of a `List` (and of a JSON array of manifests) are
 * resource bodies, so node paths below them are relative to the item.
 */
const kubernetesTree = {
  depth: 2,
  bodyAt(abs: Path): boolean {
    return (abs.length === 2 && abs[0] === 'items' && typeof abs[1] === 'number') || (abs.length === 1 && typeof abs[0] === 'number');
  },
  normalizeMap(map: MapNode): Node {
    return map;
  },
};

function field(map: MapNode, key: string): Node | undefined {
  for (const e of map.entries) if (e.key === key) return e.value;
  return undefined;
}

function text(node: Node | undefined): string | undefined {
  return node?.kind === 'scalar' && node.value !== null ? String(node.value) : undefined;
}

function isObject(map: MapNode): boolean {
  return text(field(map, 'apiVersion')) !== undefined && text(field(map, 'kind')) !== undefined;
}

function objectResource(map: MapNode, document: number): Resource {
  const kindNode = field(map, 'kind')!;
  const meta = field(map, 'metadata');
  const nameNode = meta?.kind === 'map' ? field(meta, 'name') : undefined;
  return {
    kind: 'object',
    type: text(kindNode)!,
    name: text(nameNode) ?? '',
    span: map.span,
    nameSpan: kindNode.span,
    body: map,
    document,
  };
}

/**
 * One resource per Kubernetes object. `document` is the index into `roots` (documents without content are
 * not roots). A `List` (any kind ending in `List` that has an `items` list) gives one resource per item
 * instead of one for itself; a root that is a JSON/YAML array of objects gives one per element.
 */
export function kubernetesResources(roots: Node[]): Resource[] {
  const out: Resource[] = [];
  roots.forEach((root, document) => {
    if (root.kind === 'list') {
      for (const item of root.items) if (item.kind === 'map' && isObject(item)) out.push(objectResource(item, document));
      return;
    }
    if (root.kind !== 'map' || !isObject(root)) return;
    const kind = text(field(root, 'kind'))!;
    const items = field(root, 'items');
    if (kind.endsWith('List') && items?.kind === 'list') {
      for (const item of items.items) if (item.kind === 'map' && isObject(item)) out.push(objectResource(item, document));
      return;
    }
    out.push(objectResource(root, document));
  });
  return out;
}

/** How the YAML and JSON readers build a manifest's model. */
export const kubernetesDialect: StructuredDialect = {
  format: 'kubernetes',
  hooks: kubernetesTree,
  resources: kubernetesResources,
};

/** Where the pod spec lives, by kind. Kinds not listed are searched at the two workload-shaped paths. */
const POD_SPEC_PATHS: Record<string, string[]> = {
  Pod: ['spec'],
  PodTemplate: ['template', 'spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  ReplicationController: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

const FALLBACK_PATHS = [
  ['spec', 'template', 'spec'],
  ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
];

function follow(node: Node | undefined, keys: string[]): MapNode | undefined {
  let cur = node;
  for (const k of keys) cur = cur?.kind === 'map' ? field(cur, k) : undefined;
  return cur?.kind === 'map' ? cur : undefined;
}

export interface PodSpecRef {
  spec: MapNode;
  /** Key path of the pod spec from the resource body. */
  path: Path;
}

/**
 * The pod spec(s) of a Kubernetes resource: `spec` of a Pod, `spec.template.spec` of Deployment,
 * StatefulSet, DaemonSet, ReplicaSet, ReplicationController and Job, `spec.jobTemplate.spec.template.spec`
 * of a CronJob, `template.spec` of a PodTemplate. For other kinds (Argo Rollouts, Knative services, ...)
 * a `spec.template.spec` or `spec.jobTemplate.spec.template.spec` holding `containers` counts too.
 */
export function podSpecs(resource: Resource): PodSpecRef[] {
  const known = POD_SPEC_PATHS[resource.type];
  if (known) {
    const spec = follow(resource.body, known);
    return spec ? [{ spec, path: known.slice() }] : [];
  }
  const out: PodSpecRef[] = [];
  for (const p of FALLBACK_PATHS) {
    const spec = follow(resource.body, p);
    if (spec && field(spec, 'containers')?.kind === 'list') out.push({ spec, path: p.slice() });
  }
  return out;
}

export type ContainerGroup = 'containers' | 'initContainers' | 'ephemeralContainers';

export interface ContainerRef {
  container: MapNode;
  group: ContainerGroup;
  /** Index in its group's list. */
  index: number;
  /** The pod spec holding it. */
  spec: MapNode;
}

const GROUPS: ContainerGroup[] = ['containers', 'initContainers', 'ephemeralContainers'];

/** Every container of every pod spec of a resource: regular, init and ephemeral. */
export function containers(resource: Resource): ContainerRef[] {
  const out: ContainerRef[] = [];
  for (const { spec } of podSpecs(resource)) {
    for (const group of GROUPS) {
      const list = field(spec, group);
      if (list?.kind !== 'list') continue;
      list.items.forEach((container, index) => {
        if (container.kind === 'map') out.push({ container, group, index, spec });
      });
    }
  }
  return out;
}
