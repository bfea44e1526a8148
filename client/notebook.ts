// Turns VS Code notebook cell outputs into the text the server scans. Only types come from `vscode`, so
// this file runs (and is tested) outside the editor.
import type * as vscode from 'vscode';
import { MAX_OUTPUT_TEXT_PER_CELL, type NotebookCellOutputs, type NotebookOutputItem } from '../protocol';

export const JUPYTER_NOTEBOOK_TYPE = 'jupyter-notebook';

export const STDOUT_MIME = 'application/vnd.code.notebook.stdout';
export const STDERR_MIME = 'application/vnd.code.notebook.stderr';
export const ERROR_MIME = 'application/vnd.code.notebook.error';

type Cell = Pick<vscode.NotebookCell, 'index' | 'outputs'> & { document: Pick<vscode.TextDocument, 'uri'> };

const decoder = new TextDecoder('utf-8');
// Tracebacks and coloured logs carry ANSI escapes (colours, cursor moves); the text without them is what a person reads.
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]/g;

/** Text MIME types worth scanning. Images (`image/*`, SVG included) never are. */
export function isTextMime(mime: string): boolean {
  const m = mime.toLowerCase();
  if (m.startsWith('image/')) return false;
  return (
    m === STDOUT_MIME ||
    m === STDERR_MIME ||
    m === ERROR_MIME ||
    m.startsWith('text/') ||
    m === 'application/json' ||
    m.endsWith('+json') ||
    m === 'application/javascript' ||
    m === 'application/xml' ||
    m.endsWith('+xml')
  );
}

/** The nbformat output type of a VS Code output: the ipynb serializers keep it in the output's metadata. */
function outputTypeOf(output: vscode.NotebookCellOutput): string {
  const fromMetadata = output.metadata?.outputType;
  if (typeof fromMetadata === 'string' && fromMetadata) return fromMetadata;
  const mimes = output.items.map((i) => i.mime);
  if (mimes.includes(ERROR_MIME)) return 'error';
  if (mimes.includes(STDOUT_MIME) || mimes.includes(STDERR_MIME)) return 'stream';
  return 'display_data';
}

function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

/** The text of one output item, or undefined for items that are not text. */
export function outputItemText(item: Pick<vscode.NotebookCellOutputItem, 'mime' | 'data'>): string | undefined {
  if (!isTextMime(item.mime)) return undefined;
  let text = decoder.decode(item.data);
  if (item.mime === ERROR_MIME) {
    try {
      const error = JSON.parse(text) as { name?: unknown; message?: unknown; stack?: unknown };
      const parts = [error.name, error.message].filter((p): p is string => typeof p === 'string' && p !== '');
      const head = parts.join(': ');
      const stack = typeof error.stack === 'string' ? error.stack : '';
      text = stack.includes(head) || !head ? stack || head : stack ? `${head}\n${stack}` : head;
    } catch {
      // Not the JSON VS Code writes: scan it as it is.
    }
  }
  if (item.mime === ERROR_MIME || item.mime === STDOUT_MIME || item.mime === STDERR_MIME) text = stripAnsi(text);
  return text;
}

/** Stream and error items carry VS Code's own MIME types, which mean nothing to the server: it gets none. */
function protocolMime(mime: string): string | undefined {
  return mime === STDOUT_MIME || mime === STDERR_MIME || mime === ERROR_MIME ? undefined : mime;
}

/**
 * Every cell with its text outputs, for a snapshot `airlock/notebookOutputs`. Cells without outputs are
 * listed too. Text past the server's per-cell limit is not sent.
 */
export function notebookOutputs(cells: readonly Cell[]): NotebookCellOutputs[] {
  return cells.map((cell) => {
    const outputs: NotebookOutputItem[] = [];
    let budget = MAX_OUTPUT_TEXT_PER_CELL;
    cell.outputs.forEach((output, outputIndex) => {
      const outputType = outputTypeOf(output);
      for (const item of output.items) {
        if (budget <= 0) return;
        let text = outputItemText(item);
        if (text === undefined) continue;
        if (text.length > budget) text = text.slice(0, budget);
        budget -= text.length;
        const mime = protocolMime(item.mime);
        outputs.push(mime === undefined ? { outputType, text, outputIndex } : { outputType, mime, text, outputIndex });
      }
    });
    return { index: cell.index, uri: cell.document.uri.toString(), outputs };
  });
}
