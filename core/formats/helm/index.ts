import type { MapNode, ParsedFile, Resource } from '../../model';
import { parseYamlDocuments } from '../../parsers/yaml';
import { basenameOf, dirnameOf } from '../../uri';
import { defineFormat, headOf } from '../format';
import { parseHelmTemplate } from './template';
import { resolveHelmReference } from './values';

/**
 * Helm charts, read without `helm`: `Chart.yaml`, the values files (`values.yaml`, `values-*.yaml`) and the
 * templates (`templates/**` `.yaml`/`.yml`/`.tpl`, or any YAML whose Go-template actions use `.Values`,
 * `.Release`, `.Chart`, `include` or `toYaml`: an open template is recognised before it is saved). A chart folder is one project: the templates see
 * `values.yaml` and `Chart.yaml`.
 *
 * The model: a template's Kubernetes objects (`kind: 'object'` resources, its action-made values as
 * references, see `template.ts`); a values file's root as one `kind: 'values'` resource; `Chart.yaml` as one
 * `kind: 'chart'` resource.
 */

const EXTENSIONS = ['yaml', 'yml', 'tpl'];
const CHART_FILE = /^Chart\.ya?ml$/;
/** `values.yaml`, `values-prod.yaml`, `values.dev.yml`, `prod-values.yaml`. */
const VALUES_FILE = /^(?:values(?:[-_.][\w.-]*)?|[\w.-]*[-_.]values)\.ya?ml$/;
/** A Go-template action of Helm: what it reads (`.Values`, `$.Release`, `.Chart`) or a Helm/Sprig function. */
const HELM_ACTION = /\{\{-?\s*(?:\$?\.(?:Values|Release|Chart|Capabilities|Files)\b|(?:include|toYaml)\s|(?:if|with|range)\s+\$?\.Values\b)/;
const GO_ACTION = /\{\{(?:-|\s*(?:[.$]|\/\*|(?:if|range|with|define|template|include|toYaml|printf|default|quote|required)\b))/;
const MANIFEST_KEYS = /^apiVersion\s*:[\s\S]*^kind\s*:|^kind\s*:[\s\S]*^apiVersion\s*:/m;
/** A chart's metadata written under another name (`Chart.yaml` of a test): v1/v2 apiVersion, name, version, no kind. */
const CHART_CONTENT = /^apiVersion\s*:\s*["']?v[12]["']?\s*$/m;

type Role = 'chart' | 'values' | 'template';

function roleOf(uri: string, text: string): Role | undefined {
  const base = basenameOf(uri);
  if (CHART_FILE.test(base)) return 'chart';
  const head = headOf(text);
  if (base.endsWith('.tpl')) return 'template';
  // CloudFormation's `{{resolve:...}}` also sits in folders named templates: a Go action starts with a dot,
  // a variable, a comment, a trim marker or a keyword.
  if (uri.includes('/templates/')) return GO_ACTION.test(head) ? 'template' : undefined;
  // A values file stays one when its strings hold actions: charts render such values with `tpl`
  // (https://helm.sh/docs/howto/charts_tips_and_tricks/#using-the-tpl-function).
  if (VALUES_FILE.test(base) && !MANIFEST_KEYS.test(head)) return 'values';
  if (HELM_ACTION.test(head)) return 'template';
  if (VALUES_FILE.test(base)) return undefined;
  if (CHART_CONTENT.test(head) && /^name\s*:/m.test(head) && /^version\s*:/m.test(head) && !/^kind\s*:/m.test(head)) return 'chart';
  return undefined;
}

/** The chart folder: the folder above `templates/`, else the file's folder. */
function chartFolder(uri: string): string {
  const i = uri.lastIndexOf('/templates/');
  return i >= 0 ? uri.slice(0, i) : dirnameOf(uri);
}

function withRoot(file: ParsedFile, kind: 'chart' | 'values'): ParsedFile {
  const root = file.roots[0];
  if (root?.kind !== 'map') return file;
  const nameNode = kind === 'chart' ? root.entries.find((e) => e.key === 'name')?.value : undefined;
  const resource: Resource = {
    kind,
    type: kind === 'chart' ? 'Chart' : 'Values',
    name: nameNode?.kind === 'scalar' ? String(nameNode.value ?? '') : '',
    span: root.span,
    nameSpan: nameNode?.span ?? { start: root.span.start, end: root.span.start },
    body: root as MapNode,
  };
  return { ...file, resources: [resource] };
}

export function parseHelm(uri: string, text: string): ParsedFile {
  const role = roleOf(uri, text) ?? 'template';
  if (role === 'template') return parseHelmTemplate(uri, text);
  return withRoot(parseYamlDocuments(uri, text, { format: 'helm' }), role);
}

/** Whether a Helm file is a template (its resources are Kubernetes objects), values or Chart.yaml. */
export function helmRole(file: ParsedFile): Role {
  const kind = file.resources[0]?.kind;
  return kind === 'chart' || kind === 'values' ? kind : 'template';
}

export const helm = defineFormat({
  id: 'helm',
  extensions: EXTENSIONS,
  detect: (uri, text) => roleOf(uri, text) !== undefined,
  grammars: [],
  parse: parseHelm,
  projectKey: chartFolder,
  resolve: (node, file, project) => (node.fn === 'helm' ? resolveHelmReference(node, file, project) : undefined),
  editor: { languages: ['helm'], extensions: ['tpl'] },
});
