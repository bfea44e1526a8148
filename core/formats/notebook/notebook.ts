import { parseTree, printParseErrorCode, type Node as JsonNode, type ParseError } from 'jsonc-parser';
import type { Cell, CellPython, Comment, NotebookOutput, ParsedFile, ParseProblem, ShellLine, Span } from '../../model';
import { type CellReader, readCellsWith } from '../../cells';
import { commentsByLine } from '../../parsers/line-comments';
import { preparePythonCell } from '../../parsers/python';
import { parserFor } from '../../wasm';

/**
 * Jupyter notebooks (`.ipynb`, nbformat 4; the nbformat 3 `worksheets` layout is read too).
 *
 * Cell sources and output texts are decoded from their JSON strings; spans in the model are relative to
 * them (`Span.cell`, `Span.output`) and `toFileSpan` maps them back to the encoded text in the `.ipynb`
 * (a span over `"a\"b"` content covers the escape too). Images and other binary outputs are never read.
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
interface Mapped {
  text: string;
  map(): OffsetMap;
}

/** Decodes a multiline field's pieces (see `decodePieces`) of one file. */
type Decoder = (nodes: JsonNode[], sep: string) => Mapped;

/**
 * Decode JSON string tokens (and raw JSON values, taken as written) into one text, joined by `sep`
 * (joiners have no file text: they map to the end of the previous piece). With `parsedValues`, the JSON
 * parser read the file without an error, so each string node's `value` is its token decoded as JSON
 * decodes it, which is what `decodeJsonString` gives for a valid token: it is taken as it is.
 */
