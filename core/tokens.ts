import { lintSource } from '@secretlint/core';
import { creator as recommended } from '@secretlint/secretlint-rule-preset-recommend';
import type { SecretLintCoreConfig } from '@secretlint/types';
import { lastAnswer } from './prefilter';

/**
 * Token-format secrets (provider keys with a recognisable shape) found by secretlint's recommended
 * preset. Secretlint's own messages quote the secret, so only the provider and the range leave here.
 */

export interface TokenHit {
  start: number;
  end: number;
  /** Human name of the provider or kind, e.g. "AWS access key id". */
  kind: string;
  /** secretlint rule and message id, for tests and debugging. */
  source: string;
}

const PRESET = '@secretlint/secretlint-rule-preset-recommend';
const RULE_PREFIX = '@secretlint/secretlint-rule-';

/** The preset's rules, with Airlock's settings for AWS. */
function config(disabled: ReadonlySet<string>): SecretLintCoreConfig {
  return {
    rules: [
      {
        id: PRESET,
        rule: recommended,
        rules: [
          {
            id: `${RULE_PREFIX}aws`,
            // Bare access key ids (AKIA...) are committed far more often than full key pairs.
            options: { enableIDScanRule: true },
            // An account id is an identifier, not a credential.
            allowMessageIds: ['AWSAccountID'],
            disabled: disabled.has('aws'),
          },
          ...[...disabled].filter((r) => r !== 'aws').map((r) => ({ id: RULE_PREFIX + r, disabled: true })),
        ],
      },
    ],
  };
}

const KIND_BY_MESSAGE: Record<string, string> = {
  AWSAccessKeyID: 'AWS access key id',
  AWSSecretAccessKey: 'AWS secret access key',
};

const KIND_BY_RULE: Record<string, string> = {
  aws: 'AWS credential',
  gcp: 'Google Cloud service account key',
  npm: 'npm token',
  slack: 'Slack token',
  basicauth: 'password in a URL (basic auth)',
  openai: 'OpenAI API key',
  anthropic: 'Anthropic API key',
  groq: 'Groq API key',
  huggingface: 'Hugging Face token',
  linear: 'Linear API key',
  notion: 'Notion token',
  privatekey: 'private key',
  sendgrid: 'SendGrid API key',
  shopify: 'Shopify token',
  stripe: 'Stripe key',
  github: 'GitHub token',
  gitlab: 'GitLab token',
  grafana: 'Grafana token',
  '1password': '1Password token',
  'database-connection-string': 'database connection string with a password',
  'hashicorp-vault': 'HashiCorp Vault token',
  vercel: 'Vercel token',
  databricks: 'Databricks token',
  docker: 'Docker registry credential',
  figma: 'Figma token',
  cloudflare: 'Cloudflare token',
  tailscale: 'Tailscale key',
};

function kindOf(ruleId: string, messageId: string): string {
  const short = ruleId.replace('@secretlint/secretlint-rule-', '');
  return KIND_BY_MESSAGE[messageId] ?? KIND_BY_RULE[short] ?? `${short} secret`;
}

/**
 * Cheap pre-checks: every pattern of a preset rule needs one of these substrings, so a text without any of
 * them cannot match and secretlint is skipped — most of the speed of a whole-repository scan — and a rule
 * whose substrings a text lacks is left out of secretlint's run on it. Keep them in step with the preset
 * (one entry per rule): a missing substring here silently drops that provider's findings. The GCP rule
 * reads service account key files: `.json` files with a `private_key`.
 */
const NEEDS: Record<string, string> = {
  aws: '(?:A3T[A-Z0-9]|AKIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|ASIA)[A-Z0-9]{16}|[Ss][Ee][Cc][Rr][Ee][Tt]_?[Aa][Cc][Cc][Ee][Ss][Ss]', // key ids (whole: base64 images hold the prefixes), (AWS_)SECRET_ACCESS_KEY = ...
  npm: 'npm_|_authToken|x-oauth-basic',
  slack: 'xox[bpaor]|xapp|[Hh][Oo][Oo][Kk][Ss]\\.[Ss][Ll][Aa][Cc][Kk]', // tokens and incoming webhooks
  basicauth: ':\\/\\/[^\\s/:]+:[^\\s/@]+@', // user:password@
  'database-connection-string': ':\\/\\/[^\\s/:]+:[^\\s/@]+@',
  openai: 'T3BlbkFJ', // every key shape has the marker
  anthropic: 'sk-ant-api0',
  groq: 'gsk_',
  huggingface: 'hf_[a-zA-Z]{34}', // the whole key: `hf_` alone is in every `hf_hub_download`
  linear: 'lin_api_',
  notion: 'ntn_',
  privatekey: 'PRIVATE KEY',
  sendgrid: 'SG\\.',
  shopify: 'shp(?:pa|ca|at|ss)_',
  stripe: '[sr]k_(?:live|test)_',
  github: 'gh[pousr]_|github_pat_',
  gitlab: 'glpat-',
  grafana: 'glc_|glsa_',
  '1password': 'ops_',
  'hashicorp-vault': 'hv[sbr]\\.',
  vercel: 'vc[picrk]_',
  databricks: 'dapi',
  docker: 'dckr_pat_',
  figma: 'figd_',
  cloudflare: 'cfk_|cfut_|cfat_',
  tailscale: 'tskey-',
};
const NEEDS_GCP = /private_key/;

