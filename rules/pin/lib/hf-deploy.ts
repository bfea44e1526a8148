import {
  contentSpan,
  evaluateStrings,
  get,
  isExpr,
  isList,
  isMap,
  isScalar,
  type MapNode,
  type Node,
  type RuleContext,
  type Span,
  str,
  walk,
} from '../../../core';
import { isRepoId, type HubLoad } from './hf';
import { isKubernetesApiObject } from './image-sites';
import { shellCommands } from '../../lib/shell';

/**
 * Model servers that download from the Hugging Face Hub when they start, configured in a container
 * definition (Kubernetes, Terraform `kubernetes_*`, ECS, SageMaker models in Terraform and CloudFormation):
 * - the SageMaker Hugging Face containers: `HF_MODEL_ID`, pinned by `HF_MODEL_REVISION`;
 * - text-generation-inference: `--model-id` or `MODEL_ID`, pinned by `--revision` or `REVISION`;
 * - vLLM: `--model`, `vllm serve <model>` (or a `MODEL_ID` variable the arguments use), pinned by `--revision`.
 */

const IMAGE_KEYS = ['image', 'Image'];
const ENV_KEYS = ['env', 'environment', 'Environment'];
const ARG_KEYS = ['command', 'args', 'Command', 'EntryPoint', 'entryPoint', 'entrypoint'];

/** A value as the container sees it: the literal and where it is written. */
interface Value {
  value: string;
  span: Span;
  node: Node;
}

type Server = 'tgi' | 'vllm' | 'other';

function serverOf(image: string, args: Value[]): Server {
  if (/text-generation-inference|(^|[/_-])tgi([:_-]|$)/i.test(image)) return 'tgi';
  if (/vllm/i.test(image) || args.some((a) => /(^|[\s/.])vllm([\s.]|$)/.test(a.value))) return 'vllm';
  return 'other';
}

export function deploymentHubLoads(ctx: RuleContext): HubLoad[] {
  const { file } = ctx;
  const out: HubLoad[] = [];
  const literal = (node: Node | undefined): Value | undefined => {
    if (node === undefined) return undefined;
    if (isScalar(node)) {
      const s = str(node);
      return s === undefined ? undefined : { value: s, span: contentSpan(node), node };
    }
    if (file.format === 'kubernetes') return undefined;
    const e = evaluateStrings(node, ctx);
    if (e.strings.length === 1 && e.unresolved.length === 0) return { value: e.strings[0], span: node.span, node };
    // A Helm template's image whose tag comes from values still names its repository: `tgi:{{ .Values.tag }}`.
    const head = isExpr(node) && node.fn === 'helm' ? node.literalParts?.[0] : undefined;
    return head ? { value: head, span: node.span, node } : undefined;
  };
  for (const r of file.resources) {
    if (r.kind !== 'resource' && r.kind !== 'object') continue;
    if ((file.format === 'kubernetes' || file.format === 'helm') && (r.type === 'ConfigMap' || r.type === 'Secret' || !isKubernetesApiObject(r))) continue;
    for (const v of walk(r.body)) {
      if (!isMap(v.node) || !IMAGE_KEYS.some((k) => get(v.node, k) !== undefined)) continue;
      const load = containerLoad(v.node, literal);
      if (load) out.push(load);
    }
  }
  return out;
}

/** Environment variables of a container: a map (`{ HF_MODEL_ID = ... }`) or a list of name/value pairs. */
function environment(container: MapNode): Map<string, Node> {
  const env = new Map<string, Node>();
  for (const key of ENV_KEYS) {
    for (const e of container.entries) {
      if (e.key !== key) continue;
      if (isMap(e.value) && !e.value.entries.some((x) => x.key === 'name' || x.key === 'Name')) {
        for (const x of e.value.entries) env.set(x.key, x.value);
        continue;
      }
      for (const item of isList(e.value) ? e.value.items : [e.value]) {
        const name = str(get(item, 'name') ?? get(item, 'Name'));
        const value = get(item, 'value') ?? get(item, 'Value');
        if (name !== undefined && value !== undefined) env.set(name, value);
      }
    }
  }
  return env;
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
          words.push({ value: w.value, span: exact ? { start: v.span.start + w.start, end: v.span.start + w.end } : v.span, node: item });
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
        return { value: w.value.slice(cut), span: exact ? { start: w.span.start + cut, end: w.span.end } : w.span, node: w.node };
      }
    }
  }
  return undefined;
}

function containerLoad(container: MapNode, literal: (n: Node | undefined) => Value | undefined): HubLoad | undefined {
  const image = literal(IMAGE_KEYS.map((k) => get(container, k)).find((n) => n !== undefined))?.value ?? '';
  const env = environment(container);
  const words = argumentWords(container, literal);
  const server = serverOf(image, words);
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
  if (env.has('HF_MODEL_ID')) {
    loader = 'HF_MODEL_ID';
    model = literal(env.get('HF_MODEL_ID')) ?? null;
    revision = env.has('HF_MODEL_REVISION') ? (literal(env.get('HF_MODEL_REVISION')) ?? null) : undefined;
  } else if (server === 'tgi') {
    loader = 'text-generation-inference';
    const arg = option(words, ['--model-id']);
    model = arg ? expand(arg) : env.has('MODEL_ID') ? (literal(env.get('MODEL_ID')) ?? null) : undefined;
    const rev = option(words, ['--revision']);
    revision = rev ? expand(rev) : env.has('REVISION') ? (literal(env.get('REVISION')) ?? null) : undefined;
  } else if (server === 'vllm') {
    loader = 'vLLM';
    const serve = words.findIndex((w, i) => w.value === 'serve' && i > 0 && /(^|\/)vllm$/.test(words[i - 1].value));
    const positional = serve >= 0 && words[serve + 1] && !words[serve + 1].value.startsWith('-') ? words[serve + 1] : undefined;
    const arg = positional ?? option(words, ['--model']);
    model = arg ? expand(arg) : undefined;
    const rev = option(words, ['--revision']);
    revision = rev ? expand(rev) : undefined;
  } else return undefined;

  // Unreadable values (a secret, a ConfigMap, a variable without a default) are not guessed at.
  if (!model || revision === null || !isRepoId(model.value)) return undefined;
  const subject = loader === 'HF_MODEL_ID' ? `HF_MODEL_ID "${model.value}"` : `Model "${model.value}" served by ${loader}`;
  const load: HubLoad = { loader, repo: model.value, repoSpan: model.span, subject };
  if (revision) load.revision = { value: revision.value, span: revision.span, literal: false };
  if (words.some((w) => w.value === '--trust-remote-code') || /^true$/i.test(literal(env.get('TRUST_REMOTE_CODE'))?.value ?? '')) load.remoteCode = true;
  return load;
}
