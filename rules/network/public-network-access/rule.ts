import { all, blockBody, contentSpan, defineRule, evaluateItems, get, type Resource, type RuleContext, str } from '../../../core';
import { AZAPI_RESOURCES } from '../../lib/azapi';
import { checkAzapi } from '../lib/azapi-public-access';
import { CFN_SERVERLESS_POLICY, publicRuleSets, SERVERLESS_POLICY } from '../lib/opensearch-serverless';
import { closeSwitch, describeSwitch, hasSeparateRules, readSwitch, STORAGE_RULES, STORAGE_RULES_LINK, type Switch, switchSpan } from '../lib/public-access';

/**
 * Managed services that accept traffic from every network: public network access on (or left to a provider
 * default that turns it on) and no network rule that denies by default. Per resource type: the switch that
 * turns public access off, and the network rules that can restrict it (a block, or a separate resource).
 */
interface Service {
  noun: string;
  /** `open`: the one value that opens the service, where any other value written closes it. */
  access: { path: readonly string[]; closed: string; closedText: string; open?: string };
  /** What accepting traffic from every network means for this service, for messages. */
  exposure?: string;
  /** A second switch that, written closed, closes the service whatever the first says. */
  alsoClosedBy?: { path: readonly string[]; closed: string };
  /**
   * App Service access restrictions (`site_config`): a default action of Deny, or allow rules with the default
   * left out (Azure then denies what no rule allows), admit only the listed sources.
   */
  accessRestrictions?: { block: string; rules: string; defaultAction: string };
  /** `default_action` of the service's network rules; `separate`: the resource that can hold them instead. */
  acl?: { path: readonly string[]; separate?: { type: string; link: string } };
  /** Attributes whose presence puts the service on a private network. */
  privateWith?: readonly string[];
  /**
   * The IP firewall of a service without `default_action`: a list of the addresses public access admits (in a
   * comma-separated string in older releases). Written with addresses, and no `0.0.0.0/0`, it restricts public access.
   */
  ipAllowList?: string;
  /**
   * Both settings left out is reported by the stricter `network/storage-account-default-network` (off unless
   * enabled): so many storage accounts are written that way that it would drown the explicit cases.
   */
  quietWhenAllDefault?: boolean;
  /**
   * Reported only when written open: databases, vaults and registries are written by the thousand without these
   * settings, and their exposure then rests on firewall rules that `network/open-ingress` reads.
   */
  explicitOnly?: boolean;
}

const PUBLIC_NETWORK_ACCESS = { path: ['public_network_access_enabled'], closed: 'false', closedText: 'false' };

// "You can generate a SAS URI to access the underlying data of the disk publicly on the internet when
// NetworkAccessPolicy is set to AllowAll": https://learn.microsoft.com/rest/api/compute/disks/create-or-update
const DISK: Omit<Service, 'noun'> = {
  access: { path: ['network_access_policy'], closed: 'DenyAll', closedText: '"DenyAll"', open: 'AllowAll' },
  exposure: 'can be exported through a SAS URI from any network',
  alsoClosedBy: { path: ['public_network_access_enabled'], closed: 'false' },
  explicitOnly: true,
};

// https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/linux_function_app
// https://learn.microsoft.com/azure/app-service/app-service-ip-restrictions
const APP: Omit<Service, 'noun'> = {
  access: PUBLIC_NETWORK_ACCESS,
  accessRestrictions: { block: 'site_config', rules: 'ip_restriction', defaultAction: 'ip_restriction_default_action' },
  explicitOnly: true,
};

