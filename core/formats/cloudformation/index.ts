import { parseJsonDocument } from '../../parsers/json';
import { defineFormat, headOf, isJsonText } from '../format';
import { parseCloudFormationYaml } from './incremental';
import { cloudFormationDialect } from './resources';

const EXTENSIONS = ['yaml', 'yml', 'json', 'template'];
const MARKER = /^\s*["']?AWSTemplateFormatVersion["']?\s*:|["']?Type["']?\s*:\s*["']?AWS::[A-Za-z0-9]+::/m;

/** CloudFormation templates, YAML or JSON: a template names its version or an `AWS::` resource type. */
export const cloudformation = defineFormat({
  id: 'cloudformation',
  extensions: EXTENSIONS,
  detect: (_uri, text) => MARKER.test(headOf(text)),
  grammars: [],
  parse: (uri, text) => (isJsonText(uri, text) ? parseJsonDocument(uri, text, cloudFormationDialect) : parseCloudFormationYaml(uri, text)),
  editor: { languages: ['yaml', 'json', 'jsonc', 'cloudformation', 'cloudformation-json'], extensions: EXTENSIONS },
});
