import { dirnameOf } from '../../uri';
import { defineFormat } from '../format';
import { parseTerraformFile, type TerraformFile } from './parse';

const EXTENSIONS = ['tf', 'tofu', 'tfvars'];

/**
 * Terraform and OpenTofu (`.tf`, `.tofu`, `.tfvars`). A module is a folder: its files form one project (`var.x`
 * resolves across them). When `x.tf` and `x.tofu` sit side by side, OpenTofu reads only `x.tofu` and Terraform only
 * `x.tf` (https://opentofu.org/docs/language/files/#extension-precedence): both are read, each reports its own findings.
 */
export const terraform = defineFormat({
  id: 'terraform',
  extensions: EXTENSIONS,
  detect: () => true,
  grammars: ['terraform'],
  parse: parseTerraformFile,
  projectKey: dirnameOf,
  release: (file) => (file as Partial<TerraformFile>).tree?.delete(),
  editor: { languages: ['terraform', 'terraform-vars', 'tf', 'hcl', 'opentofu', 'opentofu-vars'], extensions: EXTENSIONS },
});