const SERVICES: Record<string, Service> = {
  azurerm_managed_disk: { noun: 'Managed disk', ...DISK },
  azurerm_snapshot: { noun: 'Disk snapshot', ...DISK },
  azurerm_linux_function_app: { noun: 'Function app', ...APP },
  azurerm_windows_function_app: { noun: 'Function app', ...APP },
  azurerm_linux_function_app_slot: { noun: 'Function app slot', ...APP },
  azurerm_windows_function_app_slot: { noun: 'Function app slot', ...APP },
  azurerm_linux_web_app: { noun: 'Web app', ...APP },
  azurerm_windows_web_app: { noun: 'Web app', ...APP },
  azurerm_linux_web_app_slot: { noun: 'Web app slot', ...APP },
  azurerm_windows_web_app_slot: { noun: 'Web app slot', ...APP },
  azurerm_storage_account: {
    noun: 'Storage account',
    access: PUBLIC_NETWORK_ACCESS,
    acl: { path: ['network_rules', 'default_action'], separate: STORAGE_RULES_LINK },
    quietWhenAllDefault: true,
  },
  azurerm_machine_learning_workspace: { noun: 'Machine Learning workspace', access: PUBLIC_NETWORK_ACCESS },
  azurerm_cognitive_account: { noun: 'Azure AI services account', access: PUBLIC_NETWORK_ACCESS, acl: { path: ['network_acls', 'default_action'] } },
  azurerm_ai_services: {
    noun: 'Azure AI services account',
    access: { path: ['public_network_access'], closed: 'Disabled', closedText: '"Disabled"' },
    acl: { path: ['network_acls', 'default_action'] },
  },
  // `public_network_access`: "Possible values include `Enabled` and `Disabled`. Defaults to `Enabled`."
  // https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/ai_foundry
  azurerm_ai_foundry: { noun: 'AI Foundry hub', access: { path: ['public_network_access'], closed: 'Disabled', closedText: '"Disabled"' } },
  azurerm_mssql_server: { noun: 'SQL server', access: PUBLIC_NETWORK_ACCESS, explicitOnly: true },
  azurerm_postgresql_server: { noun: 'PostgreSQL server', access: PUBLIC_NETWORK_ACCESS, explicitOnly: true },
  azurerm_postgresql_flexible_server: { noun: 'PostgreSQL flexible server', access: PUBLIC_NETWORK_ACCESS, explicitOnly: true },
  azurerm_mysql_server: { noun: 'MySQL server', access: PUBLIC_NETWORK_ACCESS, explicitOnly: true },
  azurerm_mariadb_server: { noun: 'MariaDB server', access: PUBLIC_NETWORK_ACCESS, explicitOnly: true },
  // `ip_range_filter`: "the allowed list of client IPs" (a set since azurerm 4.0, a comma-separated string before)
  // https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/cosmosdb_account
  // https://learn.microsoft.com/azure/cosmos-db/how-to-configure-firewall
  azurerm_cosmosdb_account: { noun: 'Cosmos DB account', access: PUBLIC_NETWORK_ACCESS, explicitOnly: true, ipAllowList: 'ip_range_filter' },
  azurerm_redis_cache: { noun: 'Redis cache', access: PUBLIC_NETWORK_ACCESS, explicitOnly: true },
  azurerm_search_service: { noun: 'AI Search service', access: PUBLIC_NETWORK_ACCESS, explicitOnly: true },
  // Workspaces are written by the thousand without the setting: their front end is public unless a private link is set up.
  azurerm_databricks_workspace: { noun: 'Databricks workspace', access: PUBLIC_NETWORK_ACCESS, explicitOnly: true },
  azurerm_key_vault: { noun: 'Key Vault', access: PUBLIC_NETWORK_ACCESS, acl: { path: ['network_acls', 'default_action'] }, explicitOnly: true },
  google_vertex_ai_endpoint: {
    noun: 'Vertex AI endpoint',
    access: { path: ['private_service_connect_config', 'enable_private_service_connect'], closed: 'true', closedText: 'true' },
    privateWith: ['network'],
  },
  // Private unless `public_endpoint_enabled = true` is written (no default makes it public):
  // https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/vertex_ai_index_endpoint
  google_vertex_ai_index_endpoint: {
    noun: 'Vertex AI Vector Search index endpoint',
    access: { path: ['public_endpoint_enabled'], closed: 'false', closedText: 'false' },
  },
};

const DEFAULT_ACTION = ['default_action'];

/** Whether the service's IP firewall admits only listed addresses: every item known, at least one, none `0.0.0.0/0`. */
function ipFirewallRestricts(ctx: RuleContext<string>, r: Resource, attribute: string): boolean {
  const written = evaluateItems(get(r.body, attribute), ctx);
  if (written.unresolved.length > 0) return true;
  const addresses = written.values
    .flatMap((v) => (str(v) ?? '').split(','))
    .map((a) => a.trim())
    .filter(Boolean);
  return addresses.length > 0 && !addresses.includes('0.0.0.0/0');
}

