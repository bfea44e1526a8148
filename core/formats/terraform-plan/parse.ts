import type { Entry, ExprNode, MapNode, Node, ParsedFile, Path, Resource, Span } from '../../model';
import { get, isList, isMap, str } from '../../nodes';
import { parseJsonDocument } from '../../parsers/json';
import type { StructuredDialect } from '../../parsers/yaml-model';
import { readNestedBlocks } from './nested-blocks';
import { readProviderConfigs, referencesOf } from './provider-config';

/**
 * A Terraform plan in JSON (`terraform show -json plan.out`) into the Terraform model.
 *
 * - Every resource of `planned_values` (the root module and its `child_modules`, recursively) is a
 *   `Resource`: its `values` are the body, its object in `planned_values` its span, its `"address"` value
 *   its `nameSpan`, and `address` its instance address (`module.data.aws_s3_bucket.raw["eu"]`).
 * - Values known only after apply are absent from `values`; `resource_changes[*].change.after_unknown`
 *   marks them. They become expressions whose references are those the configuration gives for the
 *   attribute (`expressions.<name>.references`), so rules read them as they read `aws_s3_bucket.b.id` in a
 *   `.tf` file. Such an expression has no text of its own in `planned_values`: its span is the opening
 *   brace of the object it belongs to.
 * - Every module call of `configuration` (nested ones too) is a `module` resource whose body holds its
 *   `source` and, as `version`, its `version_constraint`; every provider configuration a `provider`
 *   resource with its arguments (`provider-config.ts`).
 * - Nested blocks, arrays of objects in a plan (`"ingress": [{…}]`), are read as HCL reads them: one `block`
 *   entry per object (`nested-blocks.ts`), after the unknown values are placed.
 * - The same values under `resource_changes`, `prior_state` and the resources of `configuration` are not part of the model:
 *   a finding is reported once, in `planned_values`.
 */

const DIALECT: StructuredDialect = { format: 'terraform-plan' };

/** Where a resource's module is declared: the local `source` paths from the root module, or none (registry, git). */
export interface PlanResource {
  resource: Resource;
  /** The module's folder relative to the root module's (`''` for the root), when every call on the way is local. */
  moduleDir?: string;
}

export interface PlanFile extends ParsedFile {
  plan: PlanResource[];
}

export function parseTerraformPlan(uri: string, text: string): PlanFile {
  const doc = parseJsonDocument(uri, text, DIALECT);
  const root = doc.roots[0];
  const rootMap: MapNode = { kind: 'map', span: { start: 0, end: text.length }, path: [], entries: [] };
  const plan: PlanResource[] = [];
  if (isMap(root)) {
    const unknown = afterUnknown(get(root, 'resource_changes'));
    const configuration = get(root, 'configuration');
    const config = get(configuration, 'root_module');
    const modules: ModuleConfig = { config, dir: '' };
    readModule(get(get(root, 'planned_values'), 'root_module'), { unknown, modules, plan, entries: rootMap.entries });
    const moduleDirs = moduleCalls(config, plan, rootMap.entries);
    readProviderConfigs(get(configuration, 'provider_config'), moduleDirs, plan, rootMap.entries);
  }
  plan.sort((a, b) => a.resource.span.start - b.resource.span.start);
  rootMap.entries.sort((a, b) => a.keySpan.start - b.keySpan.start);
  const resources = plan.map((p) => p.resource);
  return { ...doc, roots: [rootMap], resources, plan };
}

interface ModuleConfig {
  config: Node | undefined;
  /** Folder relative to the root module's; undefined once a call on the way is not a local path. */
  dir: string | undefined;
}

interface ReadState {
  unknown: Map<string, Node>;
  modules: ModuleConfig;
  plan: PlanResource[];
  entries: Entry[];
}

/** `after_unknown` of each resource change, by address. */
function afterUnknown(changes: Node | undefined): Map<string, Node> {
  const out = new Map<string, Node>();
  if (!isList(changes)) return out;
  for (const c of changes.items) {
    const address = str(get(c, 'address'));
    const unknown = get(get(c, 'change'), 'after_unknown');
    if (address !== undefined && unknown) out.set(address, unknown);
  }
  return out;
}

