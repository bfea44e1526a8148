import { extensionOf, type ParsedFile } from '../../../core';

/** How secret rules read a text file, by its extension: prose, source code or configuration. */

/** Prose: a `password: hunter2` line in a README is an example, not configuration. */
const DOCUMENT_EXTENSIONS = new Set([
  'md',
  'markdown',
  'mdx',
  'rst',
  'adoc',
  'asciidoc',
  'html',
  'htm',
  'tex',
  'org',
  'csv',
  'tsv',
  'svg',
  'xml',
  'lock',
  'sum',
  'map',
]);

/** Source code: `password = get_password()` is an expression; only quoted literals count there. */
const CODE_EXTENSIONS = new Set([
  'py',
  'js',
  'mjs',
  'cjs',
  'ts',
  'tsx',
  'jsx',
  'java',
  'kt',
  'kts',
  'scala',
  'go',
  'rb',
  'php',
  'cs',
  'c',
  'h',
  'cc',
  'cpp',
  'hpp',
  'rs',
  'swift',
  'groovy',
  'gradle',
  'pl',
  'lua',
  'r',
  'dart',
  'ex',
  'exs',
  'clj',
  'hcl',
]);

export type TextKind = 'document' | 'code' | 'config';

export function textKind(file: ParsedFile): TextKind {
  return textKindOf(file.uri);
}

/** The same, for a path. */
export function textKindOf(path: string): TextKind {
  const ext = extensionOf(path);
  if (DOCUMENT_EXTENSIONS.has(ext)) return 'document';
  if (CODE_EXTENSIONS.has(ext)) return 'code';
  return 'config';
}
