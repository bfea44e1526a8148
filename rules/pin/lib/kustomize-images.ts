import {
  containers,
  contentSpan,
  entry,
  get,
  isList,
  isMap,
  isScalar,
  jsonPatchOperations,
  layerFile,
  layerResources,
  type Node,
  type ParsedFile,
  type RelatedLocation,
  type Resource,
  type RuleContext,
  str,
} from '../../../core';
import { parseImage } from '../../lib/image';
import type { ImageSite } from './image-sites';

/**
 * A kustomization's `images:` entries, judged on the image they make: `newTag: latest`, or a `newName` without
 * a tag that keeps the tag of the base's image. The base's containers (its resources, bases and components, with
 * this kustomization's patches merged onto them by resource and container name) are where the image is used:
 * related locations, and the tag a bare `newName` keeps. A JSON 6902 operation that sets a container's image
 * (`op: replace`, `path: /spec/template/spec/containers/0/image`) applies too, inline or from its patch file.
 */

/** A JSON pointer to a container's image: its group and index. */
export const IMAGE_POINTER = /\/(containers|initContainers|ephemeralContainers)\/(\d+)\/image$/;

interface ImageOperation {
  kind?: string;
  name?: string;
  group: string;
  index: number;
  node: Node;
  file: ParsedFile;
}

/** The `add`/`replace` operations of the kustomization that write a container's image. */
function imageOperations(ctx: RuleContext): ImageOperation[] {
  const out: ImageOperation[] = [];
  for (const { file, operation, kind, name } of jsonPatchOperations(ctx.file, ctx.project)) {
    const op = str(get(operation.body, 'op'));
    const pointer = IMAGE_POINTER.exec(str(get(operation.body, 'path')) ?? '');
    const value = get(operation.body, 'value');
    if ((op === 'add' || op === 'replace') && pointer && value) out.push({ kind, name, group: pointer[1], index: Number(pointer[2]), node: value, file });
  }
  return out;
}

interface UsedImage {
  /** The image as the container has it after the patches. */
  image: string;
  node: Node;
  file: ParsedFile;
}

/** Strategic-merge patches of a kustomization: its inline ones and the patch files it names. */
function patchObjects(ctx: RuleContext): { file: ParsedFile; resource: Resource }[] {
  const { file, project } = ctx;
  const out: { file: ParsedFile; resource: Resource }[] = [];
  for (const r of file.resources) if (r.kind === 'patch' && r.type !== 'json6902') out.push({ file, resource: r });
  const named: string[] = [];
  for (const root of file.roots) {
    for (const p of isList(get(root, 'patches')) ? (get(root, 'patches') as { items: Node[] }).items : []) {
      const path = str(get(p, 'path'));
      if (path) named.push(path);
    }
    const psm = get(root, 'patchesStrategicMerge');
    for (const p of isList(psm) ? psm.items : []) {
      const path = str(p);
      if (path && !path.includes('\n')) named.push(path);
    }
  }
  for (const path of named) {
    const f = layerFile(project, file, path);
    if (f?.format === 'kubernetes') for (const resource of f.resources) out.push({ file: f, resource });
  }
  return out;
}

/** The images the base's containers run once this kustomization's patches are merged onto them, by repository. */
function usedImages(ctx: RuleContext): Map<string, UsedImage[]> {
  // Patched images by resource kind, name and container name; a later patch wins, as kustomize applies them in order.
  const patched = new Map<string, { node: Node; file: ParsedFile }>();
  for (const p of patchObjects(ctx)) {
    for (const { container } of containers(p.resource)) {
      const image = get(container, 'image');
      const name = str(get(container, 'name'));
      if (image && name !== undefined) patched.set(`${p.resource.type}\0${p.resource.name}\0${name}`, { node: image, file: p.file });
    }
  }
  const operations = imageOperations(ctx);
  const out = new Map<string, UsedImage[]>();
  for (const { file, resource } of layerResources(ctx.file, ctx.project)) {
    for (const { container, group, index } of containers(resource)) {
      let patch = patched.get(`${resource.type}\0${resource.name}\0${str(get(container, 'name'))}`);
      for (const o of operations) {
        if (o.group === group && o.index === index && (o.kind ?? resource.type) === resource.type && (o.name ?? resource.name) === resource.name) patch = o;
      }
      const node = patch?.node ?? get(container, 'image');
      const image = str(node)?.trim();
      if (!node || !image) continue;
      const repository = parseImage(image).repository;
      const list = out.get(repository) ?? [];
      list.push({ image, node, file: patch?.file ?? file });
      out.set(repository, list);
    }
  }
  return out;
}

function related(ctx: RuleContext, used: UsedImage[]): RelatedLocation[] {
  return used.map((u) => ({ span: contentSpan(u.node), message: `${u.image} is used here`, uri: u.file === ctx.file ? undefined : u.file.uri }));
}

export function kustomizeImageSites(ctx: RuleContext): ImageSite[] {
  const out: ImageSite[] = [];
  let used: Map<string, UsedImage[]> | undefined;
  for (const root of ctx.file.roots) {
    const images = get(root, 'images');
    for (const item of isList(images) ? images.items : []) {
      if (!isMap(item) || get(item, 'digest') !== undefined) continue;
      const name = str(get(item, 'name'))?.trim();
      if (!name) continue;
      const tag = entry(item, 'newTag');
      const newName = get(item, 'newName');
      used ??= usedImages(ctx);
      const matching = used.get(name) ?? [];
      const via = `the kustomization's images entry for ${name}`;
      if (tag && isScalar(tag.value) && tag.value.value !== null) {
        const value = `${str(newName)?.trim() || name}:${String(tag.value.value).trim()}`;
        const span = contentSpan(tag.value);
        out.push({
          value,
          span,
          via,
          related: related(ctx, matching),
          pin: { span: { start: tag.keySpan.start, end: tag.value.span.end }, newText: 'digest: sha256:${1:digest}' },
        });
        continue;
      }
      const renamed = str(newName)?.trim();
      if (!newName || !renamed) continue;
      if (/[:@]/.test(renamed.slice(renamed.lastIndexOf('/') + 1))) {
        out.push({ value: renamed, span: contentSpan(newName), via });
        continue;
      }
      // The tag (or digest) stays the base's.
      for (const u of matching) {
        const base = parseImage(u.image);
        const value = `${renamed}${base.tag !== undefined ? `:${base.tag}` : ''}${base.digest ? `@${base.digest}` : ''}`;
        out.push({ value, span: contentSpan(newName), via: `${via}, which keeps the base's tag`, related: related(ctx, [u]) });
        break;
      }
    }
  }
  return out;
}
