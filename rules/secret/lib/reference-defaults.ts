import { contentSpan, type Fix, isExpr, isScalar, type Node, type ParsedFile, type Resource, type ScalarNode, type Span } from '../../../core';
import { composeEnvFix } from './fixes';
import { isSecretKey } from './keys';
import type { Collector, SecretSite } from './sites';
import type { LineAssignment } from './lines';

/**
 * Literal values written inside a reference under a secret name, used whenever the reference is empty:
 * - Compose `${VAR:-default}` / `${VAR-default}` (`POSTGRES_PASSWORD: ${DB_PASSWORD:-s3cret}`, or the item
 *   `- POSTGRES_PASSWORD=${DB_PASSWORD:-s3cret}`; https://docs.docker.com/reference/compose-file/interpolation/);
 * - GitHub Actions `${{ secrets.TOKEN || 'literal' }}` (`||` returns its first truthy operand, strings are in single
 *   quotes: https://docs.github.com/en/actions/learn-github-actions/expressions).
 * Like a literal fallback of `os.getenv` in code, they are hard-coded values. `${VAR}`, `${VAR:?error}` and `|| ''`
 * hold nothing.
 */

function literalDefaults(node: Node): (ScalarNode & { value: string })[] {
  if (!isExpr(node) || !node.args) return [];
  return node.args.filter((a): a is ScalarNode & { value: string } => isScalar(a) && typeof a.value === 'string' && a.value !== '');
}

/** The sites of a Compose value under a secret key (`key`), or of a `KEY=${…}` item when `key` is undefined. */
export function composeDefaultSites(node: Node, key: string | undefined, out: Collector, resource?: Resource): boolean {
  if (!isExpr(node)) return false;
  const name = key ?? /^([A-Za-z_][A-Za-z0-9_]*)=$/.exec(node.literalParts?.[0] ?? '')?.[1];
  if (name === undefined || !isSecretKey(name)) return false;
  const defaults = literalDefaults(node);
  // A default has a span of its own only where the value is written without escapes (else it spans the value).
  for (const d of defaults) if (d.span.end - d.span.start === d.value.length) out.add({ kind: 'key', key: name, value: d.value, span: d.span, resource });
  return defaults.length > 0;
}

/**
 * A Serverless Framework variable with a fallback, `${env:DB_PASSWORD, 'default'}`: the second parameter is the value
 * when the source has none (https://www.serverless.com/framework/docs/guides/variables). A quoted literal there is
 * written in the file; `${ssm:/path}`, an empty `''` and a fallback that is itself a variable hold nothing. The source
 * may nest variables (`${ssm:/app/${sls:stage}/db}`): each nested one starts at a `$` the next `{` decides, so the
 * match is linear.
 */
const SERVERLESS_FALLBACK = /^\$\{[^{},]*(?:\$\{[^{}]*\}[^{},]*)*,\s*(?:'([^']+)'|"([^"]+)")\s*\}$/;

/** The literal fallback of a Serverless variable written as the whole value of a secret key. */
export function serverlessFallbackSites(node: Node, key: string, out: Collector, resource?: Resource): boolean {
  if (!isScalar(node) || typeof node.value !== 'string' || !node.value.startsWith('${') || !isSecretKey(key)) return false;
  const m = SERVERLESS_FALLBACK.exec(node.value);
  if (!m) return false;
  const value = m[1] ?? m[2];
  const at = node.value.lastIndexOf(value, node.value.length - 1);
  const span = contentSpan(node);
  // The fallback's own span where the value is written as read (no escapes), else the whole value.
  const exact = span.end - span.start === node.value.length;
  out.add({ kind: 'key', key, value, span: exact ? { start: span.start + at, end: span.start + at + value.length } : span, resource });
  return true;
}

/** `|| 'literal'` inside `${{ }}`; `''` is a quote inside the literal. */
const FALLBACK = /\|\|\s*'((?:[^']|'')+)'/g;

