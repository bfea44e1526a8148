import { defineRule } from '../../../core/rule';
import type { Node, PyCall } from '../../../core/model';
import { contentSpan, isScalar } from '../../../core/nodes';
import { calleeName, kwarg, resolveString } from '../../lib/python';

const COMMIT = /^[0-9a-f]{40}$/;

/** Where each Hugging Face loader takes the repository id: keyword name and positional index. */
const LOADERS: Record<string, { kw: string; pos: number }> = {
  from_pretrained: { kw: 'pretrained_model_name_or_path', pos: 0 },
  hf_hub_download: { kw: 'repo_id', pos: 0 },
  snapshot_download: { kw: 'repo_id', pos: 0 },
  load_dataset: { kw: 'path', pos: 0 },
  pipeline: { kw: 'model', pos: 1 },
};

/** A local path or a file on disk, not a Hub repository. */
function isLocal(id: string): boolean {
  return /^(\.{1,2}\/|\/|~|[A-Za-z]:\\)/.test(id) || /\.(json|csv|txt|parquet|jsonl|bin|safetensors|pt)$/i.test(id);
}

/** Datasets builders that read local files rather than a Hub repository. */
const LOCAL_DATASET_BUILDERS = new Set(['csv', 'json', 'parquet', 'text', 'imagefolder', 'audiofolder', 'arrow', 'pandas', 'webdataset', 'sql']);

function repoArg(call: PyCall, name: string): Node | undefined {
  const where = LOADERS[name];
  return kwarg(call, where.kw) ?? call.args[where.pos];
}

/** `, ` before an inserted keyword argument, or just a space after a trailing comma. */
function separator(source: string, call: PyCall): string {
  return source.slice(call.span.start, call.insertAt.start).trimEnd().endsWith(',') ? ' ' : ', ';
}

export default defineRule({
  id: 'pin/hf-unpinned-revision',
  family: 'pin',
  severity: 'warning',
  formats: ['notebook'],
  docs: {
    summary: 'Hugging Face model or dataset loaded without a pinned commit `revision`.',
    why: 'Without a revision, every run downloads whatever the repository\'s main branch holds today. A model owner (or whoever takes over their account) can replace weights, tokenizer or custom code — and `trust_remote_code` executes that code. Results stop being reproducible and the supply chain is open.',
    fix: 'Pass `revision="<40-character commit sha>"` (find it on the repository\'s "Files and versions" history). Branch and tag names are mutable and do not count.',
    fixSafety: 'Suggestion: inserts `revision="<commit sha>"` with a placeholder. Airlock never guesses a commit.',
    examples: {
      format: 'notebook',
      bad: 'model = AutoModel.from_pretrained("bert-base-uncased")',
      good: 'model = AutoModel.from_pretrained("bert-base-uncased", revision="86b5e0934494bd15c9632b12f734a8a67f723594")',
    },
  },
  check({ file, report }) {
    const cells = file.cells ?? [];
    for (const cell of cells) {
      for (const call of cell.python?.calls ?? []) {
        const name = calleeName(call);
        if (!(name in LOADERS)) continue;
        const repoNode = repoArg(call, name);
        if (!repoNode) continue;
        const at = { cell: cell.index, offset: call.span.start };
        const repo = resolveString(repoNode, cells, at);
        if (repo === undefined || isLocal(repo)) continue;
        if (name === 'load_dataset' && LOCAL_DATASET_BUILDERS.has(repo)) continue;
        const revNode = kwarg(call, 'revision');
        const revision = resolveString(revNode, cells, at);
        if (revision !== undefined && COMMIT.test(revision)) continue;
        const span = contentSpan(repoNode);
        if (revNode) {
          const why = revision === undefined ? 'cannot be resolved to a commit' : `"${revision}" is not a 40-character commit sha`;
          report({
            span: contentSpan(revNode),
            message: `${name} of "${repo}": revision ${why}; branches and tags can change`,
            fixes: isScalar(revNode)
              ? [{ title: 'Pin to a commit sha', safety: 'suggestion', snippet: true, edits: [{ span: contentSpan(revNode), newText: '${1:commit-sha}' }] }]
              : [],
          });
        } else {
          report({
            span,
            message: `${name} of "${repo}" has no revision: it loads whatever the main branch holds at run time`,
            fixes: [{ title: 'Pin to a commit sha', safety: 'suggestion', snippet: true, edits: [{ span: call.insertAt, newText: `${separator(cell.source, call)}revision="\${1:commit-sha}"` }] }],
          });
        }
      }
    }
  },
});
