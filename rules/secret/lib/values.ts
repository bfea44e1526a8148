/** Deciding whether a literal under a secret key is a real secret: placeholders, ciphertext, image defaults, base64. */

/**
 * Words that stand for a value. `notasecret` is the password Google gives every P12 service-account key file, the
 * same for all of them ("the password for all Google-issued private keys is the same (notasecret)",
 * https://developers.google.com/console/help/#service_accounts): knowing it opens no key.
 */
const PLACEHOLDER_WORDS =
  /^(change[-_ ]?me|change[-_ ]?it|changeit|replace[-_ ]?me|to[-_ ]?do|todo|tbd|fixme|placeholder|example|dummy|fake|mock|bogus|unused|sample|test|none|null|nil|undefined|empty|redacted|masked|hidden|secret|password|passwd|pass|token|apikey|api[-_ ]key|string|value|demo|default|read|write|required|optional|not[-_ ]?set|unset|your[-_ ].*|my[-_ ]?(password|passwd|pass|pwd|secret|token|key)|not[-_ ]?a[-_ ]?secret|enter[-_ ].*|insert[-_ ].*|put[-_ ].*|add[-_ ].*|xxx+|\*+|\.+|-+|_+|#+)$/i;

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
  // LiteLLM's reference to an environment variable in its model lists and proxy config (`api_key: os.environ/AZURE_API_KEY`,
  // https://docs.litellm.ai/docs/proxy/configs): the key is read from the variable when the model is called.
  /^os\.environ\/[A-Za-z_][A-Za-z0-9_]*$/,
  // A Secret Manager secret's resource name (`secret = "projects/p/secrets/hf-token"` of a secret version): it names the secret.
  /^projects\/[^/\s]+\/secrets\/[^/\s]+(?:\/versions\/[^/\s]+)?$/,
  /^(\/|\.\/|\.\.\/|~\/)[^\s]*$/, // a file path
  /^[a-z][a-z0-9+.-]*:\/\/[^\s:@/]+(?::\d+)?(?:[/?#][^\s@]*)?$/i, // a URL without credentials
  /^(var|local|data|module|each|count|self|path|terraform)\.[A-Za-z_][\w.[\]"-]*$/, // a Terraform reference written as a string
  /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/, // an environment variable's name: GOOGLE_API_KEY_VAL
  /^[a-z0-9]{1,12}[-_][A-Z][A-Z_]*[A-Z]$/, // a provider prefix then a name in capitals: nvapi-NVKEY, sk-YOURKEY
];

/** Shapes that mean "this is filled in elsewhere": templates and interpolation (Ruby's and release pipelines' `#{Name}`), runs of x, ellipses. */
const TEMPLATED =
  /\{\{|\}\}|\$\{|\$\(|%\(|<%|\{%|#\{[^}\s]{1,128}\}|(?:^|[^A-Za-z])(?:x{4,}|X{4,})|\*{3,}|\.\.\.|…|<[A-Za-z][\w -]*>|\bREPLACE|\bYOUR[_-]|PLACEHOLDER|[Pp]laceholder|CHANGE_?ME|[Cc]hange_?me|REDACTED|[Rr]edacted/;

/**
 * A Key Vault reference in an App Service, Functions or App Configuration setting
 * (`@Microsoft.KeyVault(SecretUri=...)`, `@Microsoft.KeyVault(VaultName=...;SecretName=...)`): the platform reads the
 * secret from the vault, the setting only names it.
 * https://learn.microsoft.com/azure/app-service/app-service-key-vault-references
 */
const KEY_VAULT_REFERENCE = /^@Microsoft\.KeyVault\(/;

/** A credential written as its own kind's name (`password`, `secret`, `token`). */
const SELF_NAMED = /^(password|passwd|pass|secret|token|apikey|api[-_ ]key)$/i;

/**
 * The longest run of one filler character — `x`, `X`, `0`, `*`, `#`, `.`, the characters people type to stand
 * for a value (`AKIAXXXXXXXXXXXXXXXX`, `ghp_000...`).
 */
function longestFillerRun(v: string): number {
  let best = 0;
  for (let i = 0, run = 0; i < v.length; i++) {
    const c = v[i];
    run = 'xX0*#.'.includes(c) ? (i > 0 && v[i - 1] === c ? run + 1 : 1) : 0;
    if (run > best) best = run;
  }
  return best;
}

/** How many runs of one repeated character the value is made of (`aaaa1111` is 2). */
function runCount(v: string): number {
  let runs = 0;
  for (let i = 0; i < v.length; i++) if (i === 0 || v[i] !== v[i - 1]) runs++;
  return runs;
}

/** Words that say a phrase describes the value to put there: `random_token`, `generated-api-key`. */
const DESCRIBING_WORDS = new Set(['random', 'generated', 'secure', 'strong', 'new', 'real', 'actual', 'valid', 'long', 'some', 'any', 'other']);
/** What such a phrase describes. */
const DESCRIBED_WORDS = new Set(['password', 'passwd', 'pass', 'pwd', 'secret', 'token', 'key', 'string', 'value', 'credential', 'credentials']);

/**
 * A phrase of two to six lower-case words, at least one describing (`random`, `generated`, `strong`) and one
 * naming what is described (`token`, `password`, `string`): `random_token`, `some_long_random_string`. Written
 * where a value goes, it says what to put there; a chosen password is not spelled as a description of one.
 */
function describesAValue(v: string): boolean {
  if (!/^[a-z]+(?:[-_ ][a-z]+){1,5}$/.test(v)) return false;
  const words = v.split(/[-_ ]/);
  return words.some((w) => DESCRIBING_WORDS.has(w)) && words.some((w) => DESCRIBED_WORDS.has(w));
}

/** `your_key_here`, `sk-your-key`, `<token>` inside a longer value. */
const FILL_IN = /(?:^|[^A-Za-z])[Yy][Oo][Uu][Rr][-_]|[-_][Hh][Ee][Rr][Ee](?![A-Za-z])/;

/**
 * Whether a value is a placeholder rather than a credential. `ranAsWritten`: the file is run exactly as committed
 * (a GitHub Actions workflow, never a sample to fill in), so a credential named after its kind (`password`) is the
 * password the job really uses, not a placeholder.
 */
export function isPlaceholder(value: string, ranAsWritten = false): boolean {
  const v = value.trim();
  if (v.length < 4) return true;
  if (ranAsWritten && SELF_NAMED.test(v)) return false;
  // aaaa, 0000, and a prefix then filler (`AKIAXXXXXXXXXXXXXXXX`, `ghp_000...`): a run that long is not in random
  // text (the `AAAA` runs of base64 key material are no filler, and a small part of it).
  if (/^(.)\1+$/.test(v) || longestFillerRun(v) >= Math.max(6, v.length / 3)) return true;
  // Blocks of repeated characters (`aaaa1111`, `bbbb2222cccc`): a dummy typed to fill a test value.
  if (v.length >= 6 && runCount(v) * 3 <= v.length) return true;
  if (TEMPLATED.test(v) || FILL_IN.test(v) || describesAValue(v) || KEY_VAULT_REFERENCE.test(v)) return true;
  // Placeholders are short; the whole-value shapes below are only tried on short values, which also keeps
  // the two-sided patterns (`your_..._key`) cheap on a long script.
  return v.length <= 256 && PLACEHOLDER.some((re) => re.test(v));
}

/**
 * A token-format hit that is a placeholder: the shapes `isPlaceholder` finds anywhere in a value (runs of filler,
 * `<...>`, `your_..._here`, templates), on the password alone for a URL with credentials. The whole-value shapes
 * of `PLACEHOLDER` are not asked: a webhook URL without credentials is itself the secret, and a URL's password may
 * be a plain word.
 */
export function isPlaceholderToken(secret: string): boolean {
  const url = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/([^\s:@/]*):([^\s@/]+)@/.exec(secret);
  const v = (url ? url[2] : secret).trim();
  if (/^(.)\1+$/.test(v) || longestFillerRun(v) >= Math.max(6, v.length / 3)) return true;
  return TEMPLATED.test(v) || FILL_IN.test(v) || /^<[^>]*>$/.test(v);
}

/**
 * Key material: base64 of a 128-, 192- or 256-bit key, or its hex (what CSEK and SSE-C keys are), as opposed to
 * a KMS key's name, ARN or alias.
 */
export function isKeyMaterial(value: string): boolean {
  const v = value.trim();
  if (/^[0-9a-fA-F]+$/.test(v)) return v.length === 32 || v.length === 48 || v.length === 64;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(v) || v.length % 4 !== 0) return false;
  const bytes = Buffer.from(v, 'base64').length;
  return bytes === 16 || bytes === 24 || bytes === 32;
}

/** A Docker `auth` value: base64 of `user:password`. */
export function isBasicAuth(value: string): boolean {
  const decoded = decodeBase64Text(value);
  return decoded !== undefined && /^[^:\s]+:\S{4,}$/.test(decoded);
}

/** Ciphertext that is safe to commit: Ansible Vault, SOPS, `age`, PGP messages. */
export function isEncrypted(value: string): boolean {
  return /^(\$ANSIBLE_VAULT;|ENC\[[A-Z0-9_]+,data:|-----BEGIN (AGE ENCRYPTED FILE|PGP MESSAGE)-----)/.test(value.trim());
}

/**
 * A unit or a duration rather than a value: `minutes` under Cognito's `TokenValidityUnits.AccessToken`, `30d`, `1h30m`,
 * `3600s` under a token's lifetime.
 */
export function isUnitOrDuration(value: string): boolean {
  return /^(?:(?:milli|micro|nano)?seconds?|minutes?|hours?|days?|weeks?|months?|years?|(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h|d|w|y))+)$/i.test(value.trim());
}

/**
 * A password hash in the modular crypt format (`$6$salt$hash` of `/etc/shadow`, a kickstart `--iscrypted` or a preseed
 * `-crypted` answer, bcrypt's `$2y$`, Apache's `$apr1$`, yescrypt's `$y$`, argon2, PBKDF2, scrypt): it checks a password
 * and logs nobody in.
 */
export function isPasswordHash(value: string): boolean {
  return /^\$(?:1|2[abxy]?|5|6|7|y|gy|apr1|argon2(?:id|i|d)|pbkdf2(?:-sha\d+)?|scrypt)\$\S+$/.test(value.trim());
}

/**
 * Public halves that are meant to be shared: OpenSSH public keys (`ssh-ed25519 AAAA…`, optionally after the
 * `user:` prefix of GCE `ssh-keys` metadata), PEM public keys and certificates.
 */
export function isPublicKey(value: string): boolean {
  return /^(?:[\w.-]+:)?(?:ssh-(?:rsa|ed25519|dss)|ecdsa-sha2-nistp\d{3}|sk-(?:ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com) AAAA|^-----BEGIN (?:PUBLIC KEY|RSA PUBLIC KEY|CERTIFICATE)-----/.test(
    value.trim(),
  );
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

/** A value that reads as generated: 12 or more characters, no blanks, and three kinds of lower, upper, digit and symbol. */
export function looksRandom(value: string): boolean {
  const v = value.trim();
  if (v.length < 12 || /\s/.test(v)) return false;
  return [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(v)).length >= 3;
}

/**
 * A value generated from the whole printable alphabet: 32 or more characters, no blanks, lower and upper case letters,
 * digits and at least three different symbols (WordPress's `LOGGED_IN_KEY` and `NONCE_KEY` from
 * https://api.wordpress.org/secret-key/1.1/salt/, Django's `get_random_secret_key()`). Hex digests, UUIDs, base64 of
 * a hash and identifiers have fewer kinds.
 */
export function looksGeneratedKey(value: string): boolean {
  const v = value.trim();
  if (v.length < 32 || v.length > 256 || /\s/.test(v) || !/[a-z]/.test(v) || !/[A-Z]/.test(v) || !/[0-9]/.test(v)) return false;
  return new Set(v.replace(/[A-Za-z0-9]/g, '')).size >= 3;
}

/**
 * A run of `min` or more letters and digits that mixes both, as generated tokens have (hex, base64, JWT segments, a
 * provider prefix's body); words joined by dashes (`secret-token-123`, a test's dummy) have none.
 */
export function hasGeneratedRun(value: string, min = 12): boolean {
  const runs = value.match(/[A-Za-z0-9]+/g) ?? [];
  return runs.some((run) => run.length >= min && /[A-Za-z]/.test(run) && /[0-9]/.test(run));
}

/**
 * `user:password` written out (a provider's `auth` setting), or `user/password` as Neo4j's image reads `NEO4J_AUTH`
 * (https://neo4j.com/docs/operations-manual/current/docker/introduction/), the password generated-looking; not a URL
 * or a path.
 */
export function isUserPassword(value: string): boolean {
  const m = /^[^:\s/]{1,64}(?::(\S{12,256})|\/([^\s/]{12,256}))$/.exec(value.trim());
  const password = m?.[1] ?? m?.[2];
  return password !== undefined && looksRandom(password) && !isPlaceholder(password);
}
