import { isPosixShell, type ParsedFile, runSteps, type Span } from '../../../core';

/**
 * Workflow `run:` scripts the format leaves out of `shellScripts`, rebuilt for reading command lines:
 * - folded `run: >` blocks: YAML joins consecutive lines of the same indentation with a space, and that join
 *   decides where a command ends, so each joined line break becomes a space — the same length as the source,
 *   so every word keeps its file offset (line breaks YAML keeps, around blank or more-indented lines, stay);
 * - plain and single-quoted scalars over several lines (`run: pip install` and the next line `-r requirements.txt`):
 *   YAML folds every line break between two lines with text into a space, whatever the indentation
 *   (https://yaml.org/spec/1.2.2/#73-flow-scalar-styles); double-quoted ones, whose escapes change the text, are left out;
 * - `pwsh`, `powershell` and `cmd` steps: not POSIX shell, but a command line such as `pip install x` is written
 *   the same way there (their own syntax — `$env:X`, backticks — makes words that are not judged).
 * Steps whose `shell` is a language (`python`) or a custom command are not command lines. The steps and their shells
 * are the workflow format's (`runSteps`), as for `shellScripts`.
 */
export interface RunScript {
  /** The script as a shell sees it, offset for offset with `span` in the file. */
  text: string;
  span: Span;
}

const WINDOWS_SHELL = /^(?:pwsh|powershell|cmd)(?:\s|$)/;

export function runScriptsLeftOut(file: ParsedFile): RunScript[] {
  const out: RunScript[] = [];
  for (const { run, shell } of runSteps(file.roots)) {
    if (run.kind !== 'scalar' || typeof run.value !== 'string' || !run.contentSpan) continue;
    const posix = isPosixShell(shell);
    if (!posix && !WINDOWS_SHELL.test((shell ?? '').trim())) continue;
    const source = file.text.slice(run.contentSpan.start, run.contentSpan.end);
    // 62 is `>`, 124 is `|`: the block's header starts the node.
    const header = file.text.charCodeAt(run.span.start);
    if (header === 62) out.push({ text: foldedText(source), span: run.contentSpan });
    else if (header === 124 || source === run.value) {
      if (!posix) out.push({ text: source, span: run.contentSpan });
    } else if (header !== 34 && source.includes('\n') && !source.includes("''")) out.push({ text: flowFoldedText(source), span: run.contentSpan });
  }
  return out;
}

/** The source of a multi-line plain or single-quoted scalar with each line break between two lines of text a space. */
function flowFoldedText(source: string): string {
  const lines = source.split('\n');
  let text = lines[0];
  for (let k = 1; k < lines.length; k++) text += (lines[k - 1].trim() !== '' && lines[k].trim() !== '' ? ' ' : '\n') + lines[k];
  return text;
}

/** The source of a folded block with the line breaks YAML folds into spaces replaced by spaces. */
function foldedText(source: string): string {
  const lines = source.split('\n');
  const blank = (line: string) => line.trim() === '';
  // The content may start after the first line's indentation: that line counts as indented like the block.
  const rest = lines.slice(1).filter((l) => !blank(l));
  const base = rest.length > 0 ? Math.min(...rest.map((l) => /^[ \t]*/.exec(l)![0].length)) : 0;
  const indentOf = (line: string, k: number) => (k === 0 ? base : /^[ \t]*/.exec(line)![0].length);
  let text = lines[0];
  for (let k = 1; k < lines.length; k++) {
    const prev = lines[k - 1];
    const line = lines[k];
    const folds = !blank(prev) && !blank(line) && indentOf(prev, k - 1) === base && indentOf(line, k) === base;
    text += (folds ? ' ' : '\n') + line;
  }
  return text;
}
