import {
  type MapNode,
  type Cell,
  cellPython,
  contentSpan,
  type HubRepoType,
  isExpr,
  isMap,
  isScalar,
  type Node,
  type PyCall,
  type RelatedLocation,
  type Span,
  str,
} from '../../../core';
import { resolveString } from './python';
import { calleeName, importOrigin, kwarg } from '../../lib/python-calls';

/**
 * Where notebooks download from the Hugging Face Hub, and what pins each download. Pinned means a full
 * 40-character commit sha: branch names, tags and short shas can all be moved or re-pointed.
 */

export const HF_COMMIT = /^[0-9a-f]{40}$/;

/** A download site: the repository id as written, and the revision that pins it (if any). */
export interface HubLoad {
  /** What loads it, for messages: `from_pretrained`, `torch.hub.load`, `huggingface-cli download`. */
  loader: string;
  repo: string;
  /** Which kind of Hub repository, when the load is from the Hub and the kind is known (`torch.hub` loads from GitHub). */
  repoType?: HubRepoType;
  /** How messages name the load; defaults to `<loader> of "<repo>"`. */
  subject?: string;
  /** The repository id's span. */
  repoSpan: Span;
  /** `undefined`: no revision given. `null`: given but not a literal the rule can read. */
  revision?: { value: string | null; span: Span; literal: boolean };
  /** Where `trust_remote_code=True` (or `--trust-remote-code`, `TRUST_REMOTE_CODE=true`) is written: the repository's own Python code runs on load. */
  remoteCode?: Span;
  /** Where `, revision="..."` goes for a call without one; absent where the revision is part of the id. */
  insertAt?: Span;
  /** Text to insert at `insertAt`, before the snippet placeholder. */
  insertPrefix?: string;
  /** Text to insert after the placeholder (default: a closing quote when `insertPrefix` opens one). */
  insertSuffix?: string;
  /** Where the revision is written inside the id (`org/repo:ref`, `hf-hub:org/repo@rev`): the separator. */
  inlineSeparator?: string;
  /** Where the repository id or revision is written when the load only reads it (a Helm chart's values lines). */
  related?: RelatedLocation[];
}

/** How each Python loader takes its repository id: keyword names, positional index. */
interface Loader {
  kw: string[];
  pos: number;
  /** Keyword that carries the revision. */
  revisionKw?: string;
}

const FROM_PRETRAINED: Loader = { kw: ['pretrained_model_name_or_path', 'model_name_or_path', 'model_name', 'model_id', 'repo_id'], pos: 0 };
/** `PeftModel.from_pretrained(base_model, "org/adapter")`: the adapter id comes second. */
const PEFT_FROM_PRETRAINED: Loader = { kw: ['model_id'], pos: 1 };

const LOADERS: Record<string, Loader> = {
  hf_hub_download: { kw: ['repo_id'], pos: 0 },
  hf_hub_url: { kw: ['repo_id'], pos: 0 },
  snapshot_download: { kw: ['repo_id'], pos: 0 },
  load_dataset: { kw: ['path'], pos: 0 },
  pipeline: { kw: ['model'], pos: 1 },
  SentenceTransformer: { kw: ['model_name_or_path'], pos: 0 },
  CrossEncoder: { kw: ['model_name', 'model_name_or_path'], pos: 0 },
  // diffusers' loaders of weights into a pipeline: a Hub id (or a local folder, or a state dict), with `revision=`
  // among their keyword arguments (https://huggingface.co/docs/diffusers/api/loaders/lora).
  load_lora_weights: { kw: ['pretrained_model_name_or_path_or_dict'], pos: 0 },
  load_ip_adapter: { kw: ['pretrained_model_name_or_path_or_dict'], pos: 0 },
  load_textual_inversion: { kw: ['pretrained_model_name_or_path'], pos: 0 },
};

/** Cheap pre-check: a cell that names none of these loads nothing from the Hub (and need not be parsed). */
export const HUB_HINT =
  /from_pretrained|pipeline|hf_hub_download|hf_hub_url|snapshot_download|load_dataset|SentenceTransformer|CrossEncoder|load_lora_weights|load_ip_adapter|load_textual_inversion|hf[-_]hub:|hub\.load|\bLLM\b|huggingface-cli|\bhf\b|MODEL_ID/;

