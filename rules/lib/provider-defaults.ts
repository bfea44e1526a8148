import { blockBody, entry, type EvalContext, isTerraform, type Node, type ParsedFile, type Resource } from '../../core';
import { newestBelow, parseVersion, providerConstraint } from './versions';

/**
 * What a provider does with an attribute left out, where that makes a resource public or open: one table the
 * storage and network rules read through `setting`, and that `docs/provider-defaults.md` is made from. A
 * default that changed with a provider release names the release (`since`) and the earlier default (`before`);
 * a module whose `required_providers` constraint keeps it below that release gets the earlier default.
 */

export interface ProviderDefault {
  /** Resource types (Terraform or CloudFormation) the default belongs to. */
  types: readonly string[];
  /** Keys from the resource body (Terraform block body, CloudFormation `Properties`) to the attribute. */
  path: readonly string[];
  /** The value used when the attribute is left out, as it would be written. */
  value: string;
  /** What the default means, for messages and docs. */
  effect: string;
  /** The Terraform provider (`aws`, `azurerm`, `google`, `huaweicloud`) or `CloudFormation`. */
  provider: 'aws' | 'azurerm' | 'google' | 'huaweicloud' | 'CloudFormation';
  /** The provider release from which `value` is the default. */
  since?: string;
  /** The default before `since`. */
  before?: string;
}

const EKS = 'the Kubernetes API endpoint';
const K8S_PUBLIC = `${EKS} has a public address`;
const K8S_OPEN = `${EKS}, when public, accepts every address`;
const MONITOR_OPEN = 'the monitoring job container can make outbound network calls';

