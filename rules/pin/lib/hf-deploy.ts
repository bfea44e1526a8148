import {
  COMMIT_SLOT,
  contentSpan,
  evaluateStrings,
  get,
  interpolatedDefault,
  isExpr,
  isJsonText,
  isList,
  isMap,
  isScalar,
  type MapNode,
  type Node,
  type ParsedFile,
  type RelatedLocation,
  type RuleContext,
  type Span,
  str,
  walk,
} from '../../../core';
import { isRepoId, type HubLoad } from './hf';
import { lineAfter } from './version-argument';
import { isKubernetesApiObject } from './image-sites';
import { shellCommands } from '../../lib/shell';
import { renderedScalar } from '../../lib/helm';

/**
 * Model servers that download from the Hugging Face Hub when they start, configured in a container
 * definition (Kubernetes, Compose services, Terraform `kubernetes_*`, ECS, Vertex AI Model Garden containers, SageMaker
 * models in Terraform and CloudFormation):
 * - the SageMaker Hugging Face containers: `HF_MODEL_ID`, pinned by `HF_MODEL_REVISION`;
 * - text-generation-inference and text-embeddings-inference: `--model-id` or `MODEL_ID`, pinned by `--revision` or `REVISION`;
 * - KServe's Hugging Face server (a predictor `model` with `modelFormat: huggingface`, or the `huggingfaceserver` image):
 *   `--model_id`, pinned by `--model_revision`;
 * - vLLM: `--model`, `vllm serve <model>` (or a `MODEL_ID` variable the arguments use), pinned by `--revision`;
 * - SGLang: `--model-path` (`python -m sglang.launch_server`), pinned by `--revision`.
 * `--trust-remote-code` or `TRUST_REMOTE_CODE` (SageMaker: `HF_MODEL_TRUST_REMOTE_CODE`) `=true` marks a load that runs the repository's own code.
 */

/** `image_uri`: the serving container of a Vertex AI Model Garden deployment (`container_spec`). */
const IMAGE_KEYS = ['image', 'Image', 'image_uri'];
const ENV_KEYS = ['env', 'environment', 'Environment'];
const ARG_KEYS = ['command', 'args', 'Command', 'EntryPoint', 'entryPoint', 'entrypoint'];

/** A value as the container sees it: the literal and where it is written (`exact`: the span holds just the value). */
interface Value {
  value: string;
  span: Span;
  node: Node;
  exact?: boolean;
  /** The values lines a Helm template's value was read from. */
  related?: RelatedLocation[];
}

type Server = 'tgi' | 'tei' | 'kserve' | 'vllm' | 'sglang' | 'other';

function serverOf(container: MapNode, image: string, args: Value[]): Server {
  if (/text-generation-inference|(^|[/_-])tgi([:_-]|$)/i.test(image)) return 'tgi';
  if (/text-embeddings-inference|(^|[/_-])tei([:_-]|$)/i.test(image)) return 'tei';
  if (/huggingfaceserver/i.test(image) || /^huggingface$/i.test(str(get(get(container, 'modelFormat'), 'name')) ?? '')) return 'kserve';
  if (/vllm/i.test(image) || args.some((a) => /(^|[\s/.])vllm([\s.]|$)/.test(a.value))) return 'vllm';
  if (/sglang/i.test(image) || args.some((a) => /(^|[\s/.])sglang([\s.]|$)/.test(a.value))) return 'sglang';
  return 'other';
}

