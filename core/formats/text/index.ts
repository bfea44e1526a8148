import type { ParsedFile } from '../../model';
import { commentsByLine } from '../../parsers/line-comments';
import { defineFormat } from '../format';

/** Any other text file: no structure, only its text (token-format secret rules read it) and `#` comments. */
export function plainTextFile(uri: string, text: string): ParsedFile {
  return {
    uri,
    format: 'text',
    text,
    resources: [],
    roots: [],
    comments: commentsByLine(text),
    problems: [],
    toFileSpan: (s) => s,
  };
}

/**
 * The fallback, last in detection order: every text file no other format claims. In the editor, the YAML
 * of Compose files is checked for token-format secrets as text.
 */
export const text = defineFormat({
  id: 'text',
  extensions: [],
  detect: () => true,
  grammars: [],
  parse: plainTextFile,
  editor: { languages: ['dockercompose'], extensions: [] },
});