export const PROVIDER_DEFAULTS: readonly ProviderDefault[] = [
  { types: ['aws_eks_cluster'], path: ['vpc_config', 'endpoint_public_access'], value: 'true', effect: `${EKS} is public`, provider: 'aws' },
  {
    types: ['aws_eks_cluster'],
    path: ['vpc_config', 'public_access_cidrs'],
    value: '["0.0.0.0/0"]',
    effect: K8S_OPEN,
    provider: 'aws',
  },
  {
    types: ['AWS::EKS::Cluster'],
    path: ['ResourcesVpcConfig', 'EndpointPublicAccess'],
    value: 'true',
    effect: `${EKS} is public`,
    provider: 'CloudFormation',
  },
  {
    types: ['AWS::EKS::Cluster'],
    path: ['ResourcesVpcConfig', 'PublicAccessCidrs'],
    value: '["0.0.0.0/0"]',
    effect: `${EKS}, when public, accepts every address`,
    provider: 'CloudFormation',
  },
  { types: ['azurerm_kubernetes_cluster'], path: ['private_cluster_enabled'], value: 'false', effect: K8S_PUBLIC, provider: 'azurerm' },
  {
    types: ['azurerm_kubernetes_cluster'],
    path: ['api_server_access_profile', 'authorized_ip_ranges'],
    value: 'every address',
    effect: `${K8S_OPEN} (no authorized IP ranges, nor the older api_server_authorized_ip_ranges)`,
    provider: 'azurerm',
  },
  {
    types: ['google_container_cluster'],
    path: ['private_cluster_config', 'enable_private_endpoint'],
    value: 'false',
    effect: K8S_PUBLIC,
    provider: 'google',
  },
  {
    types: ['google_container_cluster'],
    path: ['control_plane_endpoints_config', 'ip_endpoints_config', 'enabled'],
    value: 'true',
    effect: `${EKS} has IP-based endpoints (a public one unless the private endpoint is enforced)`,
    provider: 'google',
  },
  {
    types: ['google_container_cluster'],
    path: ['master_authorized_networks_config'],
    value: 'every address',
    effect: `${K8S_OPEN} (authorized networks off; a block without cidr_blocks admits no external address)`,
    provider: 'google',
  },
  {
    types: ['google_compute_firewall'],
    path: ['source_ranges'],
    value: '["0.0.0.0/0"]',
    effect: 'an ingress rule that also leaves source_tags and source_service_accounts out admits every address',
    provider: 'google',
  },
  {
    types: ['huaweicloud_networking_secgroup_rule'],
    path: ['remote_ip_prefix'],
    value: '0.0.0.0/0',
    effect: 'a rule that also leaves remote_group_id and remote_address_group_id out admits (or reaches) every address',
    provider: 'huaweicloud',
  },
  {
    types: ['aws_sagemaker_notebook_instance'],
    path: ['direct_internet_access'],
    value: 'Enabled',
    effect: 'the notebook reaches the internet outside the VPC',
    provider: 'aws',
  },
  {
    types: ['AWS::SageMaker::NotebookInstance'],
    path: ['DirectInternetAccess'],
    value: 'Enabled',
    effect: 'the notebook reaches the internet outside the VPC',
    provider: 'CloudFormation',
  },
  {
    types: ['aws_sagemaker_domain'],
    path: ['app_network_access_type'],
    value: 'PublicInternetOnly',
    effect: "the domain's apps reach the internet outside the VPC",
    provider: 'aws',
  },
  {
    types: ['AWS::SageMaker::Domain'],
    path: ['AppNetworkAccessType'],
    value: 'PublicInternetOnly',
    effect: "the domain's apps reach the internet outside the VPC",
    provider: 'CloudFormation',
  },
  {
    types: ['aws_sagemaker_model'],
    path: ['enable_network_isolation'],
    value: 'false',
    effect: 'the model container can make outbound network calls',
    provider: 'aws',
  },
  {
    types: ['AWS::SageMaker::Model'],
    path: ['EnableNetworkIsolation'],
    value: 'false',
    effect: 'the model container can make outbound network calls',
    provider: 'CloudFormation',
  },
  {
    types: ['aws_sagemaker_data_quality_job_definition'],
    path: ['network_config', 'enable_network_isolation'],
    value: 'false',
    effect: MONITOR_OPEN,
    provider: 'aws',
  },
  {
    types: ['aws_sagemaker_monitoring_schedule'],
    path: ['monitoring_schedule_config', 'monitoring_job_definition', 'network_config', 'enable_network_isolation'],
    value: 'false',
    effect: `${MONITOR_OPEN} (a job defined inline)`,
    provider: 'aws',
  },
  {
    types: [
      'AWS::SageMaker::DataQualityJobDefinition',
      'AWS::SageMaker::ModelQualityJobDefinition',
      'AWS::SageMaker::ModelBiasJobDefinition',
      'AWS::SageMaker::ModelExplainabilityJobDefinition',
    ],
    path: ['NetworkConfig', 'EnableNetworkIsolation'],
    value: 'false',
    effect: MONITOR_OPEN,
    provider: 'CloudFormation',
  },
  {
    types: ['AWS::SageMaker::MonitoringSchedule'],
    path: ['MonitoringScheduleConfig', 'MonitoringJobDefinition', 'NetworkConfig', 'EnableNetworkIsolation'],
    value: 'false',
    effect: `${MONITOR_OPEN} (a job defined inline)`,
    provider: 'CloudFormation',
  },
  {
    types: ['azurerm_storage_account'],
    path: ['allow_nested_items_to_be_public'],
    value: 'true',
    effect: 'any container can be made public',
    provider: 'azurerm',
    since: '3.0',
    before: 'false (as allow_blob_public_access)',
  },
  {
    types: [
      'azurerm_storage_account',
      'azurerm_machine_learning_workspace',
      'azurerm_cognitive_account',
      'azurerm_key_vault',
      'azurerm_mssql_server',
      'azurerm_postgresql_server',
      'azurerm_mysql_server',
      'azurerm_mariadb_server',
      'azurerm_cosmosdb_account',
      'azurerm_redis_cache',
      'azurerm_search_service',
      'azurerm_databricks_workspace',
      'azurerm_managed_disk',
      'azurerm_snapshot',
      'azurerm_linux_function_app',
      'azurerm_windows_function_app',
      'azurerm_linux_web_app',
      'azurerm_windows_web_app',
    ],
    path: ['public_network_access_enabled'],
    value: 'true',
    effect: 'the service accepts traffic from public networks',
    provider: 'azurerm',
  },
  {
    types: ['azurerm_ai_services', 'azurerm_ai_foundry'],
    path: ['public_network_access'],
    value: 'Enabled',
    effect: 'the service accepts traffic from public networks',
    provider: 'azurerm',
  },
  {
    types: ['azurerm_storage_account'],
    path: ['network_rules', 'default_action'],
    value: 'Allow',
    effect: 'without network rules (here or in azurerm_storage_account_network_rules), every network is allowed',
    provider: 'azurerm',
  },
  {
    types: ['azurerm_cognitive_account', 'azurerm_ai_services'],
    path: ['network_acls', 'default_action'],
    value: 'Allow',
    effect: 'without network ACLs, every network is allowed',
    provider: 'azurerm',
  },
  {
    types: ['azurerm_machine_learning_compute_instance', 'azurerm_machine_learning_compute_cluster'],
    path: ['node_public_ip_enabled'],
    value: 'true',
    effect: 'the compute nodes get public IP addresses',
    provider: 'azurerm',
  },
  {
    types: ['google_storage_bucket'],
    path: ['uniform_bucket_level_access'],
    value: 'false',
    effect: 'objects keep their own ACLs, which can make single objects public',
    provider: 'google',
  },
  {
    types: ['google_workbench_instance'],
    path: ['gce_setup', 'disable_public_ip'],
    value: 'false',
    effect: 'the instance gets an external IP address',
    provider: 'google',
  },
  {
    types: ['google_notebooks_instance'],
    path: ['no_public_ip'],
    value: 'false',
    effect: 'the instance gets an external IP address',
    provider: 'google',
  },
  {
    types: ['google_vertex_ai_endpoint'],
    path: ['private_service_connect_config', 'enable_private_service_connect'],
    value: 'false',
    effect: 'without a network or Private Service Connect, the endpoint is served on the public internet',
    provider: 'google',
  },
];

