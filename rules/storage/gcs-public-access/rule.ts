import { contentSpan, defineRule, get, items, str } from '../../../core';
import { forEachMembers, policyGrants, publicMembersIn, via, type PublicMember } from '../../lib/gcp-iam';

/** IAM resources on buckets and managed folders: where their members are. */
const IAM_TYPES = new Set([
  'google_storage_bucket_iam_member',
  'google_storage_bucket_iam_binding',
  'google_storage_managed_folder_iam_member',
  'google_storage_managed_folder_iam_binding',
]);

/**
 * The cloud-storage module's `simple_bucket` submodule grants each `iam_members` item (`{ role, member }`) on the bucket
 * it makes. https://github.com/terraform-google-modules/terraform-google-cloud-storage/tree/main/modules/simple_bucket
 */
const SIMPLE_BUCKET_MODULE =
  /(?:terraform-google-modules\/cloud-storage\/google|terraform-google-modules\/terraform-google-cloud-storage)\/\/modules\/simple_bucket/;

const POLICY_TYPES = new Set(['google_storage_bucket_iam_policy', 'google_storage_managed_folder_iam_policy']);

/** ACL resources with `role_entity` lists (`READER:allUsers`). */
const ACL_TYPES = new Set(['google_storage_bucket_acl', 'google_storage_default_object_acl', 'google_storage_object_acl']);

/** Access-control resources with a single `entity`. */
const ENTITY_TYPES = new Set(['google_storage_bucket_access_control', 'google_storage_default_object_access_control', 'google_storage_object_access_control']);

/** Predefined ACLs that open a bucket or object to everyone. */
const PUBLIC_PREDEFINED: Record<string, string> = {
  publicread: 'anyone on the internet can read',
  publicreadwrite: 'anyone on the internet can read and write',
  authenticatedread: 'anyone with a Google account can read',
};

export default defineRule({
  id: 'storage/gcs-public-access',
  family: 'storage',
  severity: 'error',
  formats: ['terraform', 'terraform-json', 'terraform-plan'],
  prefilter: { terraform: ['google_storage_', 'simple_bucket'] },
  docs: {
    summary:
      "Cloud Storage bucket or object opened to `allUsers` or `allAuthenticatedUsers`: an IAM member, binding or policy (also an IAM member resource whose `for_each` set names them, `member = each.value`), an ACL `role_entity` or `entity`, a public `predefined_acl`, or an `iam_members` item of the cloud-storage module's `simple_bucket`.",
    why: 'allUsers is anyone on the internet, without credentials; allAuthenticatedUsers is anyone with any Google account — not your organisation. Either one on a bucket holding datasets, checkpoints or exports publishes them.',
    fix: 'Grant the role to the service accounts, groups or domain that need it instead, and turn on public access prevention (public_access_prevention = "enforced") so a public grant is refused. Serve public content through a load balancer with Cloud CDN and signed URLs if it must be public.',
    examples: {
      format: 'terraform',
      bad: 'resource "google_storage_bucket_iam_member" "viewer" {\n  bucket = google_storage_bucket.data.name\n  role   = "roles/storage.objectViewer"\n  member = "allUsers"\n}',
      good: 'resource "google_storage_bucket_iam_member" "viewer" {\n  bucket = google_storage_bucket.data.name\n  role   = "roles/storage.objectViewer"\n  member = "serviceAccount:${google_service_account.trainer.email}"\n}',
    },
  },
  check(ctx) {
    const { file, report } = ctx;
    for (const r of file.resources) {
      if (r.kind === 'module' && SIMPLE_BUCKET_MODULE.test(str(get(r.body, 'source')) ?? '')) {
        for (const item of items(get(r.body, 'iam_members'))) {
          const role = str(get(item, 'role'));
          for (const m of publicMembersIn(get(item, 'member'), ctx)) {
            report({
              span: contentSpan(m.node),
              message: `Bucket IAM member of module "${r.name}" grants ${role ?? 'access'} to ${m.member}${via(m)}: ${m.who} can use it`,
            });
          }
        }
      }
      if (r.kind !== 'resource') continue;
      const role = str(get(r.body, 'role'));
      const say = (m: PublicMember, what: string) =>
        report({ span: contentSpan(m.node), message: `${what} grants ${role ?? 'access'} to ${m.member}${via(m)}: ${m.who} can use it` });
      if (IAM_TYPES.has(r.type)) {
        for (const m of [...publicMembersIn(get(r.body, 'member'), ctx), ...publicMembersIn(get(r.body, 'members'), ctx), ...forEachMembers(r, ctx)])
          say(m, 'Bucket IAM');
      } else if (POLICY_TYPES.has(r.type)) {
        for (const { span, member: m, related } of policyGrants(r, ctx)) {
          report({ span, message: `Bucket IAM policy grants a role to ${m.member}: ${m.who} can use it`, related });
        }
      } else if (ACL_TYPES.has(r.type)) {
        for (const m of publicMembersIn(get(r.body, 'role_entity'), ctx)) {
          report({ span: contentSpan(m.node), message: `Storage ACL entry "${m.member}": ${m.who} gets ${m.member.split(':')[0]} access` });
        }
        const predefined = get(r.body, 'predefined_acl');
        const what = PUBLIC_PREDEFINED[str(predefined)?.toLowerCase() ?? ''];
        if (predefined && what) report({ span: contentSpan(predefined), message: `Predefined ACL "${str(predefined)}": ${what}` });
      } else if (ENTITY_TYPES.has(r.type)) {
        for (const m of publicMembersIn(get(r.body, 'entity'), ctx)) say(m, 'Storage access control');
      }
    }
  },
});