const MAYBE_TOKEN = lastAnswer(new RegExp(Object.values(NEEDS).join('|')));
const RULE_NEEDS = Object.entries(NEEDS).map(([rule, re]) => ({ rule, re: new RegExp(re) }));

function isJsonPath(filePath: string): boolean {
  return filePath.toLowerCase().endsWith('.json');
}

export function mayContainToken(text: string, filePath = ''): boolean {
  return MAYBE_TOKEN(text) || (isJsonPath(filePath) && NEEDS_GCP.test(text));
}

/** Every rule of the preset. */
const FULL = config(new Set());

/** secretlint configurations by the preset rules they leave out (a text rarely needs more than one or two rules). */
const configs = new Map<string, SecretLintCoreConfig>();

/** The configuration that runs only the preset rules whose substrings the text holds (and the comment filter). */
function configFor(text: string, filePath: string): SecretLintCoreConfig {
  const disabled = new Set<string>();
  for (const { rule, re } of RULE_NEEDS) if (!re.test(text)) disabled.add(rule);
  if (!isJsonPath(filePath) || !NEEDS_GCP.test(text)) disabled.add('gcp');
  const key = [...disabled].join(',');
  let c = configs.get(key);
  if (!c) {
    c = config(disabled);
    configs.set(key, c);
  }
  return c;
}

/** secretlint's hits in one text, with offsets into it. */
async function lintText(text: string, filePath: string, precheck: boolean): Promise<TokenHit[]> {
  if (!text || (precheck && !mayContainToken(text, filePath))) return [];
  // secretlint rules that look at the file type (a GCP service account key is a `.json` file) read `ext`.
  const dot = filePath.lastIndexOf('.');
  const ext = dot > filePath.lastIndexOf('/') ? filePath.slice(dot) : '';
  const result = await lintSource({
    source: { content: text, filePath, ext, contentType: 'text' },
    options: { config: precheck ? configFor(text, filePath) : FULL, maskSecrets: true, noPhysicFilePath: true },
  });
  const hits: TokenHit[] = [];
  for (const m of result.messages) {
    if (m.type !== 'message') continue;
    const [start, end] = settingValue(text, m.range[0], m.range[1]) ?? m.range;
    hits.push({ start, end: quotedEnd(text, start, end), kind: kindOf(m.ruleId, m.messageId), source: `${m.ruleId}#${m.messageId}` });
  }
  return hits;
}

