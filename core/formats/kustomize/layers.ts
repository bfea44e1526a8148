import type { Node, ParsedFile, Resource } from '../../model';
import type { Project } from '../../project';
import { dirnameOf, joinUri } from '../../uri';
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

/** `dir` joined with a relative path, `.` and `..` segments resolved; undefined for a remote or absolute reference. */
export function resolveLocal(dir: string, rel: string): string | undefined {
  if (rel === '' || /^[a-z][a-z0-9+.-]*:\/\//i.test(rel) || rel.startsWith('/') || /^(github\.com|gitlab\.com|bitbucket\.org)\//.test(rel) || rel.includes('?'))
    return undefined;
  const scheme = /^[a-z][a-z0-9+.-]*:\/\/[^/]*/i.exec(dir)?.[0] ?? '';
  const segments = dir.slice(scheme.length).split('/');
  for (const s of rel.replace(/\/+$/, '').split('/')) {
    if (s === '.' || s === '') continue;
    if (s === '..') {
      if (segments.length > 1) segments.pop();
    } else segments.push(s);
  }
  return scheme + segments.join('/');
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
