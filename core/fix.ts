import { isJsonText } from './formats';
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

/** How a fix lays out the lines it writes in a file: the file's line ending and one level of its indentation. */
export interface EditStyle {
  eol: '\n' | '\r\n';
  /** A tab, or the file's most common step between the indentation of a line and the next, in spaces (2 when none). */
  indentUnit: string;
}

/**
 * The style of a text: CRLF when its first line ends so; tabs when more lines are indented with a tab than
 * with a space (never in YAML, which forbids them); else the most common step by which the indentation of a
 * line exceeds the previous one's.
 */
export function editStyle(text: string, tabsAllowed = true): EditStyle {
  const nl = text.indexOf('\n');
  const eol = nl > 0 && text.charCodeAt(nl - 1) === 13 ? '\r\n' : '\n';
  let tabLines = 0;
  let spaceLines = 0;
  let previous = 0;
  const steps = new Map<number, number>();
  // Each line's leading blanks, read by character (this runs on every keystroke in a large file): a line of
  // blanks only is skipped, as a blank line is.
  for (let at = 0; at < text.length; ) {
    let i = at;
    let tab = false;
    for (let c = text.charCodeAt(i); c === 32 || c === 9; c = text.charCodeAt(++i)) if (c === 9) tab = true;
    const width = i - at;
    const nl = text.indexOf('\n', i);
    const next = nl < 0 ? text.length : nl + 1;
    if (i < text.length && !/\s/.test(text[i])) {
      if (text.charCodeAt(at) === 9) tabLines++;
      else if (width > 0) spaceLines++;
      if (!tab && width > previous) steps.set(width - previous, (steps.get(width - previous) ?? 0) + 1);
      if (!tab) previous = width;
    }
    at = next;
  }
  if (tabsAllowed && tabLines > spaceLines) return { eol, indentUnit: '\t' };
  let unit = 2;
  let seen = 0;
  for (const [step, n] of steps) if (n > seen || (n === seen && step < unit)) [unit, seen] = [step, n];
  return { eol, indentUnit: ' '.repeat(unit) };
}

const styles = new WeakMap<ParsedFile, EditStyle>();

/** A file's `editStyle`, computed once per parsed file. */
export function editStyleOf(file: ParsedFile): EditStyle {
  let style = styles.get(file);
  if (!style) {
    const yaml =
      (file.format === 'kubernetes' || file.format === 'cloudformation' || file.format === 'compose' || file.format === 'kustomize') &&
      !isJsonText(file.uri, file.text);
    style = editStyle(file.text, !yaml);
    styles.set(file, style);
  }
  return style;
}

/**
 * Text a fix builder wrote with `\n` line breaks, indentation copied from the file's lines, and a tab for
 * each level of indentation it adds, in the file's style: every line break becomes the file's line ending,
 * and every tab in a line's indentation the file's indentation unit (so a tab-indented file keeps its tabs).
 */
export function inFileStyle(file: ParsedFile, text: string): string {
  const style = editStyleOf(file);
  if (style.eol === '\n' && style.indentUnit === '\t') return text;
  return text.replace(/\r?\n([ \t]*)/g, (_, lead: string) => style.eol + lead.replace(/\t/g, style.indentUnit));
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
 * Apply edits; an edit overlapping an earlier one in the list is dropped (the first fix wins), an edit
 * repeating an earlier one is made once (two fixes that each add `import os` at the top of a file), and
 * insertions at the same offset keep their order.
 */
export function applyEdits(text: string, edits: FileEdit[]): string {
  const accepted: (FileEdit & { i: number })[] = [];
  edits.forEach((e, i) => {
    const repeated = (a: FileEdit) => a.start === e.start && a.end === e.end && a.newText === e.newText;
    if (!accepted.some((a) => (e.start < a.end && a.start < e.end) || repeated(a))) accepted.push({ ...e, i });
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
