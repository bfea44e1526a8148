import { defineRule, type FindingInput } from '../../../core';
import { HUB_HINT, type HubLoad } from '../lib/hf';
import { PYTHON_C } from '../lib/hf-cli';
import { hubLoadsOf, isPinned, pinFixes, subjectOf } from '../lib/hf-finding';

/** The finding for one download site, or undefined when it is pinned to a commit. */
function hubFinding(load: HubLoad): FindingInput<'pin-commit'> | undefined {
  if (isPinned(load)) return undefined;
  const { revision } = load;
  const subject = subjectOf(load);
  const code = load.remoteCode
    ? "; with trust_remote_code the repository's own Python code runs here, so whoever can push to it can run code on this machine"
    : '';
  const { fixes, hubPin } = pinFixes(load);
  const finding: FindingInput<'pin-commit'> = revision
    ? {
        span: revision.span,
        message: `${subject}: revision ${revision.value === null ? 'cannot be resolved to a commit' : `"${revision.value}" is not a 40-character commit sha`}; branches and tags can change${code}`,
        fixes,
      }
    : { span: load.repoSpan, message: `${subject} has no revision: it loads whatever the main branch holds at run time${code}`, fixes };
  if (hubPin) finding.hubPin = hubPin;
  if (load.related) finding.related = load.related;
  return finding;
}

/** A script's loads: `huggingface-cli download` / `hf download`, or a `python -c` program that names a loader. */
function scriptLoads(text: string): boolean {
  return text.includes('download') || (PYTHON_C.test(text) && HUB_HINT.test(text));
}

export default defineRule({
  id: 'pin/hf-unpinned-revision',
  family: 'pin',
  severity: 'warning',
  formats: [
    'notebook',
    'python',
    'terraform',
    'terraform-json',
    'terraform-plan',
    'cloudformation',
    'kubernetes',
    'helm',
    'compose',
    'dockerfile',
    'github-actions',
  ],
  // Outside Python, models load in containers (a map with an image key, or a KServe predictor's `modelFormat`) or
  // through KServe's `storageUri: hf://`;
  // a Compose service names its model in an option or variable (`--model-id`, `--model`, `HF_MODEL_ID`, `MODEL_ID`).
  // Python code loads through a loader.
  prefilter: {
    kubernetes: ['image', 'hf://', 'modelFormat'],
    helm: ['image', 'hf://', 'modelFormat', 'modelURL'],
    compose: ['model', 'MODEL'],
    terraform: ['image', 'hf://'],
    cloudformation: ['Image'],
    python: (text) => HUB_HINT.test(text),
    dockerfile: scriptLoads,
    'github-actions': scriptLoads,
  },
  fixes: { 'pin-commit': 'suggestion' },
  docs: {
    summary:
      "Hugging Face model or dataset loaded without a pinned commit `revision` (loaders in notebooks and Python files, through constants and parameter defaults, `huggingface-cli download` / `hf download` in notebooks, Dockerfile `RUN` instructions and workflow `run:` steps, and the programs those scripts run with `python -c`, `HF_MODEL_ID` in SageMaker, TGI, TEI, vLLM and SGLang deployments (Kubernetes, Helm, Compose, Terraform, CloudFormation), KServe `storageUri: hf://`, its Hugging Face server `--model_id`, the vLLM production stack's `modelURL` in Helm values).",
    reads:
      "Python loads of a Hugging Face repository — transformers, peft, sentence-transformers, diffusers (pipelines and the weights loaders `load_lora_weights`, `load_ip_adapter`, `load_textual_inversion`), datasets, huggingface_hub's downloads, vLLM's `LLM`, timm and open_clip `hf-hub:` ids, `torch.hub.load` — without a 40-character commit `revision`, in notebooks and Python files (a repository or revision read through a constant or a parameter default of the enclosing function); `huggingface-cli download` / `hf download` in notebooks, Dockerfile `RUN` instructions and workflow `run:` steps, and the programs those scripts run with `python -c`; `HF_MODEL_ID` in SageMaker, TGI, vLLM and SGLang deployments (Kubernetes, Helm, Compose, Terraform — a Vertex AI Model Garden serving container too —, CloudFormation); `MODEL_ID` of a Python call whose image keyword names a TGI or TEI container (Vertex AI `Model.upload(serving_container_environment_variables=...)`); KServe `storageUri: hf://`. Local paths, local dataset builders (`csv`, `json`, `parquet`, ...) and ids from variables that are not constants are not judged.",
    why: "Without a revision, every run downloads whatever the repository's main branch holds today. A model owner (or whoever takes over their account) can replace weights, tokenizer or custom code — and `trust_remote_code` executes that code. Results stop being reproducible and the supply chain is open: an AI estate kept private still runs whatever a public repository serves that day. Bandit's B615 flags Python loads whose `revision` is not a literal commit, but not loads in notebooks, shell lines or deployment files, and it stays silent when the revision is a variable.",
    fix: 'Pass `revision="<40-character commit sha>"` (find it on the repository\'s "Files and versions" history); for `torch.hub.load` write `"org/repo:<commit>"`, for timm `"hf-hub:org/repo@<commit>"`, for `huggingface-cli download` add `--revision <commit>`, for SageMaker and TGI set `HF_MODEL_REVISION` (`--revision` for TGI, text-embeddings-inference and vLLM), for KServe write `hf://org/model:<commit>` (`--model_revision` beside the `--model_id` of the KServe Hugging Face server), for the vLLM production stack set `modelRevision`. Branch and tag names are mutable and do not count. `airlock pin` (or the editor\'s "Pin to <sha>… (cached from <branch>)" quick fix) writes the commit your local Hugging Face cache downloaded, offline.',
    fixes: {
      'pin-commit':
        'Inserts the revision with a placeholder for the commit sha. Airlock never guesses a commit; where the Hugging Face cache holds the repository, the editor and `airlock pin` offer its commits instead.',
    },
    examples: {
      format: 'notebook',
      bad: 'model = AutoModel.from_pretrained("bert-base-uncased")',
      good: 'model = AutoModel.from_pretrained("bert-base-uncased", revision="86b5e0934494bd15c9632b12f734a8a67f723594")',
    },
  },
  async check(ctx) {
    for (const load of await hubLoadsOf(ctx)) {
      const f = hubFinding(load);
      if (f) ctx.report(f);
    }
  },
});
