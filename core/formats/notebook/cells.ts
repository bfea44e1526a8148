import { maskParserMessage } from '../../mask';
import { type CellReader, readCellsWith } from '../../cells';
import type { Cell, CellPython, Comment, NotebookOutput, ParseProblem, ShellLine } from '../../model';
import { commentsByLine } from '../../parsers/line-comments';
import { preparePythonCell } from '../../parsers/python';
import { parserFor } from '../../wasm';

/**
 * Notebook cells in the model. A Python code cell gets a reader (`core/cells.ts`) that runs the cheap
 * pre-pass (comments, shell lines) and the tree-sitter parse each once, on request, reusing the structure of a
 * source analysed before.
 */

export function isPython(language: string): boolean {
  return /^(i?python\d*|py)$/i.test(language);
}

export interface CellInput {
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
        const { calls, assignments, comparisons, imports, strings } = prepared.analyze();
        done = { fields: { calls, assignments, comparisons, imports, strings } };
      } catch (err) {
        done = { fields: { calls: [], assignments: [], comparisons: [], imports: [], strings: [] }, error: String(err) };
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
export const editorCells = new StructureCache(4_000_000);
/**
 * Cells of notebooks read from files (notebooks of a repository repeat install and import cells). Kept small:
 * a structure takes many times its source's size, and a million characters of source cost ~70 MB in a scan.
 */
export const fileCells = new StructureCache(250_000);

/**
 * Build a model cell. Python code cells get their comments and shell lines from a cheap tokenizer pass, and
 * the rest of their `python` structure from tree-sitter (most of the cost of reading a notebook); each is
 * computed the first time it is read (rules look at few cells, suppressions only at cells that mention
 * `airlock:ignore`), or taken from `cache` when the same source was analysed before (at another index: copied).
 */
export function buildCell(index: number, c: CellInput, problems: ParseProblem[], cache: StructureCache): Cell {
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
    if (error !== undefined)
      this.problems.push({
        span: { start: 0, end: 0, cell: this.index },
        message: maskParserMessage(`not fully analysed: cell ${this.index}: ${error}`, this.source),
      });
    this.structure = { ...fields, shell: shared.shell };
    return this.structure;
  }

  private prepare(): ReturnType<typeof preparePythonCell> | null {
    if (this.prepared === undefined) {
      try {
        this.prepared = preparePythonCell(this.source, this.index);
      } catch (err) {
        this.problems.push({
          span: { start: 0, end: 0, cell: this.index },
          message: maskParserMessage(`not fully analysed: cell ${this.index}: ${String(err)}`, this.source),
        });
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

export function cellKind(type: string | undefined): Cell['kind'] {
  if (type === 'code') return 'code';
  if (type === 'markdown' || type === 'heading') return 'markdown';
  return 'raw';
}
