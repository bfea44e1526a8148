import { type Fix, isExpr, isScalar, type Node, type Resource, type ScalarNode, type Span } from '../../../core';
import { composeEnvFix } from './fixes';
import { isSecretKey } from './keys';
import type { Collector } from './sites';

/**
 * Compose `${VAR:-default}` / `${VAR-default}` under a secret name (`POSTGRES_PASSWORD: ${DB_PASSWORD:-s3cret}`, or
 * the item `- POSTGRES_PASSWORD=${DB_PASSWORD:-s3cret}`): the default is written in the file and used whenever the
 * variable is unset or empty (https://docs.docker.com/reference/compose-file/interpolation/), as a literal fallback of
 * `os.getenv` is in code. `${VAR}` and `${VAR:?error}` hold nothing.
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
  for (const d of defaults)
    if (d.span.end - d.span.start === d.value.length) out.add({ kind: 'key', key: name, value: d.value, span: d.span, node: d, resource });
  return defaults.length > 0;
}

/** The fix for a default found above: `${DB_PASSWORD:-s3cret}` becomes `${DB_PASSWORD}`. */
export function dropInterpolationDefault(text: string, fallback: Span): Fix<'read-from-environment'> | undefined {
  const start = text.lastIndexOf('${', fallback.start);
  const end = text.indexOf('}', fallback.end);
  const name = /^\$\{([A-Za-z_][A-Za-z0-9_]*):?-$/.exec(text.slice(start, fallback.start))?.[1];
  if (start < 0 || end < 0 || name === undefined) return undefined;
  return composeEnvFix(name, { start, end: end + 1 });
}
