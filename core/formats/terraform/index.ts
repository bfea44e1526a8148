import { dirnameOf } from '../../uri';
import { defineFormat } from '../format';
import { parseTerraformFile, type TerraformFile } from './parse';

const EXTENSIONS = ['tf', 'tfvars'];

/** Terraform (`.tf`, `.tfvars`). A module is a folder: its files form one project (`var.x` resolves across them). */
export const terraform = defineFormat({
  id: 'terraform',
  extensions: EXTENSIONS,
  detect: () => true,
  grammars: ['terraform'],
  parse: parseTerraformFile,
  projectKey: dirnameOf,
  release: (file) => (file as Partial<TerraformFile>).tree?.delete(),
  editor: { languages: ['terraform', 'terraform-vars', 'tf', 'hcl'], extensions: EXTENSIONS },
});
