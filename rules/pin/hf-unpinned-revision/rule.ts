import { COMMIT_SLOT, defineRule, type FindingInput, type Fix, type TextEdit } from '../../../core';
import { HF_COMMIT, HUB_HINT, localOutputs, type LocalOutputs, pythonEnvLoads, pythonHubLoads, shellHubLoads, type HubLoad } from '../lib/hf';
import { deploymentHubLoads } from '../lib/hf-deploy';

/** The finding for one download site, or undefined when it is pinned to a commit. */
export function hubFinding(load: HubLoad): FindingInput<'pin-commit'> | undefined {
  const { revision } = load;
  const subject = load.subject ?? `${load.loader} of "${load.repo}"`;
  if (revision?.value && HF_COMMIT.test(revision.value)) return undefined;
  const code = load.remoteCode
    ? "; with trust_remote_code the repository's own Python code runs here, so whoever can push to it can run code on this machine"
    : '';
  const edit = pinEdit(load);
  const fixes: Fix<'pin-commit'>[] = edit ? [{ title: 'Pin to a commit sha', kind: 'pin-commit', safety: 'suggestion', snippet: true, edits: [edit] }] : [];
  const finding: FindingInput<'pin-commit'> = revision
    ? {
        span: revision.span,
        message: `${subject}: revision ${revision.value === null ? 'cannot be resolved to a commit' : `"${revision.value}" is not a 40-character commit sha`}; branches and tags can change${code}`,
        fixes,
      }
    : { span: load.repoSpan, message: `${subject} has no revision: it loads whatever the main branch holds at run time${code}`, fixes };
  // The ref a load without a revision resolves is the repository's default branch, `main` on the Hub.
  if (edit && load.repoType) finding.hubPin = { repoType: load.repoType, repo: load.repo, ref: revision?.value ?? 'main', edits: [edit] };
  return finding;
}

/** The edit that writes a commit (`COMMIT_SLOT`) over the revision or where it goes; none where it cannot be written. */
function pinEdit(load: HubLoad): TextEdit | undefined {
  if (load.revision) return load.revision.literal ? { span: load.revision.span, newText: COMMIT_SLOT } : undefined;
  if (!load.insertAt) return undefined;
  if (load.inlineSeparator) return { span: load.insertAt, newText: `${load.inlineSeparator}${COMMIT_SLOT}` };
  const prefix = load.insertPrefix ?? '';
  return { span: load.insertAt, newText: `${prefix}${COMMIT_SLOT}${load.insertSuffix ?? (prefix.endsWith('"') ? '"' : '')}` };
}

export default defineRule({
  id: 'pin/hf-unpinned-revision',
  family: 'pin',
  severity: 'warning',
  formats: ['notebook', 'python', 'terraform', 'cloudformation', 'kubernetes'],
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
