import { detachedCopy, type Entry, isScalar } from '../../../core';
import { METADATA_WORDS, NOT_SECRET, SECRET_KEY_QUALIFIERS, SECRET_LAST, SETTING_VERBS, TOKENIZER_WORDS } from './key-vocabulary';
import { MISSPELLED } from './misspellings';
import { isBasicAuth, isUserPassword } from './values';

/**
 * Deciding whether a key names a secret. One vocabulary (`key-vocabulary.ts`) for every format: keys are split into lower-case
 * words, so `MasterUserPassword`, `master_user_password`, `DB_PASSWORD` and `db-password` all read as
 * [..., "password"].
 */

export function keyWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** Every secret key contains one of these (lower-cased); most keys of a file are rejected on this alone. */
const SECRET_HINT = new RegExp(['pass', 'pw', 'secret', 'token', 'key', 'cred', 'pat', 'raw', ...MISSPELLED.keys()].join('|'));
const secretKeyCache = new Map<string, boolean>();

export function isSecretKey(key: string): boolean {
  let known = secretKeyCache.get(key);
  if (known === undefined) {
    known = SECRET_HINT.test(key.toLowerCase()) && secretKeyWords(key);
    if (secretKeyCache.size > 50_000) secretKeyCache.clear();
    // A key is often a slice of its file's text: the cache keeps a copy, not the file.
    secretKeyCache.set(detachedCopy(key), known);
  }
  return known;
}

const ENCODING_WORDS = new Set(['base64', 'b64', 'hex']);

/**
 * A key's words with a counter dropped from the last one: `password2`, `api_key_2` and `token1` name the same
 * thing as `password`, `api_key` and `token`; so do names with an encoding after them (`api_key_base64`).
 */
function countedWords(key: string): string[] {
  const words = keyWords(key).map((w) => MISSPELLED.get(w) ?? w);
  if (words.length > 1 && /^\d+$/.test(words[words.length - 1])) words.pop();
  // `sse_customer_key_base64`, `signing_secret_hex`: the secret, written in an encoding.
  if (words.length > 1 && ENCODING_WORDS.has(words[words.length - 1])) words.pop();
  // `password_wo`, `secret_string_wo`: Terraform's write-only form of an argument, kept out of the state but written
  // in the configuration (https://developer.hashicorp.com/terraform/language/resources/ephemeral/write-only).
  if (words.length > 1 && words[words.length - 1] === 'wo') words.pop();
  // Rails' `secret_key_base`: the key every other secret of the application is derived from.
  if (words.length > 2 && words[words.length - 1] === 'base' && words[words.length - 2] === 'key') words.pop();
  const last = words[words.length - 1];
  if (last !== undefined && /^[a-z]{2,}\d+$/.test(last)) words[words.length - 1] = last.replace(/\d+$/, '');
  return words;
}

/**
 * Customer-supplied encryption keys: `raw_key` and `disk_encryption_key_raw` (Google Cloud CSEK),
 * `customer_key` / `SSECustomerKey` (S3 SSE-C), `encryption_key` of a bucket object. The same names often
 * hold a KMS key's name or ARN, so these count only with key material for value (`isKeyMaterial`).
 */
const KEY_MATERIAL_QUALIFIERS = new Set(['raw', 'customer', 'encryption', 'csek']);

export function isKeyMaterialKey(key: string): boolean {
  const words = countedWords(key);
  const [prev, last] = words.slice(-2);
  return (last === 'key' && KEY_MATERIAL_QUALIFIERS.has(prev)) || (last === 'raw' && prev === 'key');
}

