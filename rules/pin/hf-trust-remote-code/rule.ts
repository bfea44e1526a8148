import { defineRule, type FindingInput } from '../../../core';
import type { HubLoad } from '../lib/hf';
import { hubLoadsOf, isPinned, pinFixes, subjectOf } from '../lib/hf-finding';

const REMOTE_CODE = /trust[-_]remote[-_]code/i;

/** One finding for a load that runs the repository's code: where it is pinned (or not) and where the code is trusted. */
function remoteCodeFinding(load: HubLoad, trusted: NonNullable<HubLoad['remoteCode']>): FindingInput<'pin-commit'> {
  const subject = subjectOf(load);
  const { revision } = load;
  if (isPinned(load) && revision) {
    return {
      span: trusted,
      severity: 'warning',
      message: `${subject} runs the repository's own Python code (trust_remote_code), pinned to commit ${revision.value!.slice(0, 12)}…: read that commit's code before trusting it, and again whenever the pin moves`,
      related: [{ span: revision.span, message: 'the commit whose code runs' }],
    };
  }
  const from =
    revision === undefined
      ? 'whatever its main branch holds at run time'
      : revision.value === null
        ? 'a revision that cannot be resolved to a commit'
        : `revision "${revision.value}", which is not a 40-character commit sha`;
  const { fixes, hubPin } = pinFixes(load);
  const finding: FindingInput<'pin-commit'> = {
    span: revision?.span ?? load.repoSpan,
    message: `${subject} runs the repository's own Python code (trust_remote_code) from ${from}: whoever can push to the repository runs code on this machine, with its data and credentials`,
    related: [{ span: trusted, message: 'remote code trusted here' }],
    fixes,
  };
  if (hubPin) finding.hubPin = hubPin;
  return finding;
}

export default defineRule({
  id: 'pin/hf-trust-remote-code',
  family: 'pin',
  severity: 'error',
  formats: ['notebook', 'python', 'terraform', 'cloudformation', 'kubernetes'],
  prefilter: {
    notebook: (text) => REMOTE_CODE.test(text),
    python: (text) => REMOTE_CODE.test(text),
    terraform: (text) => REMOTE_CODE.test(text),
    cloudformation: (text) => REMOTE_CODE.test(text),
    kubernetes: (text) => REMOTE_CODE.test(text),
  },
  // The same load without a commit: one finding says both that it is unpinned and that its code runs here.
  supersedes: ['pin/hf-unpinned-revision'],
  fixes: { 'pin-commit': 'suggestion' },
  docs: {
    summary:
      'Hugging Face model or dataset loaded with its own Python code trusted (`trust_remote_code=True`, `--trust-remote-code` for vLLM, TGI and SGLang, `TRUST_REMOTE_CODE`): an error unless the load is pinned to a full commit, then a warning.',
    why: "`trust_remote_code` imports and runs Python files from the model repository on the machine that loads it: with the process's files, network, cloud credentials and the data it serves. From a branch or tag, that code is whatever the repository holds at run time, so anyone who can push to it — its owner, a collaborator, whoever takes over the account — runs code in your environment; a private AI estate becomes only as private as the least careful repository it loads. Pinned to a commit, the code is the code you read: still code you run, hence a warning to review it. Bandit's B615 flags Hub loads without a revision; Trail of Bits' Semgrep rules flag `trust_remote_code=True`; neither ties the two together, and neither reads container arguments or deployment variables.",
    fix: 'Prefer a model that needs no remote code (many architectures are in `transformers` itself). Otherwise pin the load to the 40-character commit whose code you reviewed: `revision="<sha>"` in Python, `--revision <sha>` for vLLM, TGI and SGLang, `HF_MODEL_REVISION` or `REVISION` in the container environment. `airlock pin` (and the editor\'s quick fix) writes the commit your local Hugging Face cache downloaded.',
    fixes: {
      'pin-commit':
        'Inserts the revision with a placeholder for the commit sha. Airlock never guesses a commit; where the Hugging Face cache holds the repository, the editor and `airlock pin` offer its commits instead.',
    },
    examples: {
      format: 'python',
      bad: 'model = AutoModelForCausalLM.from_pretrained("org/model", trust_remote_code=True)',
      good: 'model = AutoModelForCausalLM.from_pretrained("org/model", revision="2c3ac5f1e6a1b8e5f2f0c1d4e7b9a3c6d8e0f1a2", trust_remote_code=True)',
    },
  },
  async check(ctx) {
    for (const load of await hubLoadsOf(ctx)) if (load.remoteCode) ctx.report(remoteCodeFinding(load, load.remoteCode));
  },
});