export function deploymentHubLoads(ctx: RuleContext): HubLoad[] {
  const { file } = ctx;
  const out: HubLoad[] = [];
  const literal = (node: Node | undefined): Value | undefined => {
    if (node === undefined) return undefined;
    if (isScalar(node)) {
      const s = str(node);
      if (s === undefined) return undefined;
      const span = contentSpan(node);
      return { value: s, span, node, exact: span.end - span.start === s.length };
    }
    if (file.format === 'kubernetes') return undefined;
    const rendered = renderedScalar(file, ctx.project, node);
    const text = rendered && str(rendered.value);
    if (rendered && text !== undefined) return { value: text, span: rendered.span, node, related: rendered.related };
    const e = evaluateStrings(node, ctx);
    if (e.strings.length === 1 && e.unresolved.length === 0) return { value: e.strings[0], span: node.span, node };
    // A Compose value whose variables all have defaults is what Compose runs when they are unset: `${MODEL:-org/model}`.
    const byDefault = interpolatedDefault(node);
    if (byDefault !== undefined) return { value: byDefault, span: node.span, node };
    // A Helm template's image whose tag comes from values still names its repository: `tgi:{{ .Values.tag }}`.
    const head = isExpr(node) && node.fn === 'helm' ? node.literalParts?.[0] : undefined;
    return head ? { value: head, span: node.span, node } : undefined;
  };
  for (const r of file.resources) {
    if (r.kind !== 'resource' && r.kind !== 'object' && r.kind !== 'service') continue;
    if ((file.format === 'kubernetes' || file.format === 'helm') && (r.type === 'ConfigMap' || r.type === 'Secret' || !isKubernetesApiObject(r))) continue;
    for (const v of walk(r.body)) {
      if (!isMap(v.node)) continue;
      const storage = storageUriLoad(literal(get(v.node, 'storageUri')));
      if (storage) out.push(storage);
      // A KServe predictor's `model` runs the runtime's image, which it does not name: its `modelFormat` says which.
      if (!IMAGE_KEYS.some((k) => get(v.node, k) !== undefined) && get(v.node, 'modelFormat') === undefined) continue;
      const load = containerLoad(v.node, literal, file);
      if (load) out.push(load);
    }
  }
  return out;
}

/** KServe's (and Seldon's) `storageUri: hf://org/model[:commit]`: the model server's storage initializer downloads it. */
function storageUriLoad(uri: Value | undefined): HubLoad | undefined {
  const m = uri && /^hf:\/\/([^:]+)(?::(.*))?$/.exec(uri.value);
  if (!uri || !m || !isRepoId(m[1])) return undefined;
  const load: HubLoad = { loader: 'storageUri', repo: m[1], repoSpan: uri.span, subject: `storageUri "hf://${m[1]}"`, repoType: 'model', inlineSeparator: ':' };
  if (m[2] !== undefined)
    load.revision = { value: m[2], span: uri.exact ? { ...uri.span, start: uri.span.end - m[2].length } : uri.span, literal: !!uri.exact };
  else if (uri.exact) load.insertAt = { ...uri.span, start: uri.span.end };
  return load;
}

/** Where a variable is set: a map entry (`HF_MODEL_ID = ...`) from its key, or a name/value item of a list. */
interface Setting {
  start: number;
  end: number;
  /** `entry`: a key of a map; `item`: an item of a YAML block list (`- name: X`); `other`: anything else. */
  form: 'entry' | 'item' | 'other';
}

/** Environment variables of a container: a map (`{ HF_MODEL_ID = ... }`) or a list of name/value pairs. */
function environment(container: MapNode, text: string): { values: Map<string, Node>; settings: Map<string, Setting> } {
  const values = new Map<string, Node>();
  const settings = new Map<string, Setting>();
  for (const key of ENV_KEYS) {
    for (const e of container.entries) {
      if (e.key !== key) continue;
      if (isMap(e.value) && !e.value.entries.some((x) => x.key === 'name' || x.key === 'Name')) {
        for (const x of e.value.entries) {
          values.set(x.key, x.value);
          settings.set(x.key, { start: x.keySpan.start, end: x.value.span.end, form: x.form === 'block' ? 'other' : 'entry' });
        }
        continue;
      }
      for (const item of isList(e.value) ? e.value.items : [e.value]) {
        const name = str(get(item, 'name') ?? get(item, 'Name'));
        const value = get(item, 'value') ?? get(item, 'Value');
        if (name === undefined || value === undefined) continue;
        values.set(name, value);
        // `- name: X` in a block list: the item starts at its dash.
        const dash = /-[ \t]+$/.exec(text.slice(text.lastIndexOf('\n', item.span.start - 1) + 1, item.span.start));
        const end = isMap(item) ? Math.max(...item.entries.map((x) => x.value.span.end)) : item.span.end;
        settings.set(name, dash ? { start: item.span.start - dash[0].length, end, form: 'item' } : { start: item.span.start, end, form: 'other' });
      }
    }
  }
  return { values, settings };
}

