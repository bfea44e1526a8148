import { notPlaceholder, type Pattern } from './token-patterns';

/**
 * Token formats of cloud and infrastructure services, AI platforms and developer platforms that carry a distinctive,
 * documented prefix, as secret scanners know them (the shapes agree with gitleaks' `config/gitleaks.toml` where it has
 * the provider). Each entry names the provider page that documents the token and the environment variable the
 * provider's tools read it from (the fix moves a literal there). The part after the prefix is the named group `body`:
 * a body of filler or of one repeated character is a placeholder, not a token.
 *
 * GitLab personal access tokens (`glpat-`) are in secretlint's preset, GitLab's other token types here.
 *
 * Checked and left out: Grafana (`glc_`, `glsa_`) is in secretlint's preset; Cerebras, Voyage, Fireworks, Modal and
 * Anyscale document no key prefix, or one too short to tell from other text (`pa-`, `fw_`, `ak-`), and Jina documents
 * none of the shape after its prefix: they are found by the name they are written under (`CEREBRAS_API_KEY=...`) by
 * `secret/hardcoded-password`.
 */

/** The body is generated: not a placeholder, at least 8 distinct characters. */
const generated: Pattern['accept'] = (_secret, m) => notPlaceholder(m.groups?.body ?? m[0]);

/**
 * Generated and mixing a digit or both cases in: after a short prefix (`LTAI`, `ico-`, `fc-`), a word in one case
 * (`LTAIPERSISTENCEMODEFLAG`, `ico-` and a 32-letter word) is an identifier.
 */
const generatedMixed: Pattern['accept'] = (secret, m, ran) => {
  const body = m.groups?.body ?? m[0];
  return generated(secret, m, ran) && (/\d/.test(body) || (/[a-z]/.test(body) && /[A-Z]/.test(body)));
};

function token(kind: string, hints: string[], re: RegExp, doc: string, env: string, accept = generated, gate?: RegExp): Pattern {
  return { kind, hints, re, doc, env, accept, gate };
}