/** A `planned_values` module (the root or a child), its resources and its children. Iterative over modules. */
function readModule(first: Node | undefined, state: ReadState): void {
  const queue: { module: Node | undefined; config: ModuleConfig }[] = [{ module: first, config: state.modules }];
  while (queue.length) {
    const { module, config } = queue.pop()!;
    const resources = get(module, 'resources');
    if (isList(resources)) for (const r of resources.items) readResource(r, config, state);
    const children = get(module, 'child_modules');
    if (!isList(children)) continue;
    for (const child of children.items) {
      const address = str(get(child, 'address')) ?? '';
      queue.push({ module: child, config: childConfig(config, lastCall(address)) });
    }
  }
}

/** `module.a["x"].module.b[0]` → `b`: the call's name in its parent module. */
function lastCall(address: string): string {
  const m = /module\.([A-Za-z0-9_-]+)(?:\[[^\]]*\])?$/.exec(address);
  return m ? m[1] : '';
}

function childConfig(parent: ModuleConfig, name: string): ModuleConfig {
  const call = get(get(parent.config, 'module_calls'), name);
  const source = str(get(call, 'source'));
  const local = source !== undefined && /^\.\.?\//.test(source);
  return { config: get(call, 'module'), dir: parent.dir !== undefined && local ? joinPath(parent.dir, source) : undefined };
}

function readResource(r: Node, module: ModuleConfig, state: ReadState): void {
  if (!isMap(r)) return;
  const address = str(get(r, 'address'));
  const type = str(get(r, 'type')) ?? '';
  const name = str(get(r, 'name')) ?? '';
  if (address === undefined) return;
  const mode = str(get(r, 'mode'));
  const addressEntry = r.entries.find((e) => e.key === 'address')!;
  const values = get(r, 'values');
  const body: MapNode = isMap(values) ? values : { kind: 'map', span: { start: r.span.start, end: r.span.start + 1 }, path: [], entries: [] };
  const config = configResource(module.config, mode, type, name);
  const unknown = state.unknown.get(address);
  if (unknown) addUnknown(body, unknown, get(config, 'expressions'));
  // Paths relative to the body, as a `.tf` block body's are (the unknown values' too).
  readNestedBlocks(body);
  const resource: Resource = {
    kind: mode === 'data' ? 'data' : 'resource',
    type,
    name,
    span: r.span,
    nameSpan: addressEntry.value.span,
    body,
    address,
  };
  state.plan.push({ resource, moduleDir: module.dir });
  state.entries.push({ key: resource.kind, keySpan: resource.nameSpan, value: body, form: 'block', labels: [type, name] });
}

/** Each configuration module's resources by address, read once (a module may plan thousands of instances). */
const configIndex = new WeakMap<Node, Map<string, Node>>();

function configResource(config: Node | undefined, mode: string | undefined, type: string, name: string): Node | undefined {
  const resources = get(config, 'resources');
  if (!isList(resources)) return undefined;
  let index = configIndex.get(resources);
  if (!index) {
    index = new Map();
    for (const c of resources.items) {
      const address = str(get(c, 'address'));
      if (address !== undefined && !index.has(address)) index.set(address, c);
    }
    configIndex.set(resources, index);
  }
  return index.get(`${mode === 'data' ? 'data.' : ''}${type}.${name}`);
}

/**
 * The values `after_unknown` marks (`true`) as expressions, in the maps and lists of `values` it mirrors,
 * with the references of the configuration's expression at the same place.
 */