/**
 * A Terraform override file (`override.tf`, `*_override.tf`, their `.tofu` and `.json` forms) merges its blocks into
 * the resources of the same address written in the module's other files: an attribute it leaves out keeps the
 * value written there, so no default applies to it.
 */
export function inOverrideFile(file: ParsedFile): boolean {
  return isTerraform(file.format) && /(?:^|[/\\_])override\.(?:tf|tofu)(?:\.json)?$/.test(file.uri);
}

/** The table's entry for an attribute of a resource type. */
export function providerDefault(type: string, path: readonly string[]): ProviderDefault | undefined {
  return PROVIDER_DEFAULTS.find((d) => d.types.includes(type) && d.path.length === path.length && d.path.every((k, i) => k === path[i]));
}

/**
 * A setting of a resource: the value written, or the provider default that stands for it. `earlier`: the
 * module's provider constraint keeps it below the release that brought the default (`ProviderDefault.before` applies).
 */
export type Setting = { written: Node; default?: undefined } | { written?: undefined; default: ProviderDefault; earlier: boolean };

/**
 * The attribute at `path` under the resource body (`from` keys down, under `body`: a nested block already
 * read), or the table's default when it is left out (a missing block leaves its attributes out). Undefined
 * when the table has no default for it.
 */
export function setting(ctx: EvalContext, r: Resource, path: readonly string[], body: Node = r.body, from = 0): Setting | undefined {
  let node: Node | undefined = body;
  // A nested block is a map, or a list of maps in Terraform JSON: `blockBody` reads both.
  for (let i = from; i < path.length && node !== undefined; i++) {
    const block = blockBody(node);
    node = block ? entry(block, path[i])?.value : undefined;
  }
  if (node !== undefined) return { written: node };
  const d = inOverrideFile(ctx.file) ? undefined : providerDefault(r.type, path);
  if (!d) return undefined;
  const since = d.since ? parseVersion(d.since) : undefined;
  const files = since && d.provider !== 'CloudFormation' ? ctx.project.module(ctx.file, (text) => text.includes(d.provider)) : [];
  return { default: d, earlier: !!since && newestBelow(providerConstraint(files, d.provider) ?? '', since) };
}

/** `the azurerm provider`, `CloudFormation`: who supplies a default, for messages. */
export function supplier(d: ProviderDefault): string {
  return d.provider === 'CloudFormation' ? 'CloudFormation' : `the ${d.provider} provider${d.since ? ` (${d.since} and later)` : ''}`;
}

/** The table as the Markdown page `docs/provider-defaults.md`. */
export function providerDefaultsMarkdown(): string {
  const rows = PROVIDER_DEFAULTS.map(
    (d) =>
      `| ${d.types.map((t) => `\`${t}\``).join(', ')} | \`${d.path.join('.')}\` | \`${d.value}\` | ${d.provider}${d.since ? ` ${d.since}+ (before: ${d.before})` : ''} | ${d.effect} |`,
  );
  return [
    '# Provider defaults',
    '',
    'What a provider does with an attribute left out, where that makes a resource public or open. The storage and',
    'network rules read these defaults from one table (`rules/lib/provider-defaults.ts`): a resource that leaves the',
    'attribute out is judged as if it had written the default. Where a default changed with a provider release, the',
    'release is named; a module whose `required_providers` constraint stays below it gets the earlier default. A block',
    'left out leaves its attributes out (no `network_rules` block: `default_action` is `Allow`).',
    '',
    '| resource types | attribute | default | provider | effect |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}
