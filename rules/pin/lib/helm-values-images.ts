import { contentSpan, type Entry, get, isMap, isScalar, type MapNode, type Node, type ParsedFile, str, visit } from '../../../core';
import { valuesYaml } from '../../lib/helm';
import type { ImageSite } from './image-sites';

/**
 * The images a Helm values file sets, by the shapes charts use: `image: {repository, tag, digest}` (any key
 * named `image` or ending in `Image`, e.g. `initImage`, or an entry of an `images` map; `name` for `repository`), with an optional `registry`,
 * `image: repo:tag` written as one string, and `image: repo` with `imageTag: 1.2` beside it; a map with only
 * `tag: latest` overrides the tag of the image a chart or subchart names. A map without a tag (or with an empty one) is not judged: templates commonly default
 * the tag to the chart's `appVersion`. Sites are the `tag` value (or the string), so a finding lands on the
 * values line to change.
 */

function isImageKey(key: string): boolean {
  return key === 'image' || key.endsWith('Image');
}

/** `images: {airflow: {repository, tag}, flower: {...}}`: one image map per component, as Apache Airflow's chart writes them. */
function isImagesKey(key: string): boolean {
  return key === 'images' || key.endsWith('Images');
}

/** The repository of an image map: `repository`, `name` (zero-to-jupyterhub), or `image` (ingress-nginx's `{registry, image, tag, digest}`). */
function repositoryOf(map: MapNode): { key: string; node: Node } | undefined {
  for (const key of ['repository', 'name', 'image']) {
    const node = get(map, key);
    if (node !== undefined) return { key, node };
  }
  return undefined;
}

/** What a container image repository looks like: no URL scheme (a chart or git repository) and no `@` (a git remote). */
const IMAGE_REPOSITORY = /^[a-z0-9][\w.-]*(?:[:/][\w.-]+)*$/i;

/**
 * `{repository: vllm/vllm-openai, tag: latest}` not under an `image` key: an item of a list of deployments that each
 * name their image (the vLLM production stack's `servingEngineSpec.modelSpec`). Maps under image keys and `images`
 * components are read as image maps already.
 */
function isBareImageMap(map: MapNode): boolean {
  const [parent, owner] = map.path.slice(-2);
  if ((typeof owner === 'string' && isImageKey(owner)) || (typeof parent === 'string' && isImagesKey(parent))) return false;
  const repository = str(get(map, 'repository'));
  return repository !== undefined && IMAGE_REPOSITORY.test(repository) && isScalar(get(map, 'tag'));
}

/** `base`: the values root's path (keys above it name no subchart); `chart`: the chart those values are for, if known. */
function mapSite(map: MapNode, out: ImageSite[], base: number, chart: string | undefined): void {
  const repositoryEntry = repositoryOf(map);
  const repository = str(repositoryEntry?.node);
  const tagNode = get(map, 'tag');
  const digest = str(get(map, 'digest'));
  if (digest) return;
  if (repositoryEntry === undefined && isScalar(tagNode) && /^latest$/i.test(String(tagNode.value))) {
    // `redis: {image: {tag: latest}}` overrides only the tag of an image a (sub)chart names: latest whatever it is.
    const owner =
      map.path
        .slice(base)
        .filter((k) => typeof k === 'string' && !isImageKey(k))
        .join('.') ||
      chart ||
      'image';
    out.push({ value: `${owner}:${String(tagNode.value)}`, span: contentSpan(tagNode), via: `${map.path.join('.')}.tag, over the repository the chart sets` });
    return;
  }
  if (!repository || repository.includes('{{') || !isScalar(tagNode) || tagNode.value === null || tagNode.value === '') return;
  const registry = str(get(map, 'registry'));
  const value = `${registry ? `${registry}/` : ''}${repository}:${String(tagNode.value)}`;
  out.push({ value, span: contentSpan(tagNode), via: `${map.path.join('.')}.${repositoryEntry?.key} and .tag` });
}

/** `imageRepository: repo` beside `imageTag: latest`: the repository half of an image written as two keys. */
const REPOSITORY_KEY = /^(?:image|\w+Image)Repository$/;

/**
 * `image: repo` with its tag in a sibling (`imageTag: 1.2`, `image: repo` + `tag: latest`, `imageRepository` +
 * `imageTag`), or in itself. Inside an image map (`image: {registry, image, tag}`) the map is judged whole.
 */
function stringSite(file: ParsedFile, parent: MapNode, e: Entry, out: ImageSite[]): void {
  const node = e.value;
  if (!isScalar(node) || typeof node.value !== 'string' || node.value === '' || node.value.includes('{{')) return;
  const owner = parent.path[parent.path.length - 1];
  if (e.key === 'image' && typeof owner === 'string' && isImageKey(owner) && (get(parent, 'tag') !== undefined || get(parent, 'digest') !== undefined)) return;
  const repositoryKey = REPOSITORY_KEY.test(e.key);
  const tagKey = repositoryKey ? e.key.replace(/Repository$/, 'Tag') : `${e.key}Tag`;
  const sibling = get(parent, tagKey) ?? (e.key === 'image' ? get(parent, 'tag') : undefined);
  if (sibling !== undefined) {
    const tag = str(sibling);
    if (!isScalar(sibling) || !tag || (e.key === 'image' && str(get(parent, 'digest')))) return;
    out.push({ value: `${node.value}:${tag}`, span: contentSpan(sibling), via: `${[...parent.path, e.key].join('.')} and its tag` });
    return;
  }
  // A repository without its tag key: the template supplies the tag (commonly the chart's appVersion).
  if (repositoryKey) return;
  const span = contentSpan(node);
  out.push({ value: node.value, span, literal: file.text.slice(span.start, span.end) === node.value });
}

/**
 * A values file's images; or those of values written elsewhere for a chart (`root`, and `chart` its name): YAML in a
 * values string, a kustomization's `helmCharts[].valuesInline`.
 */
export function helmValuesImageSites(file: ParsedFile, root: Node | undefined = file.roots[0], chart?: string): ImageSite[] {
  const out: ImageSite[] = [];
  if (!root) return out;
  visit(root, (node) => {
    if (!isMap(node)) return;
    if (isBareImageMap(node)) mapSite(node, out, root.path.length, chart);
    for (const e of node.entries) {
      // `extraContainers: |` with container specs: the YAML the chart renders with `tpl`.
      if (isScalar(e.value)) for (const doc of valuesYaml(file, e.value)) out.push(...helmValuesImageSites(file, doc, chart));
      if (isImagesKey(e.key) && isMap(e.value)) {
        for (const component of e.value.entries) {
          if (isMap(component.value) && (get(component.value, 'repository') !== undefined || get(component.value, 'name') !== undefined))
            mapSite(component.value, out, root.path.length, chart);
        }
        continue;
      }
      if (REPOSITORY_KEY.test(e.key)) stringSite(file, node, e, out);
      if (!isImageKey(e.key)) continue;
      if (isMap(e.value)) mapSite(e.value, out, root.path.length, chart);
      else stringSite(file, node, e, out);
    }
  });
  return out;
}
