import type { Node, ParsedFile, Span } from '../../model';
import { at, get } from '../../nodes';
import { verbatimScriptSpan } from '../script-span';
import { containers } from './resources';

/**
 * The shell scripts a container runs. `command` and `args` run without a shell; a script runs when they name one:
 * the item after `-c` (`-ec`, `-lc`…) once an earlier item is a shell — `command: ["/bin/sh", "-c", "…"]`, or
 * `command: ["sh"]` with `args: ["-c", "…"]` (https://kubernetes.io/docs/tasks/inject-data-application/define-command-argument-container/#running-a-command-in-a-shell).
 * The `exec` command of lifecycle hooks and probes is read the same way.
 */

const SHELL = /^(?:\S*\/)?(?:ba|da|a|z|k)?sh$/;
const SCRIPT_FLAG = /^-[a-z]*c$/;
const HOOKS = ['postStart', 'preStop'];
const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'];

function items(node: Node | undefined): Node[] {
  return node?.kind === 'list' ? node.items : [];
}

/** The script spans of one argument vector. */
function scriptsOf(argv: Node[], source: string, out: Span[]): void {
  let shell = false;
  for (let k = 0; k < argv.length; k++) {
    const item = argv[k];
    const word = item.kind === 'scalar' && typeof item.value === 'string' ? item.value : undefined;
    if (word === undefined) continue;
    if (SHELL.test(word)) shell = true;
    else if (shell && SCRIPT_FLAG.test(word) && k + 1 < argv.length) {
      const span = verbatimScriptSpan(argv[k + 1], source);
      if (span) out.push(span);
      k++;
    }
  }
}

/** Every script the containers of a Kubernetes file run, in file offsets. */
export function containerScripts(file: ParsedFile): Span[] {
  const out: Span[] = [];
  for (const r of file.resources) {
    for (const { container } of containers(r)) {
      scriptsOf([...items(get(container, 'command')), ...items(get(container, 'args'))], file.text, out);
      for (const hook of HOOKS) scriptsOf(items(at(container, 'lifecycle', hook, 'exec', 'command')), file.text, out);
      for (const probe of PROBES) scriptsOf(items(at(container, probe, 'exec', 'command')), file.text, out);
    }
  }
  return out.sort((a, b) => a.start - b.start);
}