/** Whether an app's access restriction list admits only the sources it lists (see `Service.accessRestrictions`). */
function accessRestricted(r: Resource, a: NonNullable<Service['accessRestrictions']>): boolean {
  const site = blockBody(get(r.body, a.block));
  const written = get(site, a.defaultAction);
  if (written !== undefined) return str(written)?.toLowerCase() !== 'allow';
  return all(site, a.rules).some((rule) => str(get(blockBody(rule), 'action'))?.toLowerCase() !== 'deny');
}

function checkService(ctx: RuleContext<'disable-public-access' | 'deny-by-default'>, r: Resource, s: Service) {
  if (s.privateWith?.some((k) => get(r.body, k) !== undefined)) return;
  if (s.ipAllowList && ipFirewallRestricts(ctx, r, s.ipAllowList)) return;
  if (s.alsoClosedBy && readSwitch(ctx, r, s.alsoClosedBy.path, s.alsoClosedBy.closed).kind === 'closed') return;
  if (s.accessRestrictions && accessRestricted(r, s.accessRestrictions)) return;
  // A plan writes out every default: there a value left out and a value written look the same.
  if (s.explicitOnly && ctx.file.format === 'terraform-plan') return;
  const access = readSwitch(ctx, r, s.access.path, s.access.closed);
  if (access.kind === 'closed' || access.kind === 'unknown') return;
  if (s.access.open && access.kind === 'open' && access.value.toLowerCase() !== s.access.open.toLowerCase()) return;
  const label = `${s.noun} "${r.name}"`;
  let acl: Switch | undefined;
  if (s.acl) {
    acl = readSwitch(ctx, r, s.acl.path, 'Deny');
    if (acl.kind === 'closed' || acl.kind === 'unknown') return;
    if (acl.kind === 'default' && s.acl.separate && hasSeparateRules(ctx, r, s.acl.separate)) return;
  }
  if (s.quietWhenAllDefault && access.kind === 'default' && acl?.kind === 'default') return;
  if (s.explicitOnly && access.kind === 'default' && (acl === undefined || acl.kind === 'default')) return;
  if (acl?.kind === 'open') {
    ctx.report({
      span: switchSpan(r, s.acl!.path, acl),
      message: `${label} accepts traffic from every network: its network rules allow by default (${describeSwitch(s.acl!.path, acl)}) and public network access is on (${describeSwitch(s.access.path, access)})`,
      fixes: closeSwitch(ctx, r, s.acl!.path, acl, '"Deny"', 'deny-by-default'),
    });
    return;
  }
  const rules = acl ? `, and no network rules restrict it (${describeSwitch(s.acl!.path, acl)})` : '';
  ctx.report({
    span: switchSpan(r, s.access.path, access),
    message: `${label} ${s.exposure ?? 'accepts traffic from public networks'} (${describeSwitch(s.access.path, access)})${rules}`,
    fixes: closeSwitch(ctx, r, s.access.path, access, s.access.closedText, 'disable-public-access'),
  });
}

