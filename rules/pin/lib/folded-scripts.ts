import { get, type Node, type ParsedFile, type Span } from '../../../core';

/**
 * Workflow `run: >` scripts. The format leaves folded blocks out of `shellScripts` because their value is not
 * their source: YAML joins consecutive lines of the same indentation with a space. That join is what decides
 * where a shell command ends, so the script is rebuilt here with each joined line break turned into a space —
 * the same length as the source, so every word keeps its file offset. Line breaks YAML keeps (around blank or
 * more-indented lines) stay line breaks.
 */
export interface FoldedScript {
  /** The script as the shell sees it, offset for offset with `span` in the file. */
  text: string;
  span: Span;
}

export function foldedRunScripts(file: ParsedFile): FoldedScript[] {
  const out: FoldedScript[] = [];
  const steps = (list: Node | undefined) => {
    if (list?.kind !== 'list') return;
    for (const step of list.items) {
      const run = get(step, 'run');
      if (run?.kind !== 'scalar' || typeof run.value !== 'string' || !run.contentSpan) continue;
      // 62 is `>`: the block's header starts the node.
      if (file.text.charCodeAt(run.span.start) !== 62) continue;
      out.push({ text: foldedText(file.text.slice(run.contentSpan.start, run.contentSpan.end)), span: run.contentSpan });
    }
  };
  for (const root of file.roots) {
    const jobs = get(root, 'jobs');
    for (const job of jobs?.kind === 'map' ? jobs.entries : []) steps(get(job.value, 'steps'));
  }
  return out;
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
