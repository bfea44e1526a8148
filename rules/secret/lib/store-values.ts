import { get, type Path, type Resource, str } from '../../../core';
import { azapiType } from '../../lib/azapi';

/**
 * Attributes that hold the secret itself in resources that store one: whatever the attribute is called, a literal
 * there is a secret written into the template (a JSON document there is judged by its own keys).
 */
const STORE_VALUES: Record<string, string[]> = {
  // Terraform
  aws_secretsmanager_secret_version: ['secret_string', 'secret_binary'],
  aws_ssm_parameter: ['value'],
  azurerm_key_vault_secret: ['value'],
  // Each also in its write-only form (`secret_data_wo`, `secret_string_wo`, `value_wo`), kept out of the state but
  // still written in the configuration (see `isStoreValue`):
  // https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/secret_manager_secret_version
  google_secret_manager_secret_version: ['secret_data'],
  google_secret_manager_regional_secret_version: ['secret_data'],
  // https://registry.terraform.io/providers/databricks/databricks/latest/docs/resources/secret
  databricks_secret: ['string_value'],
  // https://registry.terraform.io/providers/hashicorp/hcp/latest/docs/resources/vault_secrets_secret
  hcp_vault_secrets_secret: ['secret_value'],
  // https://registry.terraform.io/providers/DopplerHQ/doppler/latest/docs/resources/secret
  doppler_secret: ['value'],
  // https://registry.terraform.io/providers/aliyun/alicloud/latest/docs/resources/kms_secret
  alicloud_kms_secret: ['secret_data'],
  // https://registry.terraform.io/providers/tencentcloudstack/tencentcloud/latest/docs/resources/ssm_secret_version
  tencentcloud_ssm_secret_version: ['secret_string'],
  // https://registry.terraform.io/providers/huaweicloud/huaweicloud/latest/docs/resources/csms_secret
  huaweicloud_csms_secret: ['secret_text'],
  github_actions_secret: ['plaintext_value'],
  github_actions_organization_secret: ['plaintext_value'],
  github_actions_environment_secret: ['plaintext_value'],
  github_dependabot_secret: ['plaintext_value'],
  github_codespaces_secret: ['plaintext_value'],
  aws_api_gateway_api_key: ['value'],
  // CloudFormation
  'AWS::SecretsManager::Secret': ['SecretString'],
  'AWS::ApiGateway::ApiKey': ['Value'],
};

/** An SSM parameter is a secret store only as a `SecureString`; a `String` parameter holds configuration. */
function storesSecret(resource: Resource): boolean {
  return resource.type !== 'aws_ssm_parameter' || str(get(resource.body, 'type')) === 'SecureString';
}

/**
 * Azure resource types whose ARM body holds the secret, for `azapi_resource` (`type = "<type>@<api-version>"`,
 * `body = { properties = { value = ... } }`, also inside `jsonencode(...)`):
 * https://learn.microsoft.com/azure/templates/microsoft.keyvault/vaults/secrets
 */
const AZAPI_STORE_VALUES: Record<string, string> = { 'microsoft.keyvault/vaults/secrets': 'value' };

/**
 * Whether `key` is the secret-holding attribute of the resource, written directly in its body (for an
 * `azapi_resource`, at `body.properties.<key>`: `path` is the value's path from the resource body).
 */
export function isStoreValue(resource: Resource | undefined, key: string, inBody: boolean, path?: Path): boolean {
  if (resource === undefined) return false;
  const arm = azapiType(resource);
  if (arm !== undefined) return path?.length === 3 && path[0] === 'body' && path[1] === 'properties' && AZAPI_STORE_VALUES[arm] === key;
  // `secret_string_wo`, `value_wo`: the write-only form of the attribute (Terraform 1.11+), written in the configuration.
  const attribute = key.endsWith('_wo') ? key.slice(0, -3) : key;
  return inBody && (STORE_VALUES[resource.type]?.includes(attribute) ?? false) && storesSecret(resource);
}

/** For prefilters: a text that can declare such a resource names a secret (caught by the key test), is an SSM `SecureString` or an ARM Key Vault secret. */
export const STORE_HINT = /SecureString|Microsoft\.KeyVault\/vaults\/secrets/i;
