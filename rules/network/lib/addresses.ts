import {
  type EvalContext,
  evaluate,
  evaluateItems,
  isExpr,
  isList,
  isTerraform,
  type Node,
  type ParsedFile,
  partFile,
  type Span,
  str,
  walk,
} from '../../../core';
import { type ProviderDefault, supplier } from '../../lib/provider-defaults';

/**
 * Addresses of firewall rules: which values mean "the whole internet", read through variables, locals and
 * CloudFormation parameters, and where a finding about such a value belongs.
 */

// `0.0.0.0` and a bare `/0` are not valid ranges, but Azure NSG authors write them for "any source" and Checkov
// and KICS read them so.
const WORLD = new Set(['*', 'internet', 'any', '0.0.0.0', '/0', '0.0.0.0/0', '::/0', '0::/0', '::0/0']);

/**
 * `0.0.0.0/0`, `::/0` and every other address with a `/0` prefix (`10.0.0.1/0` is the whole internet
 * too), Azure's `*` / `Internet` / `Any` tags.
 */
export function isWorldText(value: string): boolean {
  const v = value.trim().toLowerCase();
  if (WORLD.has(v)) return true;
  // Any IPv4 or IPv6 address with a zero-length prefix.
  return /^\d{1,3}(?:\.\d{1,3}){3}\/0{1,2}$/.test(v) || (v.includes(':') && /^[0-9a-f:]{2,39}\/0{1,3}$/.test(v));
}

export function isWorld(node: Node): boolean {
  const v = str(node);
  return v !== undefined && isWorldText(v);
}

/** An open address value and how the rule reached it. */
export interface Peer {
  /** The literal that says "the whole internet" (where it is written, maybe in another file). */
  value: Node;
  /** The expression in the rule that resolved to it, when the literal is not written in the rule itself. */
  via?: Node;
  /** How the rule reached the literal, for messages: `var.allowed`, `parameter SSHLocation`. */
  label?: string;
  /** The literal is not written in this file (`variables.tf`, `terraform.tfvars`, a template): report at `via`. */
  foreign?: boolean;
  /** The file the literal is written in, when it is another file of the module. */
  origin?: ParsedFile;
  /** The open range is one part of a longer string (`"10.0.0.0/8,0.0.0.0/0"`): no replacement offered. */
  partOf?: boolean;
  /**
   * The range is a provider default for an attribute left out (see `rules/lib/provider-defaults.ts`): `value`
   * stands for it at the block that leaves it out, and this says so for messages. No replacement offered.
   */
  implicit?: string;
}

export interface Peers {
  open: Peer[];
  /** Variables / parameters the addresses depend on that have no value here (named in info findings). */
  inputs: { node: Node; names: string[] }[];
}

const nodeSets = new WeakMap<ParsedFile, Set<Node>>();

function nodesOf(file: ParsedFile): Set<Node> {
  let set = nodeSets.get(file);
  if (!set) {
    set = new Set();
    for (const root of file.roots) for (const v of walk(root)) set.add(v.node);
    for (const r of file.resources) for (const v of walk(r.body)) set.add(v.node);
    nodeSets.set(file, set);
  }
  return set;
}

/** The file of the module a resolved node was written in. */
export function fileOf(node: Node, ctx: EvalContext): ParsedFile | undefined {
  // A literal of an expression part read on demand (a conditional's result, a for-expression's collection).
  const part = partFile(node);
  if (part) return part.uri === ctx.file.uri ? ctx.file : ctx.project.module(ctx.file, () => false).find((f) => f.uri === part.uri);
  if (nodesOf(ctx.file).has(node)) return ctx.file;
  // The node came from a parsed file: files not parsed yet cannot hold it.
  return ctx.project.module(ctx.file, () => false).find((f) => f !== ctx.file && nodesOf(f).has(node));
}

/** Whether an unresolved reference is something a person supplies (a variable, a parameter). */
function isInput(name: string, ctx: EvalContext): boolean {
  if (isTerraform(ctx.file.format)) return /^var\.[\w-]+$/.test(name);
  const m = /^!Ref\s+(\S+)$/.exec(name) ?? /^\$\{([^}]+)\}$/.exec(name);
  return !!m && ctx.file.resources.some((r) => r.kind === 'parameter' && r.name === m[1]);
}

/** A value read through a `dynamic` block's iterator: the literal it stands for and the expression that named it. */
export interface Bound {
  bound: Node;
  via: Node;
  /** Where the item came from (`an item of var.rules`). */
  label?: string;
  /** The `for_each` expression the item came from: what a module call's argument decides for it. */
  decidedBy?: Node;
}

export type Value = Node | Bound | undefined;

function isBound(v: Value): v is Bound {
  return v !== undefined && 'bound' in v;
}

