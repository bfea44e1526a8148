import { get, type Resource, str } from '../../../core';

/**
 * Attributes that hold the secret itself in resources that store one: whatever the attribute is called, a literal
 * there is a secret written into the template (a JSON document there is judged by its own keys).
 */
const STORE_VALUES: Record<string, string[]> = {
  // Terraform
  aws_secretsmanager_secret_version: ['secret_string', 'secret_binary'],
  aws_ssm_parameter: ['value'],
  azurerm_key_vault_secret: ['value'],
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

/** Whether `key` is the secret-holding attribute of the resource, written directly in its body. */
export function isStoreValue(resource: Resource | undefined, key: string, inBody: boolean): boolean {
  return inBody && resource !== undefined && (STORE_VALUES[resource.type]?.includes(key) ?? false) && storesSecret(resource);
}

/** For prefilters: a text that can declare such a resource names a secret (caught by the key test) or is an SSM `SecureString`. */
export const STORE_HINT = /SecureString/;