const CLOUD: Pattern[] = [
  token(
    'Alibaba Cloud AccessKey ID',
    ['LTAI'],
    /(?<![A-Za-z0-9_])LTAI(?<body>[A-Za-z0-9]{12,20})(?![A-Za-z0-9_])/g,
    'https://www.alibabacloud.com/help/en/ram/user-guide/create-an-accesskey-pair',
    'ALIBABA_CLOUD_ACCESS_KEY_ID',
    generatedMixed,
  ),
  token(
    'Tencent Cloud SecretId',
    ['AKID'],
    /(?<![A-Za-z0-9_])AKID(?<body>[A-Za-z0-9]{32})(?![A-Za-z0-9_])/g,
    'https://www.tencentcloud.com/document/product/214/4188',
    'TENCENTCLOUD_SECRET_ID',
    generatedMixed,
  ),
  token(
    'DigitalOcean token',
    ['dop_v1_', 'doo_v1_', 'dor_v1_'],
    // Personal access (`dop_`), OAuth access (`doo_`) and refresh (`dor_`) tokens.
    /(?<![\w-])do[opr]_v1_(?<body>[a-f0-9]{64})(?![\w-])/g,
    'https://docs.digitalocean.com/reference/api/create-personal-access-token/',
    'DIGITALOCEAN_TOKEN',
  ),
  token(
    'HCP Terraform API token',
    ['.atlasv1.'],
    /(?<![\w.-])[A-Za-z0-9]{14}\.atlasv1\.(?<body>[A-Za-z0-9_=-]{60,70})(?![\w=-])/g,
    'https://developer.hashicorp.com/terraform/cloud-docs/users-teams-organizations/api-tokens',
    'TFE_TOKEN',
  ),
  token(
    'Heroku API key',
    ['HRKU-AA'],
    /(?<![\w-])HRKU-AA(?<body>[\w-]{58})(?![\w-])/g,
    'https://devcenter.heroku.com/articles/authentication',
    'HEROKU_API_KEY',
  ),
  token('Fly.io token', ['fo1_'], /(?<![\w-])fo1_(?<body>[\w-]{43})(?![\w-])/g, 'https://fly.io/docs/security/tokens/', 'FLY_API_TOKEN'),
  token(
    'Fly.io token',
    ['fm1a_', 'fm1r_', 'fm2_'],
    // Macaroon tokens: `FlyV1 fm2_...` (several, comma-separated, in one value: the first is reported).
    /(?<![\w+/-])fm(?:1[ar]|2)_(?<body>[A-Za-z0-9+/]{100,4096}={0,3})(?![A-Za-z0-9+/=])/g,
    'https://fly.io/docs/security/tokens/',
    'FLY_API_TOKEN',
  ),
  token(
    'age secret key',
    ['AGE-SECRET-KEY-1'],
    // Bech32: the `AGE-SECRET-KEY-` part, the separator `1`, 58 characters of the bech32 alphabet.
    /(?<![\w-])AGE-SECRET-KEY-1(?<body>[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58})(?![A-Za-z0-9])/g,
    'https://age-encryption.org/v1',
    'SOPS_AGE_KEY',
  ),
  token(
    'Doppler token',
    ['dp.pt.', 'dp.st.', 'dp.sa.', 'dp.said.', 'dp.ct.', 'dp.scim.', 'dp.audit.'],
    // The documented formats: personal, service (with the config's name or not), service account (and its identity),
    // CLI, SCIM and audit tokens.
    /(?<![\w.-])dp\.(?:(?:pt|sa|said|ct|scim|audit)\.|st\.(?:[a-z0-9_-]{2,35}\.)?)(?<body>[A-Za-z0-9]{40,44})(?![\w-])/g,
    'https://docs.doppler.com/docs/Auth-token-formats',
    'DOPPLER_TOKEN',
  ),
  token(
    'Pulumi access token',
    ['pul-'],
    /(?<![\w-])pul-(?<body>[a-f0-9]{40})(?![\w-])/g,
    'https://www.pulumi.com/docs/pulumi-cloud/access-management/access-tokens/',
    'PULUMI_ACCESS_TOKEN',
  ),
  token(
    'PyPI API token',
    ['pypi-AgE'],
    // A macaroon whose base64 starts with the location: `pypi.org` or `test.pypi.org`.
    /(?<![\w-])pypi-AgE(?:IcHlwaS5vcmc|NdGVzdC5weXBpLm9yZw)(?<body>[\w-]{50,1000})(?![\w-])/g,
    'https://pypi.org/help/#apitoken',
    'TWINE_PASSWORD',
  ),
  token(
    'New Relic user API key',
    ['NRAK-'],
    /(?<![\w-])NRAK-(?<body>[A-Za-z0-9]{27})(?![\w-])/g,
    'https://docs.newrelic.com/docs/apis/intro-apis/new-relic-api-keys/',
    'NEW_RELIC_API_KEY',
  ),
  token(
    'Dynatrace token',
    ['dt0'],
    // A prefix naming the token type (`dt0c01` API tokens, `dt0s01`, ...), a 24-character public part, a 64-character secret.
    /(?<![\w.-])dt0[a-z]\d{2}\.(?<body>[A-Za-z0-9]{24}\.[A-Za-z0-9]{64})(?![\w-])/g,
    'https://docs.dynatrace.com/docs/shortlink/api-authentication',
    'DT_API_TOKEN',
  ),
  token(
    'Sentry auth token',
    ['sntryu_'],
    /(?<![\w-])sntryu_(?<body>[a-f0-9]{64})(?![\w-])/g,
    'https://docs.sentry.io/account/auth-tokens/',
    'SENTRY_AUTH_TOKEN',
  ),
  token(
    'Sentry auth token',
    ['sntrys_'],
    // Organization tokens: base64 of a JSON object (`{"iat":...,"url":...}`), `_`, a 43-character secret.
    /(?<![\w-])sntrys_(?<body>eyJ[A-Za-z0-9+/]{20,800}={0,2}_[A-Za-z0-9+/]{43})(?![\w+/=-])/g,
    'https://docs.sentry.io/account/auth-tokens/',
    'SENTRY_AUTH_TOKEN',
  ),
  token(
    'PlanetScale token',
    ['pscale_tkn_', 'pscale_oauth_'],
    /(?<![\w-])pscale_(?:tkn|oauth)_(?<body>[\w=.-]{32,64})(?![\w=.-])/g,
    'https://planetscale.com/docs/concepts/service-tokens',
    'PLANETSCALE_SERVICE_TOKEN',
  ),
  token(
    'PlanetScale password',
    ['pscale_pw_'],
    /(?<![\w-])pscale_pw_(?<body>[\w=.-]{32,64})(?![\w=.-])/g,
    'https://planetscale.com/docs/concepts/connection-strings',
    'DATABASE_PASSWORD',
  ),
  token(
    'Supabase access token',
    ['sbp_'],
    /(?<![\w-])sbp_(?<body>[a-f0-9]{40})(?![\w-])/g,
    'https://supabase.com/docs/guides/platform/personal-access-tokens',
    'SUPABASE_ACCESS_TOKEN',
  ),
  token(
    'Atlassian API token',
    ['ATATT3'],
    /(?<![\w-])ATATT3(?<body>[\w=-]{186})(?![\w=-])/g,
    'https://support.atlassian.com/atlassian-account/docs/manage-api-tokens-for-your-atlassian-account/',
    'ATLASSIAN_API_TOKEN',
  ),
  token(
    'Infracost API key',
    ['ico-'],
    /(?<![\w-])ico-(?<body>[A-Za-z0-9]{32})(?![\w-])/g,
    'https://www.infracost.io/docs/integrations/environment_variables/',
    'INFRACOST_API_KEY',
    generatedMixed,
    /ico-[A-Za-z0-9]{32}/,
  ),
  token(
    'OpenShift access token',
    ['sha256~'],
    // `oc login --token=sha256~...`: an OAuth access token, 43 characters of unpadded base64url after the prefix.
    /(?<![\w-])sha256~(?<body>[\w-]{43})(?![\w-])/g,
    'https://docs.redhat.com/en/documentation/openshift_container_platform/4.12/html/oauth_apis/oauth-apis',
    'OPENSHIFT_TOKEN',
  ),
];

