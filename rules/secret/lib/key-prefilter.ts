import { lastAnswer } from '../../../core';
import { MISSPELLED } from './misspellings';

/**
 * Whether a text can hold a secret key (`isSecretKey`) or a boot-script key (`isBootScriptKey`), decided on
 * the text before anything parses it: false only when no such key can exist.
 */

/**
 * The last word of every key `isSecretKey` accepts is one of these (the `SECRET_LAST` words, `key`/`keys`
 * after a qualifier, the `key` of `access_key_id`, the `raw` of `disk_encryption_key_raw`, or a misspelling of
 * `secret` or `password` before `value`), and a word ends where
 * the key's next character is not a lower-case letter: `token` in `tokenizer` is no word, `Token` in `TokenId`
 * and `password` in `password2` are.
 */
const LAST_WORDS = [
  ...['password', 'passwd', 'pwd', 'pass', 'pw', 'passphrase', 'secret', 'token', 'credential', 'credentials', 'pat', 'key', 'keys', 'raw'],
  ...MISSPELLED.keys(),
];
/** A counter may follow the last word (`password2`): only a lower-case letter after it continues the word. */
const LAST_WORD = new RegExp(
  `(?:${LAST_WORDS.map((w) => [...w].map((c) => `[${c.toUpperCase()}${c}${c === 'k' ? '\\u212A' : ''}]`).join('')).join('|')})(?![a-z])`,
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

/** Whether decoded text (a notebook cell's output, a cell's source) shows the last word of some secret key. */
export function mayHoldSecretWord(text: string): boolean {
  return LAST_WORD.test(text);
}

/**
 * Words of every key `isBootScriptKey` accepts (user/custom then data, startup then script, a last word base64, or
 * command to execute).
 */
const BOOT_KEY_HINT = /base64|user[^a-z0-9]*data|custom[^a-z0-9]*data|startup[^a-z0-9]*script|command[^a-z0-9]*to[^a-z0-9]*execute/i;

/**
 * Whether a text can hold a key `isBootScriptKey` accepts (without escapes a key's characters are the text's).
 * Asked by a scan's prefilter, then by the rules, about the same text: the last answer is kept.
 */
export const mayHoldBootKey = lastAnswer(BOOT_KEY_HINT);
