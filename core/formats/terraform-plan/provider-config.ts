import type { Entry, MapNode, Node, Path, Resource, Span } from '../../model';
import { get, isList, isMap, str } from '../../nodes';
import type { PlanResource } from './parse';

/**
 * The provider configurations of a plan: `configuration.provider_config`, one object per `provider` block of
 * every module, keyed `aws`, `aws.replica` (an alias) or `module.db:aws` (a block in a child module). A plan
 * holds a provider's arguments nowhere else: they become `provider` resources, as the blocks of a `.tf` file.
 * Their `expressions` are read as a body: an argument written as a literal is its `constant_value`, one
 * written with references an expression with them, and a nested block (`assume_role`) an array of such
 * objects, read as repeated blocks.
 * https://developer.hashicorp.com/terraform/internals/json-format#configuration-representation
 */
export function readProviderConfigs(configs: Node | undefined, moduleDirs: Map<string, string | undefined>, plan: PlanResource[], entries: Entry[]): void {
  if (!isMap(configs)) return;
  for (const c of configs.entries) {
    if (!isMap(c.value)) continue;
    const name = str(get(c.value, 'name')) ?? c.key;
    const body = expressionsBody(get(c.value, 'expressions'), c.value.span);
    const resource: Resource = {
      kind: 'provider',
      type: name,
      name,
      span: { start: c.keySpan.start, end: c.value.span.end },
      nameSpan: c.keySpan,
      body,
      address: c.key,
    };
    plan.push({ resource, moduleDir: moduleDirs.get(str(get(c.value, 'module_address')) ?? '') });
    entries.push({ key: 'provider', keySpan: c.keySpan, value: body, form: 'block', labels: [name] });
  }
}

/** `aws_s3_bucket.b[0].id` → `aws_s3_bucket.b.id`, each once: the references of an expression, as a `.tf` file's read. */
export function referencesOf(listed: Node | undefined): string[] {
  const refs: string[] = [];
  if (!isList(listed)) return refs;
  for (const r of listed.items) {
    const ref = str(r)?.replace(/\[[^\]]*\]/g, '');
    if (ref && !refs.includes(ref)) refs.push(ref);
  }
  return refs;
}

/** A configuration block's `expressions` as a block body (see `readProviderConfigs`), paths relative to it. Iterative. */
function expressionsBody(expressions: Node | undefined, container: Span): MapNode {
  const span = isMap(expressions) ? expressions.span : { start: container.start, end: container.start + 1 };
  const body: MapNode = { kind: 'map', span, path: [], entries: [] };
  const stack: { from: Node | undefined; to: MapNode }[] = [{ from: expressions, to: body }];
  while (stack.length) {
    const { from, to } = stack.pop()!;
    if (!isMap(from)) continue;
    for (const e of from.entries) {
      const path = [...to.path, e.key];
      if (isList(e.value)) {
        for (const item of e.value.items) {
          if (!isMap(item)) continue;
          const block: MapNode = { kind: 'map', span: item.span, path, entries: [] };
          to.entries.push({ key: e.key, keySpan: e.keySpan, value: block, form: 'block', labels: [] });
          stack.push({ from: item, to: block });
        }
        continue;
      }
      const constant = isMap(e.value) ? e.value.entries.find((x) => x.key === 'constant_value') : undefined;
      if (constant) {
        to.entries.push({ key: e.key, keySpan: e.keySpan, value: repathed(constant.value, path) });
        continue;
      }
      const refs = referencesOf(get(e.value, 'references'));
      if (refs.length) to.entries.push({ key: e.key, keySpan: e.keySpan, value: { kind: 'expr', span: e.value.span, path, text: refs[0], refs } });
    }
  }
  return body;
}

/** `node` and what it holds with their paths under `path` (instead of the plan document's). Iterative. */
function repathed(node: Node, path: Path): Node {
  node.path = path;
  const stack: Node[] = [node];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.kind === 'map')
      for (const e of n.entries) {
        e.value.path = [...n.path, e.key];
        stack.push(e.value);
      }
    else if (n.kind === 'list')
      n.items.forEach((item, i) => {
        item.path = [...n.path, i];
        stack.push(item);
      });
  }
  return node;
}
