import { contentSpan, evaluateStrings, get, isExpr, isList, isScalar, items, type Node, type Resource, type RuleContext, str } from '../../../core';
import { helmValuesImageSites } from './helm-values-images';
import type { ImageSite } from './image-sites';

/**
 * The images a Terraform `helm_release` sets in the chart it installs
 * (https://registry.terraform.io/providers/hashicorp/helm/latest/docs/resources/release): `set` blocks (or the `set`
 * list of the provider's version 3) naming an image's `tag` — with the `repository` set beside it, or alone, where only
 * `latest` decides — or an image written whole (`set { name = "image" }`); and values written as `yamlencode(...)` /
 * `jsonencode(...)` objects, read like a values file.
 */
export function helmReleaseImageSites(ctx: RuleContext, release: Resource): ImageSite[] {
  const out: ImageSite[] = [];
  const chart = str(get(release.body, 'chart'))?.replace(/^.*\//, '');
  const sets = new Map<string, Node>();
  if (release.body.kind === 'map') {
    for (const e of release.body.entries) {
      if (e.key !== 'set') continue;
      for (const item of isList(e.value) ? e.value.items : [e.value]) {
        const name = str(get(item, 'name'));
        const value = get(item, 'value');
        if (name !== undefined && value !== undefined) sets.set(name, value);
      }
    }
  }
  const strings = (node: Node | undefined): string[] => {
    const e = evaluateStrings(node, ctx);
    return e.unresolved.length ? [] : e.strings;
  };
  for (const [name, node] of sets) {
    const span = isScalar(node) ? contentSpan(node) : node.span;
    const tag = /^(?:(.+)\.)?(image|\w+Image)\.tag$/.exec(name);
    if (tag) {
      const image = name.slice(0, -'.tag'.length);
      if (sets.has(`${image}.digest`)) continue;
      const repository = strings(sets.get(`${image}.repository`))[0];
      for (const value of strings(node)) {
        if (repository) out.push({ value: `${repository}:${value}`, span, via: `set ${image}.repository and .tag` });
        else if (/^latest$/i.test(value))
          out.push({ value: `${tag[1] ?? chart ?? 'image'}:${value}`, span, via: `set ${name}, over the repository the chart sets` });
      }
      continue;
    }
    if (/(?:^|\.)(?:image|\w+Image)$/.test(name)) for (const value of strings(node)) out.push({ value, span, via: `set ${name}` });
  }
  for (const values of items(get(release.body, 'values'))) {
    const object = isExpr(values) && (values.fn === 'yamlencode' || values.fn === 'jsonencode') ? values.args?.[0] : undefined;
    if (object) out.push(...helmValuesImageSites(ctx.file, object, chart));
  }
  return out;
}
