import type { Fix } from '../../../core';
import { snake } from '../../lib/fixes';
import type { SecretSite } from './fixes';

/**
 * Terragrunt: the literal becomes `get_env("NAME")`, NAME the key in upper snake case, which Terragrunt reads from its
 * environment when it runs (https://terragrunt.gruntwork.io/docs/reference/built-in-functions/#get_env). Unsafe: every
 * run must then set the variable.
 */
export function terragruntEnvFix(site: SecretSite): Fix<'read-from-environment'> | undefined {
  const name = snake(site.name ?? site.entry?.key ?? '').toUpperCase();
  if (!name || !site.entry) return undefined;
  // In the JSON syntax an expression is a template in a string (https://github.com/hashicorp/hcl/blob/main/json/spec.md).
  const json = site.file.uri.toLowerCase().endsWith('.json');
  return {
    title: `Read the value from the environment variable ${name} (get_env)`,
    kind: 'read-from-environment',
    safety: 'unsafe',
    edits: [{ span: site.node.span, newText: json ? `"\${get_env(\\"${name}\\")}"` : `get_env("${name}")` }],
  };
}
