import { defineRule, type FindingInput, type Fix } from '../../../core';
import { HF_COMMIT, HUB_HINT, localOutputs, type LocalOutputs, pythonEnvLoads, pythonHubLoads, shellHubLoads, type HubLoad } from '../lib/hf';
import { deploymentHubLoads } from '../lib/hf-deploy';

const PLACEHOLDER = '${1:commit-sha}';

/** The finding for one download site, or undefined when it is pinned to a commit. */
export function hubFinding(load: HubLoad): FindingInput<'pin-commit'> | undefined {
  const { revision } = load;
  const subject = load.subject ?? `${load.loader} of "${load.repo}"`;
  if (revision?.value && HF_COMMIT.test(revision.value)) return undefined;
  const code = load.remoteCode
    ? "; with trust_remote_code the repository's own Python code runs here, so whoever can push to it can run code on this machine"
    : '';
  if (revision) {
    const why = revision.value === null ? 'cannot be resolved to a commit' : `"${revision.value}" is not a 40-character commit sha`;
    const fixes: Fix<'pin-commit'>[] = revision.literal
      ? [{ title: 'Pin to a commit sha', kind: 'pin-commit', safety: 'suggestion', snippet: true, edits: [{ span: revision.span, newText: PLACEHOLDER }] }]
      : [];
    return { span: revision.span, message: `${subject}: revision ${why}; branches and tags can change${code}`, fixes };
  }
  const fixes: Fix<'pin-commit'>[] = [];
  if (load.insertAt) {
    const newText = load.inlineSeparator
      ? `${load.inlineSeparator}${PLACEHOLDER}`
      : load.insertPrefix?.endsWith('"')
        ? `${load.insertPrefix}${PLACEHOLDER}"`
        : `${load.insertPrefix ?? ''}${PLACEHOLDER}`;
    fixes.push({ title: 'Pin to a commit sha', kind: 'pin-commit', safety: 'suggestion', snippet: true, edits: [{ span: load.insertAt, newText }] });
  }
  return { span: load.repoSpan, message: `${subject} has no revision: it loads whatever the main branch holds at run time${code}`, fixes };
}

export default defineRule({
  id: 'pin/hf-unpinned-revision',
  family: 'pin',
  severity: 'warning',
  formats: ['notebook', 'python', 'terraform', 'terraform-json', 'terraform-plan', 'cloudformation', 'kubernetes'],
  // Outside Python, models load in containers: a map with an image key. Python code loads through a loader.
  prefilter: { kubernetes: ['image'], terraform: ['image'], cloudformation: ['Image'], python: (text) => HUB_HINT.test(text) },
  fixes: { 'pin-commit': 'suggestion' },
  docs: {
    summary:
      'Hugging Face model or dataset loaded without a pinned commit `revision` (loaders in notebooks and Python files, `huggingface-cli download`, `HF_MODEL_ID` in SageMaker, TGI and vLLM deployments).',
    why: "Without a revision, every run downloads whatever the repository's main branch holds today. A model owner (or whoever takes over their account) can replace weights, tokenizer or custom code — and `trust_remote_code` executes that code. Results stop being reproducible and the supply chain is open.",
    fix: 'Pass `revision="<40-character commit sha>"` (find it on the repository\'s "Files and versions" history); for `torch.hub.load` write `"org/repo:<commit>"`, for timm `"hf-hub:org/repo@<commit>"`, for `huggingface-cli download` add `--revision <commit>`, for SageMaker and TGI set `HF_MODEL_REVISION` (`--revision` for TGI and vLLM). Branch and tag names are mutable and do not count.',
    fixes: {
      'pin-commit': 'Inserts the revision with a placeholder for the commit sha. Airlock never guesses a commit.',
    },
    examples: {
      format: 'notebook',
      bad: 'model = AutoModel.from_pretrained("bert-base-uncased")',
      good: 'model = AutoModel.from_pretrained("bert-base-uncased", revision="86b5e0934494bd15c9632b12f734a8a67f723594")',
    },
  },
  check(ctx) {
    const { file, report } = ctx;
    const emit = (load: HubLoad) => {
      const f = hubFinding(load);
      if (f) report(f);
    };
    // A Python file is read like a notebook's one code cell.
    if (file.format !== 'notebook' && file.format !== 'python') {
      for (const load of deploymentHubLoads(ctx)) emit(load);
      return;
    }
    const cells = file.cells ?? [];
    let local: LocalOutputs | undefined;
    for (const cell of cells) {
      // `cellPython` parses the cell: only cells that name a loader are worth it.
      if (cell.kind !== 'code' || !HUB_HINT.test(cell.source)) continue;
      local ??= localOutputs(cells);
      for (const load of pythonHubLoads(cell, cells, local)) emit(load);
      for (const load of shellHubLoads(cell)) emit(load);
      if (cell.source.includes('HF_MODEL_ID')) for (const load of pythonEnvLoads(cell, cells)) emit(load);
    }
  },
});
