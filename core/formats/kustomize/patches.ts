import { embeddedYaml } from '../../embedded';
import type { ListNode, MapNode, Node, ParsedFile, ParseProblem, Resource, ScalarNode } from '../../model';
import { kubernetesDialect } from '../kubernetes/resources';

/**
 * Patches written inside a kustomization (`patches[].patch`, `patchesJson6902[].patch`, an inline
 * `patchesStrategicMerge` item): the YAML in the string is read like a manifest, at its offsets in the file,
 * so a rule reads a patched container the way it reads one in a Deployment. A strategic-merge patch gives a
 * resource per object (`kind: 'patch'`, `type` its kind); a JSON 6902 patch a resource per operation
 * (`type: 'json6902'`, body the `{op, path, value}` map).
 */

function field(map: Node | undefined, key: string): Node | undefined {
  if (map?.kind !== 'map') return undefined;
  for (const e of map.entries) if (e.key === key) return e.value;
  return undefined;
}

function listOf(node: Node | undefined): Node[] {
  return node?.kind === 'list' ? node.items : [];
}

/** The inline patch strings of a kustomization root. */
function inlinePatches(root: Node): ScalarNode[] {
  const out: ScalarNode[] = [];
  const take = (n: Node | undefined) => {
    if (n?.kind === 'scalar' && typeof n.value === 'string' && n.value.includes('\n')) out.push(n);
  };
  for (const item of listOf(field(root, 'patches'))) take(field(item, 'patch'));
  for (const item of listOf(field(root, 'patchesJson6902'))) take(field(item, 'patch'));
  for (const item of listOf(field(root, 'patchesStrategicMerge'))) take(item);
  return out;
}

/** The resources of the inline patches of the kustomization roots; their parse problems go to `problems`. */
export function patchResources(file: ParsedFile, problems: ParseProblem[]): Resource[] {
  const out: Resource[] = [];
  file.roots.forEach((root, document) => {
    for (const patch of inlinePatches(root)) {
      for (const r of embeddedYaml(file, patch as ScalarNode & { value: string }, problems, 'inline patch')) {
        if (r.kind === 'list') out.push(...operations(r, document));
        else for (const o of kubernetesDialect.resources!([r])) out.push({ ...o, kind: 'patch', document });
      }
    }
  });
  return out;
}

/** The operations of a JSON 6902 patch (a list of `{op, path, value}` maps), as `json6902` patch resources. */
export function operations(list: ListNode, document: number): Resource[] {
  const out: Resource[] = [];
  for (const op of list.items) {
    if (op.kind !== 'map') continue;
    const path = field(op, 'path');
    out.push({ kind: 'patch', type: 'json6902', name: '', span: op.span, nameSpan: (path ?? op).span, body: op as MapNode, document });
  }
  return out;
}
