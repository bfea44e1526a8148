import { parseJsonDocument } from '../../parsers/json';
import { defineFormat, headOf, isJsonText } from '../format';
import { parseCloudFormationYaml } from './incremental';
import { cloudFormationDialect } from './resources';
import { isServerlessText } from './serverless';

const EXTENSIONS = ['yaml', 'yml', 'json', 'template'];
const MARKER = /^\s*["']?AWSTemplateFormatVersion["']?\s*:|["']?Type["']?\s*:\s*["']?AWS::[A-Za-z0-9]+::/m;

/**
 * CloudFormation templates, YAML or JSON: a template names its version or an `AWS::` resource type. Serverless
 * Framework services on AWS are templates too (their `resources` section, see serverless.ts).
 */
export const cloudformation = defineFormat({
  id: 'cloudformation',
  extensions: EXTENSIONS,
  detect: (_uri, text) => {
    const head = headOf(text);
    return MARKER.test(head) || isServerlessText(head);
  },
  grammars: [],
  parse: (uri, text) => (isJsonText(uri, text) ? parseJsonDocument(uri, text, cloudFormationDialect) : parseCloudFormationYaml(uri, text)),
  editor: { languages: ['yaml', 'json', 'jsonc', 'cloudformation', 'cloudformation-json'], extensions: EXTENSIONS },
});