/** Modules whose `from_pretrained` loads something other than a Hub repository (Vertex AI's model names). */
const NOT_HUB_MODULES = /^(vertexai|google)(\.|$)/;

/** Datasets builders that read local files rather than a Hub repository. */
const LOCAL_DATASET_BUILDERS = new Set([
  'csv',
  'json',
  'parquet',
  'text',
  'imagefolder',
  'audiofolder',
  'videofolder',
  'arrow',
  'pandas',
  'webdataset',
  'sql',
  'xml',
  'generator',
]);

/**
 * A Hub repository id: `name` or `org/name` (letters, digits, `-`, `_`, `.`). Anything else — a path with
 * more segments, a URL, a `<placeholder>`, a file name — is not fetched from the Hub by that name.
 */
function isRepoId(id: string): boolean {
  if (!/^[A-Za-z0-9][\w.-]*(?:\/[A-Za-z0-9][\w.-]*)?$/.test(id) || id.length > 96) return false;
  if (/\.(json|csv|tsv|txt|parquet|jsonl|bin|safetensors|pt|pth|ckpt|h5|onnx|gguf|zip|tar|gz|arrow|py)$/i.test(id)) return false;
  return !/(^|\/)\.\.?($|\/)/.test(id);
}

/**
 * Paths the notebook writes models or datasets to (`save_pretrained(x)`, `trainer.save_model(x)`,
 * `output_dir=x`, `TrainingArguments(x)`, `save_to_disk(x)`): loading one of them later reads the local copy,
 * not the Hub. Paths are matched as literals, through the variable that holds them, or by the literal text
 * of an f-string (`f"{name}-finetuned-squad"`).
 */
export interface LocalOutputs {
  /** Whether `repo` (written as `repoNode`) was written to disk before position `at`. */
  has(repo: string, repoNode: Node, at: Position): boolean;
}

interface Position {
  cell: number;
  offset: number;
}

function before(a: Position, b: Position): boolean {
  return a.cell < b.cell || (a.cell === b.cell && a.offset < b.offset);
}

export function localOutputs(cells: Cell[]): LocalOutputs {
  const paths: { path: string; at: Position }[] = [];
  const names: { name: string; at: Position }[] = [];
  const pieces: { parts: string[]; at: Position }[] = [];
  const add = (node: Node | undefined, at: Position) => {
    if (!node) return;
    const value = resolveString(node, cells, at);
    if (value !== undefined) paths.push({ path: normalizePath(value), at });
    if (isExpr(node)) {
      if (/^[A-Za-z_]\w*$/.test(node.text)) names.push({ name: node.text, at });
      const parts = (node.literalParts ?? []).filter((x) => x.replace(/[./\\]/g, '') !== '');
      // `f"./{name}"` is the variable's value; `f"{model_name}-finetuned-squad"` is matched by its literal pieces.
      if (parts.length === 0 && node.refs?.length === 1 && /^[A-Za-z_]\w*$/.test(node.refs[0])) names.push({ name: node.refs[0], at });
      else if (parts.join('').length >= 4) pieces.push({ parts, at });
    }
  };
  const collect = (cell: Cell) => {
    if (cell.kind !== 'code' || !/save_pretrained|save_model|save_to_disk|output_dir|local_dir|TrainingArguments/.test(cell.source)) return;
    for (const call of cellPython(cell)?.calls ?? []) {
      const name = calleeName(call);
      // The end of the call: a `snapshot_download(repo, local_dir=repo)` downloads before it writes.
      const at = { cell: cell.index, offset: call.span.end };
      if (/^(save_pretrained|save_model|save_to_disk)$/.test(name))
        add(call.args[0] ?? kwarg(call, 'save_directory') ?? kwarg(call, 'output_dir') ?? kwarg(call, 'dataset_path'), at);
      else if (/TrainingArguments$/.test(name)) add(call.args[0], at);
      add(kwarg(call, 'output_dir'), at);
      add(kwarg(call, 'local_dir'), at);
    }
  };
  // Only what was written before a load counts: cells are read (and parsed) up to the cell that asks, once
  // each, so a notebook that loads before it saves never parses its saving cells.
  let next = 0;
  return {
    has(repo, repoNode, at) {
      for (; next < cells.length && cells[next].index <= at.cell; next++) collect(cells[next]);
      const p = normalizePath(repo);
      if (paths.some((x) => x.path === p && before(x.at, at))) return true;
      if (isExpr(repoNode) && names.some((x) => x.name === repoNode.text && before(x.at, at))) return true;
      return pieces.some((x) => before(x.at, at) && inOrder(p, x.parts));
    },
  };
}

