import { contentSpan, defineRule, entry, type Fix, get, isScalar, type ParsedFile, type ScalarNode, type Span } from '../../../core';
import { classifySource, MODULE_BLOCK, refIsPinned } from '../lib/module-source';
import { versionLineAfter } from '../lib/version-argument';

/**
 * Insert `version = "<placeholder>"` on its own line after the `source` line, indented like it. Undefined
 * when `source` shares its line (a block written on one line holds a single attribute).
 */
/** "Pin to a tag or commit": a snippet whose placeholder a person fills (Airlock never guesses a ref). */
function pinRefFix(span: Span, newText: string): Fix<'pin-ref'> {
  return { title: 'Pin to a tag or commit', kind: 'pin-ref', safety: 'suggestion', snippet: true, edits: [{ span, newText }] };
}

function addVersionFix(file: ParsedFile, source: ScalarNode, keyStart: number): Fix<'add-version'> | undefined {
  // A one-line module block holds one argument: no place for a version there.
  const line = versionLineAfter(file, keyStart, source.span.end, 'x.y.z');
  if (!line) return undefined;
  return {
    title: 'Add an exact module version',
    kind: 'add-version',
    safety: 'suggestion',
    snippet: true,
    edits: [{ span: { start: line.at, end: line.at }, newText: line.newText }],
  };
}

export default defineRule({
  id: 'pin/module-unpinned',
  family: 'pin',
  severity: 'warning',
  formats: ['terraform', 'terraform-json', 'terraform-plan'],
  prefilter: { terraform: (text) => MODULE_BLOCK.test(text), 'terraform-plan': ['"module_calls"'] },
  fixes: { 'pin-ref': 'suggestion', 'add-version': 'suggestion' },
  docs: {
    summary: 'Terraform module from git without a `?ref=` tag or commit, on a branch, or from a registry without a `version`.',
    why: 'A module source without a pin is fetched fresh by every `terraform init`: whatever the default branch or the newest registry release holds today is what gets applied — with your credentials. Module versions are not recorded in `.terraform.lock.hcl`, so nothing else holds them still. A branch name (`?ref=main`) moves just the same.',
    fix: 'Git sources: add `?ref=` with a release tag (`v1.4.0`) or, stronger, a full commit sha. Registry sources: add `version = "1.4.0"` with one exact version.',
    fixes: {
      'pin-ref': 'Inserts `?ref=` (or replaces a branch ref) with a placeholder for the tag or commit. Airlock never guesses one.',
      'add-version': 'Inserts `version = ""` with a placeholder for the exact registry version. Airlock never guesses one.',
    },
    examples: {
      format: 'terraform',
      bad: 'module "vpc" {\n  source = "git::https://github.com/acme/terraform-vpc.git"\n}',
      good: 'module "vpc" {\n  source = "git::https://github.com/acme/terraform-vpc.git?ref=v1.4.0"\n}',
    },
  },
  check({ file, report }) {
    for (const r of file.resources) {
      if (r.kind !== 'module') continue;
      const sourceEntry = entry(r.body, 'source');
      const source = sourceEntry?.value;
      if (!sourceEntry || !isScalar(source) || typeof source.value !== 'string') continue;
      const value = source.value;
      const kind = classifySource(value);
      const span = contentSpan(source);
      // Offsets into the string map to the file only when the literal has no escapes.
      const exact = span.end - span.start === value.length;
      if (kind.kind === 'git') {
        if (!kind.ref) {
          const sep = value.includes('?') ? '&' : '?';
          report({
            span,
            message: `Module "${r.name}" comes from git without a ref: every init takes whatever the default branch holds`,
            fixes: exact ? [pinRefFix({ start: span.end, end: span.end }, `${sep}ref=\${1:tag-or-commit}`)] : [],
          });
        } else if (!refIsPinned(kind.ref.value)) {
          const refSpan = exact ? { start: span.start + kind.ref.start, end: span.start + kind.ref.end } : span;
          report({
            span: refSpan,
            message: `Module "${r.name}" is pinned to ref "${kind.ref.value}", which looks like a branch: use a release tag or a commit sha`,
            fixes: exact ? [pinRefFix(refSpan, '${1:tag-or-commit}')] : [],
          });
        }
      } else if (kind.kind === 'registry' && get(r.body, 'version') === undefined) {
        const fix = addVersionFix(file, source, sourceEntry.keySpan.start);
        report({
          span,
          message: `Registry module "${r.name}" has no version: every init takes the newest release of ${value}`,
          fixes: fix ? [fix] : [],
        });
      }
    }
  },
});
