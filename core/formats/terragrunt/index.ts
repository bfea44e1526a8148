import type { ParsedFile } from '../../model';
import { defineFormat, headOf } from '../format';
import { parseTerraformFile, type TerraformFile } from '../terraform/parse';

/**
 * The names Terragrunt gives its own files: a unit's `terragrunt.hcl`, and `root.hcl`, the name its documentation
 * recommends for the configuration every unit includes
 * (https://terragrunt.gruntwork.io/docs/migrate/migrating-from-root-terragrunt-hcl/). Other `.hcl` files a unit reads
 * (`env.hcl`, `account.hcl` through `read_terragrunt_config`) have names of a repository's choosing: they are Terragrunt's
 * when they call its functions, else text.
 */
const FILE_NAMES = /^(?:terragrunt|root)\.hcl$/;

/**
 * A call of one of Terragrunt's own functions (https://terragrunt.gruntwork.io/docs/reference/built-in-functions/),
 * which no other HCL tool defines: a file of another name that calls one is a Terragrunt configuration a unit
 * includes or reads (`_envcommon/mysql.hcl`, `env.hcl`), or one passed with `--config`.
 */
const TERRAGRUNT_CALL =
  /\b(?:find_in_parent_folders|path_relative_to_include|path_relative_from_include|get_terragrunt_dir|get_parent_terragrunt_dir|get_original_terragrunt_dir|read_terragrunt_config|sops_decrypt_file)\s*\(/;

/** A Terragrunt file by its name, or an `.hcl` file that calls Terragrunt's functions (read in the head of a big file). */
function isTerragrunt(uri: string, text: string): boolean {
  const name = uri.slice(uri.lastIndexOf('/') + 1).toLowerCase();
  return FILE_NAMES.test(name) || (name.endsWith('.hcl') && !name.endsWith('.pkr.hcl') && TERRAGRUNT_CALL.test(headOf(text)));
}

/**
 * Terragrunt configuration (https://terragrunt.gruntwork.io/docs/reference/config-blocks-and-attributes/), HCL read by
 * the Terraform format's tree-sitter parser and model: top-level blocks (`terraform`, `locals`, `include`,
 * `dependency`, `generate`, `remote_state`) are resources of that kind, `inputs = { ... }` an attribute of the root
 * map. A `terragrunt.hcl` is not part of the Terraform module of its folder (Terraform never reads it): each file is
 * analysed alone, and no Terraform rule reads it unless it claims this format.
 */
export const terragrunt = defineFormat({
  id: 'terragrunt',
  extensions: ['hcl'],
  detect: isTerragrunt,
  expressions: 'terraform',
  grammars: ['terraform'],
  parse: (uri: string, text: string): ParsedFile => {
    const file = parseTerraformFile(uri, text);
    file.format = 'terragrunt';
    return file;
  },
  release: (file) => (file as Partial<TerraformFile>).tree?.delete(),
  // The HashiCorp HCL extension's language id for `.hcl` files (https://github.com/hashicorp/vscode-hcl/blob/main/package.json).
  editor: { languages: ['hcl'], extensions: [], filenames: ['terragrunt.hcl', 'root.hcl'] },
});
