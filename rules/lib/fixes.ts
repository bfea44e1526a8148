import type { Node, ParsedFile } from '../../core/model';
import type { Fix } from '../../core/rule';
import { contentSpan, isScalar } from '../../core/nodes';
import { isJsonText } from '../../core/formats';

/**
 * Fix builders shared by rules: the same "replace this literal with a reference" in each format's syntax.
 */

/** Replace a literal (quotes included) with a reference to be named by the person: `var.x`, `!Ref X`, `{"Ref": "X"}`. */
export function replaceWithReference(file: ParsedFile, node: Node, name: string, title: string): Fix | undefined {
  let text: string;
  const json = isJsonText(file.uri, file.text);
  switch (file.format) {
    case 'terraform':
      text = `var.\${1:${name}}`;
      break;
    case 'cloudformation':
      text = json ? `{ "Ref": "\${1:${pascal(name)}}" }` : `!Ref \${1:${pascal(name)}}`;
      break;
    default:
      return undefined;
  }
  return { title, safety: 'suggestion', snippet: true, edits: [{ span: node.span, newText: text }] };
}

/** Replace a string literal's content, keeping its quotes. */
export function replaceStringContent(node: Node, newText: string, title: string, safety: Fix['safety'] = 'safe'): Fix | undefined {
  if (!isScalar(node)) return undefined;
  return { title, safety, edits: [{ span: contentSpan(node), newText }] };
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
