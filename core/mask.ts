/**
 * Secrets are never printed back. `mask` keeps enough to recognise a key (`AKIA…XYZ1`) and nothing to use it.
 */
export function mask(secret: string): string {
  const s = secret.trim();
  if (s.length >= 16) return `${s.slice(0, 4)}…${s.slice(-4)}`;
  if (s.length >= 8) return `${s.slice(0, 2)}…${s.slice(-2)}`;
  return '…';
}

/** How far around a problem's span a parser's message is checked for echoed source. */
const NEAR = 256;
/** Longest part of a problem's span looked at: a longer echo is quoted, and quotes are masked whatever they hold. */
const SPAN_CAP = 4096;
const QUOTED = /"((?:[^"\\\n]|\\.)*)"/g;
/** Punctuation a message puts around an echoed word (`tag: !x,` `(got 'x')`); `*`, `!`, `\` and `%` belong to the echo. */
const EDGES = /^[("'`[{<]+|[)"'`\]}>.,;:]+$/g;

/** Whether `word` of a message is source text: written in `near`, and long or odd enough not to be one of the message's own words or numbers. */
function echoed(word: string, near: string): boolean {
  // Short words and numbers are the message's own (`at most 1024 chars`), even when the source has them too.
  if (word.length < 4 || (word.length < 8 && /^(?:[A-Za-z]+|\d+)$/.test(word))) return false;
  return near.includes(word);
}

/**
 * A parser's message with the source text it echoes masked (`mask`): parsers quote what they stop at —
 * `Unresolved alias *<anchor>`, `Unresolved tag: !<name>`, `Invalid escape sequence \U<8 characters>`,
 * `Unexpected scalar: "<text>"`, a context line under the message — and that text may be a secret.
 * Masked: every double-quoted part, and every word (or `:`/`,`/`=`/`/`-separated part of one) written in
 * the source around the problem's span. Without a span, around anywhere in `text`: fine once per file.
 */
export function maskParserMessage(message: string, text: string, start?: number, end?: number): string {
  let near = text;
  if (start !== undefined) {
    const from = Math.max(0, start - NEAR);
    near = text.slice(from, Math.min(text.length, Math.min(Math.max(end ?? start, start), start + SPAN_CAP) + NEAR));
  }
  const unquoted = message.replace(QUOTED, (_, inner: string) => `"${inner ? mask(inner) : ''}"`);
  return unquoted.replace(/[^\s"]+/g, (token) => {
    const word = token.replace(EDGES, '');
    if (!word || word.includes('…')) return token;
    if (echoed(word, near)) return token.replace(word, mask(word));
    return token.replace(
      word,
      word.replace(/[^:,=/]+/g, (part) => (echoed(part, near) ? mask(part) : part)),
    );
  });
}
