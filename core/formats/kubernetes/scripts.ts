import type { ParsedFile, Span } from '../../model';
import { at, get } from '../../nodes';
import { listItems, shellArgvScripts } from '../script-span';
import { containers } from './resources';

/**
 * The shell scripts a container runs. `command` and `args` run without a shell; a script runs when they name one:
 * `command: ["/bin/sh", "-c", "…"]`, or `command: ["sh"]` with `args: ["-c", "…"]`
 * (https://kubernetes.io/docs/tasks/inject-data-application/define-command-argument-container/#running-a-command-in-a-shell).
 * The `exec` command of lifecycle hooks and probes is read the same way.
 */

const HOOKS = ['postStart', 'preStop'];
const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'];

/** Every script the containers of a Kubernetes file run, in file offsets. */
export function containerScripts(file: ParsedFile): Span[] {
  const out: Span[] = [];
  for (const r of file.resources) {
    for (const { container } of containers(r)) {
      shellArgvScripts([...listItems(get(container, 'command')), ...listItems(get(container, 'args'))], file.text, out);
      for (const hook of HOOKS) shellArgvScripts(listItems(at(container, 'lifecycle', hook, 'exec', 'command')), file.text, out);
      for (const probe of PROBES) shellArgvScripts(listItems(at(container, probe, 'exec', 'command')), file.text, out);
    }
  }
  return out.sort((a, b) => a.start - b.start);
}
