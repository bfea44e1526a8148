import type { ParsedFile } from '../model';
import { commentsByLine } from './line-comments';

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
