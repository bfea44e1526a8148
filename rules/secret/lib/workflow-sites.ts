import { contentSpan, get, isMap, type MapNode, type Node, type ParsedFile, verbatimScriptSpan } from '../../../core';
import { shellCommands, type Word } from '../../lib/shell';
import { commandSites } from './command-sites';
import { isSecretKey } from './keys';
import type { Collector } from './sites';
import { isStringScalar } from './structured-sites';

/** The sites only GitHub Actions files have: container options and the defaults of declared inputs. */
export function workflowSites(file: ParsedFile, out: Collector): void {
  containerOptionSites(file, out);
  inputDefaultSites(file, out);
}

/**
 * The `options` of a workflow job's container and of its service containers: `docker create` options
 * (https://docs.github.com/en/actions/writing-workflows/workflow-syntax-for-github-actions#jobsjob_idcontaineroptions),
 * read as the command line they join, so `--env DB_PASSWORD=…` is a credential handed to the container.
 */
function containerOptionSites(file: ParsedFile, out: Collector): void {
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

/**
 * The inputs a GitHub Actions file declares: an action's `inputs`
 * (https://docs.github.com/en/actions/reference/workflows-and-actions/metadata-syntax#inputsinput_iddefault) and a
 * workflow's `on.workflow_dispatch.inputs` and `on.workflow_call.inputs`
 * (https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-syntax#onworkflow_dispatchinputs).
 */
function declaredInputs(root: Node): MapNode[] {
  const on = get(root, 'on');
  return [get(root, 'inputs'), get(get(on, 'workflow_dispatch'), 'inputs'), get(get(on, 'workflow_call'), 'inputs')].filter(isMap);
}

/**
 * The literal `default` of an input named as a secret (`password`, `api-key`): every run that does not pass the input
 * uses it, and the file that holds it is in every clone. `${{ github.token }}` and other expressions are references.
 */
function inputDefaultSites(file: ParsedFile, out: Collector): void {
  for (const root of file.roots) {
    for (const inputs of declaredInputs(root)) {
      for (const input of inputs.entries) {
        if (!isMap(input.value) || !isSecretKey(input.key)) continue;
        const entry = input.value.entries.find((e) => e.key === 'default');
        if (!entry || !isStringScalar(entry.value)) continue;
        out.add({ kind: 'default', key: input.key, value: entry.value.value, span: contentSpan(entry.value), node: entry.value, entry });
      }
    }
  }
}
