import {
  contentSpan,
  embeddedJson,
  type Entry,
  evaluate,
  get,
  isExpr,
  isList,
  isMap,
  isScalar,
  mask,
  hasTerraformExpressions,
  type Node,
  type ParsedFile,
  type Project,
  type Resource,
  type ScalarNode,
  str,
  visit,
  verbatimScriptSpan,
} from '../../../core';
import { ifBranches } from '../../lib/cfn-if';
import { renderedScalar, valuesYaml } from '../../lib/helm';
import { assembledLiteral, fallbackLiterals, localLiteral } from './assembled';
import { bootScriptSites } from './boot-scripts';
import { optionListSites } from './command-sites';
import { isJoinedDocument, joinedLines } from './joined-lines';
import { composeDefaultSites, expressionFallbackSites, serverlessFallbackSites } from './reference-defaults';
import { installedAppClientSecret, isAccountKeyPair, isAuthPair, isAuthPairKey, isBootScriptKey, isSecretKey, keysOfNamedSecret, keyWords } from './keys';
import { REDIS_DIRECTIVE } from './config-lines';
import { lineAssignments } from './lines';
import { isStoreValue } from './store-values';
import type { Collector } from './sites';
import { decodeBase64Text, hasGeneratedRun, isBasicAuth, isPlaceholder, isUserPassword, looksRandom } from './values';

/**
 * The sites of a tree of maps and lists — a Terraform file, a CloudFormation template, Kubernetes objects, a
 * YAML or JSON text file: secret keys, environment pairs, lines of scripts held in strings (plain or base64),
 * and the variable and parameter defaults a secret attribute references.
 */

// What names the `value` beside it: a container's or CodeBuild's `name`, a `key` (Terraform Cloud, GitLab and Vercel
// variables), Elastic Beanstalk's `OptionName`.
const NAME_KEYS = ['name', 'Name', 'key', 'Key', 'OptionName'];
const VALUE_KEYS = ['value', 'Value'];

export function isStringScalar(node: Node | undefined): node is ScalarNode & { value: string } {
  return isScalar(node) && typeof node.value === 'string';
}

