import { COMMIT_SLOT, defineRule, type FindingInput, type Fix } from '../../../core';
import { containerModelUrls, fetchedModelUrls, type ModelUrl, urlProblem } from '../lib/model-url';

type Kind = 'use-https' | 'pin-commit';

const URL_HINT = /http:\/\/|\/resolve\//;

/** A URL as messages show it: no user and password, no query (a signed URL carries its signature there), bounded. */
function shown(url: string): string {
  const bare = url.replace(/^(https?:\/\/)[^/@]*@/i, '$1').replace(/[?#].*$/, '');
  return bare.length > 120 ? `${bare.slice(0, 117)}...` : bare;
}

function finding(u: ModelUrl): FindingInput<Kind> | undefined {
  const problem = urlProblem(u.url);
  if (!problem) return undefined;
  if (problem.kind === 'http') {
    const fixes: Fix<Kind>[] = u.exact
      ? [
          {
            title: 'Download over HTTPS',
            kind: 'use-https',
            safety: 'unsafe',
            edits: [{ span: { ...u.span, end: u.span.start + 'http'.length }, newText: 'https' }],
          },
        ]
      : [];
    return {
      span: u.span,
      severity: 'error',
      message: `${u.fetcher} downloads the model file ${shown(u.url)} over plain HTTP: anyone on the network path can swap the weights it loads`,
      fixes,
    };
  }
  const out: FindingInput<Kind> = {
    span: u.span,
    message: `${u.fetcher} downloads ${shown(u.url)} from "${problem.ref}" of ${problem.repo}, a branch or tag: the file changes whenever it moves; put a 40-character commit in the URL`,
  };
  if (u.exact) {
    const edit = { span: { ...u.span, start: u.span.start + problem.refStart, end: u.span.start + problem.refEnd }, newText: COMMIT_SLOT };
    out.fixes = [{ title: 'Pin to a commit sha', kind: 'pin-commit', safety: 'suggestion', snippet: true, edits: [edit] }];
    out.hubPin = { repoType: problem.repoType, repo: problem.repo, ref: problem.ref, edits: [edit] };
  }
  return out;
}

export default defineRule({
  id: 'pin/model-url-unpinned',
  family: 'pin',
  severity: 'warning',
  formats: ['notebook', 'python', 'kubernetes'],
  prefilter: { notebook: (text) => URL_HINT.test(text), python: (text) => URL_HINT.test(text), kubernetes: (text) => URL_HINT.test(text) },
  fixes: { 'use-https': 'unsafe', 'pin-commit': 'suggestion' },
  docs: {
    summary:
      'Model file (or a Hugging Face Hub file other than a picture, sound or page) downloaded by URL from a place that can change under you: plain `http://` (an error) or a Hugging Face `/resolve/<branch>/` URL (`requests`, `urllib`, `wget`, `torch.hub.load_state_dict_from_url`, Keras `get_file`, `!wget`, `!curl`, `wget`/`curl` in a Kubernetes container).',
    why: 'A model file is code-like: pickled weights (`.bin`, `.pt`, `.pkl`) run code when loaded, and any weights decide what the model says about your data. Over plain HTTP anyone on the network path (a café Wi-Fi, a proxy, a compromised mirror) can swap the file; from a branch URL the repository owner — or whoever takes over the account — can replace it tomorrow, and every rebuild of an environment that was meant to stay private pulls the new file. Bandit flags `urllib` URL opens in general (B310) and Semgrep rules flag insecure transport; neither looks at whether the URL names a model or a moving branch.',
    fix: 'Download over HTTPS, and from a URL that names one version: on the Hugging Face Hub, `/resolve/<40-character commit>/` instead of `/resolve/main/` (or `hf_hub_download(repo_id, filename, revision=<commit>)`); elsewhere, a versioned object and a checksum check after the download. `airlock pin` writes the commit your local Hugging Face cache holds for the branch.',
    fixes: {
      'use-https': 'Changes `http://` to `https://` (the server must serve HTTPS).',
      'pin-commit':
        'Replaces the branch in a Hugging Face `/resolve/<branch>/` URL with a placeholder for the commit sha; where the Hugging Face cache holds the repository, the editor and `airlock pin` offer its commits instead.',
    },
    examples: {
      format: 'python',
      bad: 'urllib.request.urlretrieve("https://huggingface.co/org/model/resolve/main/model.safetensors", "model.safetensors")',
      good: 'urllib.request.urlretrieve("https://huggingface.co/org/model/resolve/2c3ac5f1e6a1b8e5f2f0c1d4e7b9a3c6d8e0f1a2/model.safetensors", "model.safetensors")',
    },
  },
  check(ctx) {
    const report = (u: ModelUrl) => {
      const f = finding(u);
      if (f) ctx.report(f);
    };
    if (ctx.file.format === 'kubernetes') {
      for (const u of containerModelUrls(ctx.file)) report(u);
      return;
    }
    for (const cell of ctx.file.cells ?? []) {
      if (cell.kind === 'code' && URL_HINT.test(cell.source)) for (const u of fetchedModelUrls(cell)) report(u);
    }
  },
});
