import type { Node, Resource } from '../../model';
import { parseYamlDocuments } from '../../parsers/yaml';
import type { StructuredDialect } from '../../parsers/yaml-model';
import { dirnameOf } from '../../uri';
import { defineFormat, headOf } from '../format';
import { patchResources } from './patches';

/**
 * The names `kustomize build` looks for in a folder, but the extension-less `Kustomization`: files without an
 * extension (dotfiles, Dockerfiles, scripts) are not read as project files, so it is neither scanned nor a base.
 */
export const KUSTOMIZATION_NAMES = ['kustomization.yaml', 'kustomization.yml'];

const NAMED = /(?:^|\/)kustomization\.ya?ml$/;
/** A kustomization under another name (`kustomize build` takes none, but other tools and tests do): its API group. */
const API_VERSION = /^["']?apiVersion["']?[ \t]*:[ \t]*["']?kustomize\.config\.k8s\.io\//m;

/** One resource per kustomization document (`kind: 'kustomization'`), its body the document. */
function kustomizations(roots: Node[]): Resource[] {
  const out: Resource[] = [];
  roots.forEach((root, document) => {
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
 * Kustomize: `kustomization.yaml` (or any YAML of the `kustomize.config.k8s.io` API) — images, generators,
 * Helm charts and patches. Inline patches are read as manifests (see `patches.ts`); the manifests and patch files
 * a kustomization names are `kubernetes` files, reached through the project (see `layers.ts`).
 */
export const kustomize = defineFormat({
  id: 'kustomize',
  extensions: ['yaml', 'yml'],
  detect: (uri, text) => NAMED.test(uri) || API_VERSION.test(headOf(text)),
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
  editor: { languages: ['yaml'], extensions: ['yaml', 'yml'] },
});
