import type { ParsedFile, Span } from '../../model';
import { get } from '../../nodes';
import { listItems, shellArgvScripts, verbatimScriptSpan } from '../script-span';

/**
 * The shell scripts a Compose service runs (https://docs.docker.com/reference/compose-file/services/):
 * - `entrypoint` and `command` written as lists run without a shell; a script runs when they name one
 *   (`entrypoint: ["/bin/sh", "-c"]` with the script in `command`);
 * - `healthcheck.test`: `["CMD-SHELL", "…"]`, or a string, runs in the container's default shell.
 * Values holding interpolation are references, not scripts.
 */
export function serviceScripts(file: ParsedFile): Span[] {
  const out: Span[] = [];
  for (const service of file.resources) {
    if (service.kind !== 'service') continue;
    shellArgvScripts([...listItems(get(service.body, 'entrypoint')), ...listItems(get(service.body, 'command'))], file.text, out);
    const test = get(get(service.body, 'healthcheck'), 'test');
    const items = listItems(test);
    const script = items.length === 2 && items[0].kind === 'scalar' && items[0].value === 'CMD-SHELL' ? items[1] : test?.kind === 'scalar' ? test : undefined;
    const span = script && verbatimScriptSpan(script, file.text);
    if (span) out.push(span);
  }
  return out.sort((a, b) => a.start - b.start);
}
