import { cellPython } from '../../core';
import { lastAnswer } from '../../core/prefilter';
import type { Cell, Entry, Node, ParsedFile, Resource, ScalarNode, Span } from '../../core/model';
import { bool, contentSpan, get, isExpr, isMap, isScalar, str, visit, walk } from '../../core/nodes';
import { evaluate } from '../../core/evaluate';
import type { Project } from '../../core/project';
import { LineIndex } from '../../core/text';
import {
  decodeBase64Text,
  isEncrypted,
  isPlaceholder,
  isSecretKey,
  isWeakSecretKey,
  isWordDefault,
  keyWords,
  mayHoldSecretKey,
  textMayHoldSecretKey,
} from './secret-values';
import { lineAssignments } from './secret-lines';
import { textKind, textRoots } from './secret-text';

/**
 * Where a file writes a literal under a name that says secret — one enumeration for every format:
 * - `key`: a map entry (`password = "..."`, `MasterUserPassword: ...`, `api_key: ...`, a notebook's
 *   `openai.api_key = "..."` or `login(token="...")`);
 * - `env`: a `{ name: DB_PASSWORD, value: "..." }` pair of a container environment list;
 * - `line`: a `KEY=value` / `key: value` line of a text file or of a script held in a string (user data);
 * - `encoded`: such a line inside base64-encoded user data (reported on the whole literal);
 * - `default`: the literal default of a Terraform variable or CloudFormation parameter that is secret
 *   by its name, `sensitive`/`NoEcho`, or because a secret attribute references it.
 * References (`var.x`, `!Ref`, `{{resolve:...}}`, `secretKeyRef`, `os.environ[...]` reads, `${VAR}`) are
 * not literals and never appear; placeholders are filtered out by `isRealSecret`.
 */

export type SiteKind = 'key' | 'env' | 'line' | 'encoded' | 'default';

export interface SecretSite {
  kind: SiteKind;
  /** The name that says secret (a key, a variable name, a parameter's logical id). */
  key: string;
  /** The literal (for `encoded`: the decoded assignment's value). */
  value: string;
  /** What to underline: the value (for `encoded`: the whole base64 literal). */
  span: Span;
  /** The literal node, for fixes (for `line` and `encoded`: the string holding the line, if any). */
  node?: Node;
  entry?: Entry;
  resource?: Resource;
  /** Notebook sites: the cell. */
  cell?: Cell;
  /** The value was quoted (text lines); an unquoted all-digit value is a number, not a secret. */
  quoted?: boolean;
}

const NAME_KEYS = ['name', 'Name'];
const VALUE_KEYS = ['value', 'Value'];

const bootKeyCache = new Map<string, boolean>();

/** `user_data`, `UserData`, `custom_data`, `user_data_base64`, `userData`: scripts a machine runs at boot. */
export function isBootScriptKey(key: string): boolean {
  let known = bootKeyCache.get(key);
  if (known === undefined) {
    const w = keyWords(key);
    const i = w.indexOf('data');
    known = (i > 0 && (w[i - 1] === 'user' || w[i - 1] === 'custom')) || w[w.length - 1] === 'base64';
    if (bootKeyCache.size > 50_000) bootKeyCache.clear();
    bootKeyCache.set(key, known);
  }
  return known;
}

function isStringScalar(node: Node | undefined): node is ScalarNode & { value: string } {
  return isScalar(node) && typeof node.value === 'string';
}

class Collector {
  readonly sites: SecretSite[] = [];
  private readonly seen = new Set<string>();

  add(site: SecretSite): void {
    const k = `${site.span.cell}|${site.span.start}|${site.span.end}`;
    if (this.seen.has(k)) return;
    this.seen.add(k);
    this.sites.push(site);
  }
}