const AI: Pattern[] = [
  token('NVIDIA API key', ['nvapi-'], /(?<![\w-])nvapi-(?<body>[\w-]{64})(?![\w-])/g, 'https://docs.api.nvidia.com/nim/docs/api-quickstart', 'NVIDIA_API_KEY'),
  token(
    'OpenRouter API key',
    ['sk-or-v1-'],
    /(?<![\w-])sk-or-v1-(?<body>[a-f0-9]{64})(?![\w-])/g,
    'https://openrouter.ai/docs/api-reference/authentication',
    'OPENROUTER_API_KEY',
  ),
  token(
    'Tavily API key',
    ['tvly-'],
    /(?<![\w-])tvly-(?:(?:dev|prod)-)?(?<body>[A-Za-z0-9]{32})(?![\w-])/g,
    'https://docs.tavily.com/documentation/api-reference/introduction',
    'TAVILY_API_KEY',
  ),
  token(
    'Firecrawl API key',
    ['fc-'],
    /(?<![\w-])fc-(?<body>[a-f0-9]{32})(?![\w-])/g,
    'https://docs.firecrawl.dev/api-reference/introduction#authentication',
    'FIRECRAWL_API_KEY',
    generatedMixed,
    /fc-[a-f0-9]{32}/,
  ),
];