/** The literal fallbacks of a workflow expression under a secret key. */
export function expressionFallbackSites(text: string, node: Node, key: string, out: Collector, resource?: Resource): boolean {
  if (!isExpr(node) || !isSecretKey(key)) return false;
  const written = text.slice(node.span.start, node.span.end);
  let found = false;
  for (const m of written.matchAll(FALLBACK)) {
    const start = node.span.start + m.index + m[0].length - 1 - m[1].length;
    out.add({ kind: 'key', key, value: m[1].replaceAll("''", "'"), span: { start, end: start + m[1].length }, resource });
    found = true;
  }
  return found;
}

/** The fix for a site found above: `${DB_PASSWORD:-s3cret}` becomes `${DB_PASSWORD}`, `${{ secrets.T || 'x' }}` `${{ secrets.T }}`. */
export function dropReferenceDefault(file: ParsedFile, site: SecretSite): Fix<'read-from-environment' | 'drop-default'> | undefined {
  if (site.kind !== 'key' || site.entry !== undefined) return undefined;
  const { text } = file;
  const { start, end } = site.span;
  if (file.format === 'compose') {
    const open = text.lastIndexOf('${', start);
    const close = text.indexOf('}', end);
    const name = /^\$\{([A-Za-z_][A-Za-z0-9_]*):?-$/.exec(text.slice(open, start))?.[1];
    return open < 0 || close < 0 || name === undefined ? undefined : composeEnvFix(name, { start: open, end: close + 1 });
  }
  if (file.format === 'cloudformation') return dropServerlessFallback(text, start, end);
  if (file.format !== 'github-actions' || text[end] !== "'") return undefined;
  const operator = /\s*\|\|\s*'$/.exec(text.slice(Math.max(0, start - 64), start));
  if (!operator) return undefined;
  const span: Span = { start: start - operator[0].length, end: end + 1 };
  return { title: 'Remove the literal fallback: use only the secret', kind: 'drop-default', safety: 'unsafe', edits: [{ span, newText: '' }] };
}

/** `${env:DB_PASSWORD, 'literal'}` becomes `${env:DB_PASSWORD}`: the value comes from the variable's source only. */
function dropServerlessFallback(text: string, start: number, end: number): Fix<'drop-default'> | undefined {
  const quote = text[end];
  if ((quote !== "'" && quote !== '"') || text[start - 1] !== quote) return undefined;
  const comma = /,\s*$/.exec(text.slice(Math.max(0, start - 65), start - 1));
  const close = /^\s*\}/.exec(text.slice(end + 1, end + 65));
  if (!comma || !close) return undefined;
  const span: Span = { start: start - 1 - comma[0].length, end: end + 1 + close[0].length - 1 };
  return { title: 'Remove the literal fallback: read only the variable', kind: 'drop-default', safety: 'unsafe', edits: [{ span, newText: '' }] };
}

/**
 * The default of a reference, written where the reference is: Spring's `${db.password:default}`
 * (https://docs.spring.io/spring-framework/reference/core/beans/annotation-config/value-annotations.html) in
 * `@Value(...)`, `application.yml` or `.properties`, and the shell's `${DB_PASSWORD:-default}`
 * (https://www.gnu.org/software/bash/manual/html_node/Shell-Parameter-Expansion.html). The default is what runs
 * wherever the property or variable is unset: under a secret name it is a hard-coded secret. The shell's `${X:?message}`
 * and `${X:+other}` are no defaults. The name cannot hold the `:` after it and the default stops at the first brace,
 * quote or blank, so the scan is linear.
 */
const DEFAULTED_REFERENCE = /\$\{([A-Za-z_][\w.-]{0,127}):(-?)([^\s{}$"'`?+-][^\s{}$"'`]{0,255})\}/g;

export function* referenceDefaults(text: string): Generator<LineAssignment> {
  if (!text.includes('${')) return;
  DEFAULTED_REFERENCE.lastIndex = 0;
  for (let m = DEFAULTED_REFERENCE.exec(text); m; m = DEFAULTED_REFERENCE.exec(text)) {
    const end = m.index + m[0].length - 1;
    yield { key: m[1], value: m[3], start: end - m[3].length, end, keyStart: m.index + 2, quoted: true };
  }
}
