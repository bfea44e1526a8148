import { contentSpan, type Fix, isJsonText, isScalar, type Node, type ParsedFile } from '../../core';

/**
 * Fix builders shared by rules: the same "replace this literal with a reference" in each format's syntax.
 */

/**
 * Replace a literal (quotes included) with a reference to be named by the person: `var.x`, `!Ref X`, `{"Ref": "X"}`.
 * Always a suggestion: the reference names a variable or parameter the person still has to define.
 */
export function replaceWithReference<Kind extends string>(file: ParsedFile, node: Node, name: string, title: string, kind: Kind): Fix<Kind> | undefined {
  let text: string;
  const json = isJsonText(file.uri, file.text);
  switch (file.format) {
    case 'terraform':
      text = `var.\${1:${name}}`;
      break;
    case 'terraform-json':
      // A string of Terraform's JSON syntax is a template: the reference is interpolated.
      text = `"\\\${var.\${1:${name}}}"`;
      break;
    case 'cloudformation':
      text = json ? `{ "Ref": "\${1:${pascal(name)}}" }` : `!Ref \${1:${pascal(name)}}`;
      break;
    default:
      return undefined;
  }
  return { title, kind, safety: 'suggestion', snippet: true, edits: [{ span: node.span, newText: text }] };
}

/** Clear a notebook cell's outputs: what a finding in an output leaves behind goes with them (safe: outputs are rebuilt by running the cell). */
export function clearOutputsFix(cell: number): Fix<'clear-outputs'> {
  return { title: "Clear this cell's outputs", kind: 'clear-outputs', safety: 'safe', edits: [], clearOutputs: { cell } };
}

/** Replace a string literal's content, keeping its quotes; `kind` and `safety` as the rule declares them. */
export function replaceStringContent<Kind extends string>(
  node: Node,
  newText: string,
  title: string,
  kind: Kind,
  safety: Fix['safety'],
): Fix<Kind> | undefined {
  if (!isScalar(node)) return undefined;
  return { title, kind, safety, edits: [{ span: contentSpan(node), newText }] };
}

export function pascal(name: string): string {
  return name.replace(/(^|[_\-\s]+)([a-z0-9])/gi, (_, __, c: string) => c.toUpperCase());
}

export function snake(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toLowerCase();
}
