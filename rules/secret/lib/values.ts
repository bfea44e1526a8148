import { lastAnswer } from '../../../core';

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
const SECRET_LAST = new Set([
  'password',
  'passwd',
  'pwd',
  'passphrase',
  'secret',
  'token',
  'apikey',
  'credential',
  'credentials',
  'pat',
  'privatekey',
  'secretkey',
  'accesskey',
]);

/** `<qualifier>_key` pairs that are credentials (a bare `key`, `hash_key`, `partition_key` are not). */
const SECRET_KEY_QUALIFIERS = new Set([
  'access',
  'secret',
  'api',
  'private',
  'master',
  'account',
  'storage',
  'auth',
  'client',
  'shared',
  'sas',
  'signing',
  'primary',
  'secondary',
  'admin',
  'subscription',
  'license',
  'webhook',
  'service',
  'token',
  'app',
  'consumer',
  'hmac',
  'ssh',
]);

/** Words that turn a secret-looking key into metadata about a secret (`password_length`, `secret_name`). */
const METADATA_WORDS = new Set([
  'id',
  'ids',
  'arn',
  'name',
  'names',
  'length',
  'len',
  'min',
  'max',
  'ttl',
  'expiry',
  'expiration',
  'expires',
  'rotation',
  'policy',
  'type',
  'version',
  'versions',
  'enabled',
  'enable',
  'required',
  'reset',
  'path',
  'file',
  'filename',
  'url',
  'uri',
  'endpoint',
  'ref',
  'arns',
  'kms',
  'hash',
  'algorithm',
  'format',
  'prefix',
  'suffix',
  'count',
  'characters',
  'special',
  'upper',
  'lower',
  'numeric',
  'numbers',
  'source',
  'store',
  'manager',
  'mode',
  'duration',
  'validity',
  'period',
  'days',
  'hours',
  'seconds',
  'age',
  'complexity',
  'reuse',
  'history',
  'id_',
  'location',
  'description',
  'secret_id',
  'parameter',
  'param',
  'env',
  'var',
  'variable',
  'key_vault',
  'vault',
  'wo',
  'ssm',
  'header',
  'field',
  'fields',
  'selector',
  'public',
  'audience',
  'issuer',
  'scope',
  'scopes',
  'mount',
  'auth',
  'authentication',
  'policies',
  'provider',
  'method',
  'template',
  'generator',
  'input',
  'output',
  'label',
  'labels',
  'hint',
  'regex',
  'pattern',
  'secrets',
  'ref',
  'refs',
  'config',
  'settings',
  'usage',
  'role',
  'user',
  'username',
  'login',
  'email',
  'host',
  'port',
  'region',
  'exists',
  'existing',
  'dir',
  'directory',
  'folder',
  'command',
  'cmd',
  'script',
  'alias',
  'flag',
  'option',
  'options',
  'timeout',
  'interval',
  'lifetime',
  'status',
]);

/**
 * Keys that end in a secret word but name something else: a CloudFormation custom resource's
 * `ServiceToken` is the handler's ARN, a GitHub Actions `id-token` permission is `read`/`write`.
 */
const NOT_SECRET = new Set([
  'service token',
  'id token',
  'token endpoint',
  'csrf token',
  'xsrf token',
  'next token',
  'page token',
  'continuation token',
  'pagination token',
  'cancel token',
  'token type',
]);

/**
 * A verb before the secret word makes the key a setting about the secret: `update_password: on_create`,
 * `AllowUsersToChangePassword`, `manage_master_user_password`, `generate_secret`.
 */
const SETTING_VERBS = new Set([
  'update',
  'change',
  'reset',
  'require',
  'requires',
  'allow',
  'enable',
  'disable',
  'force',
  'expire',
  'rotate',
  'generate',
  'random',
  'create',
  'manage',
  'use',
  'skip',
  'check',
  'validate',
  'verify',
  'hash',
  'encrypt',
  'save',
  'prompt',
  'ask',
  'show',
  'hide',
  'mask',
  'include',
  'exclude',
  'inject',
  'copy',
  'sync',
  'export',
  'import',
  'lookup',
  'fetch',
  'get',
  'read',
  'load',
  'no',
  'has',
  'is',
  'should',
]);

