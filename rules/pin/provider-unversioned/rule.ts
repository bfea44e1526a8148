import { all, contentSpan, defineRule, type Entry, entry, type Fix, get, isMap, isScalar, type ParsedFile, str } from '../../../core';
import { versionLineAfter } from '../lib/version-argument';

/**
 * Insert `version = "<placeholder>"` on its own line after the `source` line, indented like it; after the
 * source, separated by a comma, when the provider's object is written on one line (or `source` shares its line).
 */
function addVersionFix(file: ParsedFile, source: Entry): Fix<'add-version-constraint'> {
  // Inside a one-line provider object the constraint joins the object's other arguments.
  const line = versionLineAfter(file, source.keySpan.start, source.value.span.end, '~> x.y');
  const at = line?.at ?? source.value.span.end;
  return {
    title: 'Add a version constraint',
    kind: 'add-version-constraint',
    safety: 'suggestion',
    snippet: true,
    edits: [{ span: { start: at, end: at }, newText: line?.newText ?? ', version = "${1:~> x.y}"' }],
  };
}

export default defineRule({
  id: 'pin/provider-unversioned',
  family: 'pin',
  severity: 'info',
  formats: ['terraform', 'terraform-json'],
  prefilter: { terraform: ['required_providers'] },
  fixes: { 'add-version-constraint': 'suggestion' },
  docs: {
    summary: 'Provider in `required_providers` without a `version` constraint.',
    why: 'Without a constraint, `terraform init` on a machine without the lock file (a fresh CI runner, a new colleague, `init -upgrade`) takes the newest provider release, including a new major version with breaking changes or a compromised release. The constraint is also what the lock file is checked against.',
    fix: 'Add `version = "~> 5.0"` (or the range you tested) next to the provider\'s `source`, and commit `.terraform.lock.hcl` in root modules.',
    fixes: {
      'add-version-constraint': 'Inserts `version = ""` (or fills an empty one) with a placeholder for the constraint. Airlock never guesses a version.',
    },
    examples: {
      format: 'terraform',
      bad: 'terraform {\n  required_providers {\n    aws = {\n      source = "hashicorp/aws"\n    }\n  }\n}',
      good: 'terraform {\n  required_providers {\n    aws = {\n      source  = "hashicorp/aws"\n      version = "~> 5.0"\n    }\n  }\n}',
    },
  },
  check({ file, report }) {
    for (const r of file.resources) {
      if (r.kind !== 'terraform') continue;
      for (const block of all(r.body, 'required_providers')) {
        if (!isMap(block)) continue;
        for (const p of block.entries) {
          // `aws = "~> 5.0"`: the pre-0.13 shorthand is itself a version constraint.
          if (isScalar(p.value) || !isMap(p.value)) continue;
          const version = get(p.value, 'version');
          if (version !== undefined && (!isScalar(version) || (str(version) ?? '').trim() !== '')) continue;
          const source = entry(p.value, 'source');
          report({
            span: p.keySpan,
            message: `Provider "${p.key}"${source && str(source.value) ? ` (${str(source.value)})` : ''} has no version constraint: a fresh init takes the newest release`,
            fixes:
              version !== undefined
                ? [
                    {
                      title: 'Add a version constraint',
                      kind: 'add-version-constraint',
                      safety: 'suggestion',
                      snippet: true,
                      edits: [{ span: contentSpan(version), newText: '${1:~> x.y}' }],
                    },
                  ]
                : source
                  ? [addVersionFix(file, source)]
                  : [],
          });
        }
      }
    }
  },
});
