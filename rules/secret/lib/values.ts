/** Deciding whether a literal under a secret key is a real secret: placeholders, ciphertext, image defaults, base64. */

const PLACEHOLDER_WORDS =
  /^(change[-_ ]?me|change[-_ ]?it|changeit|replace[-_ ]?me|to[-_ ]?do|todo|tbd|fixme|placeholder|example|dummy|sample|test|none|null|nil|undefined|empty|redacted|masked|hidden|secret|password|passwd|pass|token|apikey|api[-_ ]key|string|value|demo|default|read|write|required|optional|not[-_ ]?set|unset|your[-_ ].*|my[-_ ]?(password|passwd|pass|pwd|secret|token|key)|enter[-_ ].*|insert[-_ ].*|put[-_ ].*|add[-_ ].*|xxx+|\*+|\.+|-+|_+|#+)$/i;

const PLACEHOLDER = [
  /^\s*$/,
  PLACEHOLDER_WORDS,
  /^<[^>]*>$/, // <password>
  /^\[[^\]]*\]$/, // [password]
  /^\$+\{?[A-Za-z_][A-Za-z0-9_]*\}?$/, // $VAR, ${VAR}, $$VAR (escaped for compose / make)
  /^%[^%]+%$/, // %VAR%
  /^\{[^{}]*\}$/, // {placeholder}, a kubeconfig JSONPath `{.credential.access_token}`
  /^(your|the|some|a|an|invalid|fake|dummy|sample|example|mock|bogus)[-_ ]?[a-z_-]*(password|passwd|pass|pwd|secret|token|key)[a-z_-]*$/i,
  // `my_api_key`, `my-db-password`; run together (`mysecretpassword`, the postgres image's example) it is deployed as is.
  /^my[-_ ][a-z_-]*(password|passwd|pass|pwd|secret|token|key)[a-z_-]*$/i,
  // The name of a Secret object or file rather than its content: `hf-secret`, `db-password`, `api-key-2`.
  /^(?=[a-z0-9-]*(?:^|-)(?:secrets?|tokens?|passwords?|keys?|credentials?|creds)(?:-|$))[a-z]+[0-9]{0,3}(?:-[a-z]+[0-9]{0,3})+$/,
  /^(true|false|yes|no|on|off)$/i,
  /^[~^<>=v]*\d+(?:\.\d+){1,3}(?:[-+][0-9A-Za-z.]+)?$/, // a version: 13.1.0, ^2.0, v1.2.3-beta
  /^(arn|ssm|secretsmanager|vault|projects\/[^/]+\/secrets|alias|kms|keyvault|azurekeyvault|gcpsm|awssm|op|sops):/i, // a pointer to a secret store
  /^(\/|\.\/|\.\.\/|~\/)[^\s]*$/, // a file path
  /^[a-z][a-z0-9+.-]*:\/\/[^\s:@/]+(?::\d+)?(?:[/?#][^\s@]*)?$/i, // a URL without credentials
  /^(var|local|data|module|each|count|self|path|terraform)\.[A-Za-z_][\w.[\]"-]*$/, // a Terraform reference written as a string
  /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/, // an environment variable's name: GOOGLE_API_KEY_VAL
  /^[a-z0-9]{1,12}[-_][A-Z][A-Z_]*[A-Z]$/, // a provider prefix then a name in capitals: nvapi-NVKEY, sk-YOURKEY
];

/** Shapes that mean "this is filled in elsewhere": templates and interpolation, runs of x, ellipses. */
const TEMPLATED =
  /\{\{|\}\}|\$\{|\$\(|%\(|<%|\{%|(?:^|[^A-Za-z])(?:x{4,}|X{4,})|\*{3,}|\.\.\.|…|<[A-Za-z][\w -]*>|\bREPLACE|\bYOUR[_-]|PLACEHOLDER|[Pp]laceholder|CHANGE_?ME|[Cc]hange_?me|REDACTED|[Rr]edacted/;

export function isPlaceholder(value: string): boolean {
  const v = value.trim();
  if (v.length < 4) return true;
  if (/^(.)\1+$/.test(v)) return true; // aaaa, 0000, ****
  if (TEMPLATED.test(v)) return true;
  // Placeholders are short; the whole-value shapes below are only tried on short values, which also keeps
  // the two-sided patterns (`your_..._key`) cheap on a long script.
  return v.length <= 256 && PLACEHOLDER.some((re) => re.test(v));
}

/** Ciphertext that is safe to commit: Ansible Vault, SOPS, `age`, PGP messages. */
export function isEncrypted(value: string): boolean {
  return /^(\$ANSIBLE_VAULT;|ENC\[[A-Z0-9_]+,data:|-----BEGIN (AGE ENCRYPTED FILE|PGP MESSAGE)-----)/.test(value.trim());
}

/**
 * A single lower-case word, optionally hyphenated or followed by a few digits (`mysql`, `minio123`,
 * `c-krit`): the documented default of a container image more than a credential someone chose. Used
 * only for values in container environment lists, where such defaults are the norm in sample manifests.
 */
export function isWordDefault(value: string): boolean {
  return /^[A-Za-z][a-z]*(?:[-_][a-z]+)*[0-9]{0,4}$/.test(value.trim());
}

/** The text a base64 literal encodes, when it is base64 of mostly printable text; undefined otherwise. */
export function decodeBase64Text(value: string): string | undefined {
  const v = value.replace(/\s+/g, '');
  if (v.length < 8 || v.length % 4 === 1 || !/^[A-Za-z0-9+/]+={0,2}$/.test(v)) return undefined;
  let text: string;
  try {
    text = Buffer.from(v, 'base64').toString('utf8');
  } catch {
    return undefined;
  }
  if (!text) return undefined;
  let printable = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 32 && c < 127) || c === 9 || c === 10 || c === 13 || c > 159) printable++;
  }
  return printable / text.length >= 0.95 && !text.includes('\uFFFD') ? text : undefined;
}
