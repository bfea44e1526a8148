import type { Node as JsonNode } from 'jsonc-parser';
import type { NotebookOutput, Span } from '../../model';

/**
 * The JSON of an `.ipynb`: cell sources and output texts decoded from their JSON strings, each with a map back
 * to offsets in the file (a span over `"a\"b"` content covers the escape too). Images and other binary
 * outputs are never read.
 */

/** How decoded characters map to the file: runs of characters, each `width` file characters wide. */
interface Run {
  /** First decoded offset of the run. */
  d: number;
  /** File offset of that character. */
  f: number;
  /** Decoded characters in the run. */
  n: number;
  /** File characters per decoded character: 1 for plain text, 2 or 6 for escapes, 0 for joiners not in the file. */
  w: number;
}

class OffsetMap {
  constructor(
    private readonly runs: Run[],
    /** Where an insertion at the very end goes (after the last encoded character). */
    private readonly endOffset: number,
  ) {}

  private find(i: number): Run | undefined {
    const runs = this.runs;
    let lo = 0;
    let hi = runs.length - 1;
    if (hi < 0 || i < 0) return undefined;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (runs[mid].d <= i) lo = mid;
      else hi = mid - 1;
    }
    const r = runs[lo];
    return i < r.d + r.n ? r : undefined;
  }

  /** File offset where decoded character `i` starts (the end of the text for `i` at or past the end). */
  private startOf(i: number): number {
    const r = this.find(Math.max(0, i));
    return r ? r.f + (Math.max(0, i) - r.d) * r.w : this.endOffset;
  }

  /** File offset just after decoded character `i`. */
  private endOf(i: number): number {
    const r = this.find(i);
    return r ? r.f + (i - r.d + 1) * r.w : this.endOffset;
  }

  map(start: number, end: number): Span {
    const s = this.startOf(start);
    if (!(end > start)) return { start: s, end: s };
    return { start: s, end: Math.max(s, this.endOf(end - 1)) };
  }
}

/** A piece of decoded text with a lazily built map back to file offsets. */
export interface Mapped {
  text: string;
  map(): OffsetMap;
}

/** Decodes a multiline field's pieces (see `decodePieces`) of one file. */
export type Decoder = (nodes: JsonNode[], sep: string) => Mapped;

/**
 * Decode JSON string tokens (and raw JSON values, taken as written) into one text, joined by `sep`
 * (joiners have no file text: they map to the end of the previous piece). With `parsedValues`, the JSON
 * parser read the file without an error, so each string node's `value` is its token decoded as JSON
 * decodes it, which is what `decodeJsonString` gives for a valid token: it is taken as it is.
 */
export function decodePieces(file: string, nodes: JsonNode[], sep: string, parsedValues: boolean): Mapped {
  const texts: string[] = [];
  for (const n of nodes) {
    if (n.type !== 'string') texts.push(rawValue(file, n));
    else texts.push(parsedValues && typeof n.value === 'string' ? n.value : decodeJsonString(file, n, undefined));
  }
  const text = texts.join(sep);
  let cached: OffsetMap | undefined;
  return {
    text,
    map() {
      if (cached) return cached;
      const runs: Run[] = [];
      let d = 0;
      let end = nodes.length > 0 ? contentStart(nodes[0]) : 0;
      nodes.forEach((n, k) => {
        if (k > 0 && sep.length > 0) {
          runs.push({ d, f: end, n: sep.length, w: 0 });
          d += sep.length;
        }
        if (n.type === 'string') {
          const r = { runs, d, end: contentStart(n) };
          decodeJsonString(file, n, r);
          d = r.d;
          end = r.end;
        } else {
          runs.push({ d, f: n.offset, n: n.length, w: 1 });
          d += n.length;
          end = n.offset + n.length;
        }
      });
      cached = new OffsetMap(runs, end);
      return cached;
    },
  };
}

function contentStart(n: JsonNode): number {
  return n.type === 'string' ? n.offset + 1 : n.offset;
}

function rawValue(file: string, n: JsonNode): string {
  return file.slice(n.offset, n.offset + n.length);
}

const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/**
 * Decode one JSON string token character by character, optionally recording runs (decoded offset →
 * file offset). Tolerant: an unterminated string runs to the end of the token, an invalid escape `\q`
 * decodes to `q`.
 */
