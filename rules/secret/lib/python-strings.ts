import { type Cell, contentSpan, isList, isMap, jsonFromString, type Node, type PyCall, type ScalarNode, walk } from '../../../core';
import { isAccountKeyPair, isSecretKey } from './keys';
import { lineAssignments } from './lines';
import type { Collector } from './sites';
import { isBasicAuth, isWordDefault } from './values';

/**
 * Secrets inside Python string literals and positional arguments: a JSON document in a string (a client
 * secret file, a Docker config), a config file or dotenv text written from a string (`"""db:\n  password: ..."""`,
 * `f.write("API_KEY=...\n")`), and SDK calls whose positional arguments are credentials.
 */

/**
 * Every secret entry of a dict or JSON tree: secret keys, a `key` next to a user name, Docker `auth` entries.
 * `located`: the nodes are the source's own (a dict); JSON parsed from a string all carry the string's span,
 * so its sites keep no node to rewrite.
 */
export function jsonTreeSites(root: Node, cell: Cell, out: Collector, located = true): void {
  for (const v of walk(root)) {
    if (isMap(v.node) && isAccountKeyPair(v.node.entries.map((e) => e.key))) {
      const key = v.node.entries.find((e) => e.key === 'key');
      if (key?.value.kind === 'scalar' && typeof key.value.value === 'string') {
        const at = located ? { node: key.value, entry: key } : {};
        out.add({ kind: 'key', key: 'key', value: key.value.value, span: contentSpan(key.value), ...at, cell });
      }
    }
    if (!v.entry || v.entry.value !== v.node || v.node.kind !== 'scalar' || typeof v.node.value !== 'string') continue;
    if (isSecretKey(v.entry.key) || (v.entry.key === 'auth' && isBasicAuth(v.node.value))) {
      const at = located ? { node: v.node, entry: v.entry } : {};
      out.add({ kind: 'key', key: v.entry.key, value: v.node.value, span: contentSpan(v.node), ...at, cell });
    }
  }
}