function secretKeyWords(key: string): boolean {
  const words = countedWords(key);
  if (words.length === 0) return false;
  const last = words[words.length - 1];
  if (words.slice(0, -1).some((w) => SETTING_VERBS.has(w))) return false;
  if (METADATA_WORDS.has(last)) {
    // AWS_ACCESS_KEY_ID: the id half of a key pair is committed with, and as often as, the secret half.
    return words.length >= 3 && words[words.length - 3] === 'access' && words[words.length - 2] === 'key' && last === 'id';
  }
  if (words.includes('public')) return false;
  if (NOT_SECRET.has(words.slice(-2).join(' '))) return false;
  if (last === 'token' && words.length > 1 && TOKENIZER_WORDS.has(words[words.length - 2])) return false;
  if (SECRET_LAST.has(last)) return true;
  if (runTogetherPassword(last)) return true;
  // `SECRET_VALUE`, `password_values`, `ApiKeyValue`: the words before name the thing, the last word its form.
  if ((last === 'value' || last === 'values') && words.length > 1) return secretKeyWords(words.slice(0, -1).join('_'));
  if (isKeyMaterialKey(key)) return true;
  if (last === 'key' || last === 'keys') {
    const prev = words[words.length - 2];
    return prev !== undefined && SECRET_KEY_QUALIFIERS.has(prev);
  }
  return false;
}

/**
 * A name run together with `password` (`PGPASSWORD`, `MYSQLPASSWORD`, `rootpasswd`): the word stands out even
 * without a separator, unless it is a setting about it (`changepassword`, `nopassword`).
 */
function runTogetherPassword(word: string): boolean {
  const m = /^([a-z]{2,12})(password|passwd|passphrase)$/.exec(word);
  return m !== null && !SETTING_VERBS.has(m[1]);
}

/** What a Kubernetes Secret named by `<thing>Secret` holds. */
const HELD_IN_SECRET: ReadonlySet<string> = new Set([
  'url',
  'key',
  'keys',
  'token',
  'tokens',
  'password',
  'passwords',
  'credentials',
  'creds',
  'tls',
  'cert',
  'certificate',
  'config',
  'env',
]);

/**
 * A key that is one generic word (`secret`, `token`, `credentials`) names a secret less surely than
 * `client_secret` or `password`: data files use it as a label (`secret: heuristic`, `token: none`),
 * and `passwd` is also the name of the account database (`passwd: compat` in nsswitch.conf).
 * Such keys need a value that does not read as a word.
 */
export function isWeakSecretKey(key: string): boolean {
  const words = countedWords(key);
  // `pass` and `pw` are also nouns and verbs (`compiler_pass`, `first_pass`, `pass: skip`) whatever comes before.
  if (words[words.length - 1] === 'pass' || words[words.length - 1] === 'pw') return true;
  // A CloudFormation custom resource's `ServiceToken` names its handler: an ARN (a pointer, see values.ts) or, in
  // examples, a word; a `SERVICE_TOKEN` variable holding a generated value is a credential.
  if (words.length === 2 && words[0] === 'service' && words[1] === 'token') return true;
  // `accessKeyId: loki`: the id half of a key pair; written as a word it is an account's user name (MinIO's, Ceph's).
  if (words.slice(-3).join(' ') === 'access key id') return true;
  // `webhookUrlSecret`, `apiKeySecret`, `sshKeySecret`: the Kubernetes Secret that holds the thing named before, by a
  // name such as `slack-webhook`; a generated value there (Twitter's `access_token_secret`) is still the credential.
  if (words.length > 1 && words[words.length - 1] === 'secret' && HELD_IN_SECRET.has(words[words.length - 2])) return true;
  return words.length === 1 && ['secret', 'token', 'credential', 'credentials', 'pat', 'secrets', 'passwd'].includes(words[0]);
}

/**
 * A key whose value may be `user:password` or its base64: `auth` (Docker's `config.json`, a client option), npm's
 * `_auth`, Yarn's `npmAuthIdent` ("_auth in npm and yarn v1", `SettingsType.SECRET` in
 * https://github.com/yarnpkg/berry/blob/master/packages/plugin-npm/sources/index.ts), `basic_auth`.
 */
