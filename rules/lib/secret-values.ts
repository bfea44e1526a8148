/**
 * Deciding whether a key names a secret and whether a literal value is a real secret or a placeholder.
 * One vocabulary for every format: keys are split into lower-case words, so `MasterUserPassword`,
 * `master_user_password`, `DB_PASSWORD` and `db-password` all read as [..., "password"].
 */

export function keyWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** A key whose last word alone says secret. */
const SECRET_LAST = new Set(['password', 'passwd', 'pwd', 'passphrase', 'secret', 'token', 'apikey', 'credential', 'credentials', 'pat']);

/** `<qualifier>_key` pairs that are credentials (a bare `key`, `hash_key`, `partition_key` are not). */
const SECRET_KEY_QUALIFIERS = new Set(['access', 'secret', 'api', 'private', 'master', 'account', 'storage', 'auth', 'client', 'shared', 'sas', 'signing', 'encryption', 'primary', 'secondary', 'admin', 'subscription', 'license', 'webhook', 'service']);

/** Words that turn a secret-looking key into metadata about a secret (`password_length`, `secret_name`). */
const METADATA_WORDS = new Set([
  'id', 'ids', 'arn', 'name', 'names', 'length', 'len', 'min', 'max', 'ttl', 'expiry', 'expiration', 'expires',
  'rotation', 'policy', 'type', 'version', 'versions', 'enabled', 'enable', 'required', 'reset', 'path', 'file',
  'filename', 'url', 'uri', 'endpoint', 'ref', 'arns', 'kms', 'hash', 'algorithm', 'format', 'prefix', 'suffix',
  'count', 'characters', 'special', 'upper', 'lower', 'numeric', 'numbers', 'source', 'store', 'manager', 'mode',
  'duration', 'validity', 'period', 'days', 'hours', 'seconds', 'age', 'complexity', 'reuse', 'history', 'id_',
  'location', 'description', 'secret_id', 'parameter', 'param', 'env', 'var', 'variable', 'key_vault', 'vault',
  'wo', 'ssm', 'header', 'field', 'fields', 'selector', 'public', 'audience', 'issuer', 'scope', 'scopes', 'mount',
]);

export function isSecretKey(key: string): boolean {
  const words = keyWords(key);
  if (words.length === 0) return false;
  const last = words[words.length - 1];
  if (METADATA_WORDS.has(last)) return false;
  if (words.includes('public')) return false;
  if (SECRET_LAST.has(last)) return true;
  if (last === 'key' || last === 'keys') {
    const prev = words[words.length - 2];
    return prev !== undefined && SECRET_KEY_QUALIFIERS.has(prev);
  }
  return false;
}

const PLACEHOLDER = [
  /^\s*$/,
  /^<[^>]*>$/, // <password>
  /^\$\{[^}]*\}$/, // ${VAR}
  /^\$[A-Z_][A-Z0-9_]*$/, // $VAR
  /^\{\{.*\}\}$/, // {{ template }} / {{resolve:...}}
  /^%[^%]+%$/, // %VAR%
  /^(change[-_ ]?me|changeit|replace[-_ ]?me|to[-_ ]?do|todo|tbd|fixme|placeholder|example|dummy|sample|test|none|null|nil|undefined|empty|redacted|secret|password|passwd|your[-_ ].*|my[-_ ]?(password|secret|token)|enter[-_ ].*|insert[-_ ].*|xxx+|\*+|\.+|-+|_+)$/i,
  /^(your|my|the)[-_ ]?[a-z_-]*(password|secret|token|key)[a-z_-]*$/i,
  /^(true|false|yes|no|on|off)$/i,
  /^(arn|ssm|secretsmanager|vault|projects\/[^/]+\/secrets):/i, // a pointer to a secret store
  /^(\/|\.\/|~\/)[^\s]*$/, // a file path
  /^(x)\1{3,}$/i,
];

export function isPlaceholder(value: string): boolean {
  const v = value.trim();
  if (v.length < 4) return true;
  return PLACEHOLDER.some((re) => re.test(v));
}