/** Every secret key contains one of these (lower-cased); most keys of a file are rejected on this alone. */
const SECRET_HINT = /pass|pwd|secret|token|key|cred|pat/;
const secretKeyCache = new Map<string, boolean>();

/** `eos_token`, `pad_token`, `image_token`: a language model's special tokens, not credentials. */
const TOKENIZER_WORDS = new Set([
  'eos',
  'bos',
  'pad',
  'unk',
  'sep',
  'cls',
  'mask',
  'special',
  'start',
  'end',
  'stop',
  'begin',
  'response',
  'instruction',
  'image',
  'audio',
  'video',
  'vision',
  'chat',
  'system',
  'assistant',
  'turn',
  'tool',
  'think',
  'decoder',
  'encoder',
  'prompt',
  'eot',
  'eom',
  'boi',
  'eoi',
  'fim',
  'prefix',
  'suffix',
  'middle',
  'label',
]);

export function isSecretKey(key: string): boolean {
  let known = secretKeyCache.get(key);
  if (known === undefined) {
    known = SECRET_HINT.test(key.toLowerCase()) && secretKeyWords(key);
    if (secretKeyCache.size > 50_000) secretKeyCache.clear();
    secretKeyCache.set(key, known);
  }
  return known;
}

/**
 * The last word of every key `isSecretKey` accepts is one of these (the `SECRET_LAST` words, `key`/`keys`
 * after a qualifier, or the `key` of `access_key_id`), and a word ends where the key's next character is not a
 * lower-case letter or digit: `token` in `tokenizer` is no word, `Token` in `TokenId` is.
 */
const LAST_WORDS = ['password', 'passwd', 'pwd', 'passphrase', 'secret', 'token', 'credential', 'credentials', 'pat', 'key', 'keys'];
const LAST_WORD = new RegExp(
  `(?:${LAST_WORDS.map((w) => [...w].map((c) => `[${c.toUpperCase()}${c}${c === 'k' ? '\\u212A' : ''}]`).join('')).join('|')})(?![a-z0-9])`,
);
/** `LAST_WORD` over a whole file: asked by a scan's prefilter, then by the rule, about the same text. */
const hasLastWord = lastAnswer(LAST_WORD);

/** Each way to split a last word over two adjacent string literals: the part before the quote, the letter after. */
const SPLITS = [...new Set(LAST_WORDS.flatMap((w) => [...w].slice(1).map((c, i) => `${w.slice(0, i + 1)}|${c}`)))].map((x) => x.split('|'));

/**
 * Escape sequences that can put a letter or digit into a decoded string (`\x41`, `\101`, `\u0041`,
 * `\U00000041`, and `\N{...}` for Python though the adapter keeps it as written), or join two lines of one (a
 * backslash before a line break). Every other escape (`\n`, `\t`, `\"`, `\\`, ...) decodes to a character
 * that is no letter or digit, like the backslash the source shows there: a key's words are the same either
 * way. Unknown escapes are kept as written.
 */
const WORD_ESCAPE = /\\[0-7xuUN\r\n]/;

/** A trie of the heads of `SPLITS` read backwards from the quote after them; `next`: bits of the letters that may follow. */
interface HeadTrie {
  next: number;
  children: (HeadTrie | undefined)[];
}

const letterBit = (code: number) => (code >= 97 && code <= 122 ? 1 << (code - 97) : 0);

const REVERSED_HEADS: HeadTrie = { next: 0, children: [] };
for (const [head, next] of SPLITS) {
  let node = REVERSED_HEADS;
  for (let i = head.length - 1; i >= 0; i--) node = node.children[head.charCodeAt(i) - 97] ??= { next: 0, children: [] };
  node.next |= letterBit(next.charCodeAt(0));
}