export default defineRule({
  id: 'network/public-network-access',
  family: 'network',
  severity: 'warning',
  formats: ['terraform', 'terraform-json', 'terraform-plan', 'cloudformation'],
  prefilter: { terraform: [...Object.keys(SERVICES), STORAGE_RULES, SERVERLESS_POLICY, ...AZAPI_RESOURCES], cloudformation: [CFN_SERVERLESS_POLICY] },
  fixes: { 'disable-public-access': 'unsafe', 'deny-by-default': 'unsafe' },
  docs: {
    summary:
      'Managed service that accepts traffic from every network — Azure storage, Machine Learning and AI services accounts, AI Foundry hubs, Vertex AI endpoints and index endpoints, OpenSearch Serverless network policies — whether written open or left to a provider default that is open; also written as `azapi` resources. Azure disks and snapshots exportable from any network, and function and web apps written public without access restrictions.',
    reads:
      'Managed service that accepts traffic from every network: an Azure storage account, Machine Learning workspace, AI Foundry hub or Azure AI services / OpenAI account with public network access on and no network rules that deny by default (`default_action = "Allow"`, or rules left out), a Vertex AI endpoint without a private network or Private Service Connect, a Vertex AI Vector Search index endpoint with `public_endpoint_enabled = true`, or an OpenSearch Serverless network policy (the vector store of Bedrock knowledge bases; in Terraform, and in CloudFormation as `AWS::OpenSearchServerless::SecurityPolicy` with its JSON string literal or in `Fn::Sub`) with `AllowFromPublic` true. Provider defaults count: leaving the settings out is how most of these end up public. Azure SQL, PostgreSQL, MySQL and MariaDB servers, Cosmos DB accounts, Redis caches, AI Search services, Databricks workspaces and Key Vaults are reported when the setting is written open (`public_network_access_enabled = true`, a Key Vault `network_acls` block with `default_action = "Allow"`): left out, their exposure rests on their firewall rules, which `network/open-ingress` reads. A Cosmos DB account whose `ip_range_filter` lists addresses admits only those. Azure managed disks and snapshots written with `network_access_policy = "AllowAll"` (a SAS URI then exports or uploads the disk from any network) are reported unless `public_network_access_enabled = false`; `AllowPrivate` and `DenyAll` are private, and a disk that leaves the policy out (how nearly every disk is written) is not reported. Function and web apps (Linux and Windows, slots too) are reported when `public_network_access_enabled = true` is written and `site_config` restricts nothing: `ip_restriction_default_action = "Deny"`, or `ip_restriction` rules that allow with the default action left out (Azure then denies the rest), admit only the sources listed. Storage accounts, Key Vaults and Azure AI services / OpenAI accounts written as `azapi_resource` (or changed by `azapi_update_resource`) count when their body sets `networkAcls.defaultAction = "Allow"` and does not disable `publicNetworkAccess`, or sets `publicNetworkAccess = "Enabled"` with no default action; SQL servers, Cosmos DB accounts, Redis caches and Machine Learning workspaces (AI Foundry hubs too) when it sets `publicNetworkAccess = "Enabled"` (a Cosmos DB account with `ipRules` admits only those).',
    why: 'Keys, SAS tokens and Entra ID roles are then the only barrier between the internet and the training data, the model registry or the model endpoint, and a leaked key works from anywhere. The providers make these services public by default: `public_network_access_enabled` defaults to true, and a storage account or AI services account without network rules allows every network.',
    fix: 'Turn public network access off and reach the service through private endpoints (Private Service Connect on Google Cloud), or keep it on with network rules that deny by default and allow only known ranges and subnets.',
    fixes: {
      'disable-public-access':
        'Sets public network access off (or adds the setting). Clients outside the private endpoints and trusted services lose access, which needs a private endpoint in place first.',
      'deny-by-default': 'Sets default_action to Deny: only the listed IP ranges, subnets and bypassed Azure services keep access.',
    },
    examples: {
      format: 'terraform',
      bad: 'resource "azurerm_cognitive_account" "openai" {\n  name                = "team-openai"\n  location            = "swedencentral"\n  resource_group_name = azurerm_resource_group.ml.name\n  kind                = "OpenAI"\n  sku_name            = "S0"\n}',
      good: 'resource "azurerm_cognitive_account" "openai" {\n  name                          = "team-openai"\n  location                      = "swedencentral"\n  resource_group_name           = azurerm_resource_group.ml.name\n  kind                          = "OpenAI"\n  sku_name                      = "S0"\n  public_network_access_enabled = false\n}',
    },
  },
  check(ctx) {
    checkAzapi(ctx);
    for (const r of ctx.file.resources) {
      if (r.kind !== 'resource') continue;
      const s = SERVICES[r.type];
      if (s) checkService(ctx, r, s);
      else if (r.type === SERVERLESS_POLICY || r.type === CFN_SERVERLESS_POLICY) {
        for (const set of publicRuleSets(ctx, r)) {
          const what = set.resources.length > 0 ? set.resources.join(', ') : 'its collections';
          ctx.report({
            span: contentSpan(set.node),
            message: `OpenSearch Serverless network policy "${r.name}" opens ${what} to the internet (AllowFromPublic = true): a leaked credential then reads or rewrites the vector index from anywhere, outside your VPC endpoints`,
          });
        }
      } else if (r.type === STORAGE_RULES) {
        const acl = readSwitch(ctx, r, DEFAULT_ACTION, 'Deny');
        if (acl.kind !== 'open') continue;
        ctx.report({
          span: switchSpan(r, DEFAULT_ACTION, acl),
          message: `Storage account network rules "${r.name}" allow every network by default (default_action = ${acl.value})`,
          fixes: closeSwitch(ctx, r, DEFAULT_ACTION, acl, '"Deny"', 'deny-by-default'),
        });
      }
    }
  },
});
