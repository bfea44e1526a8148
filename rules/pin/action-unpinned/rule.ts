import { contentSpan, defineRule, type Fix, lineIndexOf, type ParsedFile } from '../../../core';
import { FULL_COMMIT, SHORT_COMMIT } from '../lib/git-refs';
import { type UsesSite, usesSites } from '../lib/workflow-sites';

/**
 * Reusable workflows that refuse to run unless referenced by a release tag: the SLSA generators verify their own
 * ref (`@vX.Y.Z`) and fail on a commit SHA, so pinning them by commit would break the build.
 */
const TAG_REQUIRED = [/^slsa-framework\/slsa-github-generator\/\.github\/workflows\/[^@]+$/];
const RELEASE_TAG = /^v\d+\.\d+\.\d+$/;

interface Reference {
  /** `owner/repo`, `owner/repo/path`, `owner/repo/.github/workflows/x.yml`. */
  name: string;
  ref: string;
  /** Offset of the ref in the file. */
  refStart: number;
}

/** `owner/repo[/path]@ref` as written in place; local actions (`./`), `docker://` images and refless values are not references. */
function referenceOf(file: ParsedFile, site: UsesSite): Reference | undefined {
  const value = site.node.value;
  const span = contentSpan(site.node);
  if (value.startsWith('./') || value.startsWith('docker://') || file.text.slice(span.start, span.end) !== value) return undefined;
  const at = value.indexOf('@');
  if (at <= 0 || at === value.length - 1 || !value.slice(0, at).includes('/')) return undefined;
  return { name: value.slice(0, at), ref: value.slice(at + 1), refStart: span.start + at + 1 };
}

const snippetText = (s: string) => s.replace(/[$}\\]/g, '\\$&');

/**
 * The ref becomes a placeholder for the commit; the old ref stays readable as a `# ref` comment after the value,
 * where the rest of the line is free for one (not inside a flow collection).
 */
function pinFix(file: ParsedFile, site: UsesSite, reference: Reference): Fix<'pin-commit'> {
  const refEnd = reference.refStart + reference.ref.length;
  const edits: Fix['edits'] = [{ span: { start: reference.refStart, end: refEnd }, newText: '${1:full-length-commit-sha}' }];
  const end = site.node.span.end;
  const lines = lineIndexOf(file.text);
  const rest = file.text.slice(end, lines.lineEnd(lines.position(end).line)).trim();
  if (rest === '' || rest.startsWith('#')) edits.push({ span: { start: end, end }, newText: ` # ${snippetText(reference.ref)}` });
  return { title: `Pin ${reference.name} to the commit of ${reference.ref}`, kind: 'pin-commit', safety: 'suggestion', snippet: true, edits };
}

export default defineRule({
  id: 'pin/action-unpinned',
  family: 'pin',
  severity: 'warning',
  formats: ['github-actions'],
  prefilter: { 'github-actions': ['@'] },
  fixes: { 'pin-commit': 'suggestion' },
  docs: {
    summary:
      'A GitHub Actions step, composite action step or reusable workflow (`uses: owner/repo@ref`) referenced by a tag, a branch or a short SHA instead of a full-length commit SHA.',
    why: 'Whoever controls the action repository (or its stolen credentials) can move a tag or a branch to new code, and the next run executes it with your workflow’s token and secrets: the `tj-actions/changed-files` compromise rewrote every tag to code that printed CI secrets into the logs. A short SHA is no better, since a commit in a fork can be made to share it. Only a full-length commit SHA names exactly the code you reviewed. KICS reports the same pattern (“Unpinned Actions Full Length Commit SHA”); it is a warning here, like an unpinned container image, because it is a supply-chain exposure rather than a misconfiguration that is exploitable by itself. Local actions (`./path`) are part of the repository and `docker://` images are judged by `pin/image-unpinned`. The SLSA generators’ reusable workflows (`slsa-framework/slsa-github-generator`) must be called by a release tag `@vX.Y.Z` — they verify their own ref and refuse a SHA — and are not reported when they are.',
    fix: 'Replace the ref with the full commit SHA it points to today (`git ls-remote https://github.com/owner/repo v4.2.2`) and keep the version as a comment (`uses: actions/checkout@<sha> # v4.2.2`); Dependabot and Renovate keep such pins and their comments up to date.',
    fixes: {
      'pin-commit':
        'Replaces the ref with a placeholder for the full-length commit SHA and keeps the old ref as a trailing `# <ref>` comment (no comment inside a flow collection). Airlock never guesses a SHA: look it up and type it in.',
    },
    examples: {
      format: 'github-actions',
      bad: 'steps:\n  - uses: actions/checkout@v4',
      good: 'steps:\n  - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2',
    },
  },
  check(ctx) {
    const { file } = ctx;
    for (const site of usesSites(file)) {
      const reference = referenceOf(file, site);
      if (!reference || FULL_COMMIT.test(reference.ref)) continue;
      if (site.job && RELEASE_TAG.test(reference.ref) && TAG_REQUIRED.some((re) => re.test(reference.name))) continue;
      const what = site.job ? `Reusable workflow ${reference.name}` : `Action ${reference.name}`;
      const why = SHORT_COMMIT.test(reference.ref)
        ? `is pinned to the short SHA "${reference.ref}", which another commit can be made to share`
        : `is referenced by "${reference.ref}", a tag or branch that can be moved to other code`;
      ctx.report({
        span: contentSpan(site.node),
        message: `${what} ${why}; pin it to a full-length commit SHA`,
        fixes: [pinFix(file, site, reference)],
      });
    }
  },
});
