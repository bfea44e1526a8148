import type { Node, Span } from '../model';

/**
 * The span of a YAML string value whose source is its script offset for offset (a shell reads it as written), or
 * undefined: a `|` block (each line is the script's line after its indentation, which a shell ignores), or a quoted or
 * plain scalar written without escapes on one line. A folded `>` block joins lines, and escapes change the text.
 */
export function verbatimScriptSpan(node: Node, source: string): Span | undefined {
  if (node.kind !== 'scalar' || typeof node.value !== 'string' || !node.contentSpan) return undefined;
  const first = source.charCodeAt(node.span.start);
  if (first === 124) return node.contentSpan;
  if (first === 62) return undefined;
  return source.slice(node.contentSpan.start, node.contentSpan.end) === node.value ? node.contentSpan : undefined;
}

const SHELL = /^(?:\S*\/)?(?:ba|da|a|z|k)?sh$/;
const SCRIPT_FLAG = /^-[a-z]*c$/;

/** Whether a program name is a POSIX shell (`sh`, `/bin/bash`, `zsh`, …). */
export function isShell(word: string): boolean {
  return SHELL.test(word);
}

/**
 * The scripts of an argument vector run without a shell (a container's command and arguments): the item after `-c`
 * (`-ec`, `-lc`…) once an earlier item names a shell, `["/bin/sh", "-c", "…"]`. `spanOf` says where an item's
 * script is written, offset for offset (YAML's rules by default), or that it is not.
 */
export function shellArgvScripts(
  argv: Node[],
  source: string,
  out: Span[],
  spanOf: (node: Node, source: string) => Span | undefined = verbatimScriptSpan,
): void {
  let shell = false;
  for (let k = 0; k < argv.length; k++) {
    const item = argv[k];
    const word = item.kind === 'scalar' && typeof item.value === 'string' ? item.value : undefined;
    if (word === undefined) continue;
    if (SHELL.test(word)) shell = true;
    else if (shell && SCRIPT_FLAG.test(word) && k + 1 < argv.length) {
      const span = spanOf(argv[k + 1], source);
      if (span) out.push(span);
      k++;
    }
  }
}

/** The items of a list node (none for anything else). */
export function listItems(node: Node | undefined): Node[] {
  return node?.kind === 'list' ? node.items : [];
}