/** `KEY=value` lines inside a string literal (a script, a compose `- KEY=value` item), at file offsets. */
function linesInString(file: ParsedFile, node: Node, out: Collector, resource?: Resource, key?: string): void {
  const span = contentSpan(node);
  if (span.cell !== undefined) return;
  const raw = file.text.slice(span.start, span.end);
  // Assignments hold `=` or `: `; Redis's password directive is a name and a value (`requirepass …`).
  if ((!raw.includes('=') && !raw.includes(': ') && !REDIS_DIRECTIVE.test(raw)) || !/pass|pw|secret|token|key|cred|pat|raw|auth["']?\s*[:=]/i.test(raw)) return;
  const escaped = isScalar(node) && node.span.start !== span.start; // quoted: `\n` escapes are line breaks
  // Inline function code (CloudFormation `ZipFile`, `InlineCode`): only quoted literals are values there.
  const quotedOnly = key !== undefined && (key === 'ZipFile' || keyWords(key).pop() === 'code');
  for (const a of lineAssignments(raw, { base: span.start, escapedNewlines: escaped, quotedOnly })) {
    if (!isSecretKey(a.key)) {
      // `- NEO4J_AUTH=neo4j/…` and `- REDIS_ARGS=--requirepass …` items of a Compose environment list.
      if (isAuthPair(a.key, a.value))
        out.add({ kind: 'line', key: a.key, value: a.value, span: { start: a.start, end: a.end }, node, resource, quoted: a.quoted });
      else if (!escaped && file.text.slice(a.start, a.end) === a.value) {
        // An unquoted value ends at a blank for a shell, but a Compose `KEY=value` item's value is the rest of its line.
        const eol = file.text.indexOf('\n', a.end);
        const end = a.quoted ? a.end : Math.min(eol < 0 ? span.end : eol, span.end);
        optionListSites(file.text, { start: a.start, end }, out);
      }
      continue;
    }
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

export interface Body {
  node: Node;
  resource?: Resource;
}

/** Kubernetes `Secret` objects hold secrets by design: `kubernetes-secret-manifest` reports their values. */
function isSecretData(file: ParsedFile, node: Node): boolean {
  if ((file.format !== 'kubernetes' && file.format !== 'helm') || (node.path[0] !== 'data' && node.path[0] !== 'stringData')) return false;
  const r = file.resources.find((x) => x.span.start <= node.span.start && node.span.end <= x.span.end);
  return r?.type === 'Secret';
}

/**
 * The literal piece of a template that is itself generated-looking (`!Sub "whk_${Env}_9f2c7a1e5b8d3f6a0c4e7b1d"`,
 * `"${var.prefix}-Zx81Qm4Lp9Rt2Vw7"`): the references around it do not make the written part a placeholder.
 */
function generatedPiece(node: Node): string | undefined {
  if (!isExpr(node)) return undefined;
  const text = node.fn ? assembledLiteral(node, true) : node.literalParts && node.text.startsWith('"') ? node.literalParts.join('${ref}') : undefined;
  return text?.split(/\$\{[^}]*\}/).find((piece) => hasGeneratedRun(piece, 16));
}

/**
 * A command line written as a list, an option and its value in two items (`args: ["--api-token", "..."]`): the
 * option's name says the value is a secret. (`--name=value` in one item is read as a line.)
 */
function optionPairs(list: Node & { kind: 'list' }, out: Collector, resource?: Resource): void {
  for (let i = 0; i + 1 < list.items.length; i++) {
    const option = list.items[i];
    const value = list.items[i + 1];
    if (!isStringScalar(option) || !isStringScalar(value) || !/^--?[A-Za-z][\w.-]*$/.test(option.value) || value.value.startsWith('-')) continue;
    const name = option.value.replace(/^--?/, '');
    if (isSecretKey(name)) out.add({ kind: 'flag', key: option.value, value: value.value, span: contentSpan(value), node: value, resource });
  }
}

/** Parameter / variable defaults reached by evaluating a reference in a secret attribute. */
export interface Defaults {
  /** Default node → owning parameter or variable. */
  byNode: Map<Node, Resource>;
  referenced: Set<Resource>;
}

export function structuredSites(file: ParsedFile, project: Project, bodies: Body[], defaults: Defaults, out: Collector): void {
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
  /** A Helm template action the chart's values render as a literal: a site at the action, told through values.yaml. */
  const rendered = (node: Node, kind: 'key' | 'env', key: string, entry: Entry): boolean => {
    const r = renderedScalar(file, project, node, mask);
    if (!r || typeof r.value.value !== 'string') return false;
    out.add({ kind, key, value: r.value.value, span: r.span, entry, resource: body.resource, related: r.related });
    return true;
  };
  // One callback for every body (a closure per body is garbage on every keystroke).
  let body: Body = bodies[0];
  /**
   * Entries that name a key of a Secret their map names (`secretName` + `secretKey`), and an installed application's
   * OAuth client secret: seen at the map, before them.
   */
  const namedKeys = new Set<Entry>();
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
    if (entry !== undefined && entry.value === node && isBootScriptKey(entry.key)) bootScriptSites(file, node, out);
    const secretKey =
      entry !== undefined &&
      !namedKeys.has(entry) &&
      (isSecretKey(entry.key) || isStoreValue(body.resource, entry.key, body.resource?.body.entries.includes(entry) ?? false, node.path));
    if (secretKey && entry.value === node) {
      // `!If [Cond, "{{resolve:...}}", "..."]`: each branch is a value the template may deploy.
      if (isExpr(node) && node.fn === 'Fn::If') {
        for (const { node: branch } of ifBranches(node)) {
          if (isStringScalar(branch)) out.add({ kind: 'key', key: entry.key, value: branch.value, span: contentSpan(branch), resource: body.resource });
        }
        return;
      }
      // `coalesce(var.x, "...")`, `lookup(m, k, "...")`: a literal fallback is deployed whenever the inputs are unset.
      const fallbacks = hasTerraformExpressions(file.format) ? fallbackLiterals(node) : [];
      for (const f of fallbacks) out.add({ kind: 'fallback', key: entry.key, value: f.value, span: contentSpan(f), resource: body.resource });
      if (fallbacks.length) return;
      // A JSON document joined from pieces (`!Join ["", ['{"password":"', "...", '"}']]`): its keys say which is a secret.
      if (file.format === 'cloudformation' && isJoinedDocument(node)) {
        joinedLines(node, out, body.resource);
        return;
      }
      const assembled = assembledLiteral(node) ?? (hasTerraformExpressions(file.format) ? localLiteral(node, file, project) : undefined);
      if (assembled !== undefined) {
        out.add({ kind: 'key', key: entry.key, value: assembled, span: node.span, node, entry, resource: body.resource });
        return;
      }
      const piece = generatedPiece(node);
      if (piece !== undefined) {
        out.add({ kind: 'key', key: entry.key, value: piece, span: node.span, entry, resource: body.resource });
        return;
      }
      if (file.format === 'compose' && composeDefaultSites(node, entry.key, out, body.resource)) return;
      if (file.format === 'cloudformation' && serverlessFallbackSites(node, entry.key, out, body.resource)) return;
      if (file.format === 'github-actions' && expressionFallbackSites(file.text, node, entry.key, out, body.resource)) return;
      if (rendered(node, 'key', entry.key, entry) || noteReference(node)) return;
      // A secret key holding a JSON document (`secret_value = "{...}"`): the document's own keys say which value is one.
      const document = isStringScalar(node) && /^\s*[[{]/.test(node.value) ? embeddedJson(file, node) : undefined;
      if (document) {
        visitDocument(document);
        return;
      }
      if (isStringScalar(node)) {
        out.add({ kind: 'key', key: entry.key, value: node.value, span: contentSpan(node), node, entry, resource: body.resource });
        return;
      }
      // `passwords = ["..."]`: a literal of a list under a secret key that looks generated (lists under such keys also
      // hold names, `["NoEcho"]`, and DNS zones). Reported, not rewritten in place.
      if (isList(node)) {
        for (const item of node.items) {
          if (isStringScalar(item) && looksRandom(item.value) && !noteReference(item))
            out.add({ kind: 'key', key: entry.key, value: item.value, span: contentSpan(item), resource: body.resource });
          // `apiKeys: [{ name: partner, value: "..." }]`: each item's value is one of what the key names.
          const value = isMap(item) ? item.entries.find((e) => VALUE_KEYS.includes(e.key)) : undefined;
          if (value && isStringScalar(value.value) && !noteReference(value.value))
            out.add({ kind: 'key', key: entry.key, value: value.value.value, span: contentSpan(value.value), resource: body.resource });
        }
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
    if (isList(node)) optionPairs(node, out, body.resource);
    if (isMap(node)) {
      for (const e of keysOfNamedSecret(node.entries)) namedKeys.add(e);
      const shipped = installedAppClientSecret(node.entries, entry?.key);
      if (shipped) namedKeys.add(shipped);
      let name: string | undefined;
      for (const k of NAME_KEYS) {
        const n = get(node, k);
        if (n === undefined) continue;
        name = str(n);
        break;
      }
      // CodeBuild: `{ name, value, type: SECRETS_MANAGER }` — the value names a secret, it is not one.
      const type = str(get(node, 'type') ?? get(node, 'Type'));
      const key = isAccountKeyPair(node.entries.map((e) => e.key)) ? node.entries.find((e) => e.key === 'key') : undefined;
      if (key && isStringScalar(key.value)) {
        out.add({ kind: 'key', key: key.key, value: key.value.value, span: contentSpan(key.value), node: key.value, entry: key, resource: body.resource });
      }
      if (name && isSecretKey(name) && !(type && /^(SECRETS_MANAGER|PARAMETER_STORE)$/.test(type))) {
        for (const e of node.entries) {
          if (!VALUE_KEYS.includes(e.key) || rendered(e.value, 'env', name, e) || noteReference(e.value) || !isStringScalar(e.value)) continue;
          out.add({ kind: 'env', key: name, value: e.value.value, span: contentSpan(e.value), node: e.value, entry: e, resource: body.resource });
        }
      } else if (name && isAuthPairKey(name)) {
        // `{ name: NEO4J_AUTH, value: neo4j/<password> }`: a user and password pair, as under a key ending in `auth`.
        const e = node.entries.find((v) => VALUE_KEYS.includes(v.key) && isStringScalar(v.value));
        if (e && isStringScalar(e.value) && (isBasicAuth(e.value.value) || isUserPassword(e.value.value)))
          out.add({ kind: 'env', key: name, value: e.value.value, span: contentSpan(e.value), node: e.value, entry: e, resource: body.resource });
      }
      return;
    }
    if (secretKey) return;
    if (file.format === 'cloudformation') joinedLines(node, out, body.resource);
    // A JSON document in a string (a SecretString, container definitions in a heredoc, a config file in a
    // ConfigMap): its keys and environment pairs are read like the file's own.
    const json = isStringScalar(node)
      ? /^\s*[[{]/.test(node.value)
        ? embeddedJson(file, node)
        : undefined
      : isExpr(node) && node.literalParts && !node.fn && node.text.startsWith('<<')
        ? embeddedJson(file, node)
        : undefined;
    if (json) {
      visitDocument(json);
      return;
    }
    if (entry && isStringScalar(node) && isAuthPair(entry.key, node.value)) {
      out.add({ kind: 'key', key: entry.key, value: node.value, span: contentSpan(node), node, entry, resource: body.resource });
      return;
    }
    if (file.format === 'compose' && entry === undefined && composeDefaultSites(node, undefined, out, body.resource)) return;
    if (isStringScalar(node)) {
      for (const root of valuesYaml(file, node)) visitDocument(root);
      if (entry && isBootScriptKey(entry.key)) encodedLines(node, out, body.resource);
      linesInString(file, node, out, body.resource, entry?.key ?? key);
      // `REDIS_ARGS: --requirepass …`, `JAVA_OPTS: -D…password=…`: a value that is a list of options, as written.
      const options = entry && node.value.startsWith('-') ? verbatimScriptSpan(node, file.text) : undefined;
      if (options) optionListSites(file.text, options, out);
    } else if (isExpr(node) && node.literalParts && !node.fn && /^(<<|")/.test(node.text)) {
      linesInString(file, node, out, body.resource, entry?.key ?? key); // a Terraform template: "${...}" values are placeholders
    }
  };
  // A value inside a document held in a string is reported, but no fix rewrites it in place (it would put a
  // reference inside the string).
  const visitDocument = (doc: Node) => {
    const from = out.sites.length;
    visit(doc, onNode);
    for (const site of out.sites.slice(from)) {
      site.node = undefined;
      site.entry = undefined;
    }
  };
  for (body of bodies) visit(body.node, onNode);
}
