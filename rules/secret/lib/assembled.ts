import { isList, isMap, isScalar, type Node } from '../../../core';

/**
 * The string a value builds from literals only: CloudFormation `Fn::Join` of literals and `Fn::Sub` of a
 * template whose variables are all set to literals by its second argument, Terraform `join(...)` and `format(...)` whose arguments are all literals.
 * Undefined when any piece is a reference, a function or a variable: that value is not written in the file.
 */
export function assembledLiteral(node: Node): string | undefined {
  if (node.kind !== 'expr' || !node.args) return undefined;
  const args = node.args;
  const text = (n: Node | undefined) => (isScalar(n) && (typeof n.value === 'string' || typeof n.value === 'number') ? String(n.value) : undefined);
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
      return literal ? value : undefined;
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
