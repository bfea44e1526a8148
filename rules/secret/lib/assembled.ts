import { get, isList, isMap, isScalar, type Node, type ParsedFile, type Project, type ScalarNode } from '../../../core';
import { isSecretKey } from './keys';

/**
 * The string a value builds from literals only: CloudFormation `Fn::Join` of literals and `Fn::Sub` of a
 * template whose variables are all set to literals by its second argument, Terraform `join(...)` and `format(...)` whose arguments are all literals,
 * and `base64encode` / `Fn::Base64` of a literal, and Terraform's functions that hand a string on as it is marked or
 * typed (`sensitive("...")`, `tostring`, `trimspace`).
 * Undefined when any piece is a reference, a function or a variable: that value is not written in the file; with
 * `holes`, such a piece is written `${ref}` instead, for reading what the literal pieces hold.
 */
export function assembledLiteral(node: Node, holes = false): string | undefined {
  if (node.kind !== 'expr' || !node.args) return undefined;
  const args = node.args;
  // With `holes`, a piece that is not a literal is written as a template hole: what a reference stands for is unknown.
  const text = (n: Node | undefined) =>
    isScalar(n) && (typeof n.value === 'string' || typeof n.value === 'number') ? String(n.value) : holes && n?.kind === 'expr' ? HOLE : undefined;
  const texts = (n: Node | undefined) => {
    if (!isList(n)) return undefined;
    const parts = n.items.map(text);
    return parts.every((p): p is string => p !== undefined) ? parts : undefined;
  };
  switch (node.fn) {
    case 'Fn::Join':
    case 'join': {
      const separator = text(args[0]);
      const parts = texts(args[1]);
      return separator !== undefined && parts && args.length === 2 ? parts.join(separator) : undefined;
    }
    case 'Fn::Sub': {
      // `${Name}` is a variable (here only one the second argument sets to a literal); `${!Name}` is written out as `${Name}`.
      const template = text(args[0]);
      const vars = isMap(args[1]) ? args[1] : undefined;
      if (template === undefined || (args.length > 1 && !vars)) return undefined;
      let literal = true;
      const value = template.replace(/\$\{(!?)([^}]*)\}/g, (whole, bang: string, name: string) => {
        if (bang) return `\${${name}}`;
        const v = text(vars?.entries.find((e) => e.key === name)?.value);
        if (v === undefined) literal = false;
        return v ?? whole;
      });
      return literal || holes ? value : undefined;
    }
    case 'sensitive':
    case 'nonsensitive':
    case 'tostring':
    case 'trimspace':
    case 'chomp':
    case 'base64encode':
    case 'Fn::Base64': {
      // The secret, encoded where it is used (`basic_auth_credentials = base64encode("user:password")`).
      const value = text(args[0]);
      if (args.length !== 1) return undefined;
      return node.fn === 'trimspace' ? value?.trim() : node.fn === 'chomp' ? value?.replace(/(?:\r?\n)+$/, '') : value;
    }
    case 'format': {
      const parts = args.map(text);
      if (parts.length < 2 || !parts.every((p): p is string => p !== undefined)) return undefined;
      let i = 1;
      const out = parts[0].replace(/%[%sdv]/g, (verb) => (verb === '%%' ? '%' : (parts[i++] ?? verb)));
      return i === parts.length ? out : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * The literals a Terraform value falls back to: any literal argument of `coalesce` (the first that is not null or
 * empty) and `try` (the first that can be read), and the default of `lookup(map, key, default)`. Each is a value the
 * configuration deploys whenever the inputs before it are unset.
 */
export function fallbackLiterals(node: Node): (ScalarNode & { value: string })[] {
  if (node.kind !== 'expr' || !node.args) return [];
  const args = node.fn === 'lookup' ? node.args.slice(2, 3) : node.fn === 'coalesce' || node.fn === 'try' ? node.args : [];
  return args.filter((a): a is ScalarNode & { value: string } => isScalar(a) && typeof a.value === 'string');
}

/** A reference inside a value assembled with holes (placeholder filters read `${...}` as a template). */
const HOLE = '${ref}';

/** The functions that assemble one string from pieces. */
export const ASSEMBLING = new Set(['join', 'format', 'Fn::Join', 'Fn::Sub']);

const LOCAL_REF = /^local\.([A-Za-z_][A-Za-z0-9_-]*)$/;
const QUOTED_LITERAL = /^"([^"\\$%]*)"$/;

/** The literal string a local of the module is set to (`locals { suffix = "..." }`); undefined for anything else. */
function literalLocal(name: string, file: ParsedFile, project: Project): string | undefined {
  for (const f of project.module(file, (text) => text.includes(name))) {
    for (const r of f.resources) {
      if (r.kind !== 'locals') continue;
      const v = get(r.body, name);
      if (v !== undefined) return isScalar(v) && typeof v.value === 'string' ? v.value : undefined;
    }
  }
  return undefined;
}

/**
 * The string a Terraform value builds from literals of the module: a `local.x` set to a literal, or a template whose
 * interpolations are all string literals or such locals (`"Zx81-${local.suffix}"`, `"${"ab"}${"cd"}"`). Undefined
 * when a piece is a variable (its default is judged as a default), a resource attribute or a function, and when a
 * local is itself named as a secret (it is reported where it is written).
 */
export function localLiteral(node: Node, file: ParsedFile, project: Project): string | undefined {
  if (node.kind !== 'expr' || node.fn) return undefined;
  const text = node.text.trim();
  const piece = (hole: string): string | undefined => {
    const literal = QUOTED_LITERAL.exec(hole);
    if (literal) return literal[1];
    const ref = LOCAL_REF.exec(hole);
    return ref && !isSecretKey(ref[1]) ? literalLocal(ref[1], file, project) : undefined;
  };
  if (LOCAL_REF.test(text)) return piece(text);
  const parts = node.literalParts;
  if (!parts || !text.startsWith('"') || text.includes('%{')) return undefined;
  const holes = [...text.matchAll(/\$\{([^{}]*)\}/g)].map((m) => m[1].trim());
  if (holes.length === 0 || holes.length !== parts.length - 1) return undefined;
  let value = parts[0];
  for (let i = 0; i < holes.length; i++) {
    const p = piece(holes[i]);
    if (p === undefined) return undefined;
    value += p + parts[i + 1];
  }
  return value;
}
