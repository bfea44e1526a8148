import {
  type Cell,
  cellPython,
  cellShellLines,
  contentSpan,
  get,
  isList,
  isMap,
  isScalar,
  type Node,
  type ParsedFile,
  type PyCall,
  type Span,
  str,
  walk,
} from '../../../core';
import { isKubernetesApiObject } from './image-sites';
import { HF_COMMIT } from './hf';
import { calleeName, kwarg } from '../../lib/python-calls';
import { shellCommands, stripMagic } from '../../lib/shell';

/**
 * Model files a notebook or Python file downloads by URL: the calls that fetch one (`requests.get`,
 * `urllib.request.urlretrieve`, `wget.download`, `torch.hub.load_state_dict_from_url`, Keras `get_file`, ...)
 * and `wget`/`curl` in shell lines and in Kubernetes containers' commands, with what makes the URL unpinned: plain `http://` (anyone on the path
 * can swap the file) or a Hugging Face `/resolve/<branch>/` URL of a file that is not a picture, a sound or
 * a page (the branch moves).
 */

export interface ModelUrl {
  url: string;
  /** The URL as written; `exact` when its offsets map one to one onto the value (no escapes, no quotes inside). */
  span: Span;
  exact: boolean;
  /** Who fetches it, for messages. */
  fetcher: string;
}

/** What is wrong with a model URL, if anything. */
export type UrlProblem =
  | { kind: 'http' }
  | { kind: 'branch'; repoType: 'model' | 'dataset' | 'space'; repo: string; ref: string; refStart: number; refEnd: number };

/** Calls that download what their URL names, by the last part of the callee; the URL is their first argument or this keyword. */
const FETCHERS: Record<string, string> = {
  get: 'url',
  urlretrieve: 'url',
  urlopen: 'url',
  download: 'url',
  load_state_dict_from_url: 'url',
  download_url_to_file: 'url',
  get_file: 'origin',
  cached_download: 'url',
};

/** Callees whose `.get` is an HTTP client's (a dictionary's `get` never takes a URL literal, but keep to these). */
const HTTP_GET = /(^|\.)(requests|httpx|session|client|http|s)\.get$/i;

/** Files that hold weights or a serialized model, and archives named for one. */
const MODEL_FILE = /\.(safetensors|bin|pt|pth|ckpt|gguf|ggml|onnx|h5|hdf5|keras|pb|tflite|pkl|pickle|joblib|mlmodel|msgpack|npz|caffemodel|params)$/i;
const MODEL_ARCHIVE = /(model|weights|checkpoint|ckpt)[^/]*\.(tar\.gz|tgz|tar|zip)$/i;

