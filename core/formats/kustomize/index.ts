import type { Node, Resource } from '../../model';
import { parseYamlDocuments } from '../../parsers/yaml';
import type { StructuredDialect } from '../../parsers/yaml-model';
import { dirnameOf } from '../../uri';
import { defineFormat, headOf } from '../format';
import { contextSources } from './layers';
import { operations, patchResources } from './patches';

/** The names `kustomize build` looks for in a folder, in its order. */
export const KUSTOMIZATION_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

const NAMED = /(?:^|\/)(?:kustomization\.ya?ml|Kustomization)$/;
/**
 * A JSON 6902 patch file a kustomization names (`patchesJson6902[].path`, `patches[].path`): a YAML list of
 * operations, the first of which opens the file (`- op: replace`, then its `path: /...`).
 */
const OPERATIONS = /^(?:[ \t]*(?:#[^\n]*)?\r?\n|---[ \t]*\r?\n)*-[ \t]+["']?(?:op|path|from|value)["']?[ \t]*:/;
const OPERATION = /^[ \t]*(?:-[ \t]+)?["']?op["']?[ \t]*:[ \t]*["']?(?:add|remove|replace|move|copy|test)["']?[ \t]*$/m;
const POINTER = /^[ \t]*(?:-[ \t]+)?["']?path["']?[ \t]*:[ \t]*["']?\//m;

function isOperations(text: string): boolean {
  const head = headOf(text);
  return OPERATIONS.test(head) && OPERATION.test(head) && POINTER.test(head);
}
/** A kustomization under another name (`kustomize build` takes none, but other tools and tests do): its API group. */
const API_VERSION = /^["']?apiVersion["']?[ \t]*:[ \t]*["']?kustomize\.config\.k8s\.io\//m;

/**
 * One resource per kustomization document (`kind: 'kustomization'`), its body the document; a JSON 6902
 * patch file's operations as `json6902` patches (see `patches.ts`).
 */
function kustomizations(roots: Node[]): Resource[] {
  const out: Resource[] = [];
  roots.forEach((root, document) => {
    if (root.kind === 'list') out.push(...operations(root, document));
    if (root.kind !== 'map') return;
    const kind = root.entries.find((e) => e.key === 'kind')?.value;
    const type = kind?.kind === 'scalar' && typeof kind.value === 'string' ? kind.value : 'Kustomization';
    out.push({
      kind: 'kustomization',
      type,
      name: '',
      span: root.span,
      nameSpan: kind?.span ?? { start: root.span.start, end: root.span.start },
      body: root,
      document,
    });
  });
  return out;
}

const kustomizeDialect: StructuredDialect = { format: 'kustomize', resources: kustomizations };

/**
 * Kustomize: `kustomization.yaml`, `kustomization.yml` or `Kustomization` (or any YAML of the
 * `kustomize.config.k8s.io` API) — images, generators, Helm charts and patches — and JSON 6902 patch files
 * (YAML lists of operations). Inline patches are read as manifests (see `patches.ts`); the manifests and
 * strategic-merge patch files a kustomization names are `kubernetes` files, reached through the project (see
 * `layers.ts`).
 */
export const kustomize = defineFormat({
  id: 'kustomize',
  extensions: ['yaml', 'yml'],
  fileNames: /^kustomization$/,
  detect: (uri, text) => NAMED.test(uri) || API_VERSION.test(headOf(text)) || isOperations(text),
  grammars: [],
  parse: (uri, text) => {
    const file = parseYamlDocuments(uri, text, kustomizeDialect);
    const patches = patchResources(file, file.problems);
    if (patches.length) file.resources.push(...patches);
    file.problems.sort((a, b) => a.span.start - b.span.start);
    return file;
  },
  // A folder is one layer; its kustomization reaches other folders' files through the whole scan's project.
  projectKey: dirnameOf,
  contextFiles: (file) => contextSources(file),
  editor: { languages: ['yaml'], extensions: ['yaml', 'yml'], filenames: ['Kustomization'] },
});
