import { contentSpan, defineRule, evaluateStrings, get, str } from '../../../core';
import { replaceStringContent } from '../../lib/fixes';

const PUBLIC_ACCESS: Record<string, string> = {
  blob: 'anyone with a blob URL can read it',
  container: 'anyone can list the container and read every blob',
};

export default defineRule({
  id: 'storage/azure-container-public',
  family: 'storage',
  severity: 'error',
  formats: ['terraform', 'terraform-json', 'terraform-plan'],
  prefilter: { terraform: ['azurerm_storage_container'] },
  fixes: { 'set-private': 'safe' },
  docs: {
    summary: 'Azure storage container with anonymous access: `container_access_type` `"blob"` or `"container"`.',
    why: '"blob" lets anyone who knows or guesses a blob URL download it; "container" also lets anyone list every blob. Datasets, model weights and exports in such a container are public.',
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
      const from = literal === undefined && node.kind === 'expr' ? ` (from ${node.text.trim()})` : '';
      const fix = literal !== undefined ? replaceStringContent(node, 'private', 'Make the container private', 'set-private', 'safe') : undefined;
      ctx.report({
        span: contentSpan(node),
        message: `Storage container "${r.name}" has access type "${access}"${from}: ${PUBLIC_ACCESS[access]}`,
        fixes: fix ? [fix] : [],
      });
    }
  },
});
