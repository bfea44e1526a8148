import { contentSpan, defineRule, isScalar, type RuleContext, str, walk } from '../../../core';
import { isKubernetesApiObject } from '../lib/image-sites';
import { type AliasRef, cellAliasRefs, commandLineRefs, latestPath, mlflowAlias, mlflowSubject } from '../lib/model-alias';

const HINT = /models:\/|artifact|ollama|\/latest\b/;

/** Keys that hold where a model server downloads its model from (KServe `storageUri`, Seldon `modelUri`). */
const STORAGE_KEYS = new Set(['storageUri', 'modelUri']);

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
  }
  return out;
}

export default defineRule({
  id: 'pin/model-mutable-alias',
  family: 'pin',
  severity: 'warning',
  formats: ['notebook', 'python', 'kubernetes'],
  prefilter: { notebook: (text) => HINT.test(text), python: (text) => HINT.test(text), kubernetes: (text) => HINT.test(text) },
  docs: {
    summary:
      'Model taken from a registry by a name that moves instead of a version: MLflow `models:/name/latest`, a stage or an `@alias`; W&B `use_artifact("name:latest")` or no version; `ollama pull` without a digest or an exact tag; a `storageUri` with a `latest` folder.',
    why: "Registries keep every version, but an alias, a stage or `latest` is a pointer anyone with write access moves: a promotion, a retrain, a republished Ollama model. The notebook, the batch job and the serving pod then load a model nobody reviewed, trained on data nobody checked — and in an estate meant to stay private, a model from a shared registry can change what it says about your data without a single line of your code changing. Pinned versions make a rollout a reviewed change and a rollback possible. Bandit and Trail of Bits' Semgrep rules have no check for registry references.",
    fix: 'Name the version: MLflow `models:/<name>/<version>` (look it up with `MlflowClient().get_model_version_by_alias`), W&B `<name>:v<N>`, Ollama `<model>@sha256:<digest>` or an exact tag such as `llama3.1:8b-instruct-q4_K_M`, and a storage path with a version folder. Move the pin in a reviewed change when you promote a model.',
    examples: {
      format: 'python',
      bad: 'model = mlflow.pyfunc.load_model("models:/fraud-detector/Production")',
      good: 'model = mlflow.pyfunc.load_model("models:/fraud-detector/12")',
    },
  },
  check(ctx) {
    const { file, report } = ctx;
    const emit = (ref: AliasRef) => report({ span: ref.span, message: `${ref.subject} is not pinned to a version: ${ref.why}` });
    if (file.format === 'kubernetes') {
      for (const ref of manifestRefs(ctx)) emit(ref);
      return;
    }
    const code = (file.cells ?? []).filter((c) => c.kind === 'code');
    const wandbNamed = code.some((c) => c.source.includes('wandb'));
    for (const cell of code) if (HINT.test(cell.source)) for (const ref of cellAliasRefs(cell, wandbNamed)) emit(ref);
  },
});
