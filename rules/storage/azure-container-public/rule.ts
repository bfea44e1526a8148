import { contentSpan, defineRule, type EvalContext, evaluateStrings, get, type RelatedLocation, type Resource, resourceRef, str } from '../../../core';
import { replaceStringContent } from '../../lib/fixes';
import { azapiProperties } from '../../lib/azapi';
import { moduleResource } from '../../lib/module-resources';

const PUBLIC_ACCESS: Record<string, string> = {
  blob: 'anyone with a blob URL can read it',
  container: 'anyone can list the container and read every blob',
};

/**
 * Whether the container's storage account, found in the module through `storage_account_name` /
 * `storage_account_id` (`azurerm_storage_account.x.name` / `.id`), forbids anonymous access: Azure then refuses
 * and ignores the container's anonymous access setting until the account allows it again
 * (https://learn.microsoft.com/azure/storage/blobs/anonymous-read-access-prevent).
 */
function accountForbidsPublic(container: Resource, ctx: EvalContext): RelatedLocation | undefined {
  const ref = ['storage_account_name', 'storage_account_id'].map((k) => resourceRef(get(container.body, k), 'azurerm_storage_account')).find(Boolean);
  const name = ref?.slice('azurerm_storage_account.'.length);
  if (!name) return undefined;
  const found = moduleResource(ctx, 'resource', 'azurerm_storage_account', name);
  if (!found) return undefined;
  const allow = get(found.resource.body, 'allow_nested_items_to_be_public') ?? get(found.resource.body, 'allow_blob_public_access');
  if (!allow || str(allow) !== 'false') return undefined;
  return { span: contentSpan(allow), message: "the storage account's setting", uri: found.file === ctx.file ? undefined : found.file.uri };
}

export default defineRule({
  id: 'storage/azure-container-public',
  family: 'storage',
  severity: 'error',
  formats: ['terraform', 'terraform-json', 'terraform-plan'],
  prefilter: { terraform: ['azurerm_storage_container', 'Microsoft.Storage/storageAccounts/blobServices/containers'] },
  fixes: { 'set-private': 'safe' },
  docs: {
    summary:
      'Azure storage container with anonymous access: `container_access_type` `"blob"` or `"container"`, or an `azapi_resource` container whose body sets `publicAccess` to `"Blob"` or `"Container"`.',
    why: '"blob" lets anyone who knows or guesses a blob URL download it; "container" also lets anyone list every blob. Datasets, model weights and exports in such a container are public. A container whose storage account (in the same module) sets `allow_nested_items_to_be_public = false` is reported as information: Azure refuses and ignores anonymous access there for as long as the account says so.',
    fix: 'Set container_access_type = "private" and hand out access with Entra ID roles or short-lived SAS tokens; also set allow_nested_items_to_be_public = false on the storage account.',
    fixes: {
      'set-private': 'Sets the access type to private. Anonymous readers lose access, which is the point.',
    },
    examples: {
      format: 'terraform',
      bad: 'resource "azurerm_storage_container" "models" {\n  name                  = "models"\n  storage_account_name  = azurerm_storage_account.data.name\n  container_access_type = "container"\n}',
      good: 'resource "azurerm_storage_container" "models" {\n  name                  = "models"\n  storage_account_name  = azurerm_storage_account.data.name\n  container_access_type = "private"\n}',
    },
  },
  check(ctx) {
    for (const r of ctx.file.resources) {
      if (r.kind !== 'resource' || r.type !== 'azurerm_storage_container') continue;
      const node = get(r.body, 'container_access_type');
      if (!node) continue;
      const literal = str(node);
      const values = literal !== undefined ? [literal] : evaluateStrings(node, ctx).strings;
      const access = values.map((v) => v.toLowerCase()).find((v) => v in PUBLIC_ACCESS);
      if (!access) continue;
      const inert = accountForbidsPublic(r, ctx);
      const from = literal === undefined && node.kind === 'expr' ? ` (from ${node.text.trim()})` : '';
      const fix = literal !== undefined ? replaceStringContent(node, 'private', 'Make the container private', 'set-private', 'safe') : undefined;
      ctx.report({
        span: contentSpan(node),
        message: inert
          ? `Storage container "${r.name}" has access type "${access}"${from}, which its storage account forbids (allow_nested_items_to_be_public = false): inert while the account says so, ${PUBLIC_ACCESS[access]} once it allows public access`
          : `Storage container "${r.name}" has access type "${access}"${from}: ${PUBLIC_ACCESS[access]}`,
        severity: inert ? 'info' : undefined,
        related: inert ? [inert] : undefined,
        fixes: fix ? [fix] : [],
      });
    }
    // publicAccess: None, Blob or Container: https://learn.microsoft.com/azure/templates/microsoft.storage/storageaccounts/blobservices/containers
    for (const { resource, properties } of azapiProperties(ctx.file.resources, 'microsoft.storage/storageaccounts/blobservices/containers')) {
      const node = get(properties, 'publicAccess');
      const access = str(node)?.toLowerCase();
      if (!node || access === undefined || !(access in PUBLIC_ACCESS)) continue;
      const fix = replaceStringContent(node, 'None', 'Make the container private', 'set-private', 'safe');
      ctx.report({
        span: contentSpan(node),
        message: `Storage container "${resource.name}" (${resource.type}) has publicAccess "${str(node)}": ${PUBLIC_ACCESS[access]}`,
        fixes: fix ? [fix] : [],
      });
    }
  },
});