/** A short name for the expression a value was read through. */
export function describeVia(node: Node): string {
  if (isExpr(node) && node.fn === 'Ref' && node.args?.length) return `parameter ${str(node.args[0]) ?? '?'}`;
  if (isExpr(node) && node.fn === 'Fn::If') return 'a branch of Fn::If';
  const text = isExpr(node) ? node.text.replace(/\s+/g, ' ').trim() : String(str(node));
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function push(out: Peers, value: Node, via: Node | undefined, ctx: EvalContext, label?: string, decidedBy?: Node) {
  via = via !== value ? via : undefined;
  const name = label ?? (via ? describeVia(via) : undefined);
  // A literal written in this file is reported where it is written; one from elsewhere (or computed from a
  // template), where the rule uses it. Written in the rule itself (no `via`), it is in this file: no lookup.
  const file = via ? fileOf(value, ctx) : ctx.file;
  // An item a module call passed in (written outside the module): reported at the `for_each` the call's argument
  // decides, which the call moves to that argument.
  if (!file && ctx.call && decidedBy) via = decidedBy;
  if (file === ctx.file) out.open.push({ value, via, label: name });
  else out.open.push({ value, via, label: name, foreign: true, origin: file });
}

/**
 * The open addresses among address values (a literal, a list, a reference to either). Values are read
 * through `evaluate`, so `var.allowed` whose default is `["0.0.0.0/0"]` and `!Ref SSHLocation` whose
 * `Default` is `0.0.0.0/0` are open, and both branches of `!If` count.
 */
export function peers(ctx: EvalContext, ...values: Value[]): Peers {
  const out: Peers = { open: [], inputs: [] };
  const parts: Part[] = [];
  for (const value of values) {
    if (value === undefined) continue;
    const node = isBound(value) ? value.bound : value;
    const via = isBound(value) ? value.via : undefined;
    const label = isBound(value) ? value.label : undefined;
    const decidedBy = isBound(value) ? value.decidedBy : undefined;
    const seen = (v: Node, through: Node | undefined) => {
      if (isWorld(v)) push(out, v, through, ctx, label, decidedBy);
      else addPart(parts, v, through, label, decidedBy);
    };
    for (const item of isList(node) ? node.items : [node]) {
      if (!isExpr(item)) {
        seen(item, via);
        continue;
      }
      const e = evaluateItems(item, ctx);
      for (const v of e.values) seen(v, via ?? item);
      const inputs = e.unresolved.filter((n) => isInput(n, ctx));
      if (inputs.length) out.inputs.push({ node: via ?? item, names: [...new Set(inputs)] });
    }
  }
  if (out.open.length === 0 && parts.length > 1) spanningParts(out, parts, ctx);
  return out;
}

/** An IPv4 range of a rule that is not every address by itself, with how the rule reached it. */
interface Part {
  value: Node;
  via?: Node;
  label?: string;
  decidedBy?: Node;
  first: number;
  last: number;
}

const IPV4_CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

function addPart(parts: Part[], value: Node, via: Node | undefined, label: string | undefined, decidedBy: Node | undefined) {
  const m = IPV4_CIDR.exec(str(value)?.trim() ?? '');
  if (!m) return;
  const prefix = Number(m[5]);
  if (prefix > 32 || m.slice(1, 5).some((o) => Number(o) > 255)) return;
  const address = m.slice(1, 5).reduce((a, o) => a * 256 + Number(o), 0);
  const size = 2 ** (32 - prefix);
  const first = Math.floor(address / size) * size;
  parts.push({ value, via, label, decidedBy, first, last: first + size - 1 });
}

/**
 * Ranges that only together span every IPv4 address (`0.0.0.0/1` and `128.0.0.0/1`, the pair VPN clients write for
 * the default route) open the rule as `0.0.0.0/0` does: reported at the first of them, with no replacement offered.
 */
function spanningParts(out: Peers, parts: Part[], ctx: EvalContext) {
  const sorted = [...parts].sort((a, b) => a.first - b.first);
  let next = 0;
  for (const p of sorted) {
    if (p.first > next) return;
    next = Math.max(next, p.last + 1);
  }
  if (next < 2 ** 32) return;
  const names = [...new Set(sorted.map((p) => str(p.value)))].join(' + ');
  const first = sorted[0];
  push(out, first.value, first.via, ctx, `${names}, which together span every IPv4 address`, first.decidedBy);
  out.open[out.open.length - 1].partOf = true;
}

/** A value as an open address of a rule (read through `attr`): where it is written, and how the rule reached it. */
export function peerOf(value: Node | Bound, ctx: EvalContext): Peer {
  if (!isBound(value)) return { value };
  const file = fileOf(value.bound, ctx);
  const peer: Peer = { value: value.bound, via: value.via, label: value.label ?? describeVia(value.via) };
  return file === ctx.file ? peer : { ...peer, foreign: true, origin: file };
}

/** The open range of a provider default for an attribute left out, placed at `at` (the block that leaves it out). */
export function defaultPeers(d: ProviderDefault, at: Span): Peers {
  const value: Node = { kind: 'scalar', value: '0.0.0.0/0', span: at, path: [] };
  return { open: [{ value, implicit: `${d.path[d.path.length - 1]} is left out, which ${supplier(d)} reads as ${d.value}` }], inputs: [] };
}

/** A literal number or string of a value read through references; undefined when it is not one value. */
export function literal(node: Node | undefined, ctx: EvalContext): { value?: string; unreadable?: Node } {
  if (node === undefined) return {};
  const direct = str(node);
  if (direct !== undefined) return { value: direct };
  const e = evaluate(node, ctx);
  const values = [...new Set(e.values.map(str))];
  if (values.length === 1 && values[0] !== undefined && e.unresolved.length === 0) return { value: values[0] };
  return { unreadable: node };
}

/** A literal integer (a port) of a value read through references; `unreadable` when it is not one. */
export function literalInteger(node: Node | undefined, ctx: EvalContext): { value?: number; unreadable?: Node } {
  if (node === undefined) return {};
  const l = literal(node, ctx);
  if (l.value === undefined) return { unreadable: l.unreadable };
  const n = Number(l.value.trim());
  return l.value.trim() !== '' && Number.isInteger(n) ? { value: n } : { unreadable: node };
}
