import {
  contentSpan,
  defineRule,
  entry,
  evaluate,
  type FindingInput,
  type Fix,
  get,
  isExpr,
  isScalar,
  type MapNode,
  type Node,
  type ParsedFile,
  type RelatedLocation,
  type Span,
  str,
} from '../../../core';
import { classifySource, MODULE_BLOCK, refIsPinned } from '../lib/module-source';
import { versionLineAfter } from '../lib/version-argument';

/** "Pin to a tag or commit": a snippet whose placeholder a person fills (Airlock never guesses a ref). */
function pinRefFix(span: Span, newText: string): Fix<'pin-ref'> {
  return { title: 'Pin to a tag or commit', kind: 'pin-ref', safety: 'suggestion', snippet: true, edits: [{ span, newText }] };
}

/** "Add an exact module version": a snippet whose placeholder a person fills (Airlock never guesses a version). */
function addVersionFix(span: Span, newText: string): Fix<'add-version'> {
  return { title: 'Add an exact module version', kind: 'add-version', safety: 'suggestion', snippet: true, edits: [{ span, newText }] };
}

type Kinds = 'pin-ref' | 'add-version';

/** `tfr:///terraform-aws-modules/vpc/aws?version=…` → `terraform-aws-modules/vpc/aws` (a registry host kept). */
function tfrAddress(source: string): string {
  const q = source.indexOf('?');
  return source.slice(6, q < 0 ? undefined : q).replace(/^\//, '');
}

export default defineRule({
  id: 'pin/module-unpinned',
  family: 'pin',
  severity: 'warning',
  formats: ['terraform', 'terraform-json', 'terraform-plan', 'terragrunt'],
  prefilter: { terraform: (text) => MODULE_BLOCK.test(text), 'terraform-plan': ['"module_calls"'], terragrunt: ['source'] },
  fixes: { 'pin-ref': 'suggestion', 'add-version': 'suggestion' },
  docs: {
    summary:
      "Terraform module (or the module a Terragrunt unit's `terraform { source }` deploys, and the units and stacks a `terragrunt.stack.hcl` generates from its `unit` and `stack` blocks' `source`) from git without a `?ref=` tag or commit, on a branch, or from a registry without a `version` (`?version=` of a Terragrunt `tfr://` source). Terragrunt files in the JSON syntax (`terragrunt.hcl.json`) are read alike.",
    why: 'A module source without a pin is fetched fresh by every `terraform init`: whatever the default branch or the newest registry release holds today is what gets applied — with your credentials. Module versions are not recorded in `.terraform.lock.hcl`, so nothing else holds them still. A branch name (`?ref=main`) moves just the same. The source of a Terragrunt unit is fetched the same way by every run, and the units and nested stacks of a stack by every `terragrunt stack generate`, and one assembled from the `locals` of its file is read through them (one read from an included file is not judged).',
    fix: 'Git sources: add `?ref=` with a release tag (`v1.4.0`) or, stronger, a full commit sha. Registry sources: add `version = "1.4.0"` with one exact version (in a Terragrunt `tfr://` source, `?version=1.4.0`).',
    fixes: {
      'pin-ref': 'Inserts `?ref=` (or replaces a branch ref) with a placeholder for the tag or commit. Airlock never guesses one.',
      'add-version':
        'Inserts `version = ""` (in a Terragrunt `tfr://` source, `?version=`) with a placeholder for the exact registry version. Airlock never guesses one.',
    },
    examples: {
      format: 'terraform',
      bad: 'module "vpc" {\n  source = "git::https://github.com/acme/terraform-vpc.git"\n}',
      good: 'module "vpc" {\n  source = "git::https://github.com/acme/terraform-vpc.git?ref=v1.4.0"\n}',
    },
  },
  check({ file, project, report }) {
    for (const site of moduleSites(file)) {
      const { source } = site;
      if (isScalar(source) && typeof source.value === 'string') {
        const span = contentSpan(source);
        // Offsets into the string map to the file only when the literal has no escapes.
        const exact = span.end - span.start === source.value.length;
        const finding = judge(file, site, source.value, span, exact ? span.start : undefined);
        if (finding) report(finding);
        continue;
      }
      // Terragrunt writes sources as expressions (`"${local.base}//vpc?ref=${local.version}"`), which Terraform does
      // not allow: judged when they read only literals of the file; the literal written elsewhere is not edited.
      if (file.format !== 'terragrunt' || !isExpr(source)) continue;
      const { values, unresolved } = evaluate(source, { file, project, fixedOnly: true });
      const value = values.length === 1 && unresolved.length === 0 ? str(values[0]) : undefined;
      if (value === undefined) continue;
      const finding = judge(file, site, value, source.span, undefined);
      if (!finding) continue;
      finding.related = localsRead(file, source);
      report(finding);
    }
  },
});

/** Where the file's `locals` set the locals an expression reads (`local.base` → its value in `locals { base = ... }`). */
function localsRead(file: ParsedFile, expression: Node): RelatedLocation[] {
  const out: RelatedLocation[] = [];
  for (const ref of (isExpr(expression) && expression.refs) || []) {
    if (!ref.startsWith('local.')) continue;
    const name = ref.slice(6);
    for (const r of file.resources) {
      const e = r.kind === 'locals' ? entry(r.body, name) : undefined;
      if (e) out.push({ span: e.value.span, message: `${ref} is set here` });
    }
  }
  return out;
}

/** A module source and what names it in messages. */
interface ModuleSite {
  subject: string;
  /** What fetches the source anew each time (`init`, a stack's `stack generate`). */
  fetchedBy: string;
  /** A Terraform module block's name. */
  name?: string;
  source: Node;
  /** Where the `source` argument starts. */
  keyStart: number;
  body: MapNode;
}

/** What a block's `source` names, by the block's kind, in messages, and what fetches it. */
const SOURCE_SUBJECTS: Readonly<Record<string, { subject: (name: string) => string; fetchedBy: string }>> = {
  module: { subject: (name) => `Module "${name}"`, fetchedBy: 'init' },
  terraform: { subject: () => "The unit's module", fetchedBy: 'init' },
  unit: { subject: (name) => `Unit "${name}"`, fetchedBy: 'stack generate' },
  stack: { subject: (name) => `Stack "${name}"`, fetchedBy: 'stack generate' },
};

/**
 * Where a file names a module to deploy: Terraform's `module` blocks; a Terragrunt file's `terraform { source }`
 * (https://terragrunt.gruntwork.io/docs/reference/config-blocks-and-attributes/#terraform) and an explicit stack's
 * `unit` and `stack` blocks, whose `source` Terragrunt fetches as it fetches a module
 * (https://terragrunt.gruntwork.io/docs/reference/config-blocks-and-attributes/#unit).
 */
function moduleSites(file: ParsedFile): ModuleSite[] {
  const kinds = file.format === 'terragrunt' ? ['terraform', 'unit', 'stack'] : ['module'];
  const out: ModuleSite[] = [];
  for (const r of file.resources) {
    if (!kinds.includes(r.kind)) continue;
    const e = entry(r.body, 'source');
    if (!e) continue;
    const { subject, fetchedBy } = SOURCE_SUBJECTS[r.kind];
    out.push({ subject: subject(r.name), fetchedBy, name: r.kind === 'module' ? r.name : undefined, source: e.value, keyStart: e.keySpan.start, body: r.body });
  }
  return out;
}

/**
 * The finding for a source `value` underlined at `span`; `at`, the file offset of the value's first character when the
 * value is written there as it reads (edits into the string are possible then).
 */
function judge(file: ParsedFile, site: ModuleSite, value: string, span: Span, at: number | undefined): FindingInput<Kinds> | undefined {
  const kind = classifySource(value);
  const { subject, fetchedBy } = site;
  if (kind.kind === 'git') {
    if (!kind.ref) {
      const sep = value.includes('?') ? '&' : '?';
      const end = at === undefined ? undefined : at + value.length;
      return {
        span,
        message: `${subject} comes from git without a ref: every ${fetchedBy} takes whatever the default branch holds`,
        fixes: end === undefined ? [] : [pinRefFix({ start: end, end }, `${sep}ref=\${1:tag-or-commit}`)],
      };
    }
    if (refIsPinned(kind.ref.value)) return undefined;
    const refSpan = at === undefined ? span : { start: at + kind.ref.start, end: at + kind.ref.end };
    return {
      span: refSpan,
      message: `${subject} is pinned to ref "${kind.ref.value}", which looks like a branch: use a release tag or a commit sha`,
      fixes: at === undefined ? [] : [pinRefFix(refSpan, '${1:tag-or-commit}')],
    };
  }
  if (kind.kind === 'tfr' && !kind.version) {
    const end = at === undefined ? undefined : at + value.length;
    const fix: Fix<'add-version'> | undefined =
      end === undefined ? undefined : addVersionFix({ start: end, end }, `${value.includes('?') ? '&' : '?'}version=\${1:x.y.z}`);
    return {
      span,
      message: `${subject} has no version: every ${fetchedBy} takes the newest release of ${tfrAddress(value)}`,
      fixes: fix ? [fix] : [],
    };
  }
  // Terragrunt reads a registry only through `tfr://` (a bare registry address is not one there): `name` is a module block's.
  if (kind.kind === 'registry' && site.name !== undefined && get(site.body, 'version') === undefined && isScalar(site.source)) {
    const line = versionLineAfter(file, site.keyStart, site.source.span.end, 'x.y.z');
    return {
      span,
      message: `Registry module "${site.name}" has no version: every init takes the newest release of ${value}`,
      fixes: line ? [addVersionFix({ start: line.at, end: line.at }, line.newText)] : [],
    };
  }
  return undefined;
}