/** `https://huggingface.co/[datasets/|spaces/]org/name/resolve/<rev>/<file>` (also `hf.co`, one-part legacy names). */
const HUB_FILE = /^https?:\/\/(?:www\.)?(?:huggingface\.co|hf\.co)\/(?:(datasets|spaces)\/)?((?:[\w.-]+\/)?[\w.-]+)\/resolve\/([^/?#]+)\//;

/** Pictures, sound and pages a demo shows or plays: content, not part of a model or of the data it learns from. */
const MEDIA = /\.(png|jpe?g|gif|webp|svg|bmp|ico|mp3|wav|flac|ogg|mp4|webm|mov|html?|md)$/i;

const LOOPBACK = /^http:\/\/(localhost|127\.\d+\.\d+\.\d+|0\.0\.0\.0|\[::1\])([:/]|$)/i;

export function urlProblem(url: string): UrlProblem | undefined {
  const path = url.replace(/[?#].*$/, '');
  const hub = HUB_FILE.exec(url);
  if (hub && !MEDIA.test(path)) {
    const ref = decodeURIComponent(hub[3]);
    if (HF_COMMIT.test(ref)) return url.startsWith('http://') ? { kind: 'http' } : undefined;
    const refStart = hub[0].length - hub[3].length - 1;
    const repoType = hub[1] === 'datasets' ? 'dataset' : hub[1] === 'spaces' ? 'space' : 'model';
    return { kind: 'branch', repoType, repo: hub[2], ref, refStart, refEnd: refStart + hub[3].length };
  }
  if (!url.startsWith('http://') || LOOPBACK.test(url)) return undefined;
  // The file name alone, bounded: an archive's name is tested for a word with a pattern that is not anchored.
  const name = path.slice(path.lastIndexOf('/') + 1);
  return MODEL_FILE.test(name) || (name.length <= 256 && MODEL_ARCHIVE.test(name)) ? { kind: 'http' } : undefined;
}

function literalUrl(node: Node | undefined, fetcher: string): ModelUrl | undefined {
  if (!isScalar(node)) return undefined;
  const url = str(node);
  if (url === undefined || !/^https?:\/\//i.test(url)) return undefined;
  const span = contentSpan(node);
  return { url, span, exact: span.end - span.start === url.length, fetcher };
}

function fetchedUrl(call: PyCall): ModelUrl | undefined {
  const name = calleeName(call);
  const keyword = Object.hasOwn(FETCHERS, name) ? FETCHERS[name] : undefined;
  if (keyword === undefined || (name === 'get' && !HTTP_GET.test(call.callee))) return undefined;
  // Keras `get_file(fname, origin)`: the URL is the second argument.
  const node = kwarg(call, keyword) ?? (name === 'get_file' ? call.args[1] : call.args[0]);
  return literalUrl(node, call.callee);
}

/** Model URLs fetched by a code cell's Python calls and its `!wget`/`!curl` lines. */
export function fetchedModelUrls(cell: Cell): ModelUrl[] {
  const out: ModelUrl[] = [];
  if (/urlretrieve|urlopen|download|\.get\(|get_file|_from_url|url_to_file/.test(cell.source)) {
    for (const call of cellPython(cell)?.calls ?? []) {
      const u = fetchedUrl(call);
      if (u) out.push(u);
    }
  }
  for (const line of cellShellLines(cell) ?? []) {
    if (!/\b(wget|curl)\b/.test(line.text)) continue;
    const { body, offset } = stripMagic(line.text);
    for (const words of shellCommands(body)) {
      const tool = words.find((w) => /^(wget|curl)$/.test(w.value.slice(w.value.lastIndexOf('/') + 1)));
      if (!tool) continue;
      for (const w of words) {
        if (w.dynamic || !/^https?:\/\//i.test(w.value)) continue;
        const start = line.span.start + offset + w.start;
        const span = { ...line.span, start, end: line.span.start + offset + w.end };
        out.push({ url: w.value, span, exact: w.end - w.start === w.value.length, fetcher: tool.value });
      }
    }
  }
  return out;
}

const TOOL = /(^|\/)(wget|curl)$/;

/**
 * URLs a Kubernetes container's `command` and `args` hand to `wget` or `curl` (an init container that fetches
 * the model): the words of each item, in order, after the tool; exact where the item is written as it reads.
 */
export function containerModelUrls(file: ParsedFile): ModelUrl[] {
  const out: ModelUrl[] = [];
  for (const r of file.resources) {
    if (r.kind !== 'object' || !isKubernetesApiObject(r)) continue;
    for (const v of walk(r.body)) {
      if (!isMap(v.node) || get(v.node, 'image') === undefined) continue;
      let tool: string | undefined;
      for (const key of ['command', 'args']) {
        const node = get(v.node, key);
        for (const item of isList(node) ? node.items : node ? [node] : []) {
          const value = isScalar(item) ? str(item) : undefined;
          if (value === undefined) continue;
          const span = contentSpan(item);
          const exact = span.end - span.start === value.length && file.text.slice(span.start, span.end) === value;
          for (const words of shellCommands(value)) {
            for (const w of words) {
              if (TOOL.test(w.value)) tool = w.value.slice(w.value.lastIndexOf('/') + 1);
              else if (tool && !w.dynamic && /^https?:\/\//i.test(w.value)) {
                const wordExact = exact && w.end - w.start === w.value.length;
                out.push({ url: w.value, span: wordExact ? { start: span.start + w.start, end: span.start + w.end } : span, exact: wordExact, fetcher: tool });
              }
            }
          }
        }
      }
    }
  }
  return out;
}
