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
 * The fallback, last in detection order: every text file no other format claims. In the editor, the files a
 * pre-commit secret scan covers are checked as text: Compose files and Helm charts, dotenv files, shell scripts,
 * `.npmrc` / `.pypirc` and other ini or properties files, Dockerfiles, plain text.
 */
export const text = defineFormat({
  id: 'text',
  extensions: [],
  detect: () => true,
  grammars: [],
  parse: plainTextFile,
  editor: {
    languages: ['dockercompose', 'helm', 'dotenv', 'shellscript', 'properties', 'ini', 'plaintext', 'dockerfile'],
    extensions: ['env', 'sh', 'bash', 'zsh', 'properties', 'ini', 'cfg', 'conf', 'txt'],
    filenames: ['.env', '.env.*', '.npmrc', '.pypirc', '.netrc', 'Dockerfile', 'Dockerfile.*', '*.dockerfile', 'Containerfile'],
  },
});