function decodeJsonString(file: string, n: JsonNode, rec: { runs: Run[]; d: number; end: number } | undefined): string {
  const from = n.offset + 1;
  const limit = Math.min(file.length, n.offset + n.length);
  // Fast path: no escapes.
  const q = file.indexOf('"', from);
  const stop = q < 0 || q > limit ? limit : q;
  const bs = file.indexOf('\\', from);
  if (bs < 0 || bs >= stop) {
    if (rec && stop > from) {
      rec.runs.push({ d: rec.d, f: from, n: stop - from, w: 1 });
      rec.d += stop - from;
    }
    if (rec) rec.end = stop;
    return file.slice(from, stop);
  }
  let out = '';
  let i = from;
  let plain = from;
  const flush = (to: number) => {
    if (to > plain) {
      out += file.slice(plain, to);
      if (rec) {
        rec.runs.push({ d: rec.d, f: plain, n: to - plain, w: 1 });
        rec.d += to - plain;
      }
    }
  };
  while (i < limit) {
    const c = file.charCodeAt(i);
    if (c === 34 /* " */) break;
    if (c !== 92 /* \ */) {
      i++;
      continue;
    }
    flush(i);
    const e = file[i + 1];
    let ch: string;
    let width = 2;
    if (e === undefined || i + 1 >= limit) {
      ch = '';
      width = 1;
    } else if (e === 'u') {
      const hex = file.slice(i + 2, Math.min(i + 6, limit));
      if (/^[0-9a-fA-F]{4}$/.test(hex)) {
        ch = String.fromCharCode(parseInt(hex, 16));
        width = 6;
      } else ch = ''; // invalid or truncated `\uXXXX`: nothing decoded
    } else {
      ch = ESCAPES[e] ?? e;
    }
    if (ch.length > 0) {
      out += ch;
      if (rec) {
        rec.runs.push({ d: rec.d, f: i, n: 1, w: width });
        rec.d += 1;
      }
    }
    i += width;
    plain = i;
  }
  flush(Math.min(i, limit));
  if (rec) rec.end = Math.min(i, limit);
  return out;
}

// ---------------------------------------------------------------------------------------------------
// JSON tree helpers

export function prop(obj: JsonNode | undefined, key: string): JsonNode | undefined {
  if (obj?.type !== 'object' || !obj.children) return undefined;
  for (const p of obj.children) {
    const k = p.children?.[0];
    if (k?.type === 'string' && k.value === key) return p.children?.[1];
  }
  return undefined;
}

export function str(n: JsonNode | undefined): string | undefined {
  return n?.type === 'string' && typeof n.value === 'string' ? n.value : undefined;
}

/** The string tokens of a multiline field: a string, or a list of strings (other items skipped). */
export function stringNodes(n: JsonNode | undefined): JsonNode[] | undefined {
  if (!n) return undefined;
  if (n.type === 'string') return [n];
  if (n.type === 'array') return (n.children ?? []).filter((c) => c.type === 'string');
  return undefined;
}

export function spanOf(n: JsonNode): Span {
  return { start: n.offset, end: n.offset + n.length };
}

// ---------------------------------------------------------------------------------------------------
// Outputs

const TEXT_MIMES = new Set(['application/json', 'application/javascript', 'application/x-javascript', 'application/xml']);

/** Text MIME types whose content is read; never `image/*` or other binary payloads. */
export function isTextMime(mime: string): boolean {
  return (mime.startsWith('text/') || TEXT_MIMES.has(mime)) && !mime.startsWith('image/');
}

/** nbformat 3 `pyout`/`display_data` keys and the MIME types they stand for. */
const V3_KEYS: Record<string, string> = {
  text: 'text/plain',
  html: 'text/html',
  markdown: 'text/markdown',
  latex: 'text/latex',
  json: 'application/json',
  javascript: 'application/javascript',
};

interface RawOutput {
  output: NotebookOutput;
  mapped: Mapped;
}

export function readOutputs(decode: Decoder, outputsNode: JsonNode | undefined): RawOutput[] {
  const out: RawOutput[] = [];
  if (outputsNode?.type !== 'array') return out;
  (outputsNode.children ?? []).forEach((o, outputIndex) => {
    if (o.type !== 'object') return;
    const rawType = str(prop(o, 'output_type')) ?? '';
    const outputType = rawType === 'pyout' ? 'execute_result' : rawType === 'pyerr' ? 'error' : rawType;
    const push = (mapped: Mapped, mime?: string) => {
      const output: NotebookOutput = { index: out.length, outputType, text: mapped.text, outputIndex };
      if (mime) output.mime = mime;
      out.push({ output, mapped });
    };
    if (outputType === 'stream') {
      const nodes = stringNodes(prop(o, 'text'));
      if (nodes) push(decode(nodes, ''));
    } else if (outputType === 'execute_result' || outputType === 'display_data' || outputType === 'update_display_data') {
      const data = prop(o, 'data');
      if (data?.type === 'object') {
        for (const p of data.children ?? []) {
          const mime = str(p.children?.[0]);
          const value = p.children?.[1];
          if (!mime || !value || !isTextMime(mime)) continue;
          const nodes = value.type === 'string' || (value.type === 'array' && mime !== 'application/json') ? stringNodes(value) : [value];
          if (nodes) push(decode(nodes, ''), mime);
        }
      } else {
        // nbformat 3: MIME data directly on the output.
        for (const p of o.children ?? []) {
          const key = str(p.children?.[0]);
          const mime = key ? V3_KEYS[key] : undefined;
          const value = p.children?.[1];
          if (!mime || !value) continue;
          const nodes = mime === 'application/json' && value.type !== 'string' ? [value] : stringNodes(value);
          if (nodes) push(decode(nodes, ''), mime);
        }
      }
    } else if (outputType === 'error') {
      const tb = stringNodes(prop(o, 'traceback'));
      if (tb && tb.length > 0) push(decode(tb, '\n'));
      else {
        const parts = [prop(o, 'ename'), prop(o, 'evalue')].filter((x): x is JsonNode => x?.type === 'string');
        if (parts.length > 0) push(decode(parts, ': '));
      }
    }
  });
  return out;
}
