import { lastAnswer, mayContainToken, type ParagraphSizes, scanTokens, type TokenHit, tokensByParagraph } from '../../../core';
import { PLATFORM_PATTERNS } from './platform-tokens';
import { notPlaceholder, PATTERNS, type Pattern } from './token-patterns';
import { isPlaceholderToken } from './values';

/**
 * Token hits in a text: the preset's formats (through core's `scanTokens`), the formats of `token-patterns.ts` and
 * `platform-tokens.ts`, and PEM private keys with a real body.
 */

const escaped = (hint: string) => hint.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** What a text must hold for a pattern of `platform-tokens.ts` to match: each pattern's gate, or else its hints. */
const PLATFORM_GATE = new RegExp(PLATFORM_PATTERNS.map((p) => p.gate?.source ?? p.hints.map(escaped).join('|')).join('|'));

/** The platform patterns are tried only on a text that passes their gate: most texts pass on another pattern's hint. */
const MAYBE_PLATFORM = lastAnswer(PLATFORM_GATE);

/**
 * Cheap test for the patterns (each needs one of these substrings; for Hugging Face tokens, whose prefix `hf_` is in
 * every `hf_hub_download`, the prefix and the shortest body), one regular expression so a text is read once.
 */
const TOKEN_PATTERN_HINTS =
  /(?:hf|api_org)_[A-Za-z0-9]{30}|(?<![A-Za-z0-9])(?:sk|key|pplx|xai)-|SG\.|r8_|pcsk_|lsv2_|whsec_|AIza|ya29\.|sq0|amzn\.mws|-us\d|SK[0-9a-fA-F]{8}|EAACEd|webhook\.office|\$production\$|AccountKey=|SharedAccessKey=|&sig=|machine\s|eyJ[A-Za-z0-9_-]{10,}\.eyJ|uthorization|[Bb]asic |BASIC |-[Kk][Ee][Yy]|-[Tt][Oo][Kk][Ee][Nn]|curl|wget|[Pp][Aa][Ss][Ss][Ww][Oo][Rr][Dd]=|[Pp][Ww][Dd]=|:\/\/[^\s/:]*:[^\s/@]+@|@(?:tcp6?|unix)\(|PRIVATE KEY|PuTTY-User-Key|LS0tLS1CRUdJTi/;

const MAYBE_EXTRA = lastAnswer(new RegExp(`${TOKEN_PATTERN_HINTS.source}|${PLATFORM_GATE.source}`));

/** Provider formats first: a provider's key in an `Authorization` header is reported as that provider's key. */
const ALL_PATTERNS: readonly Pattern[] = [...PLATFORM_PATTERNS, ...PATTERNS];

const PEM_BEGIN = /-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY( BLOCK)?-----/g;

/**
 * PEM private keys with a real body between BEGIN and END (at least one run of 32 base64 characters
 * that is not a placeholder). With `headerOnly`, the BEGIN line alone counts — for text that someone
 * base64-encoded on purpose, where a fragment of a key is still a key.
 */
function privateKeys(text: string, headerOnly: boolean): TokenHit[] {
  const hits: TokenHit[] = [];
  PEM_BEGIN.lastIndex = 0;
  // The END after a header, and whether the text up to it holds no key body: both hold for every later
  // header before that END (its body is a suffix of this one's), so a run of headers with one END is one
  // scan, not one per header.
  let endMarker = -2;
  let lineEnd = -1;
  let bodiless = -1;
  for (let m = PEM_BEGIN.exec(text); m; m = PEM_BEGIN.exec(text)) {
    const bodyStart = m.index + m[0].length;
    if (endMarker !== -1 && endMarker < bodyStart) {
      endMarker = text.indexOf('-----END', bodyStart);
      lineEnd = endMarker < 0 ? -1 : text.indexOf('-----', endMarker + 8);
    }
    if (endMarker >= 0 && lineEnd >= 0 && bodiless !== endMarker) {
      const body = text.slice(bodyStart, endMarker).replace(/\\n/g, '\n');
      const runs = body.match(/[A-Za-z0-9+/=]{32,}/g) ?? [];
      if (runs.some((r) => notPlaceholder(r))) {
        hits.push({ start: m.index, end: lineEnd + 5, kind: 'private key', source: 'airlock#pem' });
        PEM_BEGIN.lastIndex = lineEnd + 5;
        continue;
      }
      bodiless = endMarker;
    }
    if (headerOnly) hits.push({ start: m.index, end: m.index + m[0].length, kind: 'private key', source: 'airlock#pem-header' });
  }
  const putty = text.indexOf('PuTTY-User-Key-File-');
  if (putty >= 0 && /Private-Lines:\s*\d+\s*\n\s*[A-Za-z0-9+/=]{32,}/.test(text.slice(putty, putty + 4000))) {
    const lineEnd = text.indexOf('\n', putty);
    hits.push({ start: putty, end: lineEnd < 0 ? text.length : lineEnd, kind: 'PuTTY private key', source: 'airlock#putty' });
  }
  return hits;
}

/**
 * Base64 of a PEM text (`LS0tLS1CRUdJTi` is `-----BEGIN`): a kubeconfig's `client-key-data`, "PEM-encoded data from a
 * client key file for TLS" written base64 as kubeconfig's binary fields are
 * (https://kubernetes.io/docs/reference/config-api/kubeconfig.v1/#AuthInfo), a Secret's `tls.key`, a key in a CI
 * variable. A hit when what it decodes to holds a private key with a real body.
 */
const ENCODED_PEM = /(?<![A-Za-z0-9+/])LS0tLS1CRUdJTi[A-Za-z0-9+/]{40,16384}={0,2}(?![A-Za-z0-9+/=])/g;

function encodedPrivateKeys(text: string): TokenHit[] {
  const hits: TokenHit[] = [];
  ENCODED_PEM.lastIndex = 0;
  for (let m = ENCODED_PEM.exec(text); m; m = ENCODED_PEM.exec(text)) {
    const decoded = Buffer.from(m[0], 'base64').toString('latin1');
    if (decoded.includes('PRIVATE KEY') && privateKeys(decoded, false).length > 0)
      hits.push({ start: m.index, end: m.index + m[0].length, kind: 'private key', source: 'airlock#pem-base64' });
  }
  return hits;
}

function extraTokens(text: string, headerOnlyKeys: boolean, ranAsWritten: boolean): TokenHit[] {
  if (!MAYBE_EXTRA(text)) return [];
  const hits = text.includes('PRIVATE KEY') || text.includes('PuTTY-User-Key-File-') ? privateKeys(text, headerOnlyKeys) : [];
  if (text.includes('LS0tLS1CRUdJTi')) hits.push(...encodedPrivateKeys(text));
  for (const p of MAYBE_PLATFORM(text) ? ALL_PATTERNS : PATTERNS) {
    if (!p.hints.some((h) => text.includes(h))) continue;
    p.re.lastIndex = 0;
    for (let m = p.re.exec(text); m; m = p.re.exec(text)) {
      const secret = m[p.group ?? 0];
      if (secret === undefined || (p.accept && !p.accept(secret, m, ranAsWritten))) continue;
      const start = m.index + (p.group ? m[0].lastIndexOf(secret) : 0);
      hits.push({ start, end: start + secret.length, kind: p.kind, source: `airlock#${p.kind}` });
    }
  }
  return hits;
}

export interface FindTokensOptions {
  /** The file's path, for secretlint rules that look at the file name (a GCP key is a `.json` file). */
  filePath?: string;
  /** Count a private key's BEGIN line alone (decoded user data). */
  headerOnlyKeys?: boolean;
  /** The text runs as committed (a workflow): a password written as `password` is a password (see `isPlaceholder`). */
  ranAsWritten?: boolean;
  /** Where a large text is read paragraph by paragraph (tests set small sizes, or none). */
  paragraphs?: ParagraphSizes;
}

/**
 * Every token-format secret in a text: secretlint's preset first, then the patterns above where they
 * add something (a hit overlapping one already found is the same secret). A large text is read paragraph by
 * paragraph, and a paragraph read before is not read again: a keystroke in a large document reads one.
 */
export async function findTokens(text: string, opts: FindTokensOptions = {}): Promise<TokenHit[]> {
  const filePath = opts.filePath ?? 'input.txt';
  const reader = `tokens:${opts.headerOnlyKeys ? 'h' : ''}${opts.ranAsWritten ? 'r' : ''}`;
  return tokensByParagraph(text, filePath, reader, (paragraph) => tokensIn(paragraph, filePath, opts), opts.paragraphs);
}

/** Paragraph sizes that read a text whole: `findTokens` has already cut it. */
const WHOLE: ParagraphSizes = { from: Number.POSITIVE_INFINITY, min: 0 };

async function tokensIn(text: string, filePath: string, opts: FindTokensOptions): Promise<TokenHit[]> {
  const found = [...(await scanTokens(text, filePath, { paragraphs: WHOLE })), ...extraTokens(text, opts.headerOnlyKeys ?? false, opts.ranAsWritten ?? false)];
  const hits: TokenHit[] = [];
  for (const group of overlapping(found)) hits.push(...(group.length === 1 ? group : oneHitPerSecret(group)));
  // One placeholder filter for every hit, the preset's included (`ghp_xxxx...`, `AKIAXXXXXXXXXXXXXXXX`, `SG.xxx.xxx`).
  // A hit over several lines (a private key, a service account key file) is judged by what found it.
  return hits
    .filter((h) => {
      const secret = text.slice(h.start, h.end);
      return secret.includes('\n') || h.kind === 'private key' || !isPlaceholderToken(secret);
    })
    .sort((a, b) => a.start - b.start || a.end - b.end);
}

/**
 * The hits in groups that overlap nothing outside their group (each in the order found): hits of different groups
 * never overlap, so each group is merged on its own, not every hit against every other.
 */
function overlapping(found: TokenHit[]): TokenHit[][] {
  const order = found.map((_, i) => i).sort((a, b) => found[a].start - found[b].start || a - b);
  const groups: number[][] = [];
  let end = -Infinity;
  for (const i of order) {
    if (found[i].start < end) groups[groups.length - 1].push(i);
    else groups.push([i]);
    end = Math.max(end, found[i].end);
  }
  return groups.map((g) => g.sort((a, b) => a - b).map((i) => found[i]));
}

/**
 * One secret, one finding: of overlapping hits (two secretlint rules on one URL, a pattern above on a
 * secretlint hit) keep secretlint's first, then the widest.
 */
function oneHitPerSecret(found: TokenHit[]): TokenHit[] {
  const hits: TokenHit[] = [];
  for (const h of found) {
    const i = hits.findIndex((o) => o.start < h.end && h.start < o.end);
    if (i < 0) hits.push(h);
    else if (h.source.startsWith('@secretlint') === hits[i].source.startsWith('@secretlint') && h.end - h.start > hits[i].end - hits[i].start) hits[i] = h;
  }
  return hits;
}

/**
 * Whether `findTokens` can find anything in the text: secretlint's pre-check (with the service-account-key
 * check of `.json` files whatever the name) or one of the patterns above.
 */
export function mayHoldToken(text: string): boolean {
  return mayContainToken(text, 'any.json') || MAYBE_EXTRA(text);
}
