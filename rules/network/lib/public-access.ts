import {
  blockBody,
  contentSpan,
  type Entry,
  type EvalContext,
  evaluateStrings,
  get,
  isExpr,
  type Fix,
  isScalar,
  type Node,
  type Resource,
  str,
  type TextEdit,
} from '../../../core';
import { appendEntries } from '../../lib/edit';
import { type ProviderDefault, setting, supplier } from '../../lib/provider-defaults';

/**
 * One switch of a resource that opens it to the internet (`public_network_access_enabled`, `disable_public_ip`,
 * `default_action`): what is written, or the provider default when it is left out (see `provider-defaults.ts`).
 */
export type Switch =
  /** Set to the closed value, or to something this analysis cannot read (not reported). */
  | { kind: 'closed' | 'unknown' }
  /** Written with the open value (`node` is where, `value` what it resolved to). */
  | { kind: 'open'; node: Node; value: string }
  /** Left out: the provider default is open. */
  | { kind: 'default'; default: ProviderDefault };

/** The switch at `path` of `r` (keys from the resource body), open unless it reads `closed`. */
export function readSwitch(ctx: EvalContext, r: Resource, path: readonly string[], closed: string): Switch {
  const s = setting(ctx, r, path);
  if (!s) return { kind: 'unknown' };
  if (s.default) return s.default.value.toLowerCase() === closed.toLowerCase() || s.earlier ? { kind: 'closed' } : { kind: 'default', default: s.default };
  const literal = str(s.written);
  const values = literal !== undefined ? [literal] : evaluateStrings(s.written, ctx).strings;
  if (values.length === 0 || (literal === undefined && evaluateStrings(s.written, ctx).unresolved.length > 0)) return { kind: 'unknown' };
  const open = values.find((v) => v.toLowerCase() !== closed.toLowerCase());
  return open === undefined ? { kind: 'closed' } : { kind: 'open', node: s.written, value: open };
}

/** How a switch is set, for messages: `public_network_access_enabled = true`, or its default and who applies it. */
export function describeSwitch(path: readonly string[], s: Switch): string {
  const key = path[path.length - 1];
  if (s.kind === 'open') return `${key} = ${s.value}`;
  if (s.kind === 'default') return `${path.join('.')} is left out, which ${supplier(s.default)} reads as ${s.default.value}`;
  return key;
}

/**
 * A fix that closes the switch: the open literal replaced, or the attribute added to the block that leaves it
 * out (when that block is written). `closedText`: the closed value as source text (`false`, `"Disabled"`).
 */
export function closeSwitch<K extends string>(ctx: EvalContext, r: Resource, path: readonly string[], s: Switch, closedText: string, kind: K): Fix<K>[] {
  const key = path[path.length - 1];
  let edit: TextEdit | undefined;
  if (s.kind === 'open' && isScalar(s.node)) {
    edit =
      typeof s.node.value === 'string' ? { span: contentSpan(s.node), newText: closedText.replace(/^"|"$/g, '') } : { span: s.node.span, newText: closedText };
  } else if (s.kind === 'default') {
    let block: Node | undefined = r.body;
    for (const k of path.slice(0, -1)) block = blockBody(block)?.entries.find((e) => e.key === k)?.value;
    const body = blockBody(block);
    if (body) edit = appendEntries(ctx.file, body, [[key, closedText]]);
  }
  return edit ? [{ title: `Set ${key} to ${closedText.replace(/"/g, '')}`, kind, safety: 'unsafe', edits: [edit] }] : [];
}

/** Where a finding about a switch goes: the open value, else the block that leaves it out, else the resource's header. */
export function switchSpan(r: Resource, path: readonly string[], s: Switch) {
  if (s.kind === 'open') return contentSpan(s.node);
  let block: Node = r.body;
  let span = r.nameSpan;
  for (const k of path.slice(0, -1)) {
    const e: Entry | undefined = blockBody(block)?.entries.find((x) => x.key === k);
    if (!e) break;
    block = e.value;
    span = e.keySpan;
  }
  return span;
}

/** The resource that can hold a storage account's network rules instead of its `network_rules` block. */
export const STORAGE_RULES = 'azurerm_storage_account_network_rules';
export const STORAGE_RULES_LINK = { type: STORAGE_RULES, link: 'storage_account_id' };

/** Whether a separate network rules resource of the module applies to `r` (it is then judged by itself). */
export function hasSeparateRules(ctx: EvalContext, r: Resource, separate: { type: string; link: string }): boolean {
  const ref = `${r.type}.${r.name}`;
  for (const f of ctx.project.module(ctx.file, (text) => text.includes(separate.type))) {
    for (const x of f.resources) {
      const link = x.type === separate.type ? get(x.body, separate.link) : undefined;
      if (isExpr(link) && link.refs?.some((s) => s === ref || s.startsWith(`${ref}.`))) return true;
    }
  }
  return false;
}
