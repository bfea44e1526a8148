import { at, containers, contentSpan, helmRole, defineRule, type FindingInput, get, isScalar, type RuleContext, str, walk } from '../../../core';
import { isKubernetesApiObject } from '../lib/image-sites';
import {
  type AliasRef,
  cellAliasRefs,
  chartValuesAliasRefs,
  commandLineRefs,
  execListRefs,
  latestPath,
  mlflowAlias,
  mlflowSubject,
  ollamaAlias,
  scriptAliasRefs,
} from '../lib/model-alias';

const HINT = /models:\/|artifact|ollama|\/latest\b|JumpStart/;

/** Keys that hold where a model server downloads its model from (KServe `storageUri`, Seldon `modelUri`). */
const STORAGE_KEYS = new Set(['storageUri', 'modelUri']);

const LIFECYCLE_HOOKS = ['postStart', 'preStop'];

/** Kubernetes objects: storage URIs, MLflow URIs in any value, `ollama pull` in commands and scripts. */
function manifestRefs(ctx: RuleContext): AliasRef[] {
  const out: AliasRef[] = [];
  for (const r of ctx.file.resources) {
    if (r.kind !== 'object' || !isKubernetesApiObject(r)) continue;
    for (const v of walk(r.body)) {
      if (!isScalar(v.node)) continue;
      const value = str(v.node);
      if (value === undefined || !HINT.test(value)) continue;
      const span = contentSpan(v.node);
      const why = (v.key !== undefined && STORAGE_KEYS.has(v.key) ? latestPath(value) : undefined) ?? mlflowAlias(value);
      if (why) {
        out.push({ subject: v.key && STORAGE_KEYS.has(v.key) ? `${v.key} "${value}"` : mlflowSubject(value), why, span });
        continue;
      }
      if (!value.includes('ollama')) continue;
      // Word offsets map onto the file only when the value is written as it reads (no escapes or folding).
      const exact = span.end - span.start === value.length && ctx.file.text.slice(span.start, span.end) === value;
      for (const ref of commandLineRefs(value, span)) out.push(exact ? ref : { ...ref, span });
    }
    for (const { container } of containers(r)) {
      out.push(...execListRefs([get(container, 'command'), get(container, 'args')]));
      // Lifecycle hooks run their `exec` command in the container too: a `postStart` pull warms the model cache.
      for (const hook of LIFECYCLE_HOOKS) out.push(...execListRefs([at(container, 'lifecycle', hook, 'exec', 'command')]));
    }
  }
  return out;
}

/**
 * A Modelfile `FROM` that names weights on disk, which Ollama reads when the path exists: a path (`./`, `../`, `/`,
 * `~`, a drive letter), a glob over split GGUF shards, or a weights file by its extension.
 */
const LOCAL_MODEL = /^(?:[.~/\\]|[A-Za-z]:[\\/])|\*|\.(?:gguf|ggml|bin|safetensors|pth|pt)$/i;

/** The placeholder a person replaces with the exact tag they tested. */
const TAG_SLOT = '${1:exact-tag}';

/** Modelfiles: a `FROM` that takes a registry model by no tag or `latest` (ADAPTER and DRAFT name local files only). */
function modelfileFindings(ctx: RuleContext): FindingInput<'add-tag'>[] {
  const out: FindingInput<'add-tag'>[] = [];
  for (const r of ctx.file.resources) {
    const node = r.type === 'FROM' ? get(r.body, 'model') : undefined;
    const value = str(node);
    if (!node || value === undefined || LOCAL_MODEL.test(value)) continue;
    const why = ollamaAlias(value);
    if (!why) continue;
    const span = contentSpan(node);
    const latest = /:latest$/.test(value);
    out.push({
      span,
      message: `Ollama base model "${value}" is not pinned to a version: ${why}`,
      fixes: [
        {
          title: 'Name an exact tag',
          kind: 'add-tag',
          safety: 'suggestion',
          snippet: true,
          edits: [{ span: { ...span, start: latest ? span.end - 'latest'.length : span.end }, newText: latest ? TAG_SLOT : `:${TAG_SLOT}` }],
        },
      ],
    });
  }
  return out;
}

