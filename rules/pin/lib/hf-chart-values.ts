import { COMMIT_SLOT, contentSpan, get, helmRole, isMap, isScalar, type MapNode, type ParsedFile, str, visit } from '../../../core';
import { isRepoId, type HubLoad } from './hf';
import { lineAfter } from './version-argument';

/**
 * Models a Helm values file hands to a model server chart, which downloads them from the Hub when its pods start:
 * the vLLM production stack's `modelSpec` entries, `modelURL: org/model` pinned by `modelRevision: <commit>`
 * (https://docs.vllm.ai/projects/production-stack). An empty `modelRevision` is the default branch, as if unset.
 */
export function chartValuesHubLoads(file: ParsedFile): HubLoad[] {
  const out: HubLoad[] = [];
  const root = file.roots[0];
  if (file.format !== 'helm' || helmRole(file) !== 'values' || !root) return out;
  visit(root, (node) => {
    if (isMap(node)) {
      const load = modelSpecLoad(file, node);
      if (load) out.push(load);
    }
  });
  return out;
}

function modelSpecLoad(file: ParsedFile, spec: MapNode): HubLoad | undefined {
  const url = get(spec, 'modelURL');
  const repo = str(url);
  if (!isScalar(url) || repo === undefined || !isRepoId(repo)) return undefined;
  const load: HubLoad = { loader: 'modelURL', repo, repoSpan: contentSpan(url), subject: `modelURL "${repo}"`, repoType: 'model' };
  const revisionNode = get(spec, 'modelRevision');
  const revision = str(revisionNode);
  if (isScalar(revisionNode) && revision) {
    load.revision = { value: revision, span: contentSpan(revisionNode), literal: true };
  } else if (isScalar(revisionNode) && revision === '') {
    load.insertAt = contentSpan(revisionNode);
  } else if (isScalar(revisionNode) && revisionNode.value === null) {
    // `modelRevision:` with nothing after it: unset, and no quotes to write the commit between.
  } else if (revisionNode === undefined) {
    const entry = spec.entries.find((e) => e.key === 'modelURL');
    const at = entry && lineAfter(file, entry.keySpan.start, url.span.end, `modelRevision: "${COMMIT_SLOT}"`);
    if (at) {
      load.insertAt = { start: at.at, end: at.at };
      load.insertPrefix = at.newText.slice(0, at.newText.indexOf(COMMIT_SLOT));
      load.insertSuffix = at.newText.slice(at.newText.indexOf(COMMIT_SLOT) + COMMIT_SLOT.length);
    }
  } else load.revision = { value: null, span: revisionNode.span, literal: false };
  return load;
}
