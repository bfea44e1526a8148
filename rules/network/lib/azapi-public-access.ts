import { contentSpan, type Fix, get, isScalar, items, type MapNode, type Node, type RuleContext, str } from '../../../core';
import { azapiProperties } from '../../lib/azapi';

/**
 * Azure services written as azapi resources whose ARM body opens them to public networks, reported only when written
 * so, as for their azurerm forms: `acl`, network rules that allow by default (`networkAcls.defaultAction = "Allow"`
 * while `publicNetworkAccess` is not `"Disabled"`); otherwise (for an `acl` service, when it writes no default action)
 * `publicNetworkAccess = "Enabled"`, unless an IP firewall (`ipRules`) lists the addresses it admits.
 * https://learn.microsoft.com/azure/templates/microsoft.storage/storageaccounts
 * https://learn.microsoft.com/azure/templates/microsoft.keyvault/vaults
 * https://learn.microsoft.com/azure/templates/microsoft.sql/servers
 * https://learn.microsoft.com/azure/templates/microsoft.documentdb/databaseaccounts
 * https://learn.microsoft.com/azure/templates/microsoft.cache/redis
 * https://learn.microsoft.com/azure/templates/microsoft.cognitiveservices/accounts
 * https://learn.microsoft.com/azure/templates/microsoft.machinelearningservices/workspaces (AI Foundry hubs too)
 */
const AZAPI_SERVICES: Record<string, { noun: string; acl?: boolean; ipRules?: [string, string] }> = {
  'microsoft.storage/storageaccounts': { noun: 'Storage account', acl: true },
  'microsoft.keyvault/vaults': { noun: 'Key Vault', acl: true },
  'microsoft.sql/servers': { noun: 'SQL server' },
  'microsoft.documentdb/databaseaccounts': { noun: 'Cosmos DB account', ipRules: ['ipRules', 'ipAddressOrRange'] },
  'microsoft.cache/redis': { noun: 'Redis cache' },
  'microsoft.cognitiveservices/accounts': { noun: 'Azure AI services account', acl: true },
  'microsoft.machinelearningservices/workspaces': { noun: 'Machine Learning workspace' },
};

type Kind = 'disable-public-access' | 'deny-by-default';

function replace(node: Node, newText: string, title: string, kind: Kind): Fix<Kind>[] {
  return isScalar(node) ? [{ title, kind, safety: 'unsafe', edits: [{ span: contentSpan(node), newText }] }] : [];
}

/** An IP firewall written with addresses, none of them every address. */
function ipRulesRestrict(properties: MapNode, [listKey, itemKey]: [string, string]): boolean {
  const list = get(properties, listKey);
  if (list !== undefined && !isScalar(list) && list.kind !== 'list') return true;
  const addresses = items(list).map((rule) => str(get(rule, itemKey)));
  return addresses.length > 0 && !addresses.includes('0.0.0.0/0');
}

export function checkAzapi(ctx: RuleContext<Kind>) {
  for (const [armType, { noun, acl, ipRules }] of Object.entries(AZAPI_SERVICES)) {
    for (const { resource, properties } of azapiProperties(ctx.file.resources, armType)) {
      const access = get(properties, 'publicNetworkAccess');
      const label = `${noun} "${resource.name}" (${resource.type})`;
      const action = acl ? get(get(properties, 'networkAcls'), 'defaultAction') : undefined;
      if (action) {
        if (str(action)?.toLowerCase() !== 'allow' || str(access)?.toLowerCase() === 'disabled') continue;
        ctx.report({
          span: contentSpan(action),
          message: `${label} accepts traffic from every network: its network rules allow by default (networkAcls.defaultAction = "${str(action)}") and public network access is not disabled`,
          fixes: replace(action, 'Deny', 'Set defaultAction to Deny', 'deny-by-default'),
        });
      } else if (access && str(access)?.toLowerCase() === 'enabled' && !(ipRules && ipRulesRestrict(properties, ipRules))) {
        ctx.report({
          span: contentSpan(access),
          message: `${label} accepts traffic from public networks (publicNetworkAccess = "${str(access)}")${ipRules ? ', and no IP rules restrict it' : ''}`,
          fixes: replace(access, 'Disabled', 'Set publicNetworkAccess to Disabled', 'disable-public-access'),
        });
      }
    }
  }
}
