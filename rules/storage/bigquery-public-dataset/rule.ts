import { contentSpan, defineRule, evaluate, get, type MapNode, type Span, str } from '../../../core';
import { bodyBlocks } from '../../lib/dynamic-blocks';
import { policyGrants, publicMembersIn, via } from '../../lib/gcp-iam';

const IAM_TYPES = new Set([
  'google_bigquery_dataset_iam_member',
  'google_bigquery_dataset_iam_binding',
  'google_bigquery_table_iam_member',
  'google_bigquery_table_iam_binding',
]);

const POLICY_TYPES = new Set(['google_bigquery_dataset_iam_policy', 'google_bigquery_table_iam_policy']);

/** Keys that name who an `access` entry is for. An entry with none of them is not tied to anyone we can see. */
const GRANTEES = ['user_by_email', 'group_by_email', 'domain', 'special_group', 'iam_member', 'view', 'routine', 'dataset'];

function accessFindings(access: MapNode, anchor: Span, ctx: Parameters<typeof publicMembersIn>[1]) {
  const out: Array<{ span: Span; message: string; severity?: 'warning' }> = [];
  // The role as written, or (dynamic content) the one value its expression reads.
  const roles = evaluate(get(access, 'role'), ctx).values;
  const role = (roles.length === 1 ? str(roles[0]) : undefined) ?? 'access';
  for (const key of ['special_group', 'iam_member']) {
    for (const m of publicMembersIn(get(access, key), ctx))
      out.push({ span: contentSpan(m.node), message: `Dataset access entry gives ${role} to ${m.member}${via(m)}: ${m.who} can use it` });
  }
  if (!GRANTEES.some((k) => get(access, k) !== undefined)) {
    out.push({
      span: anchor,
      severity: 'warning',
      message: `Dataset access entry gives ${role} without naming a grantee (user_by_email, group_by_email, domain, special_group, iam_member, view, routine or dataset): it cannot be confirmed as private`,
    });
  }
  return out;
}

export default defineRule({
  id: 'storage/bigquery-public-dataset',
  family: 'storage',
  severity: 'error',
  formats: ['terraform', 'terraform-json', 'terraform-plan'],
  prefilter: { terraform: ['google_bigquery_'] },
  docs: {
    summary:
      'BigQuery dataset or table shared with `allUsers` or `allAuthenticatedUsers` (an `access` entry — also a `dynamic "access"` block, each item of its `for_each` read through the iterator —, `google_bigquery_dataset_access`, or an IAM member, binding or policy), or an `access` entry that names no grantee.',
    why: 'A dataset readable by allAuthenticatedUsers can be queried by anyone with a Google account; allUsers needs no account at all. Feature tables, labelled training data and evaluation sets leak this way. An access entry with a role but no recognised grantee cannot be checked and is reported as a warning.',
    fix: 'Grant access to specific users, groups, service accounts or your domain (group_by_email, user_by_email, domain), or to an authorized view that exposes only what is meant to be shared.',
    examples: {
      format: 'terraform',
      bad: 'resource "google_bigquery_dataset" "features" {\n  dataset_id = "features"\n  access {\n    role          = "READER"\n    special_group = "allAuthenticatedUsers"\n  }\n}',
      good: 'resource "google_bigquery_dataset" "features" {\n  dataset_id = "features"\n  access {\n    role           = "READER"\n    group_by_email = "ml-team@example.com"\n  }\n}',
    },
  },
  check(ctx) {
    const { file, report } = ctx;
    for (const r of file.resources) {
      if (r.kind !== 'resource') continue;
      if (r.type === 'google_bigquery_dataset') {
        // Repeated `access` blocks, an array of them (Terraform's JSON syntax), or `dynamic "access"` content per item.
        for (const a of bodyBlocks(r.body, 'access', ctx)) for (const f of accessFindings(a.node, a.anchor, ctx)) report(f);
      } else if (r.type === 'google_bigquery_dataset_access') {
        for (const key of ['special_group', 'iam_member']) {
          for (const m of publicMembersIn(get(r.body, key), ctx))
            report({
              span: contentSpan(m.node),
              message: `Dataset access gives ${str(get(r.body, 'role')) ?? 'access'} to ${m.member}${via(m)}: ${m.who} can use it`,
            });
        }
      } else if (IAM_TYPES.has(r.type)) {
        const role = str(get(r.body, 'role')) ?? 'a role';
        for (const m of [...publicMembersIn(get(r.body, 'member'), ctx), ...publicMembersIn(get(r.body, 'members'), ctx)]) {
          report({ span: contentSpan(m.node), message: `BigQuery IAM grants ${role} to ${m.member}${via(m)}: ${m.who} can use it` });
        }
      } else if (POLICY_TYPES.has(r.type)) {
        for (const { span, member: m, related } of policyGrants(r, ctx)) {
          report({ span, message: `BigQuery IAM policy grants a role to ${m.member}${via(m)}: ${m.who} can use it`, related });
        }
      }
    }
  },
});
