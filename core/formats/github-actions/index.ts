import { parseYamlDocuments } from '../../parsers/yaml';
import { defineFormat, headOf } from '../format';
import { githubActionsDialect, withExpressionsAndScripts } from './workflow';

const EXTENSIONS = ['yml', 'yaml'];
/** A workflow: a YAML file directly in a `.github/workflows` folder (GitHub reads no sub-folder). */
const WORKFLOW_PATH = /(?:^|\/)\.github\/workflows\/[^/]+\.ya?ml$/i;
/**
 * A workflow elsewhere (a template, a test fixture) is one when it names the workflow schema the way the YAML language
 * server reads it: `# yaml-language-server: $schema=https://json.schemastore.org/github-workflow.json`.
 */
const WORKFLOW_SCHEMA = /^#[ \t]*yaml-language-server:[ \t]*\$schema=\S*github-workflow\.json/m;
/** Action metadata (`action.yml`): top-level `runs:` naming how the action runs. */
const RUNS = /^runs[ \t]*:/m;
const USING = /^[ \t]+using[ \t]*:[ \t]*["']?(?:composite|docker|node\d+)\b/m;

function detect(uri: string, text: string): boolean {
  if (WORKFLOW_PATH.test(uri)) return true;
  const head = headOf(text);
  return (RUNS.test(head) && USING.test(head)) || WORKFLOW_SCHEMA.test(head);
}

/**
 * GitHub Actions: workflows (`.github/workflows/*.yml`) by their path or their schema modeline, and the metadata of
 * composite, Docker and JavaScript actions (`action.yml`) by its `runs.using`. Read with the `yaml` parser like the other
 * YAML formats; `${{ ... }}` values are references and the shell of `run:` steps is in `shellScripts`.
 */
export const githubActions = defineFormat({
  id: 'github-actions',
  extensions: EXTENSIONS,
  detect,
  grammars: [],
  parse: (uri, text) => withExpressionsAndScripts(parseYamlDocuments(uri, text, githubActionsDialect)),
  editor: { languages: ['github-actions-workflow', 'yaml'], extensions: EXTENSIONS },
});
