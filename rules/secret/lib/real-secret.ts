import type { LineIndex, ParsedFile } from '../../../core';
import { isKeyMaterialKey, isSecretKey, isWeakSecretKey, keyWords } from './keys';
import { hasMisspelledWord } from './misspellings';
import { commentSaysPlaceholder } from './placeholder-comments';
import type { SecretSite } from './sites';
import {
  hasGeneratedRun,
  isEncrypted,
  isKeyMaterial,
  isPasswordHash,
  isPlaceholder,
  isPublicKey,
  isUnitOrDuration,
  isWordDefault,
  looksRandom,
} from './values';

/**
 * Whether a literal found at a secret site is a credential someone wrote: not a placeholder, a label that spells
 * its own name, a message, a validation rule, ciphertext or a public key.
 */

/** Two or more words of letters joined as an identifier: snake, kebab, camel, Pascal or upper snake case. */
const WORD_IDENTIFIER = /^(?:[a-z]+(?:[_-][a-z]+)+|[a-z]+(?:[A-Z][a-z]+)+|(?:[A-Z][a-z]+){2,}|[A-Z]+(?:_[A-Z]+)+)$/;

/** Two or more lower-case rules joined by `|`, each with its `:` arguments. */
const VALIDATION_RULES = /^[a-z_]+(?::[^|\s]*)?(?:\|[a-z_]+(?::[^|\s]*)?)+$/;

/** Four or more words of letters: prose. */
const SENTENCE = /^[A-Za-z][A-Za-z'’-]*,?(?:\s+[A-Za-z][A-Za-z'’-]*[,:;]?){3,}[.!?]?$/;

/**
 * A message: text that ends a sentence and holds two or more words of letters, or is written in a script without
 * blanks between words (`"Unerwartetes Token."`, `"トークンの有効期限が切れています。"`, `"Password must be at least 12 characters
 * long!"`), such as a translation file holds under names like `Invalid_password_2301`. `"Summer 2024!"` is no message.
 */
function isMessage(v: string): boolean {
  if (!/[.!?。！？]$/.test(v)) return false;
  // Scripts written without blanks between words.
  if (/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]{2}/u.test(v)) return true;
  return v.split(/\s+/).filter((w) => /^[\p{L}'’-]{2,}[,:;.!?]?$/u.test(w)).length >= 2;
}

/** The letters and digits of a name or value, lower-cased: `REFRESH_TOKEN`, `RefreshToken` and `refresh-token` agree. */
function lettersOf(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '');
}

/**
 * An HTTP authentication scheme before one generated-looking word (`token = "Bearer …"` of a Cargo registry, an
 * `Authorization`-style value under a secret name): the word is the credential, judged without the scheme.
 */
const AUTH_SCHEME = /^(?:Bearer|Token|Basic)[ \t]+(?=[^\s]{16,}$)/i;

function withoutAuthScheme(value: string): string {
  const scheme = AUTH_SCHEME.exec(value);
  const rest = scheme ? value.slice(scheme[0].length) : value;
  return scheme && hasGeneratedRun(rest) ? rest : value;
}

/** The literal is a credential someone wrote, not a placeholder, a number, or an image's documented default. */
export function isRealSecret(file: ParsedFile, site: SecretSite, lines: () => LineIndex): boolean {
  const v = withoutAuthScheme(site.value.trim());
  if (isPlaceholder(v, file.format === 'github-actions') || isEncrypted(v) || isPasswordHash(v) || isPublicKey(v) || isUnitOrDuration(v)) return false;
  // A constant whose value spells its own name (`REFRESH_TOKEN = "RefreshToken"`, `badToken = "bad_token"`), or the
  // last words of it (a parser's symbol table, `[aux_sym_string_token1] = "string_token1"`): a label.
  const letters = lettersOf(v);
  const keyLetters = lettersOf(site.key);
  if (letters === keyLetters || (/[_-]|[a-z][A-Z]/.test(v) && letters.length >= 8 && keyLetters.endsWith(letters))) return false;
  // A few words ending in the name's own last word (`access_token => 'foo token'`, `password = "test password"`): a
  // test's stand-in that says what it stands for.
  // Letters of any script (`"Neočekávaný token"` under `Unexpected_token_1012`); a counter after the word in the name
  // does not count.
  if (
    /^\p{L}+(?: \p{L}+){1,3}$/u.test(v) &&
    keyWords(site.key)
      .filter((w) => !/^\d+$/.test(w))
      .at(-1) === v.slice(v.lastIndexOf(' ') + 1).toLowerCase()
  )
    return false;
  // An identifier of words that is itself a secret's name (`secretKey: vllmApiKey`, `password: MasterUserPassword`,
  // `api_key: custom_api_key`, `token: DB_TOKEN`): it names a credential, a Secret's key or a variable, it is not one.
  if (v.length <= 64 && WORD_IDENTIFIER.test(v) && isSecretKey(v)) return false;
  // A sentence (`"secret must be a string or buffer"`): a message about the secret, not the secret; validation rules
  // (Laravel's `'password' => 'required|min:12|confirmed'`, https://laravel.com/docs/validation): a check on it.
  if (SENTENCE.test(v) || isMessage(v) || VALIDATION_RULES.test(v)) return false;
  if (isKeyMaterialKey(site.key) && !isKeyMaterial(v)) return false;
  if (hasMisspelledWord(keyWords(site.key)) && !looksRandom(v)) return false;
  // Unquoted text after `KEY=` / `key:` that is a number, words (`key: bad refresh token, retrying` in a log
  // message) or an expression (`a.b === 'x'`, `f(x)`, `os.environ["X"]`) is not a literal secret.
  if (site.quoted === false && (/^[0-9.]+$/.test(v) || /\s/.test(v) || /^[A-Za-z_$][\w$.]*[([]/.test(v))) return false;
  if (site.kind === 'env' && isWordDefault(v)) return false;
  // A one-word key (`secret`, `token`) with a word, words joined as an identifier (`anArn`) or a phrase for value is a
  // label, not a credential.
  if (isWeakSecretKey(site.key) && (isWordDefault(v) || WORD_IDENTIFIER.test(v) || /\s/.test(v))) return false;
  return !commentSaysPlaceholder(file, site.span, site.kind === 'env' && site.entry !== undefined, lines);
}