/**
 * The edit that adds the variable `name` set to a commit next to where `after` is set, in the file's syntax:
 * `NAME = "…"` in Terraform, `NAME: "…"` in a YAML map, a `- name:`/`value:` item in a YAML list. None in
 * JSON, on a line shared with something else, or in any other form (a Terraform `env {}` block).
 */
function settingEdit(file: ParsedFile, after: Setting | undefined, name: string): { span: Span; newText: string } | undefined {
  if (!after || after.form === 'other' || isJsonText(file.uri, file.text)) return undefined;
  const line =
    after.form === 'item'
      ? `- name: ${name}\n  value: "${COMMIT_SLOT}"`
      : file.format === 'terraform'
        ? `${name} = "${COMMIT_SLOT}"`
        : `${name}: "${COMMIT_SLOT}"`;
  const at = lineAfter(file, after.start, after.end, line);
  return at && { span: { start: at.at, end: at.at }, newText: at.newText };
}

/** Every word of the container's command and arguments, with its span when the offsets can be mapped. */
function argumentWords(container: MapNode, literal: (n: Node | undefined) => Value | undefined): Value[] {
  const words: Value[] = [];
  for (const key of ARG_KEYS) {
    const node = get(container, key);
    for (const item of isList(node) ? node.items : node ? [node] : []) {
      const v = literal(item);
      if (!v) continue;
      const exact = isScalar(item) && v.span.end - v.span.start === v.value.length;
      for (const cmd of shellCommands(v.value)) {
        for (const w of cmd) {
          const span = exact ? { start: v.span.start + w.start, end: v.span.start + w.end } : v.span;
          words.push({ value: w.value, span, node: item, exact: exact && w.end - w.start === w.value.length });
        }
      }
    }
  }
  return words;
}

/** The value of `--name value` or `--name=value` among the words. */
function option(words: Value[], names: string[]): Value | undefined {
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    for (const n of names) {
      if (w.value === n && i + 1 < words.length) return words[i + 1];
      if (w.value.startsWith(`${n}=`)) {
        const cut = n.length + 1;
        const exact = w.span.end - w.span.start === w.value.length;
        return { value: w.value.slice(cut), span: exact ? { start: w.span.start + cut, end: w.span.end } : w.span, node: w.node, exact: exact && w.exact };
      }
    }
  }
  return undefined;
}

/**
 * `--revision=<commit>` after the argument naming the model: inside the same string when it is a shell command
 * line (it holds spaces: `sh -c "vllm serve org/model --port 8000"`), else as the next item of the list.
 */
function optionAfter(file: ParsedFile, arg: Value, name = '--revision'): { span: Span; newText: string } | undefined {
  if (!arg.exact || !isScalar(arg.node)) return undefined;
  const item = contentSpan(arg.node);
  if (/\s/.test(file.text.slice(item.start, item.end))) return { span: { start: arg.span.end, end: arg.span.end }, newText: ` ${name}=${COMMIT_SLOT}` };
  const end = arg.node.span.end;
  if (/^[ \t]*[,\]]/.test(file.text.slice(end, end + 64))) return { span: { start: end, end }, newText: `, "${name}=${COMMIT_SLOT}"` };
  const dash = /-[ \t]+$/.exec(file.text.slice(file.text.lastIndexOf('\n', arg.node.span.start - 1) + 1, arg.node.span.start));
  const at = dash && lineAfter(file, arg.node.span.start - dash[0].length, end, `- ${name}=${COMMIT_SLOT}`);
  return at ? { span: { start: at.at, end: at.at }, newText: at.newText } : undefined;
}

