import { parseJsonDocument } from '../../parsers/json';
import { parseYamlDocuments } from '../../parsers/yaml';
import { dirnameOf } from '../../uri';
import { defineFormat, headOf, isJsonText } from '../format';
import { kubernetesDialect } from './resources';

const EXTENSIONS = ['yaml', 'yml', 'json', 'template'];
const API_VERSION = /^\s*["']?apiVersion["']?\s*:/m;
const KIND = /^\s*["']?kind["']?\s*:/m;

/**
 * Kubernetes manifests, YAML or JSON: objects with `apiVersion` and `kind`. The manifests of a folder form a
 * project, so a Service in one file is matched with the Deployment it exposes in another.
 */
export const kubernetes = defineFormat({
  id: 'kubernetes',
  extensions: EXTENSIONS,
  detect: (_uri, text) => {
    const head = headOf(text);
    return API_VERSION.test(head) && KIND.test(head);
  },
  grammars: [],
  parse: (uri, text) => (isJsonText(uri, text) ? parseJsonDocument(uri, text, kubernetesDialect) : parseYamlDocuments(uri, text, kubernetesDialect)),
  projectKey: dirnameOf,
  editor: { languages: ['yaml', 'json', 'jsonc'], extensions: EXTENSIONS },
});
