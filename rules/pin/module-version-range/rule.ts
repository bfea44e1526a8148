import { contentSpan, defineRule, get, isScalar, str } from '../../../core';
import { classifySource, isExactVersion, MODULE_BLOCK } from '../lib/module-source';

export default defineRule({
  id: 'pin/module-version-range',
  family: 'pin',
  severity: 'info',
  formats: ['terraform', 'terraform-json', 'terraform-plan'],
  prefilter: { terraform: (text) => MODULE_BLOCK.test(text), 'terraform-plan': ['"module_calls"'] },
  fixes: { 'pin-version': 'suggestion' },
  docs: {
    summary: 'Registry module `version` given as a range (`~> 5.0`, `>= 1.2`) rather than one exact release.',
    why: 'Terraform records provider versions in `.terraform.lock.hcl` but not module versions: with a range, the next `terraform init -upgrade` (or a fresh CI checkout) silently takes a newer release of code that runs with your credentials. HashiCorp advises exact versions for modules from third parties. Many teams accept a `~>` range for modules they publish themselves: hence information, not a warning (turn it off in `.airlock.yaml` with `pin/module-version-range: off`).',
    fix: 'Set `version` to one exact release (`version = "5.1.2"`) and raise it deliberately, for example with Renovate or Dependabot.',
    fixes: {
      'pin-version': 'Replaces the range with a placeholder for the exact version. Airlock never guesses one.',
    },
    examples: {
      format: 'terraform',
      bad: 'module "vpc" {\n  source  = "terraform-aws-modules/vpc/aws"\n  version = "~> 5.0"\n}',
      good: 'module "vpc" {\n  source  = "terraform-aws-modules/vpc/aws"\n  version = "5.1.2"\n}',
    },
  },
  check({ file, report }) {
    for (const r of file.resources) {
      if (r.kind !== 'module') continue;
      const source = str(get(r.body, 'source'));
      if (source === undefined || classifySource(source).kind !== 'registry') continue;
      const version = get(r.body, 'version');
      const constraint = str(version);
      if (!isScalar(version) || constraint === undefined || isExactVersion(constraint)) continue;
      report({
        span: contentSpan(version),
        message: `Module "${r.name}" accepts a range of versions ("${constraint}"): the next init may take a newer release, and .terraform.lock.hcl does not record module versions`,
        fixes: [
          {
            title: 'Pin one exact version',
            kind: 'pin-version',
            safety: 'suggestion',
            snippet: true,
            edits: [{ span: contentSpan(version), newText: '${1:x.y.z}' }],
          },
        ],
      });
    }
  },
});
