import { dirnameOf } from '../../uri';
import { defineFormat } from '../format';
import { parseTerraformJson } from './parse';

const SUFFIXES = ['.tf.json', '.tofu.json', '.tfvars.json'];

/**
 * Terraform's JSON syntax (`.tf.json`, OpenTofu's `.tofu.json`, `.tfvars.json`), read into the Terraform model: every Terraform rule
 * reads it as it reads a `.tf` file, and the files of a folder, `.tf` and `.tf.json` alike, form one module.
 * The HCL grammar reads the `${…}` templates of its strings.
 */
export const terraformJson = defineFormat({
  id: 'terraform-json',
  extensions: ['json'],
  nameSuffixes: SUFFIXES,
  family: 'terraform',
  detect: (uri) => {
    const lower = uri.toLowerCase();
    return SUFFIXES.some((s) => lower.endsWith(s));
  },
  grammars: ['terraform'],
  parse: parseTerraformJson,
  projectKey: dirnameOf,
  editor: { languages: ['terraform-json'], extensions: ['json'] },
});