/** `KEY=value` lines inside a string literal (a script, a compose `- KEY=value` item), at file offsets. */
function linesInString(file: ParsedFile, node: Node, out: Collector, resource?: Resource, key?: string): void {
  const span = contentSpan(node);
  if (span.cell !== undefined) return;
  const raw = file.text.slice(span.start, span.end);
  if ((!raw.includes('=') && !raw.includes(': ')) || !/pass|pwd|secret|token|key|cred|pat/i.test(raw)) return;
  const escaped = isScalar(node) && node.span.start !== span.start; // quoted: `\n` escapes are line breaks
  // Inline function code (CloudFormation `ZipFile`, `InlineCode`): only quoted literals are values there.
  const quotedOnly = key !== undefined && (key === 'ZipFile' || keyWords(key).pop() === 'code');
  for (const a of lineAssignments(raw, { base: span.start, escapedNewlines: escaped, quotedOnly })) {
    if (!isSecretKey(a.key)) continue;
    let { value, start, end } = a;
    // `export PASSWORD=\"abc\"` inside a JSON or HCL string.
    if (escaped && value.startsWith('\\"') && value.endsWith('\\"') && value.length > 4) {
      value = value.slice(2, -2);
      start += 2;
      end -= 2;
    }
    out.add({ kind: 'line', key: a.key, value, span: { start, end }, node, resource, quoted: a.quoted });
  }
}

/** Base64 user data (or a Secret's `data` file): the first secret assignment of the decoded text, reported on the literal. */
function encodedLines(node: ScalarNode & { value: string }, out: Collector, resource?: Resource): void {
  const decoded = decodeBase64Text(node.value);
  if (decoded === undefined) return;
  for (const a of lineAssignments(decoded)) {
    if (!isSecretKey(a.key) || isPlaceholder(a.value)) continue;
    out.add({ kind: 'encoded', key: a.key, value: a.value, span: contentSpan(node), node, resource, quoted: a.quoted });
    return;
  }
}

interface Body {
  node: Node;
  resource?: Resource;
}

/** Kubernetes `Secret` objects hold secrets by design: `kubernetes-secret-manifest` reports their values. */
function isSecretData(file: ParsedFile, node: Node): boolean {
  if (file.format !== 'kubernetes' || (node.path[0] !== 'data' && node.path[0] !== 'stringData')) return false;
  const r = file.resources.find((x) => x.span.start <= node.span.start && node.span.end <= x.span.end);
  return r?.type === 'Secret';
}

/** Parameter / variable defaults reached by evaluating a reference in a secret attribute. */
interface Defaults {
  /** Default node → owning parameter or variable. */
  byNode: Map<Node, Resource>;
  referenced: Set<Resource>;
}