/** Whether every piece occurs in `text`, in order, without overlapping. */
function inOrder(text: string, parts: string[]): boolean {
  let at = 0;
  for (const part of parts) {
    const i = text.indexOf(part, at);
    if (i < 0) return false;
    at = i + part.length;
  }
  return true;
}

function normalizePath(p: string): string {
  return p.replace(/^\.\//, '').replace(/\/+$/, '');
}

/**
 * Which module names occur anywhere in the notebook's code cells. An import origin is the module name of an
 * import statement (or the name an alias stands for) as written in some code cell, and the callee as written
 * in its cell: a notebook whose code never names a module has no import of it, and looking the origin up
 * (which parses every cell that imports the name) cannot change the answer.
 */
const namedModules = new WeakMap<Cell[], { notHub: boolean; vllm: boolean }>();

function modulesNamed(cells: Cell[]): { notHub: boolean; vllm: boolean } {
  let known = namedModules.get(cells);
  if (known === undefined) {
    const code = cells.filter((c) => c.kind === 'code');
    known = { notHub: code.some((c) => /vertexai|google/.test(c.source)), vllm: code.some((c) => c.source.includes('vllm')) };
    namedModules.set(cells, known);
  }
  return known;
}

function loaderOf(call: PyCall, cells: Cell[]): { loader: Loader; name: string } | undefined {
  const name = calleeName(call);
  if (name === 'from_pretrained') {
    const owner = call.callee.split('.')[0];
    const origin = modulesNamed(cells).notHub ? importOrigin(cells, owner) : undefined;
    if (origin && NOT_HUB_MODULES.test(origin)) return undefined;
    const cls = call.callee.split('.').slice(-2, -1)[0] ?? '';
    return { loader: /^Peft(Model|Mixed)/.test(cls) ? PEFT_FROM_PRETRAINED : FROM_PRETRAINED, name: cls ? `${cls}.${name}` : name };
  }
  if (name === 'LLM') {
    // vLLM's engine; `LLM` alone is too common a name to trust without the import.
    const origin = modulesNamed(cells).vllm ? importOrigin(cells, call.callee.split('.')[0]) : undefined;
    return origin === 'vllm' || call.callee === 'vllm.LLM' ? { loader: { kw: ['model'], pos: 0 }, name: 'vllm.LLM' } : undefined;
  }
  const l = LOADERS[name];
  return l ? { loader: l, name } : undefined;
}

function argOf(call: PyCall, loader: Loader): Node | undefined {
  for (const k of loader.kw) {
    const v = kwarg(call, k);
    if (v) return v;
  }
  return call.args[loader.pos];
}

export const REPO_TYPES: readonly string[] = ['model', 'dataset', 'space'];

/** `load_dataset` reads datasets; the download functions take `repo_type=`; a value that is not a literal is not known. */
function repoTypeOf(call: PyCall, loader: string): HubRepoType | undefined {
  if (loader === 'load_dataset') return 'dataset';
  const given = kwarg(call, 'repo_type');
  if (given === undefined || (isScalar(given) && given.value === null)) return 'model';
  const value = str(given);
  return value !== undefined && REPO_TYPES.includes(value) ? (value as HubRepoType) : undefined;
}

/** `, ` before an inserted keyword argument, or just a space after a trailing comma. */
function separator(source: string, call: PyCall): string {
  return source.slice(call.span.start, call.insertAt.start).trimEnd().endsWith(',') ? ' ' : ', ';
}

/** Hub loads of one code cell's Python calls. */
export function pythonHubLoads(cell: Cell, cells: Cell[], local: LocalOutputs): HubLoad[] {
  const out: HubLoad[] = [];
  for (const call of cellPython(cell)?.calls ?? []) {
    const at = { cell: cell.index, offset: call.span.start };
    // `**kwargs` may carry the revision: undecidable, stay silent.
    if (call.kwargs.some((k) => k.key === '**')) continue;
    const inline = inlineRevisionLoad(call, cells, at);
    if (inline) {
      out.push(inline);
      continue;
    }
    const found = loaderOf(call, cells);
    if (!found) continue;
    const repoNode = argOf(call, found.loader);
    const repo = resolveString(repoNode, cells, at);
    if (!repoNode || repo === undefined || !isRepoId(repo) || local.has(repo, repoNode, at)) continue;
    if (found.name === 'load_dataset' && LOCAL_DATASET_BUILDERS.has(repo)) continue;
    const revNode = kwarg(call, found.loader.revisionKw ?? 'revision');
    const load: HubLoad = { loader: found.name, repo, repoSpan: contentSpan(repoNode), repoType: repoTypeOf(call, found.name) };
    if (revNode) {
      const value = resolveString(revNode, cells, at);
      load.revision = { value: value ?? null, span: contentSpan(revNode), literal: isScalar(revNode) };
    } else {
      load.insertAt = call.insertAt;
      load.insertPrefix = `${separator(cell.source, call)}revision="`;
    }
    const trc = call.kwargs.find((k) => k.key === 'trust_remote_code');
    if (trc && isScalar(trc.value) && trc.value.value === true) load.remoteCode = { ...trc.keySpan, end: trc.value.span.end };
    out.push(load);
  }
  return out;
}

/**
 * A name resolves to the string literal last assigned to it (`resolveString`). The first non-empty piece of a
 * literal whose value starts with `hf-hub:` (or `hf_hub:`) holds that text, or is a prefix of it that ends at a
 * quote (`"hf-" "hub:x"`, adjacent literals) or at an escape that can stand for a letter or join lines (`\x68`,
 * `\150`, `\u0068`, a backslash-newline). Notebooks with none of these cannot name such an id.
 */
const HF_HUB_LITERAL = /hf[-_]hub:|["'](?:(?:h|hf|hf[-_]|hf[-_]h|hf[-_]hu|hf[-_]hub)["']|(?:h|hf|hf[-_]|hf[-_]h|hf[-_]hu|hf[-_]hub)?\\[0-7xuU\r\n])/;
const hfHubLiterals = new WeakMap<Cell[], boolean>();

function mayAssignHfHub(cells: Cell[]): boolean {
  let known = hfHubLiterals.get(cells);
  if (known === undefined) {
    known = cells.some((c) => c.kind === 'code' && HF_HUB_LITERAL.test(c.source));
    hfHubLiterals.set(cells, known);
  }
  return known;
}

/**
 * Loaders that take the revision inside the id: `torch.hub.load("org/repo:ref", ...)` (a GitHub repository)
 * and timm / open_clip `"hf-hub:org/repo@rev"`.
 */
function inlineRevisionLoad(call: PyCall, cells: Cell[], at: { cell: number; offset: number }): HubLoad | undefined {
  const first = call.args[0] ?? kwarg(call, 'repo_or_dir') ?? kwarg(call, 'model_name');
  if (!first) return undefined;
  const isTorchHub = /(^|\.)hub\.load$/.test(call.callee);
  // Resolving a name reads (and parses) every earlier cell that mentions it: only worth it where an id can be found.
  if (!isTorchHub && !isScalar(first) && !mayAssignHfHub(cells)) return undefined;
  const value = resolveString(first, cells, at);
  if (value === undefined) return undefined;
  const span = contentSpan(first);
  const exact = isScalar(first) && span.end - span.start === value.length;
  if (isTorchHub) {
    const source = str(kwarg(call, 'source'));
    if (source === 'local' || !/^[\w.-]+\/[\w.-]+(:[^\s]+)?$/.test(value)) return undefined;
    const colon = value.indexOf(':');
    const load: HubLoad = { loader: 'torch.hub.load', repo: colon < 0 ? value : value.slice(0, colon), repoSpan: span, inlineSeparator: ':' };
    if (colon >= 0) load.revision = { value: value.slice(colon + 1), span: exact ? { ...span, start: span.start + colon + 1 } : span, literal: exact };
    else if (exact) load.insertAt = { ...span, start: span.end };
    return load;
  }
  const m = /^hf[-_]hub:([^@]+)(?:@(.*))?$/.exec(value);
  if (!m) return undefined;
  const load: HubLoad = { loader: calleeName(call), repo: m[1], repoSpan: span, inlineSeparator: '@', repoType: 'model' };
  if (m[2] !== undefined) load.revision = { value: m[2], span: exact ? { ...span, start: span.end - m[2].length } : span, literal: exact };
  else if (exact) load.insertAt = { ...span, start: span.end };
  return load;
}

/** The Hugging Face serving containers configured by `MODEL_ID` / `REVISION` (TGI and text-embeddings-inference). */
const MODEL_ID_SERVER = /text-generation-inference|text-embeddings-inference/i;

/**
 * Model ids in environment maps written in Python: `HF_MODEL_ID` without a pinned `HF_MODEL_REVISION` (SageMaker SDK),
 * and `MODEL_ID` without `REVISION` in the environment of a call whose image keyword names a TGI or TEI container
 * (Vertex AI `Model.upload(serving_container_image_uri=..., serving_container_environment_variables={...})`).
 */
export function pythonEnvLoads(cell: Cell, cells: Cell[]): HubLoad[] {
  const out: HubLoad[] = [];
  const seen = new Set<number>();
  const py = cellPython(cell);
  if (!py) return out;
  const maps: Node[] = [...py.assignments.map((a) => a.value), ...py.calls.flatMap((c) => c.kwargs.map((k) => k.value))];
  for (const m of maps) {
    if (!isMap(m) || seen.has(m.span.start)) continue;
    seen.add(m.span.start);
    const load = envLoad(m, 'HF_MODEL_ID', 'HF_MODEL_REVISION', cell, cells);
    if (load) out.push(load);
  }
  for (const call of py.calls) {
    const at = { cell: cell.index, offset: call.span.start };
    const image = call.kwargs.find((k) => /image/i.test(k.key));
    const server = MODEL_ID_SERVER.exec(image ? (resolveString(image.value, cells, at) ?? '') : '')?.[0].toLowerCase();
    if (!server) continue;
    for (const k of call.kwargs) {
      const load = isMap(k.value) ? envLoad(k.value, 'MODEL_ID', 'REVISION', cell, cells) : undefined;
      if (load) out.push({ ...load, loader: server });
    }
  }
  return out;
}

/** The load a map names by `idKey`, pinned by `revisionKey` (or where a revision entry is added after the id). */
function envLoad(m: MapNode, idKey: string, revisionKey: string, cell: Cell, cells: Cell[]): HubLoad | undefined {
  const idEntry = m.entries.find((e) => e.key === idKey);
  if (!idEntry) return undefined;
  const at = { cell: cell.index, offset: m.span.start };
  const repo = resolveString(idEntry.value, cells, at);
  if (repo === undefined || !isRepoId(repo)) return undefined;
  const revEntry = m.entries.find((e) => e.key === revisionKey);
  const load: HubLoad = { loader: idKey, repo, repoSpan: contentSpan(idEntry.value), subject: `${idKey} "${repo}"`, repoType: 'model' };
  if (revEntry) {
    const value = resolveString(revEntry.value, cells, at);
    load.revision = { value: value ?? null, span: contentSpan(revEntry.value), literal: isScalar(revEntry.value) };
  } else {
    const end = idEntry.value.span.end;
    load.insertAt = { ...idEntry.value.span, start: end, end };
    load.insertPrefix = `, "${revisionKey}": "`;
  }
  return load;
}

export { isRepoId };