function addUnknown(values: Node, unknown: Node, expressions: Node | undefined): void {
  const stack: { at: Node; unknown: Node; expressions: Node | undefined }[] = [{ at: values, unknown, expressions }];
  while (stack.length) {
    const { at, unknown: u, expressions: x } = stack.pop()!;
    if (isMap(at) && isMap(u)) {
      const byKey = firstByKey(at);
      const expressions = isMap(x) ? firstByKey(x) : undefined;
      for (const e of u.entries) {
        const x1 = expressions?.get(e.key)?.value;
        const existing = byKey.get(e.key);
        if (e.value.kind === 'scalar' && e.value.value === true) {
          if (existing && !(existing.value.kind === 'scalar' && existing.value.value === null)) continue;
          const expr = unknownValue([...at.path, e.key], at.span, x1);
          if (existing) existing.value = expr;
          else at.entries.push({ key: e.key, keySpan: expr.span, value: expr });
        } else if (existing) stack.push({ at: existing.value, unknown: e.value, expressions: isList(x1) ? x1.items[0] : x1 });
      }
    } else if (isList(at) && isList(u)) {
      u.items.forEach((item, i) => {
        if (item.kind === 'scalar' && item.value === true && i < at.items.length) at.items[i] = unknownValue([...at.path, i], at.span, x);
        else if (i < at.items.length) stack.push({ at: at.items[i], unknown: item, expressions: x });
      });
    }
  }
}

/** A map's entries by key (the first of a repeated key), for lookups in maps of any size. */
function firstByKey(map: MapNode): Map<string, Entry> {
  const out = new Map<string, Entry>();
  for (const e of map.entries) if (!out.has(e.key)) out.set(e.key, e);
  return out;
}

/** A value known after apply: an expression with the configuration's references, at its object's `{`. */
function unknownValue(path: Path, container: Span, expression: Node | undefined): ExprNode {
  const refs = referencesOf(get(expression, 'references'));
  const span = { start: container.start, end: container.start + 1 };
  return { kind: 'expr', span, path, text: refs[0] ?? '(known after apply)', refs };
}

/**
 * The `module_calls` of the root module and of the modules they call, as `module` resources; returns each
 * module's folder by address (`''` for the root, undefined below a call that is not a local path).
 */
function moduleCalls(first: Node | undefined, plan: PlanResource[], entries: Entry[]): Map<string, string | undefined> {
  const dirs = new Map<string, string | undefined>([['', '']]);
  const queue: { config: Node | undefined; prefix: string; dir: string | undefined }[] = [{ config: first, prefix: '', dir: '' }];
  while (queue.length) {
    const { config, prefix: p, dir: d } = queue.pop()!;
    const calls = get(config, 'module_calls');
    if (!isMap(calls)) continue;
    for (const call of calls.entries) {
      if (!isMap(call.value)) continue;
      const body: MapNode = { kind: 'map', span: call.value.span, path: [], entries: [] };
      for (const [from, key] of [
        ['source', 'source'],
        ['version_constraint', 'version'],
      ]) {
        const e = call.value.entries.find((x) => x.key === from);
        if (e) body.entries.push({ key, keySpan: e.keySpan, value: { ...e.value, path: [key] } as Node });
      }
      const address = `${p}module.${call.key}`;
      const resource: Resource = {
        kind: 'module',
        type: '',
        name: call.key,
        span: { start: call.keySpan.start, end: call.value.span.end },
        nameSpan: call.keySpan,
        body,
        address,
      };
      plan.push({ resource, moduleDir: d });
      entries.push({ key: 'module', keySpan: call.keySpan, value: body, form: 'block', labels: [call.key] });
      const source = str(get(call.value, 'source'));
      const local = d !== undefined && source !== undefined && /^\.\.?\//.test(source);
      const callee = local ? joinPath(d, source) : undefined;
      dirs.set(address, callee);
      queue.push({ config: get(call.value, 'module'), prefix: `${address}.`, dir: callee });
    }
  }
  return dirs;
}

/** `a/b` + `../c` → `a/c`: a relative folder joined and normalised (`''` is the root module's folder). */
export function joinPath(dir: string, relative: string): string {
  const parts = dir ? dir.split('/') : [];
  for (const seg of relative.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..' && parts.length && parts[parts.length - 1] !== '..') parts.pop();
    else parts.push(seg);
  }
  return parts.join('/');
}