/** A string literal holding JSON, or several lines (or `\n` escapes) of `KEY=value` / `key: value` text. */
export function stringSites(literal: ScalarNode, cell: Cell, out: Collector): void {
  if (typeof literal.value !== 'string') return;
  const value = literal.value;
  const content = contentSpan(literal);
  if (/^\s*[[{]/.test(value)) {
    const json = jsonFromString(value, content);
    if (json) jsonTreeSites(json, cell, out, false);
    return;
  }
  if (!value.includes('\n') || !/pass|pw|secret|token|key|cred/i.test(value)) return;
  const raw = cell.source.slice(content.start, content.end);
  for (const a of lineAssignments(raw, { escapedNewlines: raw !== value })) {
    if (!isSecretKey(a.key)) continue;
    const span = { ...content, start: content.start + a.start, end: content.start + a.end };
    out.add({ kind: 'line', key: a.key, value: a.value, span, cell, quoted: a.quoted });
  }
}

/**
 * Whether Python source can hold a site that no secret key names: a credential call, a Docker `auth` entry or a
 * login command on a shell line (`!wandb login ...`).
 */
export function mayHoldUnnamedSite(source: string): boolean {
  return /login\s*\(|login["']|set_auth_token\s*\(|Client(?:V2)?\s*\(|Deepgram\s*\(|["']auth["']|login\s|Auth\s*\(|Auth\.api_key\s*\(|\bauth\s*=\s*[([]|b64encode\s*\(/.test(
    source,
  );
}

/**
 * SDK calls whose positional arguments are credentials: `login(token)` of the Hugging Face and Comet SDKs,
 * `login(user, password)` of `ftplib`, `smtplib` and `imaplib`, Cohere's `Client(api_key)`, Deepgram's
 * `DeepgramClient(api_key)` (and the older SDK's `Deepgram(api_key)`, https://pypi.org/project/deepgram-sdk/), pyngrok's
 * `ngrok.set_auth_token(token)` (https://pyngrok.readthedocs.io/en/latest/api.html#pyngrok.ngrok.set_auth_token) and
 * the Weaviate client's `Auth.api_key(key)` (https://weaviate.io/developers/weaviate/connections/connect-cloud).
 * A plain word is an option there (`wandb.login("allow")`, a user name), not a credential.
 */
const POSITIONAL_KEY_CALLS = /(^|\.)cohere\.(?:Async)?Client(?:V2)?$|(^|\.)(?:Deepgram|DeepgramClient)$|(^|\.)ngrok\.set_auth_token$|(^|\.)Auth\.api_key$/;

export function positionalSites(call: PyCall, cell: Cell, out: Collector): void {
  httpAuthSites(call, cell, out);
  const login = /(^|\.)login$/.test(call.callee);
  if (!login && !POSITIONAL_KEY_CALLS.test(call.callee)) return;
  const index = login && call.args.length >= 2 ? 1 : 0;
  const arg = call.args[index];
  if (arg?.kind !== 'scalar' || typeof arg.value !== 'string' || isWordDefault(arg.value) || /\s/.test(arg.value)) return;
  out.add({ kind: 'key', key: index === 1 ? 'password' : 'token', value: arg.value, span: contentSpan(arg), node: arg, cell });
}

/** HTTP authentication objects of requests, httpx and aiohttp: `HTTPBasicAuth(user, password)`, `BasicAuth(login, password)`. */
const HTTP_AUTH = /(^|\.)(?:HTTPBasicAuth|HTTPDigestAuth|HTTPProxyAuth|BasicAuth|DigestAuth)$/;

/** A password written out, not a word (`password`, `admin123`) nor a phrase. */
function writtenPassword(node: Node | undefined): node is ScalarNode & { value: string } {
  return node?.kind === 'scalar' && typeof node.value === 'string' && !isWordDefault(node.value) && !/\s/.test(node.value);
}

/** The password of a `("user", "...")` pair given as HTTP authentication: `auth=(...)`, `session.auth = (...)`. */
export function authTupleSite(auth: Node | undefined, cell: Cell, out: Collector): void {
  if (isList(auth) && auth.items.length === 2 && auth.items[0].kind === 'scalar' && writtenPassword(auth.items[1])) {
    const password = auth.items[1];
    out.add({ kind: 'key', key: 'password', value: password.value, span: contentSpan(password), node: password, cell });
  }
}

/**
 * Passwords of HTTP authentication that no key names: the second argument of an auth object, the second item of an
 * `auth=("user", "...")` tuple (requests, httpx), and `user:password` literals encoded for a `Basic` header
 * (`base64.b64encode(b"user:password")`).
 */
function httpAuthSites(call: PyCall, cell: Cell, out: Collector): void {
  if (HTTP_AUTH.test(call.callee)) {
    const password = call.args[1];
    if (writtenPassword(password)) out.add({ kind: 'key', key: 'password', value: password.value, span: contentSpan(password), node: password, cell });
  }
  authTupleSite(call.kwargs.find((k) => k.key === 'auth')?.value, cell, out);
  const encoded = call.args[0];
  if (/(^|\.)(?:b64encode|standard_b64encode|encodebytes)$/.test(call.callee) && encoded?.kind === 'scalar' && typeof encoded.value === 'string') {
    const m = /^([^:\s]+):(\S+)$/.exec(encoded.value);
    const content = contentSpan(encoded);
    const colon = cell.source.slice(content.start, content.end).indexOf(':');
    if (m && colon >= 0 && !isWordDefault(m[2])) {
      out.add({ kind: 'key', key: 'password', value: m[2], span: { ...content, start: content.start + colon + 1 }, cell });
    }
  }
}

/**
 * `wandb.login(key="...")`, `Task.set_credentials(key="...")`: an SDK's login call names its credential with a
 * word too plain to say secret alone.
 */
export function isLoginKey(call: PyCall, keyword: string): boolean {
  return keyword === 'key' && /(^|\.)(login|set_credentials|authenticate)$/.test(call.callee);
}

/**
 * Keywords that name the server a client talks to: OpenAI-compatible clients' `base_url`, vector store clients' `url` /
 * `host`, and the same words after a provider's name (LangChain's `openai_api_base`, `ollama_base_url`).
 */
const SERVER_KEYWORD = /(?:^|_)(?:base_url|api_base|url|host|endpoint)$/;
const LOOPBACK_URL = /^(?:[a-z][a-z0-9+.-]*:\/\/)?(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d+)?(?:[/?#]|$)/i;

/**
 * A word given as the key of a client whose server is on this machine (`OpenAI(base_url="http://localhost:11434/v1",
 * api_key="ollama")`): OpenAI-compatible clients refuse to start without a key, and local servers (Ollama, vLLM
 * without `--api-key`, LM Studio) accept any, so code names a word there. A generated-looking value is still a
 * secret, and so is a password (a local database's is the deployed one's as often as not).
 */
export function dismissLocalServerWords(call: PyCall, out: Collector): void {
  const local = call.kwargs.some(
    (k) => SERVER_KEYWORD.test(k.key) && k.value.kind === 'scalar' && typeof k.value.value === 'string' && LOOPBACK_URL.test(k.value.value),
  );
  if (!local) return;
  for (const kw of call.kwargs)
    if (/key$/i.test(kw.key) && kw.value.kind === 'scalar' && typeof kw.value.value === 'string' && isWordDefault(kw.value.value))
      out.dismiss(contentSpan(kw.value));
}
