import type { Entry, ExprNode, ListNode, MapNode, Node, ScalarNode } from './model';

/** Helpers rules use to read the model without caring which format it came from. */

export function isMap(n: Node | undefined): n is MapNode {
  return n?.kind === 'map';
}

export function isList(n: Node | undefined): n is ListNode {
  return n?.kind === 'list';
}

export function isScalar(n: Node | undefined): n is ScalarNode {
  return n?.kind === 'scalar';
}

export function isExpr(n: Node | undefined): n is ExprNode {
  return n?.kind === 'expr';
}

const NOT_RESOURCES = /^(?:var|local|data|module)\./;

/**
 * The `type.name` of the first resource a Terraform expression refers to (`aws_security_group.web.id` →
 * `aws_security_group.web`), of `type` when one is given. Variables, locals, data sources and modules are not
 * resources.
 */
export function resourceRef(node: Node | undefined, type?: string): string | undefined {
  if (!isExpr(node)) return undefined;
  const ref = node.refs?.find((x) => (type ? x.startsWith(`${type}.`) : /^[a-z]\w*\.[\w-]+/.test(x) && !NOT_RESOURCES.test(x)));
  return ref?.split('.').slice(0, 2).join('.');
}

/** The first entry with `key` (case-sensitive). */
export function entry(map: Node | undefined, key: string): Entry | undefined {
  if (!isMap(map)) return undefined;
  // A loop, not `find`: every rule looks keys up, and a closure per lookup is garbage on every keystroke.
  for (const e of map.entries) if (e.key === key) return e;
  return undefined;
}

/** The value of the first entry with `key`. */
export function get(map: Node | undefined, key: string): Node | undefined {
  return entry(map, key)?.value;
}

/** Follow a key path through maps (string keys) and lists (numeric indices). */
export function at(node: Node | undefined, ...path: (string | number)[]): Node | undefined {
  let cur = node;
  for (const k of path) {
    if (cur === undefined) return undefined;
    if (typeof k === 'number') cur = isList(cur) ? cur.items[k] : undefined;
    else cur = get(cur, k);
  }
  return cur;
}

/**
 * Every value under `key`, flattened: repeated HCL blocks (`ingress {}` twice), a YAML/JSON list, or
 * a single value. One mechanism for "the ingress rules", whatever the format wrote.
 */
export function all(map: Node | undefined, key: string): Node[] {
  if (!isMap(map)) return [];
  const out: Node[] = [];
  for (const e of map.entries) {
    if (e.key !== key) continue;
    if (isList(e.value)) out.push(...e.value.items);
    else out.push(e.value);
  }
  return out;
}

/**
 * A nested block's body: the map, or the first map of an array of them (Terraform's JSON syntax may write
 * `"network_rules": [{ ... }]` for `network_rules { ... }`).
 */
export function blockBody(node: Node | undefined): MapNode | undefined {
  if (isMap(node)) return node;
  return isList(node) && isMap(node.items[0]) ? node.items[0] : undefined;
}

/** Items of a list, or the node itself as a one-item list. */
export function items(node: Node | undefined): Node[] {
  if (node === undefined) return [];
  return isList(node) ? node.items : [node];
}

/** A literal string value (numbers and booleans as their text), or undefined for maps, lists, expressions. */
export function str(node: Node | undefined): string | undefined {
  if (!isScalar(node) || node.value === null) return undefined;
  return String(node.value);
}

/**
 * Whether an attribute says nothing: left out, `null` (how a plan writes an argument left unset) or an empty string.
 * A reference is not blank: what it holds is for the evaluator to say.
 */
export function isBlank(node: Node | undefined): boolean {
  return node === undefined || (isScalar(node) && (node.value === null || (typeof node.value === 'string' && node.value.trim() === '')));
}

/** A literal boolean, accepting the string forms YAML/JSON/HCL authors use (`"true"`, `"false"`). */
export function bool(node: Node | undefined): boolean | undefined {
  if (!isScalar(node)) return undefined;
  if (typeof node.value === 'boolean') return node.value;
  if (typeof node.value === 'string') {
    const v = node.value.toLowerCase();
    if (v === 'true') return true;
    if (v === 'false') return false;
  }
  return undefined;
}

/** The span to underline for a scalar: its content without quotes. */
export function contentSpan(node: Node) {
  return isScalar(node) && node.contentSpan ? node.contentSpan : node.span;
}

export interface Visit {
  node: Node;
  /** The map entry that holds this node, when the parent is a map. */
  entry?: Entry;
  /** The nearest string key above this node (list items inherit their list's key). */
  key?: string;
}

/**
 * The same walk as `walk`, calling `fn` for each node instead of yielding a `Visit`: no object per node, for
 * walks on every keystroke. `fn` returning `false` skips the node's children.
 */
// biome-ignore lint/suspicious/noConfusingVoidType: a visitor that returns nothing visits every child
export function visit(node: Node, fn: (node: Node, entry: Entry | undefined, key: string | undefined) => boolean | void, entryOf?: Entry, key?: string): void {
  const nodes: Node[] = [node];
  const entries: (Entry | undefined)[] = [entryOf];
  const keys: (string | undefined)[] = [key];
  while (nodes.length > 0) {
    const n = nodes.pop()!;
    const e = entries.pop();
    const k = keys.pop();
    if (fn(n, e, k) === false) continue;
    switch (n.kind) {
      case 'map': {
        const list = n.entries;
        for (let i = list.length - 1; i >= 0; i--) {
          nodes.push(list[i].value);
          entries.push(list[i]);
          keys.push(list[i].key);
        }
        break;
      }
      case 'list':
      case 'expr': {
        const list = n.kind === 'list' ? n.items : n.args;
        if (list) {
          for (let i = list.length - 1; i >= 0; i--) {
            nodes.push(list[i]);
            entries.push(undefined);
            keys.push(k);
          }
        }
        break;
      }
      default:
        break;
    }
  }
}

/**
 * Depth-first walk over a node and everything under it, including expression arguments, in document
 * order (a node before its children). One generator with its own stack: nested generators would resume
 * once per level for every node, which on deep YAML trees costs more than the rules that walk them.
 */
export function* walk(node: Node, entryOf?: Entry, key?: string): Generator<Visit> {
  const stack: Visit[] = [{ node, entry: entryOf, key }];
  while (stack.length > 0) {
    const v = stack.pop()!;
    yield v;
    const n = v.node;
    switch (n.kind) {
      case 'map': {
        const entries = n.entries;
        for (let i = entries.length - 1; i >= 0; i--) {
          const e = entries[i];
          stack.push({ node: e.value, entry: e, key: e.key });
        }
        break;
      }
      case 'list': {
        const items = n.items;
        for (let i = items.length - 1; i >= 0; i--) stack.push({ node: items[i], entry: undefined, key: v.key });
        break;
      }
      case 'expr': {
        const args = n.args;
        if (args) for (let i = args.length - 1; i >= 0; i--) stack.push({ node: args[i], entry: undefined, key: v.key });
        break;
      }
      default:
        break;
    }
  }
}
