import { bool, contentSpan, defineRule, entry, evaluate, get } from '../../../core';
import { azapiProperties } from '../../lib/azapi';
import { appendEntries, unreadable } from '../../lib/edit';
import { setting, supplier } from '../../lib/provider-defaults';

export default defineRule({
  id: 'storage/azure-blob-public-access',
  family: 'storage',
  severity: 'warning',
  formats: ['terraform', 'terraform-json', 'terraform-plan'],
  prefilter: { terraform: ['azurerm_storage_account', 'Microsoft.Storage/storageAccounts'] },
  fixes: { 'disallow-public-access': 'safe' },
  docs: {
    summary:
      'Azure storage account that allows containers to be public: `allow_nested_items_to_be_public` (`allow_blob_public_access` in azurerm 2.x) set to true, or left out where the provider defaults it to true (azurerm 3.0 and later); an `azapi_resource` account whose body sets `allowBlobPublicAccess = true`.',
    why: 'With anonymous blob access allowed on the account, one container created or changed with access type "blob" or "container" publishes its data to anyone with the URL. Turning it off at the account level makes every container private whatever its own setting. The azurerm provider sets it to true when the argument is left out, from release 3.0.',
    fix: 'Set allow_nested_items_to_be_public = false and grant access with Entra ID roles, SAS tokens or private endpoints.',
    fixes: {
      'disallow-public-access': 'Sets the argument to false, or adds it. Containers that were public stop serving anonymous requests, which is the point.',
    },
    examples: {
      format: 'terraform',
      bad: 'resource "azurerm_storage_account" "data" {\n  name                     = "mldata"\n  resource_group_name      = azurerm_resource_group.ml.name\n  location                 = "westeurope"\n  account_tier             = "Standard"\n  account_replication_type = "LRS"\n}',
      good: 'resource "azurerm_storage_account" "data" {\n  name                            = "mldata"\n  resource_group_name             = azurerm_resource_group.ml.name\n  location                        = "westeurope"\n  account_tier                    = "Standard"\n  account_replication_type        = "LRS"\n  allow_nested_items_to_be_public = false\n}',
    },
  },
  check(ctx) {
    const { file, report } = ctx;
    for (const r of file.resources) {
      if (r.kind !== 'resource' || r.type !== 'azurerm_storage_account') continue;
      const e = entry(r.body, 'allow_nested_items_to_be_public') ?? entry(r.body, 'allow_blob_public_access');
      if (!e) {
        if (unreadable(file, r.span)) continue;
        // azurerm 2.x called it allow_blob_public_access and defaulted it to false.
        const s = setting(ctx, r, ['allow_nested_items_to_be_public']);
        if (!s?.default || s.earlier) continue;
        const edit = appendEntries(file, r.body, [['allow_nested_items_to_be_public', 'false']]);
        report({
          span: r.nameSpan,
          message: `Storage account "${r.name}" leaves allow_nested_items_to_be_public unset, which ${supplier(s.default)} turns into ${s.default.value}: ${s.default.effect}`,
          fixes: edit ? [{ title: 'Add allow_nested_items_to_be_public = false', kind: 'disallow-public-access', safety: 'safe', edits: [edit] }] : [],
        });
        continue;
      }
      const literal = bool(e.value);
      if (literal === false) continue;
      if (literal === true) {
        report({
          span: contentSpan(e.value),
          message: `Storage account "${r.name}" sets ${e.key} to true: any container can be made public`,
          fixes: [
            { title: `Set ${e.key} to false`, kind: 'disallow-public-access', safety: 'safe', edits: [{ span: contentSpan(e.value), newText: 'false' }] },
          ],
        });
        continue;
      }
      const resolved = evaluate(e.value, ctx);
      if (resolved.values.some((v) => bool(v) === true)) {
        report({
          span: contentSpan(e.value),
          message: `Storage account "${r.name}" sets ${e.key} from ${e.value.kind === 'expr' ? e.value.text.trim() : 'a value'}, which resolves to true: any container can be made public`,
        });
      }
    }
    // The ARM property behind the argument: https://learn.microsoft.com/azure/templates/microsoft.storage/storageaccounts
    for (const { resource, properties } of azapiProperties(file.resources, 'microsoft.storage/storageaccounts')) {
      const value = get(properties, 'allowBlobPublicAccess');
      if (!value || bool(value) !== true) continue;
      report({
        span: contentSpan(value),
        message: `Storage account "${resource.name}" (${resource.type}) sets allowBlobPublicAccess to true: any container can be made public`,
        fixes: [
          {
            title: 'Set allowBlobPublicAccess to false',
            kind: 'disallow-public-access',
            safety: 'safe',
            edits: [{ span: contentSpan(value), newText: 'false' }],
          },
        ],
      });
    }
  },
});
