import { defineRule } from '../../../core/rule';
import { bool, contentSpan, entry, str } from '../../../core/nodes';
import { appendEntries, unreadable } from '../../lib/edit';

/** An organization policy in the same module that enforces public access prevention for every bucket. */
const ORG_POLICY = /storage\.publicAccessPrevention/;

export default defineRule({
  id: 'storage/gcs-public-access-prevention-off',
  family: 'storage',
  severity: 'info',
  formats: ['terraform'],
  docs: {
    summary: 'Cloud Storage bucket without `public_access_prevention = "enforced"` (and no organization policy in the module that enforces it); a bucket that also turns `uniform_bucket_level_access` off is pointed out.',
    why: 'Public access prevention makes Cloud Storage refuse any grant to allUsers or allAuthenticatedUsers, whoever adds it later. Without it (or the storage.publicAccessPrevention organization policy), one IAM binding or object ACL publishes the data. With uniform bucket-level access off, single objects can also be made public with object ACLs that bucket-level reviews do not show. Reported as information: the bucket is not public by itself.',
    fix: 'Set public_access_prevention = "enforced" and uniform_bucket_level_access = true, or enforce the storage.publicAccessPrevention organization policy.',
    fixSafety: 'Safe: adds public_access_prevention = "enforced". Public grants on the bucket stop working, which is the point.',
    examples: {
      format: 'terraform',
      bad: 'resource "google_storage_bucket" "datasets" {\n  name     = "ml-datasets"\n  location = "EU"\n}',
      good: 'resource "google_storage_bucket" "datasets" {\n  name                        = "ml-datasets"\n  location                    = "EU"\n  uniform_bucket_level_access = true\n  public_access_prevention    = "enforced"\n}',
    },
  },
  check(ctx) {
    const { file, report } = ctx;
    let orgPolicy: boolean | undefined;
    for (const r of file.resources) {
      if (r.kind !== 'resource' || r.type !== 'google_storage_bucket') continue;
      const pap = entry(r.body, 'public_access_prevention');
      const value = str(pap?.value);
      if (value?.toLowerCase() === 'enforced' || (pap && value === undefined) || (!pap && unreadable(file, r.span))) continue;
      orgPolicy ??= ctx.project.module(file).some((f) => ORG_POLICY.test(f.text));
      if (orgPolicy) continue;
      const uniform = entry(r.body, 'uniform_bucket_level_access');
      const acls = uniform && bool(uniform.value) === false ? '; uniform bucket-level access is off too, so object ACLs can publish single objects' : '';
      if (pap) {
        report({
          span: contentSpan(pap.value),
          message: `Bucket "${r.name}" sets public_access_prevention to "${value}": unless an organization policy enforces prevention, a grant to allUsers would be accepted${acls}`,
          fixes: [{ title: 'Enforce public access prevention', safety: 'safe', edits: [{ span: contentSpan(pap.value), newText: 'enforced' }] }],
        });
      } else {
        const edit = appendEntries(file, r.body, [['public_access_prevention', '"enforced"']]);
        report({
          span: r.nameSpan,
          message: `Bucket "${r.name}" does not enforce public access prevention: unless an organization policy does, a grant to allUsers would be accepted${acls}`,
          fixes: edit ? [{ title: 'Enforce public access prevention', safety: 'safe', edits: [edit] }] : [],
        });
      }
    }
  },
});
