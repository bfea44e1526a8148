import { type CellReader, readFileUnitWith } from '../../cells';
import type { Cell, CellPython, Comment, ParsedFile, ParseProblem } from '../../model';
import { commentsByLine } from '../../parsers/line-comments';
import { preparePythonCell } from '../../parsers/python';
import { loadGrammar, parserFor } from '../../wasm';
import { defineFormat } from '../format';

/**
 * A Python source file, read by the engine that reads notebook code cells: the model holds the file as one
 * code unit in `cells` (index 0, its source the whole text), so rules read calls, assignments, imports and
 * strings through `cellPython` for both formats. Its spans are file offsets: they carry no cell index.
 */
export function parsePythonFile(uri: string, text: string): ParsedFile {
  parserFor('python'); // a grammar not loaded is a programming error, not bad input: let it throw here
  const problems: ParseProblem[] = [];
  const unit: Cell = { index: 0, kind: 'code', language: 'python', source: text, outputs: [], tags: [] };
  const reader = new PythonFileReader(text, problems);
  readFileUnitWith(unit, reader);
  return {
    uri,
    format: 'python',
    text,
    resources: [],
    roots: [],
    comments: reader.comments(),
    problems,
    cells: [unit],
    toFileSpan: (span) => span,
  };
}

/**
 * Python code written inside another file (the program of `python -c "..."` in a Dockerfile `RUN` or a workflow step),
 * read like a Python file's one code unit: its spans are offsets into `code`, which the caller maps back to the file.
 * A snippet that does not parse has empty lists, as a cell has.
 */
export async function pythonSnippet(code: string): Promise<Cell> {
  await loadGrammar('python');
  return parsePythonFile('python-snippet', code).cells?.[0] as Cell;
}

/** The file's comments and shell lines (a cheap pre-pass), then its tree-sitter structure on the first request. */
class PythonFileReader implements CellReader {
  private readonly prepared: ReturnType<typeof preparePythonCell> | undefined;
  private readonly commentList: Comment[];
  private structure: CellPython | undefined;

  constructor(
    source: string,
    private readonly problems: ParseProblem[],
  ) {
    try {
      this.prepared = preparePythonCell(source, undefined);
    } catch (err) {
      problems.push({ span: { start: 0, end: 0 }, message: `cannot analyse the file: ${String(err)}` });
    }
    this.commentList = this.prepared?.comments ?? commentsByLine(source);
  }

  comments(): Comment[] {
    return this.commentList;
  }

  shellLines() {
    return this.prepared?.shell;
  }

  python(): CellPython | undefined {
    if (this.structure || !this.prepared) return this.structure;
    try {
      const { calls, assignments, comparisons, imports, shell, strings } = this.prepared.analyze();
      this.structure = { calls, assignments, comparisons, imports, shell, strings };
    } catch (err) {
      this.problems.push({ span: { start: 0, end: 0 }, message: `cannot analyse the file: ${String(err)}` });
      this.structure = { calls: [], assignments: [], comparisons: [], imports: [], shell: this.prepared.shell, strings: [] };
    }
    return this.structure;
  }
}

/** Python source files (`.py`, `.pyw`), by extension. */
export const python = defineFormat({
  id: 'python',
  extensions: ['py', 'pyw'],
  detect: () => true,
  grammars: ['python'],
  parse: parsePythonFile,
  editor: { languages: ['python'], extensions: [] },
});
