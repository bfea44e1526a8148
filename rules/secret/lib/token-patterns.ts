import { decodeBase64Text, hasGeneratedRun, isBasicAuth, isPlaceholder, isWordDefault } from './values';
import { CONNECTION_PATTERNS, connectionPassword, lineAround } from './connection-patterns';

/**
 * Token formats beyond secretlint's recommended preset: provider keys that KICS and gitleaks know
 * (Google, Square, Twilio, Mailgun, MailChimp, Microsoft Teams webhooks, Azure storage connection
 * strings, ...), the key shapes of AI and data platforms, SendGrid keys whose first segment holds a `-` (the
 * preset's pattern takes word characters only, where SendGrid's documented format is base64url), a password
 * in any URL or connection string (`connection-patterns.ts`), and PEM private keys whose headers secretlint's strict
 * pattern does not accept (encrypted keys with `Proc-Type:` lines). Each entry names the provider page that documents the format. Every pattern
 * starts with a fixed prefix and has no nested quantifier, so each runs in linear time.
 *
 * Cloud, AI and developer platforms with a distinctive prefix (DigitalOcean, HCP Terraform, Alibaba, Tencent, PyPI,
 * NVIDIA, OpenRouter, ...) are in `platform-tokens.ts`.
 *
 * Checked and left to the preset (its pattern matches the documented format): GitHub, GitLab personal access tokens
 * (its other token types are in `platform-tokens.ts`), Slack, npm, Stripe secret keys, Groq (`gsk_` + 52),
 * Databricks (`dapi` + 32 hex), Linear, Notion, Shopify, 1Password, Vault, Vercel, Docker Hub, Figma, Cloudflare,
 * Tailscale, Grafana (`glc_`, `glsa_`). Keys without a documented prefix (Weights & Biases: 40 hex; Azure OpenAI:
 * 32 hex; Cohere; Mistral; Pinecone's older UUID keys) are found by the name they are written under
 * (`WANDB_API_KEY`, `api_key=`, `wandb.login(key=...)`) by `secret/hardcoded-password`.
 */

export interface Pattern {
  /** Fixed text every match contains (one of them): a text without any cannot match. */
  hints: string[];
  /**
   * For the prefilter, where a hint alone is common in other text (`fc-` in CSS class names): a cheaper expression
   * than `re` that every match holds.
   */
  gate?: RegExp;
  kind: string;
  re: RegExp;
  /** Where the provider documents the format. */
  doc: string;
  /** Which capture group is the secret (defaults to the whole match). */
  group?: number;
  /** The environment variable the provider's tools read the secret from (where the fix moves it). */
  env?: string;
  /** Extra check on the secret (placeholders, repeated characters). */
  accept?: (secret: string, match: RegExpExecArray, ranAsWritten: boolean) => boolean;
}

/** A token body that is not a placeholder and has at least 8 distinct characters. */
export const notPlaceholder = (s: string) => !isPlaceholder(s) && new Set(s).size >= 8;

/**
 * A web server directive that sets a request or response header, up to the header's name: nginx `proxy_set_header`,
 * `grpc_set_header`, `add_header`; Apache `RequestHeader` / `Header` with `set`, `append`, `add`, `merge` or
 * `setifempty`; HAProxy `http-request` / `http-response` `set-header` / `add-header`.
 */
const HEADER_DIRECTIVE =
  '(?<![\\w-])(?:(?:proxy|grpc)_set_header|add_header|(?:Request)?Header[ \\t]+(?:set|append|add|merge|setifempty)|http-(?:request|response)[ \\t]+(?:set|add)-header)[ \\t]+';