export default defineRule({
  id: 'pin/model-mutable-alias',
  family: 'pin',
  severity: 'warning',
  formats: ['notebook', 'python', 'kubernetes', 'helm', 'modelfile', 'compose', 'github-actions', 'dockerfile'],
  prefilter: {
    notebook: (text) => HINT.test(text),
    python: (text) => HINT.test(text),
    kubernetes: (text) => HINT.test(text),
    modelfile: (text) => /^[ \t]*from[ \t]/im.test(text),
    helm: ['ollama'],
    compose: ['ollama'],
    'github-actions': ['ollama'],
    dockerfile: ['ollama'],
  },
  fixes: { 'add-tag': 'suggestion' },
  docs: {
    summary:
      'Model taken from a registry by a name that moves instead of a version: MLflow `models:/name/latest`, a stage or an `@alias`; W&B `use_artifact("name:latest")` or no version; `ollama pull` / `ollama run` (in notebook shell lines, Python `subprocess` / `os.system` commands, `ollama.pull(...)`, Dockerfile `RUN`, workflow steps, Kubernetes and Compose container commands and lifecycle hooks, the Ollama chart\'s `models.pull` / `models.run` values) or a Modelfile `FROM` without a digest or an exact tag; a `storageUri` with a `latest` folder; a JumpStart `model_version` wildcard (`*`).',
    why: "Registries keep every version, but an alias, a stage or `latest` is a pointer anyone with write access moves: a promotion, a retrain, a republished Ollama model. The notebook, the batch job and the serving pod then load a model nobody reviewed, trained on data nobody checked — and in an estate meant to stay private, a model from a shared registry can change what it says about your data without a single line of your code changing. Pinned versions make a rollout a reviewed change and a rollback possible. Bandit and Trail of Bits' Semgrep rules have no check for registry references.",
    fix: 'Name the version: MLflow `models:/<name>/<version>` (look it up with `MlflowClient().get_model_version_by_alias`), W&B `<name>:v<N>`, Ollama `<model>@sha256:<digest>` or an exact tag such as `llama3.1:8b-instruct-q4_K_M` (in a Modelfile, `FROM` takes the exact tag; a `FROM` that names a GGUF file, a Safetensors folder or a path is local weights and is not reported), a storage path with a version folder, and a JumpStart `model_version` that names one release (`"2.1.0"`). Move the pin in a reviewed change when you promote a model.',
    fixes: {
      'add-tag':
        "Modelfile: writes a placeholder for an exact tag after the model name (in place of `latest`), for you to fill with the tag you tested from the model's tags page. Airlock never guesses a tag.",
    },
    examples: {
      format: 'python',
      bad: 'model = mlflow.pyfunc.load_model("models:/fraud-detector/Production")',
      good: 'model = mlflow.pyfunc.load_model("models:/fraud-detector/12")',
    },
  },
  check(ctx) {
    const { file, report } = ctx;
    const emit = (ref: AliasRef) => report({ span: ref.span, message: `${ref.subject} is not pinned to a version: ${ref.why}` });
    if (file.format === 'modelfile') {
      for (const finding of modelfileFindings(ctx)) report(finding);
      return;
    }
    if (file.format === 'kubernetes') {
      for (const ref of manifestRefs(ctx)) emit(ref);
      return;
    }
    if (file.format === 'helm') {
      if (helmRole(file) === 'values') for (const ref of chartValuesAliasRefs(file.roots[0])) emit(ref);
      return;
    }
    if (file.format === 'compose') {
      for (const service of file.resources) for (const ref of execListRefs([get(service.body, 'entrypoint'), get(service.body, 'command')])) emit(ref);
    }
    if (file.format === 'compose' || file.format === 'github-actions' || file.format === 'dockerfile') {
      for (const ref of scriptAliasRefs(file)) emit(ref);
      return;
    }
    const code = (file.cells ?? []).filter((c) => c.kind === 'code');
    const wandbNamed = code.some((c) => c.source.includes('wandb'));
    for (const cell of code) if (HINT.test(cell.source)) for (const ref of cellAliasRefs(cell, code, wandbNamed)) emit(ref);
  },
});
