import { bool, contentSpan, defineRule, entry, str } from '../../../core';
import { setting } from '../../lib/provider-defaults';
import { appendEntries, unreadable } from '../../lib/edit';

/** An organization policy in the same module that enforces public access prevention for every bucket. */
const ORG_POLICY = /storage\.publicAccessPrevention/;

export default defineRule({
  id: 'storage/gcs-public-access-prevention-off',
  family: 'storage',
  severity: 'info',
  formats: ['terraform', 'terraform-json', 'terraform-plan'],
  prefilter: { terraform: ['google_storage_bucket'] },
  fixes: { 'enforce-prevention': 'safe' },
  docs: {
    summary:
      'Cloud Storage bucket with neither `public_access_prevention = "enforced"` nor `uniform_bucket_level_access = true` (and no organization policy in the module that enforces prevention).',
    why: 'With uniform bucket-level access off, every object carries its own ACL, set by whoever uploads it — outside the code, where no review sees it — and one `allUsers` entry publishes that object. Public access prevention (or the storage.publicAccessPrevention organization policy) makes Cloud Storage refuse such grants; uniform access removes object ACLs altogether. A bucket with either one on is not reported: its remaining way to go public is bucket IAM, which storage/gcs-public-access checks in the code. Reported as information: the bucket is not public by itself.',
    fix: 'Set public_access_prevention = "enforced" and uniform_bucket_level_access = true, or enforce the storage.publicAccessPrevention organization policy.',
    fixes: {
      'enforce-prevention': 'Sets or adds `public_access_prevention = "enforced"`. Public grants on the bucket stop working, which is the point.',
    },
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
      if (value?.toLowerCase() === 'enforced' || (pap && value === undefined)) continue;
      // With uniform bucket-level access on, only bucket IAM can open the bucket, and that is in the code
      // where storage/gcs-public-access sees it. Unset, it is off; a reference may well be on.
      const uniform = setting(ctx, r, ['uniform_bucket_level_access']);
      if (uniform?.written ? bool(uniform.written) !== false : uniform?.default.value !== 'false') continue;
      if (unreadable(file, r.span)) continue;
      orgPolicy ??= ctx.project.module(file, (text) => ORG_POLICY.test(text)).some((f) => ORG_POLICY.test(f.text));
      if (orgPolicy) continue;
      const risk = 'object ACLs, set by whoever uploads outside this code, can make single objects public (unless an organization policy enforces prevention)';
      if (pap) {
        report({
          span: contentSpan(pap.value),
          message: `Bucket "${r.name}" leaves public_access_prevention "${value}" and uniform bucket-level access off: ${risk}`,
          fixes: [
            {
              title: 'Enforce public access prevention',
              kind: 'enforce-prevention',
              safety: 'safe',
              edits: [{ span: contentSpan(pap.value), newText: 'enforced' }],
            },
          ],
        });
      } else {
        const edit = appendEntries(file, r.body, [['public_access_prevention', '"enforced"']]);
        report({
          span: r.nameSpan,
          message: `Bucket "${r.name}" has neither public access prevention nor uniform bucket-level access: ${risk}`,
          fixes: edit ? [{ title: 'Enforce public access prevention', kind: 'enforce-prevention', safety: 'safe', edits: [edit] }] : [],
        });
      }
    }
  },
});