/** Whether adjacent literals can join a last word: some split's head stands before a quote and its next letter after one. */
function mayJoinLastWord(lower: string): boolean {
  const quotes: number[] = [];
  let after = 0;
  for (let i = lower.indexOf('"'), j = lower.indexOf("'"); i >= 0 || j >= 0; ) {
    const q = j < 0 || (i >= 0 && i < j) ? i : j;
    quotes.push(q);
    after |= letterBit(lower.charCodeAt(q + 1));
    if (q === i) i = lower.indexOf('"', q + 1);
    else j = lower.indexOf("'", q + 1);
  }
  if (after === 0) return false;
  for (const q of quotes) {
    let node: HeadTrie | undefined = REVERSED_HEADS;
    for (let i = q - 1; i >= 0; i--) {
      const code = lower.charCodeAt(i);
      node = code >= 97 && code <= 122 ? node.children[code - 97] : undefined;
      if (!node) break;
      if (node.next & after) return true;
    }
  }
  return false;
}

/**
 * Whether Python source can hold a key that `isSecretKey` accepts (an assignment target, a keyword argument,
 * a dict key, an environment variable name), decided on the text before anything parses it. False only when
 * no such key can exist. Without an escape that makes a letter or digit or joins lines (`WORD_ESCAPE`) every
 * letter and digit of a key is a character of the source, in order, and other characters stay non-letters,
 * and where the key ends the source goes on with a quote, a backslash or a character that ends a token, so
 * the key's last word shows as `LAST_WORD` — unless adjacent string literals (`"pass" "word"`) join it: then
 * the source holds a first part of the word before a quote and its next letter after a quote.
 * Letters are compared as `toLowerCase` compares them (which maps only `İ` and the Kelvin sign from outside
 * ASCII into ASCII).
 */
export function mayHoldSecretKey(source: string): boolean {
  if (LAST_WORD.test(source) || WORD_ESCAPE.test(source)) return true;
  return mayJoinLastWord(source.toLowerCase());
}

/**
 * The same question for a YAML, JSON or HCL text or a line-oriented file: their keys and names have no
 * implicit concatenation, so a key `isSecretKey` accepts is a run of the text's characters (escapes need a
 * backslash) that shows its last word as `LAST_WORD`.
 */
export function textMayHoldSecretKey(text: string): boolean {
  return text.includes('\\') || hasLastWord(text);
}

function secretKeyWords(key: string): boolean {
  const words = keyWords(key);
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
  if (last === 'key' || last === 'keys') {
    const prev = words[words.length - 2];
    return prev !== undefined && SECRET_KEY_QUALIFIERS.has(prev);
  }
  return false;
}

const PLACEHOLDER_WORDS =
  /^(change[-_ ]?me|change[-_ ]?it|changeit|replace[-_ ]?me|to[-_ ]?do|todo|tbd|fixme|placeholder|example|dummy|sample|test|none|null|nil|undefined|empty|redacted|masked|hidden|secret|password|passwd|pass|token|apikey|api[-_ ]key|string|value|demo|default|read|write|required|optional|not[-_ ]?set|unset|your[-_ ].*|my[-_ ]?(password|secret|token|key)|enter[-_ ].*|insert[-_ ].*|put[-_ ].*|add[-_ ].*|xxx+|\*+|\.+|-+|_+|#+)$/i;

const PLACEHOLDER = [
  /^\s*$/,
  PLACEHOLDER_WORDS,
  /^<[^>]*>$/, // <password>
  /^\[[^\]]*\]$/, // [password]
  /^\$+\{?[A-Za-z_][A-Za-z0-9_]*\}?$/, // $VAR, ${VAR}, $$VAR (escaped for compose / make)
  /^%[^%]+%$/, // %VAR%
  /^\{[^{}]*\}$/, // {placeholder}, a kubeconfig JSONPath `{.credential.access_token}`
  /^(your|my|the|some|a|an|invalid|fake|dummy|sample|example|mock|bogus)[-_ ]?[a-z_-]*(password|passwd|pass|pwd|secret|token|key)[a-z_-]*$/i,
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

/**
 * A key that is one generic word (`secret`, `token`, `credentials`) names a secret less surely than
 * `client_secret` or `password`: data files use it as a label (`secret: heuristic`, `token: none`),
 * and `passwd` is also the name of the account database (`passwd: compat` in nsswitch.conf).
 * Such keys need a value that does not read as a word.
 */
export function isWeakSecretKey(key: string): boolean {
  const words = keyWords(key);
  return words.length === 1 && ['secret', 'token', 'credential', 'credentials', 'pat', 'secrets', 'passwd'].includes(words[0]);
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
