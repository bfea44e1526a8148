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

/** `base`: the values root's path (keys above it name no subchart); `chart`: the chart those values are for, if known. */
function mapSite(map: MapNode, out: ImageSite[], base: number, chart: string | undefined): void {
  const repository = str(get(map, 'repository') ?? get(map, 'name'));
  const tagNode = get(map, 'tag');
  if (get(map, 'repository') === undefined && get(map, 'name') === undefined && isScalar(tagNode) && /^latest$/i.test(String(tagNode.value))) {
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
  const digest = str(get(map, 'digest'));
  if (digest) return;
  const registry = str(get(map, 'registry'));
  const value = `${registry ? `${registry}/` : ''}${repository}:${String(tagNode.value)}`;
  out.push({ value, span: contentSpan(tagNode), via: `${map.path.join('.')}.repository and .tag` });
}

/** `image: repo` with its tag in a sibling (`imageTag: 1.2`, `image: repo` + `tag: latest`), or in itself. */
function stringSite(file: ParsedFile, parent: MapNode, e: Entry, out: ImageSite[]): void {
  const node = e.value;
  if (!isScalar(node) || typeof node.value !== 'string' || node.value === '' || node.value.includes('{{')) return;
  const sibling = get(parent, `${e.key}Tag`) ?? (e.key === 'image' ? get(parent, 'tag') : undefined);
  if (sibling !== undefined) {
    const tag = str(sibling);
    if (!isScalar(sibling) || !tag) return;
    out.push({ value: `${node.value}:${tag}`, span: contentSpan(sibling), via: `${[...parent.path, e.key].join('.')} and its tag` });
    return;
  }
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
      if (!isImageKey(e.key)) continue;
      if (isMap(e.value)) mapSite(e.value, out, root.path.length, chart);
      else stringSite(file, node, e, out);
    }
  });
  return out;
}
