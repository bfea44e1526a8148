import {
  all,
  contentSpan,
  embeddedJson,
  type EvalContext,
  evaluateItems,
  get,
  isExpr,
  isMap,
  isScalar,
  items,
  type Node,
  type ParsedFile,
  type RelatedLocation,
  type Resource,
  type Span,
  str,
} from '../../core';
import { moduleResource } from './module-resources';

/**
 * Google Cloud IAM members and ACL entities that mean "everyone", read from the shapes Terraform uses for
 * them: `member`, `members`, `policy_data` (a `data "google_iam_policy"` or JSON), `role_entity` lists
 * (`READER:allUsers`) and `entity`.
 */

export const PUBLIC_MEMBERS: Record<string, string> = {
  allusers: 'anyone on the internet',
  allauthenticatedusers: 'anyone with a Google account',
};

/** `allUsers`, `allAuthenticatedUsers` (any case); a `ROLE:entity` pair is judged by its entity. */
export function publicMember(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  const entity = v.includes(':') ? v.slice(v.lastIndexOf(':') + 1) : v;
  return PUBLIC_MEMBERS[entity.toLowerCase()];
}

export interface PublicMember {
  /** The value to report: the literal in place, or the reference that resolved to it. */
  node: Node;
  member: string;
  who: string;
}

/** Public members among the items of a value (a list literal, a single string, or a reference to either). */
export function publicMembersIn(value: Node | undefined, ctx: EvalContext): PublicMember[] {
  if (!value) return [];
  const out: PublicMember[] = [];
  for (const item of items(value)) {
    const literal = str(item);
    if (literal !== undefined) {
      const who = publicMember(literal);
      if (who) out.push({ node: item, member: literal, who });
      continue;
    }
    if (!isExpr(item)) continue;
    for (const v of evaluateItems(item, ctx).values) {
      const s = str(v);
      const who = publicMember(s);
      if (s !== undefined && who) out.push({ node: item, member: s, who });
    }
  }
  return out;
}

/** The `bindings` of an IAM policy given as `policy_data`: a `data "google_iam_policy"` in the module, or JSON. */
export function policyDataMembers(value: Node | undefined, ctx: EvalContext): Array<PublicMember & { file: ParsedFile; resource?: Resource }> {
  if (!value) return [];
  const ref = isExpr(value) ? /^data\.google_iam_policy\.([\w-]+)\.policy_data$/.exec(value.text.trim()) : null;
  if (ref) {
    const found = moduleResource(ctx, 'data', 'google_iam_policy', ref[1]);
    if (!found) return [];
    const { file, resource } = found;
    return all(resource.body, 'binding')
      .filter(isMap)
      .flatMap((b) => publicMembersIn(get(b, 'members'), { ...ctx, file }))
      .map((m) => ({ ...m, file, resource }));
  }
  const json = isScalar(value) || isExpr(value) ? embeddedJson(ctx.file, value) : undefined;
  const doc = json ?? (isExpr(value) && value.fn === 'jsonencode' ? value.args?.[0] : undefined);
  return items(get(doc, 'bindings'))
    .flatMap((b) => publicMembersIn(get(b, 'members'), ctx))
    .map((m) => ({ ...m, file: ctx.file }));
}

/** ` (from var.reader)` when the member came through a reference, for messages. */
export function via(m: PublicMember): string {
  return m.node.kind === 'expr' ? ` (from ${m.node.text.trim()})` : '';
}

/** `for_each` over a set or list of strings, through `toset(...)` / `tolist(...)`. */
function forEachStrings(node: Node | undefined, ctx: EvalContext): string[] {
  const list = isExpr(node) && (node.fn === 'toset' || node.fn === 'tolist') ? node.args?.[0] : node;
  return evaluateItems(list, ctx)
    .values.map(str)
    .filter((v): v is string => v !== undefined);
}

/**
 * `member = each.value` (or `each.key`) in a resource whose `for_each` is a set or list of member strings: one
 * resource per item, so each public item is a grant, reported at the member reference.
 */
export function forEachMembers(r: Resource, ctx: EvalContext): PublicMember[] {
  const node = get(r.body, 'member');
  if (!isExpr(node) || !/^each\.(?:value|key)$/.test(node.text.trim())) return [];
  return forEachStrings(get(r.body, 'for_each'), ctx).flatMap((member) => {
    const who = publicMember(member);
    return who ? [{ node, member, who }] : [];
  });
}

/** A public member of an IAM resource: where to report it, and the other place that belongs to the finding. */
export interface PublicGrant {
  span: Span;
  member: PublicMember;
  related: RelatedLocation[];
}

/**
 * Public members of a `policy_data` (a `data "google_iam_policy"` document, or JSON). A member written in this file
 * is reported where it is written — the line to change — with the `policy_data` that applies it as a related
 * location; a document in another file of the module, at the `policy_data`, with the member as related location.
 */
export function policyGrants(r: Resource, ctx: EvalContext): PublicGrant[] {
  const policy = get(r.body, 'policy_data');
  if (!policy) return [];
  return policyDataMembers(policy, ctx).map((m) => {
    if (m.file !== ctx.file) {
      return { span: policy.span, member: m, related: [{ span: contentSpan(m.node), uri: m.file.uri, message: 'the public member' }] };
    }
    const related = m.resource ? [{ span: contentSpan(policy), message: `applied to ${r.type}.${r.name} here` }] : [];
    return { span: contentSpan(m.node), member: m, related };
  });
}

/** Public members of an IAM member, binding or policy resource (`*_iam_member`, `*_iam_binding`, `*_iam_policy`). */
export function iamResourceMembers(r: Resource, ctx: EvalContext): PublicGrant[] {
  const members = [...publicMembersIn(get(r.body, 'member'), ctx), ...publicMembersIn(get(r.body, 'members'), ctx), ...forEachMembers(r, ctx)];
  return [...members.map((member) => ({ span: contentSpan(member.node), member, related: [] })), ...policyGrants(r, ctx)];
}

/**
 * For an IAM resource of one of `kinds` (the resource type it grants on, `google_compute_image` for
 * `google_compute_image_iam_member` / `_binding` / `_policy`, to a noun): the noun, the role it grants (undefined
 * for a policy, whose roles are in its document) and its public grants. Undefined for any other resource.
 */
export function publicIamGrants(
  r: Resource,
  ctx: EvalContext,
  kinds: Readonly<Record<string, string>>,
): { what: string; role?: string; grants: PublicGrant[] } | undefined {
  const m = /^(google_[a-z0-9_]+)_iam_(?:member|binding|policy)$/.exec(r.type);
  const what = m ? kinds[m[1]] : undefined;
  if (!what) return undefined;
  return { what, role: str(get(r.body, 'role')), grants: iamResourceMembers(r, ctx) };
}
