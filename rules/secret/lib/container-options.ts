import { get, type Node, type ParsedFile, verbatimScriptSpan } from '../../../core';
import { shellCommands, type Word } from '../../lib/shell';
import { commandSites } from './command-sites';
import type { Collector } from './sites';

/**
 * The `options` of a workflow job's container and of its service containers: `docker create` options
 * (https://docs.github.com/en/actions/writing-workflows/workflow-syntax-for-github-actions#jobsjob_idcontaineroptions),
 * read as the command line they join, so `--env DB_PASSWORD=…` is a credential handed to the container.
 */
export function containerOptionSites(file: ParsedFile, out: Collector): void {
  for (const r of file.resources) {
    const services = get(r.body, 'services');
    const containers: (Node | undefined)[] = [get(r.body, 'container'), ...(services?.kind === 'map' ? services.entries.map((e) => e.value) : [])];
    for (const c of containers) {
      const options = get(c, 'options');
      const span = options && verbatimScriptSpan(options, file.text);
      if (!span) continue;
      const at = (value: string): Word => ({ value, start: span.start, end: span.start, dynamic: false });
      const words = shellCommands(file.text.slice(span.start, span.end))
        .flat()
        .map((w) => ({ ...w, start: w.start + span.start, end: w.end + span.start }));
      commandSites(file.text, [at('docker'), at('create'), ...words], out);
    }
  }
}
