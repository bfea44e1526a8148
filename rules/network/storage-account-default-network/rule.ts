import { defineRule } from '../../../core';
import { appendEntries } from '../../lib/edit';
import { describeSwitch, hasSeparateRules, readSwitch, STORAGE_RULES_LINK } from '../lib/public-access';

const ACCOUNT = 'azurerm_storage_account';
const ACCESS = ['public_network_access_enabled'];
const RULES = ['network_rules', 'default_action'];

export default defineRule({
  id: 'network/storage-account-default-network',
  family: 'network',
  severity: 'warning',
  defaultOff: true,
  formats: ['terraform', 'terraform-json', 'terraform-plan'],
  prefilter: { terraform: [ACCOUNT] },
  fixes: { 'disable-public-access': 'unsafe' },
  docs: {
    summary:
      'Azure storage account that leaves both `public_network_access_enabled` and its network rules out (no `network_rules` block, no `azurerm_storage_account_network_rules` for it): the azurerm provider then accepts traffic from every network. Off unless enabled: most storage accounts are written this way; `network/public-network-access` reports the ones written open.',
    why: "Keys and SAS tokens are then the only barrier between the internet and the account's data, and a leaked key or token works from anywhere. Microsoft's security baseline asks for storage accounts that deny public network traffic by default.",
    fix: 'Set `public_network_access_enabled = false` and use private endpoints, or add `network_rules { default_action = "Deny" ... }` listing the ranges and subnets that need access.',
    fixes: {
      'disable-public-access':
        'Adds public_network_access_enabled = false. Clients outside private endpoints lose access, which needs a private endpoint in place first.',
    },
    examples: {
      format: 'terraform',
      bad: 'resource "azurerm_storage_account" "data" {\n  name                     = "mldata"\n  resource_group_name      = azurerm_resource_group.ml.name\n  location                 = "westeurope"\n  account_tier             = "Standard"\n  account_replication_type = "LRS"\n}',
      good: 'resource "azurerm_storage_account" "data" {\n  name                     = "mldata"\n  resource_group_name      = azurerm_resource_group.ml.name\n  location                 = "westeurope"\n  account_tier             = "Standard"\n  account_replication_type = "LRS"\n\n  network_rules {\n    default_action = "Deny"\n    ip_rules       = ["203.0.113.0/24"]\n  }\n}',
    },
  },
  check(ctx) {
    for (const r of ctx.file.resources) {
      if (r.kind !== 'resource' || r.type !== ACCOUNT) continue;
      const access = readSwitch(ctx, r, ACCESS, 'false');
      const rules = readSwitch(ctx, r, RULES, 'Deny');
      if (access.kind !== 'default' || rules.kind !== 'default' || hasSeparateRules(ctx, r, STORAGE_RULES_LINK)) continue;
      const edit = appendEntries(ctx.file, r.body, [['public_network_access_enabled', 'false']]);
      ctx.report({
        span: r.nameSpan,
        message: `Storage account "${r.name}" accepts traffic from every network: ${describeSwitch(ACCESS, access)}, and ${describeSwitch(RULES, rules)}`,
        fixes: edit ? [{ title: 'Add public_network_access_enabled = false', kind: 'disable-public-access', safety: 'unsafe', edits: [edit] }] : [],
      });
    }
  },
});
