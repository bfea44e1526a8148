import type { MapNode, Node, Path, Resource } from '../../model';
import { normalizeIntrinsicMap } from '../../parsers/intrinsics';
import type { StructuredDialect } from '../../parsers/yaml-model';
import { serverlessResources } from './serverless';

/** CloudFormation structure on the YAML/JSON model: where resource bodies start, and the resource list. */

/**
 * Tree-building hooks for the YAML and JSON readers. `bodyAt` tells where a resource body starts (node paths below it are
 * relative to it): `Resources.<id>.Properties` and `Parameters.<id>`. `normalizeMap` turns long-form
 * intrinsics into expressions; the template root and its sections are never normalised.
 */
const cloudFormationTree = {
  depth: 4,
  bodyAt(abs: Path): boolean {
    // A Serverless Framework file: the template is its `resources` section (see serverless.ts).
    const at = abs[0] === 'resources' ? abs.slice(1) : abs;
    return (at.length === 3 && at[0] === 'Resources' && at[2] === 'Properties') || (at.length === 2 && at[0] === 'Parameters');
  },
  normalizeMap(map: MapNode, abs: Path | undefined, source: string): Node {
    if (abs !== undefined && (abs.length < 2 || (abs[0] === 'resources' && abs.length < 3))) return map;
    return normalizeIntrinsicMap(map, source);
  },
};

/** Resources (`kind: 'resource'`) and parameters (`kind: 'parameter'`) of each template root. */
export function cloudFormationResources(roots: Node[]): Resource[] {
  const out: Resource[] = [];
  roots.forEach((root, document) => {
    if (root.kind !== 'map') return;
    const multi = roots.length > 1;
    const template = serverlessResources(root) ?? root;
    for (const section of template.entries) {
      if (section.key !== 'Resources' && section.key !== 'Parameters') continue;
      if (section.value.kind !== 'map') continue;
      const isResource = section.key === 'Resources';
      for (const e of section.value.entries) {
        const def = e.value;
        if (def.kind !== 'map') continue;
        const typeNode = def.entries.find((x) => x.key === 'Type')?.value;
        const type = typeNode?.kind === 'scalar' && typeNode.value !== null ? String(typeNode.value) : '';
        let body: MapNode = def;
        if (isResource) {
          const props = def.entries.find((x) => x.key === 'Properties')?.value;
          body = props?.kind === 'map' ? props : { kind: 'map', entries: [], span: props ? { ...props.span } : { ...def.span }, path: [] };
        }
        const r: Resource = {
          kind: isResource ? 'resource' : 'parameter',
          type,
          name: e.key,
          span: { start: e.keySpan.start, end: Math.max(def.span.end, e.keySpan.end) },
          nameSpan: e.keySpan,
          body,
          raw: def,
        };
        if (multi) r.document = document;
        out.push(r);
      }
    }
  });
  return out;
}

/** How the YAML and JSON readers build a template's model. */
export const cloudFormationDialect: StructuredDialect = {
  format: 'cloudformation',
  hooks: cloudFormationTree,
  resources: cloudFormationResources,
  intrinsics: true,
};
