import { lintSource } from '@secretlint/core';
import { creator as recommended } from '@secretlint/secretlint-rule-preset-recommend';
import type { SecretLintCoreConfig } from '@secretlint/types';

/**
 * Token-format secrets (provider keys with a recognisable shape) found by secretlint's recommended
 * preset. Secretlint's own messages quote the secret, so only the provider and the range leave here.
 */

export interface TokenHit {
  start: number;
  end: number;
  /** Human name of the provider or kind, e.g. "AWS access key id". */
  kind: string;
  /** secretlint rule and message id, for tests and debugging. */
  source: string;
}

const CONFIG: SecretLintCoreConfig = {
  rules: [
    {
      id: '@secretlint/secretlint-rule-preset-recommend',
      rule: recommended,
      rules: [
        {
          id: '@secretlint/secretlint-rule-aws',
          // Bare access key ids (AKIA...) are committed far more often than full key pairs.
          options: { enableIDScanRule: true },
          // An account id is an identifier, not a credential.
          allowMessageIds: ['AWSAccountID'],
        },
      ],
    },
  ],
};

const KIND_BY_MESSAGE: Record<string, string> = {
  AWSAccessKeyID: 'AWS access key id',
  AWSSecretAccessKey: 'AWS secret access key',
};

const KIND_BY_RULE: Record<string, string> = {
  aws: 'AWS credential',
  gcp: 'Google Cloud service account key',
  npm: 'npm token',
  slack: 'Slack token',
  basicauth: 'password in a URL (basic auth)',
  openai: 'OpenAI API key',
  anthropic: 'Anthropic API key',
  groq: 'Groq API key',
  huggingface: 'Hugging Face token',
  linear: 'Linear API key',
  notion: 'Notion token',
  privatekey: 'private key',
  sendgrid: 'SendGrid API key',
  shopify: 'Shopify token',
  stripe: 'Stripe key',
  github: 'GitHub token',
  gitlab: 'GitLab token',
  grafana: 'Grafana token',
  '1password': '1Password token',
  'database-connection-string': 'database connection string with a password',
  'hashicorp-vault': 'HashiCorp Vault token',
  vercel: 'Vercel token',
  databricks: 'Databricks token',
  docker: 'Docker registry credential',
  figma: 'Figma token',
  cloudflare: 'Cloudflare token',
  tailscale: 'Tailscale key',
};

function kindOf(ruleId: string, messageId: string): string {
  const short = ruleId.replace('@secretlint/secretlint-rule-', '');
  return KIND_BY_MESSAGE[messageId] ?? KIND_BY_RULE[short] ?? `${short} secret`;
}

/**
 * Cheap pre-check: every provider pattern in the preset needs one of these substrings, so text without
 * any of them cannot match. Skipping secretlint there is most of the speed of a whole-repository scan.
 */
const MAYBE_TOKEN =
  /AKIA|ASIA|A3T|ABIA|ACCA|aws|AWS|private_key|PRIVATE KEY|npm_|_authToken|xox|hooks\.slack|:\/\/[^\s/@:]+:[^\s/@]+@|sk-|hf_|api_org_|lin_|secret_|ntn_|SG\.|shp|sk_|rk_|pk_|gh[pousr]_|github_pat_|glpat-|glcbt-|gldt-|glft-|glsoat-|glrt-|GR1|glc_|glsa_|ops_|eyJ|hvs\.|hvb\.|s\.[A-Za-z0-9]{24}|dapi|auths|figd_|tskey|gsk_|\bv1\.|cloudflare|CLOUDFLARE|cf_/;

export function mayContainToken(text: string): boolean {
  return MAYBE_TOKEN.test(text);
}

export async function scanTokens(text: string, filePath = 'input.txt'): Promise<TokenHit[]> {
  if (!text || !mayContainToken(text)) return [];
  const result = await lintSource({
    source: { content: text, filePath, contentType: 'text' },
    options: { config: CONFIG, maskSecrets: true, noPhysicFilePath: true },
  });
  const hits: TokenHit[] = [];
  for (const m of result.messages) {
    if (m.type !== 'message') continue;
    hits.push({ start: m.range[0], end: m.range[1], kind: kindOf(m.ruleId, m.messageId), source: `${m.ruleId}#${m.messageId}` });
  }
  return hits;
}
