import { parseJsonDocument } from '../../parsers/json';
import { parseYamlDocuments } from '../../parsers/yaml';
import { dirnameOf } from '../../uri';
import { defineFormat, headOf, isJsonText } from '../format';
import { kubernetesDialect } from './resources';
import { containerScripts } from './scripts';

const EXTENSIONS = ['yaml', 'yml', 'json', 'template'];
const API_VERSION = /^\s*["']?apiVersion["']?\s*:/m;
const KIND = /^\s*["']?kind["']?\s*:/m;
/** In JSON the keys may share a line with others: `{"apiVersion": "v1", "kind": "Pod", ...}` written on one line. */
const JSON_API_VERSION = /[{,]\s*"apiVersion"\s*:/;
const JSON_KIND = /[{,]\s*"kind"\s*:/;

/**
 * Kubernetes manifests, YAML or JSON: objects with `apiVersion` and `kind`. The manifests of a folder form a
 * project, so a Service in one file is matched with the Deployment it exposes in another. The scripts containers run
 * through a shell (`["sh", "-c", "…"]`) are `shellScripts`.
 */
export const kubernetes = defineFormat({
  id: 'kubernetes',
  extensions: EXTENSIONS,
  detect: (uri, text) => {
    const head = headOf(text);
    if (API_VERSION.test(head) && KIND.test(head)) return true;
    return isJsonText(uri, text) && JSON_API_VERSION.test(head) && JSON_KIND.test(head);
  },
  grammars: [],
  parse: (uri, text) => {
    const file = isJsonText(uri, text) ? parseJsonDocument(uri, text, kubernetesDialect) : parseYamlDocuments(uri, text, kubernetesDialect);
    file.shellScripts = containerScripts(file);
    return file;
  },
  projectKey: dirnameOf,
  editor: { languages: ['yaml', 'json', 'jsonc'], extensions: EXTENSIONS },
});