function decodePieces(file: string, nodes: JsonNode[], sep: string, parsedValues: boolean): Mapped {
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

function prop(obj: JsonNode | undefined, key: string): JsonNode | undefined {
  if (obj?.type !== 'object' || !obj.children) return undefined;
  for (const p of obj.children) {
    const k = p.children?.[0];
    if (k?.type === 'string' && k.value === key) return p.children?.[1];
  }
  return undefined;
}

function str(n: JsonNode | undefined): string | undefined {
  return n?.type === 'string' && typeof n.value === 'string' ? n.value : undefined;
}

/** The string tokens of a multiline field: a string, or a list of strings (other items skipped). */
function stringNodes(n: JsonNode | undefined): JsonNode[] | undefined {
  if (!n) return undefined;
  if (n.type === 'string') return [n];
  if (n.type === 'array') return (n.children ?? []).filter((c) => c.type === 'string');
  return undefined;
}

function spanOf(n: JsonNode): Span {
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

function readOutputs(decode: Decoder, outputsNode: JsonNode | undefined): RawOutput[] {
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

// ---------------------------------------------------------------------------------------------------
// Cells

function isPython(language: string): boolean {
  return /^(i?python\d*|py)$/i.test(language);
}

interface CellInput {
  kind: Cell['kind'];
  language: string;
  source: string;
  outputs?: NotebookOutput[];
  tags?: string[];
}

type PythonStructure = CellPython;
/** The fields of the structure that need the tree-sitter parse. */
type ParsedFields = Omit<PythonStructure, 'shell'>;

/**
 * What a code cell's structure is made of, computed once for a cell index and source: its shell lines
 * (from the pre-pass) and, on the first `load`, the fields that need the tree-sitter parse, or why it
 * failed. Cells with the same index and source share it; each cell still reports a failure itself.
 */
interface SharedStructure {
  shell: PythonStructure['shell'];
  load(): { fields: ParsedFields; error?: string };
}

function sharedStructure(prepared: ReturnType<typeof preparePythonCell>): SharedStructure {
  let done: { fields: ParsedFields; error?: string } | undefined;
  return {
    shell: prepared.shell,
    load: () => {
      if (done) return done;
      try {
        const { calls, assignments, imports, strings } = prepared.analyze();
        done = { fields: { calls, assignments, imports, strings } };
      } catch (err) {
        done = { fields: { calls: [], assignments: [], imports: [], strings: [] }, error: String(err) };
      }
      return done;
    },
  };
}

/**
 * The structure of a cell whose source another cell has at another index: the other's parse, copied with
 * the spans' cell index changed (objects the parse shares stay shared in the copy).
 */
function movedStructure(prepared: ReturnType<typeof preparePythonCell>, from: SharedStructure, index: number): SharedStructure {
  let done: { fields: ParsedFields; error?: string } | undefined;
  return {
    shell: prepared.shell,
    load: () => {
      if (done) return done;
      const { fields, error } = from.load();
      done = { fields: withCell(fields, index, new Map()), error };
      return done;
    },
  };
}

/** A deep copy of `value` where every `cell` property is `cell`. */
function withCell<T>(value: T, cell: number, copies: Map<object, unknown>): T {
  if (typeof value !== 'object' || value === null) return value;
  const done = copies.get(value);
  if (done !== undefined) return done as T;
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    copies.set(value, out);
    for (const v of value) out.push(withCell(v, cell, copies));
    return out as T;
  }
  const out: Record<string, unknown> = {};
  copies.set(value, out);
  for (const [k, v] of Object.entries(value)) out[k] = k === 'cell' ? cell : withCell(v, cell, copies);
  return out as T;
}

/**
 * Cell structures by source and cell index. In an editor every keystroke re-reads the whole notebook, but
 * only the edited cell's source changed: the others are taken from here instead of being parsed again. In a
 * scan, notebooks often repeat cells of others (translations, copies, setup cells), which are parsed once.
 * The structure depends on nothing but the source and the index (its spans carry the index): a source met
 * at another index is copied with its spans moved. Least recently used sources go first beyond `maxChars`.
 */
class StructureCache {
  private readonly map = new Map<string, Map<number, SharedStructure>>();
  private chars = 0;

  constructor(private readonly maxChars: number) {}

  /** The structures of `source` by cell index (made the most recently used). */
  get(source: string): Map<number, SharedStructure> | undefined {
    const hit = this.map.get(source);
    if (hit) {
      this.map.delete(source);
      this.map.set(source, hit);
    }
    return hit;
  }

  set(source: string, index: number, value: SharedStructure): void {
    if (source.length > this.maxChars / 4) return;
    const byIndex = this.map.get(source);
    if (byIndex) {
      if (!byIndex.has(index)) byIndex.set(index, value);
      return;
    }
    this.map.set(source, new Map([[index, value]]));
    this.chars += source.length;
    for (const k of this.map.keys()) {
      if (this.chars <= this.maxChars) break;
      this.map.delete(k);
      this.chars -= k.length;
    }
  }
}

/** Cells of notebooks open in an editor. */
const editorCells = new StructureCache(4_000_000);
/**
 * Cells of notebooks read from files (notebooks of a repository repeat install and import cells). Kept small:
 * a structure takes many times its source's size, and a million characters of source cost ~70 MB in a scan.
 */
const fileCells = new StructureCache(250_000);

/**
 * Build a model cell. Python code cells get their comments and shell lines from a cheap tokenizer pass, and
 * the rest of their `python` structure from tree-sitter (most of the cost of reading a notebook); each is
 * computed the first time it is read (rules look at few cells, suppressions only at cells that mention
 * `airlock:ignore`), or taken from `cache` when the same source was analysed before (at another index: copied).
 */
function buildCell(index: number, c: CellInput, problems: ParseProblem[], cache: StructureCache): Cell {
  const python = c.kind === 'code' && isPython(c.language);
  const cell: Cell = {
    index,
    kind: c.kind,
    language: c.language,
    source: c.source,
    outputs: c.outputs ?? [],
    tags: c.tags ?? [],
  };
  if (python) {
    parserFor('python'); // a grammar not loaded is a programming error, not bad input: let it throw here
    readCellsWith(cell, new PythonCellState(c.source, index, problems, cache));
  }
  return cell;
}

/**
 * What is read of a Python code cell on request: the pre-pass (comments and shell lines), then the
 * tree-sitter structure, each once, or taken from `cache` when the same source was analysed before (at another
 * index: copied). A cell that cannot be analysed adds one problem to its notebook's problems.
 */
class PythonCellState implements CellReader {
  /** The pre-pass, once; `null` when it failed. */
  private prepared: ReturnType<typeof preparePythonCell> | null | undefined;
  private shared: SharedStructure | null | undefined;
  private structure: PythonStructure | undefined;
  private commentList: Comment[] | undefined;

  constructor(
    private readonly source: string,
    private readonly index: number,
    private readonly problems: ParseProblem[],
    private readonly cache: StructureCache,
  ) {}

  comments(): Comment[] {
    this.commentList ??= this.prepare()?.comments ?? commentsOfSource(this.source, this.index);
    return this.commentList;
  }

  shellLines(): ShellLine[] | undefined {
    return this.sharedStructure()?.shell;
  }

  python(): PythonStructure | undefined {
    if (this.structure) return this.structure;
    const shared = this.sharedStructure();
    if (!shared) return undefined;
    const { fields, error } = shared.load();
    if (error !== undefined) this.problems.push({ span: { start: 0, end: 0, cell: this.index }, message: `cannot analyse cell ${this.index}: ${error}` });
    this.structure = { ...fields, shell: shared.shell };
    return this.structure;
  }

  private prepare(): ReturnType<typeof preparePythonCell> | null {
    if (this.prepared === undefined) {
      try {
        this.prepared = preparePythonCell(this.source, this.index);
      } catch (err) {
        this.problems.push({ span: { start: 0, end: 0, cell: this.index }, message: `cannot analyse cell ${this.index}: ${String(err)}` });
        this.prepared = null;
      }
    }
    return this.prepared;
  }

  private sharedStructure(): SharedStructure | undefined {
    if (this.shared !== undefined) return this.shared ?? undefined;
    const known = this.cache.get(this.source);
    let shared = known?.get(this.index);
    if (!shared) {
      const p = this.prepare();
      if (!p) {
        this.shared = null;
        return undefined;
      }
      const other = known?.values().next().value;
      shared = other ? movedStructure(p, other, this.index) : sharedStructure(p);
      this.cache.set(this.source, this.index, shared);
    }
    this.shared = shared;
    return shared;
  }
}

function commentsOfSource(source: string, cell: number): Comment[] {
  return commentsByLine(source).map((c) => ({ ...c, span: { ...c.span, cell } }));
}

function cellKind(type: string | undefined): Cell['kind'] {
  if (type === 'code') return 'code';
  if (type === 'markdown' || type === 'heading') return 'markdown';
  return 'raw';
}

const MAX_PROBLEMS = 20;

/** Parse a `.ipynb` file. Never throws on bad input: JSON errors and a missing `cells` array become problems. */
export function parseNotebook(uri: string, text: string): ParsedFile {
  const errors: ParseError[] = [];
  let root: JsonNode | undefined;
  const problems: ParseProblem[] = [];
  try {
    root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true });
  } catch (err) {
    // Pathological nesting can exhaust the stack of the recursive parser.
    problems.push({ span: { start: 0, end: 0 }, message: `JSON: cannot parse (${String(err)})` });
  }
  for (const e of errors.slice(0, MAX_PROBLEMS)) {
    problems.push({ span: { start: e.offset, end: e.offset + e.length }, message: `JSON: ${printParseErrorCode(e.error)}` });
  }
  if (errors.length > MAX_PROBLEMS) {
    const at = errors[MAX_PROBLEMS].offset;
    problems.push({ span: { start: at, end: at }, message: `JSON: ${errors.length - MAX_PROBLEMS} more errors` });
  }

  const parsedValues = root !== undefined && errors.length === 0;
  const decode: Decoder = (nodes, sep) => decodePieces(text, nodes, sep, parsedValues);

  let cellNodes: JsonNode[] | undefined;
  const cellsNode = prop(root, 'cells');
  if (cellsNode?.type === 'array') cellNodes = cellsNode.children ?? [];
  else {
    const worksheets = prop(root, 'worksheets');
    if (worksheets?.type === 'array') {
      cellNodes = (worksheets.children ?? []).flatMap((w) => {
        const cs = prop(w, 'cells');
        return cs?.type === 'array' ? (cs.children ?? []) : [];
      });
    }
  }
  if (!cellNodes) problems.push({ span: { start: 0, end: 0 }, message: 'not a Jupyter notebook: no "cells" array' });

  const metadata = prop(root, 'metadata');
  const kernelLanguage =
    str(prop(prop(metadata, 'kernelspec'), 'language')) || str(prop(prop(metadata, 'language_info'), 'name')) || str(prop(metadata, 'language')) || 'python';

  const cells: Cell[] = [];
  const sources: (Mapped | undefined)[] = [];
  const outputMaps: Mapped[][] = [];
  for (const [index, node] of (cellNodes ?? []).entries()) {
    const kind = cellKind(str(prop(node, 'cell_type')));
    const cellMeta = prop(node, 'metadata');
    const srcNode = prop(node, 'source') ?? prop(node, 'input');
    const pieces = stringNodes(srcNode);
    const source = pieces ? decode(pieces, '') : undefined;
    const tags = (prop(cellMeta, 'tags')?.children ?? []).map(str).filter((t): t is string => t !== undefined);
    const outputsNode = prop(node, 'outputs');
    const raws = kind === 'code' ? readOutputs(decode, outputsNode) : [];
    const language =
      kind === 'markdown'
        ? 'markdown'
        : kind === 'raw'
          ? 'raw'
          : str(prop(prop(cellMeta, 'vscode'), 'languageId')) || str(prop(node, 'language')) || kernelLanguage;
    const cell = buildCell(
      index,
      { kind, language: language.toLowerCase(), source: source?.text ?? '', outputs: raws.map((r) => r.output), tags },
      problems,
      fileCells,
    );
    cell.span = spanOf(node);
    if (outputsNode) cell.outputsSpan = spanOf(outputsNode);
    cells.push(cell);
    sources.push(source);
    outputMaps.push(raws.map((r) => r.mapped));
  }

  return {
    uri,
    format: 'notebook',
    text,
    resources: [],
    roots: [],
    comments: [],
    problems,
    cells,
    toFileSpan(span: Span): Span {
      if (span.cell === undefined) return span;
      const cell = cells[span.cell];
      const mapped = span.output === undefined ? sources[span.cell] : outputMaps[span.cell]?.[span.output];
      if (!cell || !mapped) {
        const at = cell?.span?.start ?? 0;
        return { start: at, end: at };
      }
      const len = mapped.text.length;
      const start = Math.max(0, Math.min(span.start, len));
      const end = Math.max(start, Math.min(span.end, len));
      return mapped.map().map(start, end);
    },
  };
}

/**
 * Cells that arrive as separate text documents (LSP notebook sync). Spans stay cell-relative:
 * `toFileSpan` is the identity and the server maps them to its cell documents. `text` is empty.
 */
export function parseNotebookCells(uri: string, cells: CellInput[]): ParsedFile {
  const problems: ParseProblem[] = [];
  return {
    uri,
    format: 'notebook',
    text: '',
    resources: [],
    roots: [],
    comments: [],
    problems,
    cells: cells.map((c, i) => buildCell(i, { ...c, language: (c.language || 'python').toLowerCase() }, problems, editorCells)),
    toFileSpan: (span) => span,
  };
}

export type { CellInput as NotebookCellInput };
