import { COMMIT_SLOT, type Fix, type HubPin, type RuleContext, sharedResult, type TextEdit } from '../../../core';
import { HF_COMMIT, HUB_HINT, localOutputs, type LocalOutputs, pythonEnvLoads, pythonHubLoads, type HubLoad } from './hf';
import { scriptHubLoads, scriptPythonLoads, shellHubLoads } from './hf-cli';
import { chartValuesHubLoads } from './hf-chart-values';
import { deploymentHubLoads } from './hf-deploy';

/** What the Hugging Face rules share: every Hub load of a file, and what pins one. */

/** Every Hub load of the file: Python calls and shell lines of notebooks and Python files, containers elsewhere. */
export function hubLoadsOf(ctx: RuleContext): Promise<HubLoad[]> {
  // Both Hub rules read the same loads: found once per file (and module call).
  return sharedResult('hub-loads', ctx, () => findHubLoads(ctx));
}

async function findHubLoads(ctx: RuleContext): Promise<HubLoad[]> {
  const { file } = ctx;
  // `huggingface-cli download` and `python -c` programs in the shell scripts a file declares (Dockerfile `RUN`
  // instructions, workflow steps).
  const out: HubLoad[] = [...scriptHubLoads(file), ...(await scriptPythonLoads(file))];
  if (file.format !== 'notebook' && file.format !== 'python') return [...out, ...deploymentHubLoads(ctx), ...chartValuesHubLoads(file)];
  // A Python file is read like a notebook's one code cell.
  const cells = file.cells ?? [];
  let local: LocalOutputs | undefined;
  for (const cell of cells) {
    // `cellPython` parses the cell: only cells that name a loader are worth it.
    if (cell.kind !== 'code' || !HUB_HINT.test(cell.source)) continue;
    local ??= localOutputs(cells);
    out.push(...pythonHubLoads(cell, cells, local), ...shellHubLoads(cell));
    if (cell.source.includes('MODEL_ID')) out.push(...pythonEnvLoads(cell, cells));
  }
  return out;
}

/** Whether the load names a full commit: branches, tags and short shas can all be moved. */
export function isPinned(load: HubLoad): boolean {
  return !!load.revision?.value && HF_COMMIT.test(load.revision.value);
}

/**
 * The suggestion that writes a commit placeholder where the revision goes, and the same edit as a `HubPin`
 * (a front end that reads the Hugging Face cache fills in a cached commit). Nothing where the revision cannot
 * be written (it comes from a variable, or the load's syntax has no place for it).
 */
export function pinFixes(load: HubLoad): { fixes: Fix<'pin-commit'>[]; hubPin?: HubPin } {
  const edit = pinEdit(load);
  if (!edit) return { fixes: [] };
  const fixes: Fix<'pin-commit'>[] = [{ title: 'Pin to a commit sha', kind: 'pin-commit', safety: 'suggestion', snippet: true, edits: [edit] }];
  // The ref a load without a revision resolves is the repository's default branch, `main` on the Hub.
  return load.repoType ? { fixes, hubPin: { repoType: load.repoType, repo: load.repo, ref: load.revision?.value ?? 'main', edits: [edit] } } : { fixes };
}

/** The edit that writes a commit (`COMMIT_SLOT`) over the revision or where it goes. */
function pinEdit(load: HubLoad): TextEdit | undefined {
  if (load.revision) return load.revision.literal ? { span: load.revision.span, newText: COMMIT_SLOT } : undefined;
  if (!load.insertAt) return undefined;
  if (load.inlineSeparator) return { span: load.insertAt, newText: `${load.inlineSeparator}${COMMIT_SLOT}` };
  const prefix = load.insertPrefix ?? '';
  return { span: load.insertAt, newText: `${prefix}${COMMIT_SLOT}${load.insertSuffix ?? (prefix.endsWith('"') ? '"' : '')}` };
}

/** What a load says in messages: `AutoModel.from_pretrained of "org/model"`. */
export function subjectOf(load: HubLoad): string {
  return load.subject ?? `${load.loader} of "${load.repo}"`;
}