export const PATTERNS: readonly Pattern[] = [
  {
    hints: ['hf_', 'api_org_'],
    kind: 'Hugging Face token',
    re: /(?<![A-Za-z0-9_])(?:hf|api_org)_[A-Za-z0-9]{30,40}(?![A-Za-z0-9])/g,
    doc: 'https://huggingface.co/docs/hub/security-tokens',
    accept: notPlaceholder,
  },
  {
    hints: ['sk-'],
    kind: 'OpenAI API key',
    re: /(?<![\w-])sk-(?:proj|svcacct|admin|None)-[A-Za-z0-9_-]{40,200}(?![\w-])/g,
    doc: 'https://platform.openai.com/docs/api-reference/authentication',
    accept: notPlaceholder,
  },
  {
    hints: ['sk-'],
    kind: 'OpenAI API key',
    re: /(?<![\w-])sk-[A-Za-z0-9]{48}(?![\w-])/g,
    doc: 'https://platform.openai.com/docs/api-reference/authentication',
    accept: notPlaceholder,
  },
  {
    hints: ['sk-ant-'],
    kind: 'Anthropic API key',
    re: /(?<![\w-])sk-ant-[a-z]{3,8}\d{2}-[A-Za-z0-9_-]{80,128}(?![\w-])/g,
    doc: 'https://docs.anthropic.com/en/api/getting-started',
    accept: notPlaceholder,
  },
  {
    hints: ['SG.'],
    kind: 'SendGrid API key',
    re: /(?<![\w.-])SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}(?![\w-])/g,
    doc: 'https://www.twilio.com/docs/sendgrid/ui/account-and-settings/api-keys',
    accept: notPlaceholder,
  },
  {
    hints: ['r8_'],
    kind: 'Replicate API token',
    re: /(?<![\w-])r8_[A-Za-z0-9]{37}(?![\w-])/g,
    doc: 'https://replicate.com/docs/topics/security/api-tokens',
    accept: notPlaceholder,
  },
  {
    hints: ['pcsk_'],
    kind: 'Pinecone API key',
    re: /(?<![\w-])pcsk_[A-Za-z0-9]{4,8}_[A-Za-z0-9]{40,100}(?![\w-])/g,
    doc: 'https://docs.pinecone.io/guides/projects/manage-api-keys',
    accept: notPlaceholder,
  },
  {
    hints: ['lsv2_'],
    kind: 'LangSmith API key',
    re: /(?<![\w-])lsv2_(?:pt|sk)_[0-9a-f]{32}_[0-9a-f]{10}(?![\w-])/g,
    doc: 'https://docs.smith.langchain.com/administration/how_to_guides/organization_management/create_account_api_key',
    accept: notPlaceholder,
  },
  {
    hints: ['pplx-'],
    kind: 'Perplexity API key',
    re: /(?<![\w-])pplx-[A-Za-z0-9]{48}(?![\w-])/g,
    doc: 'https://docs.perplexity.ai/guides/getting-started',
    accept: notPlaceholder,
  },
  { hints: ['xai-'], kind: 'xAI API key', re: /(?<![\w-])xai-[A-Za-z0-9]{80}(?![\w-])/g, doc: 'https://docs.x.ai/docs/overview', accept: notPlaceholder },
  {
    hints: ['whsec_'],
    kind: 'Stripe webhook signing secret',
    re: /(?<![\w-])whsec_[A-Za-z0-9]{32,64}(?![\w-])/g,
    doc: 'https://docs.stripe.com/webhooks',
    accept: notPlaceholder,
  },
  { hints: ['AIza'], kind: 'Google API key', re: /(?<![\w-])AIza[0-9A-Za-z_-]{35}(?![\w-])/g, doc: 'https://cloud.google.com/docs/authentication/api-keys' },
  {
    hints: ['ya29.'],
    kind: 'Google OAuth access token',
    re: /(?<![\w.-])ya29\.[0-9A-Za-z_-]{20,}/g,
    doc: 'https://developers.google.com/identity/protocols/oauth2',
  },
  {
    hints: ['sq0atp-'],
    kind: 'Square access token',
    re: /(?<![\w-])sq0atp-[0-9A-Za-z_-]{22}(?![\w-])/g,
    doc: 'https://developer.squareup.com/docs/build-basics/access-tokens',
  },
  {
    hints: ['sq0csp-'],
    kind: 'Square OAuth secret',
    re: /(?<![\w-])sq0csp-[0-9A-Za-z_-]{43}(?![\w-])/g,
    doc: 'https://developer.squareup.com/docs/oauth-api/overview',
  },
  {
    hints: ['amzn.mws.'],
    kind: 'Amazon MWS auth token',
    re: /amzn\.mws\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g,
    doc: 'https://developer-docs.amazon.com/sp-api/docs/sp-api-for-developers-migrating-from-amazon-mws',
  },
  {
    hints: ['-us'],
    kind: 'MailChimp API key',
    re: /(?<![0-9a-zA-Z])[0-9a-f]{32}-us[0-9]{1,2}(?![0-9a-zA-Z])/g,
    doc: 'https://mailchimp.com/developer/marketing/guides/quick-start/',
    accept: notPlaceholder,
  },
  {
    hints: ['key-'],
    kind: 'Mailgun API key',
    re: /(?<![\w-])key-[0-9a-zA-Z]{32}(?![0-9a-zA-Z])/g,
    doc: 'https://documentation.mailgun.com/docs/mailgun/api-reference/authentication',
    accept: notPlaceholder,
  },
  {
    hints: ['SK'],
    kind: 'Twilio API key',
    re: /(?<![0-9a-zA-Z])SK[0-9a-fA-F]{32}(?![0-9a-zA-Z])/g,
    doc: 'https://www.twilio.com/docs/iam/api-keys',
    accept: notPlaceholder,
  },
  {
    hints: ['EAACEdEose0cBA'],
    kind: 'Facebook access token',
    re: /(?<![0-9a-zA-Z])EAACEdEose0cBA[0-9A-Za-z]{8,}/g,
    doc: 'https://developers.facebook.com/docs/facebook-login/guides/access-tokens',
  },
  {
    hints: ['access_token$production$'],
    kind: 'PayPal Braintree access token',
    re: /access_token\$production\$[0-9a-z]{16}\$[0-9a-f]{32}/g,
    doc: 'https://developer.paypal.com/braintree/docs/guides/authorization/overview',
  },
  {
    hints: ['.webhook.office.com/webhookb2/'],
    kind: 'Microsoft Teams webhook URL',
    re: /https:\/\/[\w-]+\.webhook\.office\.com\/webhookb2\/[0-9a-f-]{36}@[0-9a-f-]{36}\/IncomingWebhook\/[0-9a-zA-Z]{32}\/[0-9a-f-]{36}/g,
    doc: 'https://learn.microsoft.com/microsoftteams/platform/webhooks-and-connectors/how-to/add-incoming-webhook',
  },
  {
    hints: ['AccountKey='],
    kind: 'Azure storage account key',
    re: /AccountKey=([A-Za-z0-9+/]{86}==)/g,
    doc: 'https://learn.microsoft.com/azure/storage/common/storage-configure-connection-string',
    group: 1,
    accept: notPlaceholder,
  },
  {
    // A shared access signature: `sig` is the Base64 HMAC-SHA256 of the signed fields (44 characters, URL-encoded
    // in a URL); the signed version `sv` comes first in the tokens Azure's tools generate.
    hints: ['sig='],
    kind: 'Azure shared access signature',
    re: /[?&]sv=\d{4}-\d{2}-\d{2}[^\s"'<>]{0,400}?&sig=([A-Za-z0-9%+/]{43,60})/g,
    doc: 'https://learn.microsoft.com/rest/api/storageservices/create-service-sas',
    group: 1,
    accept: notPlaceholder,
  },
  {
    hints: ['SharedAccessKey='],
    kind: 'Azure shared access key',
    re: /SharedAccessKey=([A-Za-z0-9+/]{43}=)/g,
    doc: 'https://learn.microsoft.com/azure/service-bus-messaging/service-bus-sas',
    group: 1,
    accept: notPlaceholder,
  },
  ...CONNECTION_PATTERNS,
  {
    hints: ['uthorization'],
    kind: 'credential in an Authorization header',
    // `Authorization: Bearer <token>` in a command or a header line, `"Authorization": "Bearer <token>"` in code and
    // data, `Authorization = "token <token>"` in HCL. A reference (`$TOKEN`, `${{ secrets.X }}`, `{token}`) or a
    // concatenation (`"Bearer " + token`) has no token character after the scheme. A header line of a printed request
    // follows the escape of the line break before it (`b'GET / HTTP/1.1\\r\\nAuthorization: Bearer ...'`).
    re: /(?<=^|[^A-Za-z]|\\[nrt])[Aa]uthorization["']?[ \t]*[:=][ \t]*["']?(?:[Bb]earer|[Tt]oken)[ \t]+([\w.~+/-]{16,512}=*)(?![\w.~+/=-])/g,
    doc: 'https://datatracker.ietf.org/doc/html/rfc6750#section-2.1',
    group: 1,
    accept: (token) => notPlaceholder(token) && hasGeneratedRun(token),
  },
  {
    hints: ['Basic ', 'basic ', 'BASIC '],
    kind: 'Basic authentication credentials',
    // `Basic <base64 of user:password>`, the value of an Authorization header wherever it is written (a header line,
    // an environment value named after the header, a dict entry, git's `http.extraheader = AUTHORIZATION: basic ...`);
    // the scheme's name is case-insensitive (https://datatracker.ietf.org/doc/html/rfc7235#section-2.1).
    re: /(?<![A-Za-z0-9])(?:Basic|basic|BASIC)[ \t]+([A-Za-z0-9+/]{8,512}={0,2})(?![A-Za-z0-9+/=])/g,
    doc: 'https://datatracker.ietf.org/doc/html/rfc7617#section-2',
    group: 1,
    accept: (encoded) => basicCredentials(encoded),
  },
  {
    hints: ['-Key', '-KEY', '-key', '-Token', '-TOKEN', '-token'],
    kind: 'API key in an HTTP header',
    // `X-API-Key: <key>`, `X-Auth-Token: <token>`, `PRIVATE-TOKEN: <token>` (GitLab): header names written with their
    // dashes, in a curl `-H`, a header line or a dict; identifier-style names (`api_key`) are read by their name elsewhere.
    // Without `X-`, `api-key` (Azure OpenAI's header) counts only opening a quoted string or key (`-H "api-key: ..."`,
    // `{"api-key": ...}`): a bare `api-key:` is a YAML key, which `secret/hardcoded-password` reads in its context.
    re: /(?:(?<=["'])(?:[Aa]pi|API)-(?:[Kk]ey|KEY|[Tt]oken|TOKEN)|(?<![A-Za-z0-9-])(?:[Xx]-(?:[Aa]pi|API)-(?:[Kk]ey|KEY|[Tt]oken|TOKEN)|[Xx]-(?:[Aa]uth|AUTH|[Aa]ccess|ACCESS)-(?:[Tt]oken|TOKEN|[Kk]ey|KEY)|(?:[Pp]rivate|PRIVATE)-(?:[Tt]oken|TOKEN)))["']?[ \t]*:[ \t]*["']?([\w.~+/-]{16,512}=*)(?![\w.~+/=-])/g,
    doc: 'https://swagger.io/docs/specification/v3_0/authentication/api-keys/',
    group: 1,
    accept: (key) => notPlaceholder(key) && hasGeneratedRun(key),
  },
  {
    hints: ['_header', 'Header', '-header'],
    kind: 'credential in an Authorization header',
    // A web server's directive that sets the header, its name and value separated by blanks: nginx
    // `proxy_set_header Authorization "Bearer ...";` (and `grpc_set_header`, `add_header`), Apache `RequestHeader set
    // Authorization "Bearer ..."`, HAProxy `http-request set-header Authorization "Bearer ..."`.
    re: new RegExp(`${HEADER_DIRECTIVE}[Aa]uthorization[ \\t]+["']?(?:[Bb]earer|[Tt]oken)[ \\t]+([\\w.~+/-]{16,512}=*)(?![\\w.~+/=-])`, 'g'),
    doc: 'https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_set_header',
    group: 1,
    accept: (token) => notPlaceholder(token) && hasGeneratedRun(token),
  },
  {
    hints: ['_header', 'Header', '-header'],
    kind: 'API key in an HTTP header',
    // The same directives setting an API-key header (`proxy_set_header X-Api-Key "...";`, `RequestHeader set
    // PRIVATE-TOKEN ...`), the header names of the pattern above.
    re: new RegExp(
      `${HEADER_DIRECTIVE}(?:(?:[Aa]pi|API)-(?:[Kk]ey|KEY|[Tt]oken|TOKEN)|[Xx]-(?:[Aa]pi|API)-(?:[Kk]ey|KEY|[Tt]oken|TOKEN)|[Xx]-(?:[Aa]uth|AUTH|[Aa]ccess|ACCESS)-(?:[Tt]oken|TOKEN|[Kk]ey|KEY)|(?:[Pp]rivate|PRIVATE)-(?:[Tt]oken|TOKEN))[ \\t]+["']?([\\w.~+/-]{16,512}=*)(?![\\w.~+/=-])`,
      'g',
    ),
    doc: 'https://httpd.apache.org/docs/2.4/mod/mod_headers.html#requestheader',
    group: 1,
    accept: (key) => notPlaceholder(key) && hasGeneratedRun(key),
  },
  {
    hints: ['curl'],
    kind: 'password in a curl --user option',
    // `curl -u user:password`, `--user "user:password"`: a `-u` of another command (`docker run -u 1000:1000`,
    // `chown`-style `user:group`) is told apart by curl on the line and a password that is no word or number. The
    // option and its value may be two items of a command list (`["curl", "-u", "user:password", ...]`).
    re: /(?<![\w-])(?:-u|--user)(?:["'][ \t]*,)?[ \t]*=?[ \t]*["']?[^\s:"'$<>{}]{1,64}:([^\s"'<>]{4,128})/g,
    doc: 'https://curl.se/docs/manpage.html#-u',
    group: 1,
    accept: (password, m, ranAsWritten) =>
      connectionPassword(password, ranAsWritten) && !isWordDefault(password) && !/^\d+$/.test(password) && /\bcurl\b/.test(lineAround(m.input, m.index)),
  },
  {
    hints: ['wget'],
    kind: 'password in a wget option',
    re: /(?<![\w-])--(?:http-|ftp-)?password[ \t]*=[ \t]*["']?([^\s"'<>]{4,128})/g,
    doc: 'https://www.gnu.org/software/wget/manual/wget.html#Download-Options',
    group: 1,
    accept: (password, m, ranAsWritten) =>
      connectionPassword(password, ranAsWritten) && !isWordDefault(password) && /\bwget\b/.test(lineAround(m.input, m.index)),
  },
  {
    hints: ['machine'],
    kind: 'password in a .netrc entry',
    // `machine api.wandb.ai login user password <key>`, on one line or several (where `wandb login` and Heroku write keys);
    // the `login` keeps prose out (`the machine learning password policy`).
    re: /\bmachine[ \t\r\n]+[^\s]+[ \t\r\n]+login[ \t\r\n]+[^\s]+(?:[ \t\r\n]+account[ \t\r\n]+[^\s]+)?[ \t\r\n]+password[ \t\r\n]+([^\s]{1,256})/g,
    doc: 'https://www.gnu.org/software/inetutils/manual/html_node/The-_002enetrc-file.html',
    group: 1,
    accept: (password, _m, ranAsWritten) => connectionPassword(password, ranAsWritten),
  },
  {
    hints: ['eyJ'],
    kind: 'JSON Web Token',
    // Three base64url parts; the header (`{"alg":...}`) and the payload are JSON objects, which is what starts
    // both with `eyJ`. A token without a signature (`alg: none`) carries no credential.
    re: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{10,1024}\.eyJ[A-Za-z0-9_-]{10,8192}\.[A-Za-z0-9_-]{16,1024}(?![A-Za-z0-9_-])/g,
    doc: 'https://datatracker.ietf.org/doc/html/rfc7519#section-3',
    accept: (token) => isSignedJwt(token),
  },
];

/** A JSON object from base64url text, or undefined. */
function jsonObject(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A signed JWT: its header names an algorithm other than `none` and its payload is a JSON object. Supabase's
 * `anon` key (payload `"role": "anon"`) is left out: Supabase documents it as safe to ship in browsers, where row
 * level security, not the key, protects the data.
 */
function isSignedJwt(token: string): boolean {
  const [header, payload] = token.split('.');
  const alg = jsonObject(header)?.alg;
  const claims = jsonObject(payload);
  return typeof alg === 'string' && alg.toLowerCase() !== 'none' && claims !== undefined && claims.role !== 'anon';
}

/** Base64 of `user:password` whose password is written out (not `<password>`, `${PASSWORD}` or filler). */
function basicCredentials(encoded: string): boolean {
  const decoded = decodeBase64Text(encoded);
  const colon = decoded === undefined ? -1 : decoded.indexOf(':');
  const password = decoded?.slice(colon + 1) ?? '';
  return decoded !== undefined && isBasicAuth(encoded) && connectionPassword(password, false) && !isWordDefault(password);
}