/** A setting's name (quoted or not) and `=` or `:` (not a URL's `://`), then its value up to a blank or a quote (npm's `_authToken=...`). */
const SETTING = /^(["']?[A-Za-z_][\w.-]{0,63}["']?[ \t]*(?:=|:(?!\/\/))[ \t]*["']?)([^\s'"]{1,1024})/;

/**
 * Where a preset hit is, when the preset reports it from the name of the setting it is the value of, with the length
 * of the value (its npm and AWS rules do: `_authToken=<token>` is reported as `_authTo`): on the value, which is what
 * the placeholder filter judges and the finding masks. A hit that covers the name and the whole value is left as it is.
 */
function settingValue(text: string, from: number, end: number): [number, number] | undefined {
  const m = SETTING.exec(text.slice(from, from + 1100));
  if (!m || m[2].length < end - from) return undefined;
  const start = from + m[1].length;
  return [start, start + (end - from)];
}

/**
 * Where a hit that starts a quoted string ends: at the closing quote. Some preset patterns read on past it (a
 * database URI's path is "anything but `?` and blanks", so `"mongodb://u:p@h/db",` would take the `",`).
 */
function quotedEnd(text: string, start: number, end: number): number {
  const quote = text[start - 1];
  if (quote !== '"' && quote !== "'") return end;
  const close = text.indexOf(quote, start);
  return close > start && close < end ? close : end;
}

/** How a large text is cut into paragraphs: texts below `from` characters are scanned whole. */
export interface ParagraphSizes {
  from: number;
  /** A paragraph ends at the first blank line after this many characters. */
  min: number;
}

const PARAGRAPHS: ParagraphSizes = { from: 32 * 1024, min: 4 * 1024 };

/** A line that ends with an assignment or a key, whose value a pattern may find on a later line. */
const OPEN_ASSIGNMENT = /(?:[:=>,]|\\)[ \t\r]*$/;

/**
 * Where a large text is cut into paragraphs that secretlint can read apart: after a blank line, once a
 * paragraph holds `min` characters — never inside a PEM block (an encrypted key has a blank line after its
 * headers) nor after a line that leaves an assignment open (`aws_secret_access_key =`, then the value). The
 * cuts depend only on the text near them, so typing in one paragraph leaves the others' text unchanged.
 */
export function paragraphStarts(text: string, min: number): number[] {
  const starts = [0];
  let start = 0;
  let inKey = false;
  let previous = '';
  for (let at = 0; at < text.length; ) {
    const nl = text.indexOf('\n', at);
    const end = nl < 0 ? text.length : nl;
    const line = text.slice(at, end);
    if (line.includes('-----BEGIN')) inKey = true;
    if (line.includes('-----END')) inKey = false;
    const blank = line.trim() === '';
    if (blank && !inKey && nl >= 0 && at - start >= min && !OPEN_ASSIGNMENT.test(previous)) {
      start = nl + 1;
      if (start < text.length) starts.push(start);
    }
    if (!blank) previous = line;
    at = nl < 0 ? text.length : nl + 1;
  }
  return starts;
}

/**
 * Hits of paragraphs already read, by what read them, file type and paragraph text: in the editor a keystroke
 * changes one paragraph of a large document, and only that one is read again. Bounded by the characters it holds.
 */
const paragraphHits = new Map<string, TokenHit[]>();
let maxCachedChars = 8 * 1024 * 1024;
let cachedChars = 0;

function remember(key: string, hits: TokenHit[]): void {
  paragraphHits.set(key, hits);
  cachedChars += key.length;
  trimCache();
}

function trimCache(): void {
  for (const [oldest] of paragraphHits) {
    if (cachedChars <= maxCachedChars) break;
    paragraphHits.delete(oldest);
    cachedChars -= oldest.length;
  }
}

/**
 * How many characters of paragraphs the token cache keeps (8 Mi by default, for the editor). A command-line scan
 * reads each file once and sets 0: paragraphs kept for a next keystroke that never comes only take memory.
 */
export function setTokenParagraphCache(maxChars: number): void {
  maxCachedChars = Math.max(0, maxChars);
  trimCache();
}

/**
 * Whether a text is read whole rather than by paragraph: a small one, a JSON file (the service account key rule
 * parses the file) and a text with `secretlint-disable` directives (a directive covers the lines after it, across
 * paragraphs).
 */
function readWhole(text: string, filePath: string, sizes: ParagraphSizes): boolean {
  return text.length < sizes.from || isJsonPath(filePath) || text.includes('secretlint-disable');
}

/**
 * Token hits of a text found by `scan`, a large text read paragraph by paragraph (see `paragraphStarts`), each
 * paragraph's hits looked up in the cache first. `reader` names the scan and its options in the cache key: two
 * scans of one paragraph keep apart. `scan` must find in a paragraph what it finds there in the whole text — true
 * of patterns that do not span a blank line (a PEM block, which may, is never cut).
 */
export async function tokensByParagraph(
  text: string,
  filePath: string,
  reader: string,
  scan: (text: string) => Promise<TokenHit[]> | TokenHit[],
  sizes: ParagraphSizes = PARAGRAPHS,
): Promise<TokenHit[]> {
  if (readWhole(text, filePath, sizes)) return scan(text);
  const starts = paragraphStarts(text, sizes.min);
  const ext = filePath.slice(filePath.lastIndexOf('.') + 1);
  const hits: TokenHit[] = [];
  for (let i = 0; i < starts.length; i++) {
    const start = starts[i];
    const paragraph = text.slice(start, starts[i + 1] ?? text.length);
    // With the cache off (a command-line scan), no key is built: it would copy every paragraph for nothing.
    const key = maxCachedChars > 0 ? `${reader}\0${ext}\0${paragraph}` : undefined;
    let found = key === undefined ? undefined : paragraphHits.get(key);
    if (!found) {
      found = await scan(paragraph);
      if (key !== undefined) remember(key, found);
    }
    for (const h of found) hits.push({ ...h, start: h.start + start, end: h.end + start });
  }
  return hits;
}

/**
 * `precheck: false` runs secretlint on any text, whole (tests compare it with the pre-checked scan);
 * `paragraphs` sets where a large text is read paragraph by paragraph (tests use small sizes).
 */
export async function scanTokens(text: string, filePath = 'input.txt', opts: { precheck?: boolean; paragraphs?: ParagraphSizes } = {}): Promise<TokenHit[]> {
  if (!text || (opts.precheck !== false && !mayContainToken(text, filePath))) return [];
  if (opts.precheck === false) return lintText(text, filePath, false);
  return tokensByParagraph(text, filePath, 'secretlint', (paragraph) => lintText(paragraph, filePath, true), opts.paragraphs);
}