function containerLoad(container: MapNode, literal: (n: Node | undefined) => Value | undefined, file: ParsedFile): HubLoad | undefined {
  const image = literal(IMAGE_KEYS.map((k) => get(container, k)).find((n) => n !== undefined))?.value ?? '';
  const { values: env, settings } = environment(container, file.text);
  const words = argumentWords(container, literal);
  const server = serverOf(container, image, words);
  /** `$(NAME)` (Kubernetes) or `$NAME` / `${NAME}` (shell): the variable's value. */
  const expand = (v: Value | undefined): Value | undefined | null => {
    if (!v) return undefined;
    const m = /^\$\(([A-Za-z_][A-Za-z0-9_]*)\)$|^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/.exec(v.value);
    if (!m) return /\$/.test(v.value) ? null : v;
    const node = env.get(m[1] ?? m[2]);
    return node === undefined ? null : (literal(node) ?? null);
  };

  let model: Value | undefined | null;
  let revision: Value | undefined | null;
  let loader: string;
  /** Where the missing revision is added: a variable next to the one naming the model, or an option after it. */
  let add: { span: Span; newText: string } | undefined;
  if (env.has('HF_MODEL_ID')) {
    loader = 'HF_MODEL_ID';
    model = literal(env.get('HF_MODEL_ID')) ?? null;
    revision = env.has('HF_MODEL_REVISION') ? (literal(env.get('HF_MODEL_REVISION')) ?? null) : undefined;
    add = settingEdit(file, settings.get('HF_MODEL_ID'), 'HF_MODEL_REVISION');
  } else if (server === 'tgi' || server === 'tei') {
    loader = server === 'tgi' ? 'text-generation-inference' : 'text-embeddings-inference';
    const arg = option(words, ['--model-id']);
    model = arg ? expand(arg) : env.has('MODEL_ID') ? (literal(env.get('MODEL_ID')) ?? null) : undefined;
    const rev = option(words, ['--revision']);
    revision = rev ? expand(rev) : env.has('REVISION') ? (literal(env.get('REVISION')) ?? null) : undefined;
    add = arg ? optionAfter(file, arg) : settingEdit(file, settings.get('MODEL_ID'), 'REVISION');
  } else if (server === 'kserve') {
    loader = 'the KServe Hugging Face server';
    const arg = option(words, ['--model_id']);
    model = arg ? expand(arg) : undefined;
    const rev = option(words, ['--model_revision']);
    revision = rev ? expand(rev) : undefined;
    add = arg && optionAfter(file, arg, '--model_revision');
  } else if (server === 'vllm') {
    loader = 'vLLM';
    const serve = words.findIndex((w, i) => w.value === 'serve' && i > 0 && /(^|\/)vllm$/.test(words[i - 1].value));
    const positional = serve >= 0 && words[serve + 1] && !words[serve + 1].value.startsWith('-') ? words[serve + 1] : undefined;
    const arg = positional ?? option(words, ['--model']);
    model = arg ? expand(arg) : undefined;
    const rev = option(words, ['--revision']);
    revision = rev ? expand(rev) : undefined;
    add = arg && optionAfter(file, arg);
  } else if (server === 'sglang') {
    loader = 'SGLang';
    const arg = option(words, ['--model-path', '--model']);
    model = arg ? expand(arg) : undefined;
    const rev = option(words, ['--revision']);
    revision = rev ? expand(rev) : undefined;
    add = arg && optionAfter(file, arg);
  } else return undefined;

  // Unreadable values (a secret, a ConfigMap, a variable without a default) are not guessed at.
  if (!model || revision === null || !isRepoId(model.value)) return undefined;
  const subject = loader === 'HF_MODEL_ID' ? `HF_MODEL_ID "${model.value}"` : `Model "${model.value}" served by ${loader}`;
  const load: HubLoad = { loader, repo: model.value, repoSpan: model.span, subject, repoType: 'model' };
  const related = [...(model.related ?? []), ...(revision?.related ?? [])];
  if (related.length) load.related = related;
  if (revision) load.revision = { value: revision.value, span: revision.span, literal: !!revision.exact };
  else if (add) {
    load.insertAt = add.span;
    load.insertPrefix = add.newText.slice(0, add.newText.indexOf(COMMIT_SLOT));
    load.insertSuffix = add.newText.slice(add.newText.indexOf(COMMIT_SLOT) + COMMIT_SLOT.length);
  }
  const remoteFlag = words.find((w) => w.value === '--trust-remote-code');
  const remoteEnv = literal(env.get('TRUST_REMOTE_CODE') ?? env.get('HF_MODEL_TRUST_REMOTE_CODE'));
  if (remoteFlag) load.remoteCode = remoteFlag.span;
  else if (remoteEnv && /^(true|1)$/i.test(remoteEnv.value)) load.remoteCode = remoteEnv.span;
  return load;
}
