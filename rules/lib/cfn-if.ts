import { isExpr, type Node, str } from '../../core';

/**
 * The values a CloudFormation `Fn::If` can pick, nested ones included, each tagged with the template
 * condition that selects it (`HasPublicRead is true`). A value that is not an `Fn::If` is its only branch.
 */
export function ifBranches(node: Node | undefined, when?: string): Array<{ node: Node; when?: string }> {
  if (!node) return [];
  if (isExpr(node) && node.fn === 'Fn::If' && node.args?.length === 3) {
    const name = str(node.args[0]) ?? '?';
    const and = (c: string) => (when ? `${when} and ${c}` : c);
    return [...ifBranches(node.args[1], and(`${name} is true`)), ...ifBranches(node.args[2], and(`${name} is false`))];
  }
  return [{ node, when }];
}
