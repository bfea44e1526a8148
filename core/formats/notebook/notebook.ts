import { maskParserMessage } from '../../mask';
import { parseTree, printParseErrorCode, type Node as JsonNode, type ParseError } from 'jsonc-parser';
import type { Cell, ParsedFile, ParseProblem, Span } from '../../model';
import { buildCell, type CellInput, cellKind, editorCells, fileCells } from './cells';
import { type Decoder, decodePieces, type Mapped, prop, readOutputs, spanOf, str, stringNodes } from './decode';

/**
 * Jupyter notebooks (`.ipynb`, nbformat 4; the nbformat 3 `worksheets` layout is read too).
 *
 * Cell sources and output texts are decoded from their JSON strings (`decode.ts`); spans in the model are
 * relative to them (`Span.cell`, `Span.output`) and `toFileSpan` maps them back to the encoded text in the
 * `.ipynb`. Cells are built in `cells.ts`.
 */

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
    problems.push({ span: { start: 0, end: 0 }, message: maskParserMessage(`JSON: cannot parse (${String(err)})`, text) });
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
