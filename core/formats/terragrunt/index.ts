import type { ParsedFile } from '../../model';
import { defineFormat, headOf } from '../format';
import { parseTerraformFile, type TerraformFile } from '../terraform/parse';
import { parseHclJson } from '../terraform-json/parse';

/**
 * The names Terragrunt gives its own files: a unit's `terragrunt.hcl`, `root.hcl`, the name its documentation
 * recommends for the configuration every unit includes
 * (https://terragrunt.gruntwork.io/docs/migrate/migrating-from-root-terragrunt-hcl/), an explicit stack's
 * `terragrunt.stack.hcl` and the `terragrunt.values.hcl` a stack writes beside each unit it generates
 * (https://terragrunt.gruntwork.io/docs/features/stacks). Other `.hcl` files a unit reads
 * (`env.hcl`, `account.hcl` through `read_terragrunt_config`) have names of a repository's choosing: they are Terragrunt's
 * when they call its functions, else text.
 */
const FILE_NAMES = /^(?:terragrunt(?:\.stack|\.values)?|root)\.hcl$/;

/**
 * A call of one of Terragrunt's own functions (https://terragrunt.gruntwork.io/docs/reference/built-in-functions/),
 * which no other HCL tool defines: a file of another name that calls one is a Terragrunt configuration a unit
 * includes or reads (`_envcommon/mysql.hcl`, `env.hcl`), or one passed with `--config`.
 */
const TERRAGRUNT_CALL =
  /\b(?:find_in_parent_folders|path_relative_to_include|path_relative_from_include|get_terragrunt_dir|get_parent_terragrunt_dir|get_original_terragrunt_dir|read_terragrunt_config|sops_decrypt_file|get_repo_root|get_path_from_repo_root|get_path_to_repo_root|get_terraform_commands_that_need_vars|get_terraform_commands_that_need_input|get_terraform_commands_that_need_locking|get_terraform_commands_that_need_parallelism|get_aws_account_id|get_aws_account_alias|get_aws_caller_identity_arn|get_aws_caller_identity_user_id|get_terraform_command|get_terraform_cli_args|get_default_retryable_errors|mark_as_read|read_tfvars_file)\s*\(/;

/**
 * The same files in HCL's JSON syntax, which Terragrunt reads in their place (`terragrunt.hcl.json`,
 * https://terragrunt.gruntwork.io/docs/reference/hcl).
 */
const JSON_FILE_NAMES = /^(?:terragrunt(?:\.stack|\.values)?|root)\.hcl\.json$/;
/** Every file in HCL's JSON syntax is tried: one of another name is Terragrunt's when it calls its functions. */
const HCL_JSON = /\.hcl\.json$/;

/**
 * A Terragrunt file by its name, or an `.hcl` (`.hcl.json`) file that calls Terragrunt's functions (read in the head
 * of a big file).
 */
function isTerragrunt(uri: string, text: string): boolean {
  const name = uri.slice(uri.lastIndexOf('/') + 1).toLowerCase();
  if (FILE_NAMES.test(name) || JSON_FILE_NAMES.test(name)) return true;
  const hcl = (name.endsWith('.hcl') && !name.endsWith('.pkr.hcl')) || HCL_JSON.test(name);
  return hcl && TERRAGRUNT_CALL.test(headOf(text));
}

/**
 * Terragrunt's blocks and their label levels in the JSON syntax
 * (https://terragrunt.gruntwork.io/docs/reference/config-blocks-and-attributes/); every other top-level key (`inputs`,
 * `download_dir`, `prevent_destroy`...) is an attribute.
 */
const JSON_BLOCKS: Readonly<Record<string, number>> = {
  terraform: 0,
  remote_state: 0,
  locals: 0,
  dependencies: 0,
  exclude: 0,
  errors: 0,
  engine: 0,
  catalog: 0,
  include: 1,
  dependency: 1,
  generate: 1,
  feature: 1,
  unit: 1,
  stack: 1,
};
const JSON_SYNTAX = { labels: JSON_BLOCKS, literalBlocks: new Set<string>(), attribute: (key: string) => !Object.hasOwn(JSON_BLOCKS, key) };

/**
 * Terragrunt configuration (https://terragrunt.gruntwork.io/docs/reference/config-blocks-and-attributes/), HCL read by
 * the Terraform format's tree-sitter parser and model: top-level blocks (`terraform`, `locals`, `include`,
 * `dependency`, `generate`, `remote_state`, a stack's `unit` and `stack`) are resources of that kind,
 * `inputs = { ... }` an attribute of the root map. A `terragrunt.hcl` is not part of the Terraform module of its folder (Terraform never reads it): each file is
 * analysed alone, and no Terraform rule reads it unless it claims this format.
 */
export const terragrunt = defineFormat({
  id: 'terragrunt',
  extensions: ['hcl'],
  fileNames: HCL_JSON,
  detect: isTerragrunt,
  expressions: 'terraform',
  grammars: ['terraform'],
  parse: (uri: string, text: string): ParsedFile => {
    const file = uri.toLowerCase().endsWith('.json') ? parseHclJson(uri, text, JSON_SYNTAX) : parseTerraformFile(uri, text);
    file.format = 'terragrunt';
    return file;
  },
  release: (file) => (file as Partial<TerraformFile>).tree?.delete(),
  // The HashiCorp HCL extension's language id for `.hcl` files (https://github.com/hashicorp/vscode-hcl/blob/main/package.json).
  editor: { languages: ['hcl'], extensions: [], filenames: ['terragrunt.hcl', 'root.hcl', 'terragrunt.stack.hcl', 'terragrunt.values.hcl'] },
});
