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
 * Cheap pre-check: every pattern of the preset needs one of these substrings, so text without any of
 * them cannot match and secretlint is skipped — most of the speed of a whole-repository scan. Keep it
 * in step with the preset (one alternative per rule, in the preset's order): a missing prefix here
 * silently drops that provider's findings.
 */
const MAYBE_TOKEN = new RegExp(
  [
    '(?:A3T[A-Z0-9]|AKIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|ASIA)[A-Z0-9]{16}', // aws: access key ids (whole: base64 images hold the prefixes)
    '[Ss][Ee][Cc][Rr][Ee][Tt]_?[Aa][Cc][Cc][Ee][Ss][Ss]', // aws: (AWS_)SECRET_ACCESS_KEY = ...
    'npm_|_authToken|x-oauth-basic', // npm
    'xox[bpaor]|xapp|[Hh][Oo][Oo][Kk][Ss]\\.[Ss][Ll][Aa][Cc][Kk]', // slack tokens and incoming webhooks
    ':\\/\\/[^\\s/:]+:[^\\s/@]+@', // basicauth and database connection strings (user:password@)
    'T3BlbkFJ|sk-ant-api0', // openai (every key shape has the marker), anthropic
    'gsk_', // groq
    'hf_[a-zA-Z]{34}', // huggingface (the whole key: `hf_` alone is in every `hf_hub_download`)
    'lin_api_', // linear
    'ntn_', // notion
    'PRIVATE KEY', // privatekey
    'SG\\.', // sendgrid
    'shp(?:pa|ca|at|ss)_', // shopify
    '[sr]k_(?:live|test)_', // stripe
    'gh[pousr]_|github_pat_', // github
    'glpat-', // gitlab
    'glc_|glsa_', // grafana
    'ops_', // 1password
    'hv[sbr]\\.', // hashicorp vault
    'vc[picrk]_', // vercel
    'dapi', // databricks
    'dckr_pat_', // docker
    'figd_', // figma
    'cfk_|cfut_|cfat_', // cloudflare
    'tskey-', // tailscale
  ].join('|'),
);

/** The GCP rule reads service account key files: `.json` files with a `private_key`. */
const MAYBE_GCP = /private_key/;

export function mayContainToken(text: string, filePath = ''): boolean {
  return MAYBE_TOKEN.test(text) || (filePath.toLowerCase().endsWith('.json') && MAYBE_GCP.test(text));
}

/** `precheck: false` runs secretlint on any text (tests compare it with the pre-checked scan). */
export async function scanTokens(text: string, filePath = 'input.txt', opts: { precheck?: boolean } = {}): Promise<TokenHit[]> {
  if (!text || (opts.precheck !== false && !mayContainToken(text, filePath))) return [];
  // secretlint rules that look at the file type (a GCP service account key is a `.json` file) read `ext`.
  const dot = filePath.lastIndexOf('.');
  const ext = dot > filePath.lastIndexOf('/') ? filePath.slice(dot) : '';
  const result = await lintSource({
    source: { content: text, filePath, ext, contentType: 'text' },
    options: { config: CONFIG, maskSecrets: true, noPhysicFilePath: true },
  });
  const hits: TokenHit[] = [];
  for (const m of result.messages) {
    if (m.type !== 'message') continue;
    hits.push({ start: m.range[0], end: m.range[1], kind: kindOf(m.ruleId, m.messageId), source: `${m.ruleId}#${m.messageId}` });
  }
  return hits;
}
