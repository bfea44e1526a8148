import type { ParsedFile, Span } from './model';
import type { Fix, TextEdit } from './rule';

/**
 * Applying fixes to a file's text. Notebook edits are cell-relative: they are mapped into the `.ipynb`
 * text and their new text JSON-escaped, so a fixed notebook stays a valid notebook.
 */

export interface FileEdit {
  start: number;
  end: number;
  newText: string;
}

/** Snippet syntax (`${1:default}`, `$1`, `$0`) reduced to the text a person would see before typing. */
export function snippetToText(snippet: string): string {
  return snippet
    .replace(/\$\{\d+:([^}]*)\}/g, '$1')
    .replace(/\$\{\d+\}|\$\d+/g, '')
    .replace(/\\([$}\\])/g, '$1');
}

export function toFileEdit(file: ParsedFile, edit: TextEdit, snippet = false): FileEdit {
  const text = snippet ? snippetToText(edit.newText) : edit.newText;
  if (edit.span.cell === undefined) return { start: edit.span.start, end: edit.span.end, newText: text };
  const s: Span = file.toFileSpan(edit.span);
  return { start: s.start, end: s.end, newText: JSON.stringify(text).slice(1, -1) };
}

/**
 * Apply edits; an edit overlapping an earlier one in the list is dropped (the first fix wins), and
 * insertions at the same offset keep their order.
 */
export function applyEdits(text: string, edits: FileEdit[]): string {
  const accepted: (FileEdit & { i: number })[] = [];
  edits.forEach((e, i) => {
    if (!accepted.some((a) => e.start < a.end && a.start < e.end)) accepted.push({ ...e, i });
  });
  accepted.sort((a, b) => b.start - a.start || b.end - a.end || b.i - a.i);
  let out = text;
  for (const e of accepted) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

/** In an `.ipynb` text, clearing a cell's outputs is replacing its `outputs` array with `[]`. */
function clearOutputsEdit(file: ParsedFile, fix: Fix): FileEdit[] {
  const span = fix.clearOutputs && file.cells?.[fix.clearOutputs.cell]?.outputsSpan;
  return span ? [{ start: span.start, end: span.end, newText: '[]' }] : [];
}

/** The edits of `fixes` that belong to this file (edits aimed at another file, e.g. variables.tf, excluded). */
export function fileEditsOf(file: ParsedFile, fixes: Fix[]): FileEdit[] {
  return fixes.flatMap((f) => [
    ...f.edits.filter((e) => !e.uri || e.uri === file.uri).map((e) => toFileEdit(file, e, f.snippet)),
    ...clearOutputsEdit(file, f),
  ]);
}

/** Edits aimed at other files, grouped by file. */
export function otherFileEdits(file: ParsedFile, fixes: Fix[]): Map<string, TextEdit[]> {
  const out = new Map<string, TextEdit[]>();
  for (const f of fixes) {
    for (const e of f.edits) {
      if (!e.uri || e.uri === file.uri) continue;
      out.set(e.uri, [...(out.get(e.uri) ?? []), e]);
    }
  }
  return out;
}