const DEVELOPER: Pattern[] = [
  token(
    'GitLab token',
    ['gldt-', 'glrt-', 'glptt-', 'glcbt-', 'glft-', 'glimt-', 'glagent-', 'gloas-', 'glsoat-', 'glffct-'],
    // The token types besides personal access tokens (`glpat-`, the preset's): deploy, runner authentication (routable
    // `glrt-t1_...` too), pipeline trigger, CI/CD job, feed, incoming mail, agent, OAuth application secret, SCIM and
    // feature flag client tokens.
    /(?<![\w-])gl(?:dt-[\w-]{20}|rt-(?:t\d_)?[\w-]{20,300}(?:\.[0-9a-z]{9})?|ptt-[0-9a-f]{40}|cbt-[0-9a-zA-Z]{1,5}_[\w-]{20}|ft-[\w-]{20}|imt-[\w-]{25}|agent-[\w-]{50}|oas-[\w-]{64}|soat-[\w-]{20}|ffct-[\w-]{20})(?![\w-])/g,
    'https://docs.gitlab.com/security/tokens/#token-prefixes',
    'GITLAB_TOKEN',
    (_secret, m) => notPlaceholder(m[0].slice(m[0].indexOf('-') + 1)),
  ),
  token(
    'GitLab runner registration token',
    ['GR1348941'],
    /(?<![\w-])GR1348941(?<body>[\w-]{20})(?![\w-])/g,
    'https://docs.gitlab.com/security/tokens/#token-prefixes',
    'REGISTRATION_TOKEN',
  ),
  token(
    'SonarQube token',
    ['squ_', 'sqp_', 'sqa_'],
    // User (`squ_`), project analysis (`sqp_`) and global analysis (`sqa_`) tokens: the prefix and 40 lower-case hex
    // digits. A project badge token (`sqb_`) only reads a badge and is published in READMEs by design.
    /(?<![\w-])sq[upa]_(?<body>[a-f0-9]{40})(?![\w-])/g,
    'https://docs.sonarsource.com/sonarqube-server/latest/user-guide/managing-tokens/',
    'SONAR_TOKEN',
  ),
  token(
    'RubyGems API key',
    ['rubygems_'],
    /(?<![\w-])rubygems_(?<body>[a-f0-9]{48})(?![\w-])/g,
    'https://guides.rubygems.org/api-key-scopes/',
    'GEM_HOST_API_KEY',
  ),
  token(
    'Clojars deploy token',
    ['CLOJARS_'],
    /(?<![\w-])CLOJARS_(?<body>[a-z0-9]{60})(?![\w-])/g,
    'https://github.com/clojars/clojars-web/wiki/Deploy-Tokens',
    'CLOJARS_DEPLOY_TOKEN',
  ),
  token(
    'Postman API key',
    ['PMAK-'],
    /(?<![\w-])PMAK-(?<body>[a-f0-9]{24}-[a-f0-9]{34})(?![\w-])/g,
    'https://learning.postman.com/docs/developer/postman-api/authentication/',
    'POSTMAN_API_KEY',
  ),
  token(
    'Prefect API key',
    ['pnu_'],
    /(?<![\w-])pnu_(?<body>[A-Za-z0-9]{36})(?![\w-])/g,
    'https://docs.prefect.io/v3/manage/cloud/manage-users/api-keys',
    'PREFECT_API_KEY',
  ),
  token(
    'Telegram bot token',
    [':AA'],
    // `<bot id>:<secret>`, the secret starting with `AA` (`110201543:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw` in the docs),
    // alone or in a Bot API URL (`https://api.telegram.org/bot<token>/sendMessage`).
    /(?:(?<=\/bot)|(?<![\w:-]))\d{8,10}:(?<body>AA[\w-]{32,33})(?![\w-])/g,
    'https://core.telegram.org/bots/api#authorizing-your-bot',
    'TELEGRAM_BOT_TOKEN',
  ),
  token(
    'Mapbox secret token',
    ['sk.eyJ1'],
    // `sk.` + base64url of `{"u":"<user>","a":"<id>"}` + `.` + the secret; public `pk.` tokens are meant for browsers.
    /(?<![\w.-])sk\.(?<body>eyJ1Ijoi[A-Za-z0-9_-]{10,400}\.[A-Za-z0-9_-]{20,32})(?![\w.-])/g,
    'https://docs.mapbox.com/help/dive-deeper/access-tokens/',
    'MAPBOX_ACCESS_TOKEN',
  ),
  token(
    'Brevo API key',
    ['xkeysib-'],
    /(?<![\w-])xkeysib-(?<body>[a-f0-9]{64}-[A-Za-z0-9]{16})(?![\w-])/g,
    'https://developers.brevo.com/docs/getting-started',
    'BREVO_API_KEY',
  ),
  token(
    'Shippo API token',
    ['shippo_'],
    /(?<![\w-])shippo_(?:live|test)_(?<body>[a-fA-F0-9]{40})(?![\w-])/g,
    'https://docs.goshippo.com/docs/guides_general/authentication/',
    'SHIPPO_API_KEY',
  ),
  token(
    'Typeform personal access token',
    ['tfp_'],
    /(?<![\w-])tfp_(?<body>[\w.=-]{59})(?![\w.=-])/g,
    'https://www.typeform.com/developers/get-started/personal-access-token/',
    'TYPEFORM_TOKEN',
  ),
  {
    kind: 'Discord webhook URL',
    hints: ['discord.com/api/', 'discordapp.com/api/'],
    // `https://discord.com/api/webhooks/{webhook.id}/{webhook.token}`: whoever holds the URL posts to the channel. The
    // id is a snowflake; the token's length is not documented (68 characters as Discord issues them today).
    re: /https:\/\/(?:(?:canary|ptb)\.)?discord(?:app)?\.com\/api(?:\/v\d{1,2})?\/webhooks\/\d{17,20}\/(?<body>[\w-]{60,100})(?![\w-])/g,
    doc: 'https://discord.com/developers/docs/resources/webhook#execute-webhook',
    accept: generated,
  },
  token(
    'ReadMe API key',
    ['rdme_'],
    /(?<![\w-])rdme_(?<body>[a-z0-9]{70})(?![\w-])/g,
    'https://docs.readme.com/main/reference/intro/authentication',
    'README_API_KEY',
  ),
];

/** The patterns, by family: cloud and infrastructure, AI platforms, developer platforms. */
export const PLATFORM_PATTERNS: readonly Pattern[] = [...CLOUD, ...AI, ...DEVELOPER];