function structuredSites(file: ParsedFile, project: Project, bodies: Body[], defaults: Defaults, out: Collector): void {
  const paramNames = new Set(file.format === 'cloudformation' ? file.resources.filter((r) => r.kind === 'parameter').map((r) => r.name) : []);
  const noteReference = (node: Node) => {
    if (isStringScalar(node) && paramNames.has(node.value)) {
      // `"Password": "ParentPassword"` in JSON: the name of a parameter, written where a Ref was meant.
      const p = file.resources.find((r) => r.kind === 'parameter' && r.name === node.value);
      if (p) defaults.referenced.add(p);
      return true;
    }
    if (!isExpr(node)) return false;
    // A reference is never a finding itself; the literal default it resolves to in this file may be.
    if (defaults.byNode.size > 0) {
      for (const v of evaluate(node, { file, project }).values) {
        const owner = defaults.byNode.get(v);
        if (owner) defaults.referenced.add(owner);
      }
    }
    return true;
  };
  // One callback for every body (a closure per body is garbage on every keystroke).
  let body: Body = bodies[0];
  const onNode = (node: Node, entry: Entry | undefined, key: string | undefined): void => {
    // Encrypted at rest by design: Sealed Secrets' `encryptedData`, SOPS metadata.
    if (node.path.includes('encryptedData') || node.path[0] === 'sops') return;
    if (isSecretData(file, node)) {
      // One value per key is `kubernetes-secret-manifest`'s; a config file kept in a Secret is read line by line.
      if (entry && entry.value === node && isStringScalar(node)) {
        if (node.path[0] === 'data') encodedLines(node, out, body.resource);
        else if (node.value.trim().includes('\n')) linesInString(file, node, out, body.resource, entry.key);
      }
      return;
    }
    const secretKey = entry !== undefined && isSecretKey(entry.key);
    if (secretKey && entry.value === node) {
      if (noteReference(node)) return;
      if (isStringScalar(node)) {
        out.add({ kind: 'key', key: entry.key, value: node.value, span: contentSpan(node), node, entry, resource: body.resource });
        return;
      }
      // `mock-proxy-password: { value: ..., description: ... }`
      const inner = isMap(node) ? node.entries.find((e) => VALUE_KEYS.includes(e.key)) : undefined;
      if (inner && isStringScalar(inner.value) && !noteReference(inner.value)) {
        out.add({
          kind: 'key',
          key: entry.key,
          value: inner.value.value,
          span: contentSpan(inner.value),
          node: inner.value,
          entry: inner,
          resource: body.resource,
        });
      }
    }
    if (isMap(node)) {
      let name: string | undefined;
      for (const k of NAME_KEYS) {
        const n = get(node, k);
        if (n === undefined) continue;
        name = str(n);
        break;
      }
      // CodeBuild: `{ name, value, type: SECRETS_MANAGER }` — the value names a secret, it is not one.
      const type = str(get(node, 'type') ?? get(node, 'Type'));
      if (name && isSecretKey(name) && !(type && /^(SECRETS_MANAGER|PARAMETER_STORE)$/.test(type))) {
        for (const e of node.entries) {
          if (!VALUE_KEYS.includes(e.key) || noteReference(e.value) || !isStringScalar(e.value)) continue;
          out.add({ kind: 'env', key: name, value: e.value.value, span: contentSpan(e.value), node: e.value, entry: e, resource: body.resource });
        }
      }
      return;
    }
    if (secretKey) return;
    if (isStringScalar(node)) {
      if (entry && isBootScriptKey(entry.key)) encodedLines(node, out, body.resource);
      linesInString(file, node, out, body.resource, entry?.key ?? key);
    } else if (isExpr(node) && node.literalParts && !node.fn && /^(<<|")/.test(node.text)) {
      linesInString(file, node, out, body.resource, entry?.key ?? key); // a Terraform template: "${...}" values are placeholders
    }
  };
  for (body of bodies) visit(body.node, onNode);
}

function terraformBodies(file: ParsedFile, defaults: Defaults): Body[] {
  if (/\.tfvars(\.json)?$/.test(file.uri)) return file.roots.map((node) => ({ node }));
  for (const r of file.resources) {
    if (r.kind !== 'variable') continue;
    const e = r.body.entries.find((x) => x.key === 'default');
    if (!e || !isStringScalar(e.value)) continue;
    defaults.byNode.set(e.value, r);
    if (isSecretKey(r.name) || bool(get(r.body, 'sensitive')) === true) defaults.referenced.add(r);
  }
  return file.resources.filter((r) => r.kind !== 'variable' && r.kind !== 'output').map((r) => ({ node: r.body, resource: r }));
}

/**
 * A module's other files: a secret attribute in `main.tf` set to `var.x` makes the literal default of
 * `x` in this file (`variables.tf`) a hard-coded secret.
 */
function referencesFromModule(file: ParsedFile, project: Project, defaults: Defaults): void {
  if (defaults.byNode.size === 0) return;
  // A reference under a secret key: a file whose text cannot hold such a key cannot matter.
  for (const other of project.module(file, textMayHoldSecretKey)) {
    if (other === file || other.uri === file.uri) continue;
    for (const r of other.resources) {
      if (r.kind === 'variable' || r.kind === 'output') continue;
      for (const v of walk(r.body)) {
        if (!v.entry || v.entry.value !== v.node || !isExpr(v.node) || !isSecretKey(v.entry.key)) continue;
        for (const value of evaluate(v.node, { file: other, project }).values) {
          const owner = defaults.byNode.get(value);
          if (owner) defaults.referenced.add(owner);
        }
      }
    }
  }
}

function cloudFormationBodies(file: ParsedFile, defaults: Defaults): Body[] {
  for (const r of file.resources) {
    if (r.kind !== 'parameter') continue;
    const e = r.body.entries.find((x) => x.key === 'Default');
    if (!e || !isStringScalar(e.value)) continue;
    defaults.byNode.set(e.value, r);
    if (isSecretKey(r.name) || bool(get(r.body, 'NoEcho')) === true) defaults.referenced.add(r);
  }
  return file.resources.filter((r) => r.kind !== 'parameter').map((r) => ({ node: r.raw ?? r.body, resource: r }));
}

function defaultSites(defaults: Defaults, out: Collector): void {
  for (const [node, owner] of defaults.byNode) {
    if (!defaults.referenced.has(owner) || !isStringScalar(node)) continue;
    const entry = owner.body.entries.find((e) => e.value === node);
    out.add({ kind: 'default', key: owner.name, value: node.value, span: contentSpan(node), node, entry, resource: owner });
  }
}

/** `os.environ["HF_TOKEN"]` → HF_TOKEN, `openai.api_key` → api_key, `config["password"]` → password. */
function targetName(target: string): string {
  const sub = /\[\s*["']([^"']+)["']\s*\]$/.exec(target);
  if (sub) return sub[1];
  return target.slice(target.lastIndexOf('.') + 1);
}

function notebookSites(file: ParsedFile, out: Collector): void {
  for (const cell of file.cells ?? []) {
    // Every site below is named by a key `isSecretKey` accepts: a cell whose text cannot hold one is not parsed.
    if (cell.kind !== 'code' || !mayHoldSecretKey(cell.source)) continue;
    const py = cellPython(cell);
    if (!py) continue;
    const dicts = (node: Node) => {
      for (const v of walk(node)) {
        if (v.entry && v.entry.value === v.node && isStringScalar(v.node) && isSecretKey(v.entry.key)) {
          out.add({ kind: 'key', key: v.entry.key, value: v.node.value, span: contentSpan(v.node), node: v.node, entry: v.entry, cell });
        }
      }
    };
    for (const a of py.assignments) {
      const name = targetName(a.target);
      if (isStringScalar(a.value)) {
        if (isSecretKey(name)) out.add({ kind: 'key', key: name, value: a.value.value, span: contentSpan(a.value), node: a.value, cell });
      } else dicts(a.value);
    }
    for (const call of py.calls) {
      for (const kw of call.kwargs) {
        if (isStringScalar(kw.value) && isSecretKey(kw.key))
          out.add({ kind: 'key', key: kw.key, value: kw.value.value, span: contentSpan(kw.value), node: kw.value, entry: kw, cell });
        else dicts(kw.value);
      }
      // os.environ.setdefault("HF_TOKEN", "hf_..."), os.putenv(...)
      const [nameArg, valueArg] = call.args;
      if (/(^|\.)(environ\.setdefault|putenv)$/.test(call.callee) && isStringScalar(nameArg) && isStringScalar(valueArg) && isSecretKey(nameArg.value)) {
        out.add({ kind: 'key', key: nameArg.value, value: valueArg.value, span: contentSpan(valueArg), node: valueArg, cell });
      } else for (const arg of call.args) dicts(arg);
    }
  }
}

function textSites(file: ParsedFile, project: Project, out: Collector): void {
  const kind = textKind(file);
  if (kind === 'document') return;
  const roots = kind === 'config' ? textRoots(file) : null;
  if (roots) {
    structuredSites(
      file,
      project,
      roots.map((node) => ({ node })),
      { byNode: new Map(), referenced: new Set() },
      out,
    );
    return;
  }
  for (const a of lineAssignments(file.text, { quotedOnly: kind === 'code' })) {
    if (isSecretKey(a.key)) out.add({ kind: 'line', key: a.key, value: a.value, span: { start: a.start, end: a.end }, quoted: a.quoted });
  }
}

/** Words of every key `isBootScriptKey` accepts (user/custom then data, or a last word base64). */
const BOOT_KEY_HINT = /base64|user[^a-z0-9]*data|custom[^a-z0-9]*data/i;

/**
 * Whether a text can hold a key `isBootScriptKey` accepts (without escapes a key's characters are the text's).
 * Asked by a scan's prefilter, then by the rules, about the same text: the last answer is kept.
 */
export const mayHoldBootKey = lastAnswer(BOOT_KEY_HINT);

/**
 * Whether a Terraform, CloudFormation, Kubernetes or text file can have sites beyond variable and parameter
 * defaults: every `key`, `env` and `line` site is named by a key `isSecretKey` accepts (a reference is noted
 * only under one), and `encoded` ones sit under a boot-script key or in a Kubernetes Secret.
 */
function mayHaveSites(file: ParsedFile): boolean {
  return textMayHoldSecretKey(file.text) || mayHoldBootKey(file.text) || file.resources.some((r) => r.type === 'Secret');
}

/** A variable's literal string default, `default = "..."` or a heredoc (or a comment where it may start). */
const STRING_DEFAULT = /\bdefault\s*=\s*(?:"|<<|\/[*/]|#)/;

/**
 * The text-only form of `mayHaveSites`, for `Rule.prefilter`, with the literal defaults `defaultSites` reports:
 * a default is reported when its variable or parameter has a secret name (a secret key in this text), is
 * `sensitive` / `NoEcho`, or is referenced under a secret key — in this text, or for Terraform in a
 * `neighbours` text of the module (`referencesFromModule`).
 */
export function textMayHaveSites(
  text: string,
  format: 'terraform' | 'cloudformation' | 'kubernetes' | 'text',
  neighbours: () => readonly string[] = () => [],
): boolean {
  if (textMayHoldSecretKey(text) || mayHoldBootKey(text)) return true;
  if (format === 'kubernetes') return text.includes('Secret');
  if (format === 'terraform') return STRING_DEFAULT.test(text) && (text.includes('sensitive') || neighbours().some(textMayHoldSecretKey));
  if (format === 'cloudformation') return text.includes('NoEcho');
  return false;
}

/** Every literal under a secret name in the file, before placeholder filtering. */
export function secretCandidates(file: ParsedFile, project: Project): SecretSite[] {
  const out = new Collector();
  const defaults: Defaults = { byNode: new Map(), referenced: new Set() };
  const scan = file.format === 'notebook' || mayHaveSites(file);
  switch (file.format) {
    case 'terraform': {
      const bodies = terraformBodies(file, defaults);
      if (scan) structuredSites(file, project, bodies, defaults, out);
      referencesFromModule(file, project, defaults);
      defaultSites(defaults, out);
      break;
    }
    case 'cloudformation': {
      const bodies = cloudFormationBodies(file, defaults);
      if (scan) structuredSites(file, project, bodies, defaults, out);
      defaultSites(defaults, out);
      break;
    }
    case 'kubernetes':
      if (scan)
        structuredSites(
          file,
          project,
          file.roots.map((node) => ({ node, resource: file.resources.find((r) => r.body === node) })),
          defaults,
          out,
        );
      break;
    case 'notebook':
      notebookSites(file, out);
      break;
    default:
      if (scan) textSites(file, project, out);
  }
  return out.sites;
}

/** A comment on the value's line (or an env pair's name line) that says the value is to be replaced. */
const PLACEHOLDER_COMMENT = /\b(replace|change|your|placeholder|dummy|fake|example|todo|fixme)\b/i;

function commentSaysPlaceholder(file: ParsedFile, site: SecretSite, lines: () => LineIndex): boolean {
  if (site.span.cell !== undefined || file.comments.length === 0) return false;
  const index = lines();
  const last = index.position(site.span.end).line;
  const first = site.kind === 'env' && site.entry ? Math.max(0, last - 2) : last;
  return file.comments.some((c) => {
    if (c.span.cell !== undefined) return false;
    const l = index.position(c.span.start).line;
    return l >= first && l <= last && PLACEHOLDER_COMMENT.test(c.text);
  });
}

/** The literal is a credential someone wrote, not a placeholder, a number, or an image's documented default. */
export function isRealSecret(file: ParsedFile, site: SecretSite, lines: () => LineIndex): boolean {
  const v = site.value.trim();
  if (isPlaceholder(v) || isEncrypted(v)) return false;
  if (v.toLowerCase() === site.key.toLowerCase()) return false;
  // Unquoted text after `KEY=` / `key:` that is a number, words (`key: bad refresh token, retrying` in a log
  // message) or an expression (`a.b === 'x'`, `f(x)`, `os.environ["X"]`) is not a literal secret.
  if (site.quoted === false && (/^[0-9.]+$/.test(v) || /\s/.test(v) || /^[A-Za-z_$][\w$.]*[([]/.test(v))) return false;
  if (site.kind === 'env' && isWordDefault(v)) return false;
  // A one-word key (`secret`, `token`) with a word or a phrase for value is a label, not a credential.
  if (isWeakSecretKey(site.key) && (isWordDefault(v) || /\s/.test(v))) return false;
  return !commentSaysPlaceholder(file, site, lines);
}

/** The sites worth reporting. */
export function secretSites(file: ParsedFile, project: Project): SecretSite[] {
  let index: LineIndex | undefined;
  const lines = () => (index ??= new LineIndex(file.text));
  return secretCandidates(file, project).filter((s) => isRealSecret(file, s, lines));
}
