import type { Node, ParsedFile, Resource } from '../../model';
import type { Project } from '../../project';
import type { ContextSource } from '../format';
import { dirnameOf, joinUri, resolveLocal } from '../../uri';
import { KUSTOMIZATION_NAMES } from '.';

/**
 * What a kustomization builds on: the manifests its `resources` (and the older `bases`) and `components` name,
 * through the kustomizations of the folders they name, as far as the scan's project holds them. Only local
 * paths are followed (a URL or a `github.com/...?ref=` remote base is not fetched: no network, ever).
 */

export interface LayerResource {
  file: ParsedFile;
  resource: Resource;
}

/** Nesting of kustomizations followed before giving up (a cycle is cut by the visited set). */
const MAX_DEPTH = 16;

function field(map: Node | undefined, key: string): Node | undefined {
  if (map?.kind !== 'map') return undefined;
  for (const e of map.entries) if (e.key === key) return e.value;
  return undefined;
}

function paths(root: Node, key: string): string[] {
  const list = field(root, key);
  if (list?.kind !== 'list') return [];
  const out: string[] = [];
  for (const item of list.items) if (item.kind === 'scalar' && typeof item.value === 'string') out.push(item.value.trim());
  return out;
}

/** The project's kustomization in a folder, if any. */
function kustomizationIn(project: Project, dir: string): ParsedFile | undefined {
  for (const name of KUSTOMIZATION_NAMES) {
    const f = project.get(joinUri(dir, name));
    if (f?.format === 'kustomize') return f;
  }
  return undefined;
}

/** A local file the kustomization names (a patch file, an `envs` file), when the project holds it. */
export function layerFile(project: Project, kustomization: ParsedFile, rel: string): ParsedFile | undefined {
  const uri = resolveLocal(dirnameOf(kustomization.uri), rel);
  return uri === undefined ? undefined : project.get(uri);
}

/**
 * The local files and folders a kustomization names, resolved against its folder: `layers` are its resources,
 * bases and components (a manifest, or a folder with a kustomization), `patches` the patch files of its
 * `patches`, `patchesJson6902` and `patchesStrategicMerge`.
 */
export function namedPaths(kustomization: ParsedFile): { layers: string[]; patches: string[] } {
  const dir = dirnameOf(kustomization.uri);
  const layers: string[] = [];
  const patches: string[] = [];
  const add = (to: string[], rel: string) => {
    const uri = resolveLocal(dir, rel);
    if (uri !== undefined) to.push(uri);
  };
  for (const root of kustomization.roots) {
    for (const rel of [...paths(root, 'resources'), ...paths(root, 'bases'), ...paths(root, 'components')]) add(layers, rel);
    for (const key of ['patches', 'patchesJson6902']) {
      const list = field(root, key);
      for (const item of list?.kind === 'list' ? list.items : []) {
        const rel = field(item, 'path');
        if (rel?.kind === 'scalar' && typeof rel.value === 'string') add(patches, rel.value.trim());
      }
    }
    for (const rel of paths(root, 'patchesStrategicMerge')) if (!rel.includes('\n')) add(patches, rel);
  }
  return { layers, patches };
}

/** The file names `kustomize build` looks for in a folder a kustomization names. */
const KUSTOMIZATION_FILE = /^(?:kustomization\.ya?ml|Kustomization)$/;

/**
 * What a scan reads from disk for a kustomization it was not given with its layers (named alone, or its base in
 * another batch): each named manifest or folder (its kustomization, whose own layers are then followed) and
 * each patch file. Local paths only, as `namedPaths` resolves them.
 */
export function contextSources(kustomization: ParsedFile): ContextSource[] {
  const { layers, patches } = namedPaths(kustomization);
  return [...layers.map((path) => ({ path, names: KUSTOMIZATION_FILE })), ...patches.map((path) => ({ path }))];
}

/** The Kubernetes objects a kustomization's resources, bases and components reach, in the order they are named. */
export function layerResources(kustomization: ParsedFile, project: Project): LayerResource[] {
  const out: LayerResource[] = [];
  const visited = new Set<string>([kustomization.uri]);
  const follow = (k: ParsedFile, depth: number) => {
    const dir = dirnameOf(k.uri);
    for (const root of k.roots) {
      for (const rel of [...paths(root, 'resources'), ...paths(root, 'bases'), ...paths(root, 'components')]) {
        const uri = resolveLocal(dir, rel);
        if (uri === undefined || visited.has(uri)) continue;
        visited.add(uri);
        const f = project.get(uri);
        if (f?.format === 'kubernetes') {
          for (const resource of f.resources) out.push({ file: f, resource });
          continue;
        }
        const next = f?.format === 'kustomize' ? f : kustomizationIn(project, uri);
        if (next && depth < MAX_DEPTH && !visited.has(next.uri)) {
          visited.add(next.uri);
          follow(next, depth + 1);
        }
      }
    }
  };
  follow(kustomization, 0);
  return out;
}

/** A JSON 6902 operation a kustomization applies, with the object it targets. */
export interface TargetedOperation {
  /** The file the operation is written in: the kustomization (inline), or a patch file it names. */
  file: ParsedFile;
  /** A `json6902` patch resource: its body is the `{op, path, value}` map. */
  operation: Resource;
  /** The target's kind and name (`target: {kind: Deployment, name: api}`); undefined when not given. */
  kind?: string;
  name?: string;
}

function text(map: Node | undefined, key: string): string | undefined {
  const v = field(map, key);
  return v?.kind === 'scalar' && typeof v.value === 'string' ? v.value : undefined;
}

/**
 * The JSON 6902 operations of a kustomization's `patches` and `patchesJson6902`, written inline or in the patch
 * file an entry's `path` names (when the project holds it), in the order kustomize applies them.
 */
export function jsonPatchOperations(kustomization: ParsedFile, project: Project): TargetedOperation[] {
  const out: TargetedOperation[] = [];
  const inline = kustomization.resources.filter((r) => r.kind === 'patch' && r.type === 'json6902');
  for (const root of kustomization.roots) {
    for (const key of ['patchesJson6902', 'patches']) {
      const list = field(root, key);
      if (list?.kind !== 'list') continue;
      for (const item of list.items) {
        const target = field(item, 'target');
        const where = { kind: text(target, 'kind'), name: text(target, 'name') };
        const patch = field(item, 'patch');
        if (patch) {
          for (const operation of inline) {
            if (operation.span.start >= patch.span.start && operation.span.end <= patch.span.end) out.push({ file: kustomization, operation, ...where });
          }
          continue;
        }
        const rel = text(item, 'path');
        const f = rel === undefined ? undefined : layerFile(project, kustomization, rel);
        if (f?.format !== 'kustomize') continue;
        for (const operation of f.resources) if (operation.type === 'json6902') out.push({ file: f, operation, ...where });
      }
    }
  }
  return out;
}