export function isAuthPairKey(key: string): boolean {
  // Asked of every key of a document on every edit: most hold no `auth` at all.
  if (!/auth/i.test(key)) return false;
  const words = keyWords(key);
  const last = words[words.length - 1];
  return last === 'auth' || (last === 'ident' && words[words.length - 2] === 'auth');
}

/** A `user:password` (its base64, or Neo4j's `user/password`) under a key that holds such a pair (`isAuthPairKey`). */
export function isAuthPair(key: string, value: string): boolean {
  return isAuthPairKey(key) && (isBasicAuth(value) || isUserPassword(value));
}

/** Maps naming an account next to an entry `key` (a `kaggle.json`, `{ user, key }` credentials): the `key` is its secret. */
export const ACCOUNT_WORDS: ReadonlySet<string> = new Set(['username', 'user', 'login', 'account']);

export function isAccountKeyPair(keys: readonly string[]): boolean {
  return keys.includes('key') && keys.some((k) => ACCOUNT_WORDS.has(k.toLowerCase()));
}

/**
 * A map that names a Kubernetes Secret (`secretName: api`, `existingSecret: db-credentials`) beside entries
 * ending in `key` (`secretKey: api-key`, `passwordKey`): those name keys inside that Secret, as a `secretKeyRef`
 * does. The entries that are such names. An empty name (`existingSecret: ""`, a chart's default) names none: the
 * chart then makes the Secret from the values beside it, which are secrets.
 */
export function keysOfNamedSecret(entries: readonly Entry[]): Entry[] {
  if (!entries.some((e) => namesSecret(e.key) && isScalar(e.value) && typeof e.value.value === 'string' && e.value.value.trim() !== '')) return [];
  return entries.filter((e) => !namesSecret(e.key) && keyWords(e.key).pop() === 'key');
}

/**
 * The `client_secret` of a Google OAuth client for an installed application: in gcloud's application default
 * credentials (`"type": "authorized_user"`, the Cloud SDK's own client) and under `installed` in a
 * `client_secrets.json`. Google ships it inside the application: "in this context, the client secret is obviously not
 * treated as a secret" (https://developers.google.com/identity/protocols/oauth2#installed). The refresh token beside
 * it is the credential.
 */
export function installedAppClientSecret(entries: readonly Entry[], mapKey: string | undefined): Entry | undefined {
  const clientId = entries.find((e) => e.key === 'client_id');
  if (!clientId || !isScalar(clientId.value) || typeof clientId.value.value !== 'string' || !clientId.value.value.endsWith('.apps.googleusercontent.com'))
    return undefined;
  const type = entries.find((e) => e.key === 'type');
  const installed = mapKey === 'installed' || (type !== undefined && isScalar(type.value) && type.value.value === 'authorized_user');
  return installed ? entries.find((e) => e.key === 'client_secret') : undefined;
}

function namesSecret(key: string): boolean {
  if (!/secret/i.test(key)) return false;
  const words = keyWords(key);
  return words.includes('secret') && (words[words.length - 1] === 'name' || words[0] === 'existing');
}

const bootKeyCache = new Map<string, boolean>();

/**
 * `user_data`, `UserData`, `custom_data`, `user_data_base64`, `userData`, `metadata_startup_script`,
 * `startup-script`: scripts a machine runs at boot; and `commandToExecute`, the command line an Azure Custom Script
 * extension runs on the machine (its `settings` or `protected_settings`).
 */
export function isBootScriptKey(key: string): boolean {
  let known = bootKeyCache.get(key);
  if (known === undefined) {
    const w = keyWords(key);
    const i = w.indexOf('data');
    const s = w.indexOf('startup');
    known =
      (i > 0 && (w[i - 1] === 'user' || w[i - 1] === 'custom')) ||
      w[w.length - 1] === 'base64' ||
      (s >= 0 && w[s + 1] === 'script') ||
      w.join(' ') === 'command to execute';
    if (bootKeyCache.size > 50_000) bootKeyCache.clear();
    bootKeyCache.set(detachedCopy(key), known);
  }
  return known;
}
