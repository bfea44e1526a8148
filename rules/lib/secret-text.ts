import type { Node, ParsedFile } from '../../core/model';
import { extensionOf } from '../../core/formats';
import { parseJsonDocument } from '../../core/parsers/json';
import { parseYamlDocuments } from '../../core/parsers/yaml';

/**
 * Text files (anything that is not Terraform, CloudFormation, Kubernetes or a notebook) as secret rules
 * read them: YAML and JSON ones — docker-compose, Ansible, CI workflows, Helm values, `package.json` —
 * through the same adapters as the IaC formats, so keys, nesting and quoting are understood; the rest
 * line by line.
 */

const cache = new WeakMap<ParsedFile, Node[] | null>();

/** The YAML/JSON trees of a text file, or null when it is not YAML/JSON or does not parse cleanly. */
export function textRoots(file: ParsedFile): Node[] | null {
  if (file.format !== 'text') return null;
  let roots = cache.get(file);
  if (roots !== undefined) return roots;
  roots = null;
  const ext = extensionOf(file.uri);
  try {
    if (ext === 'yaml' || ext === 'yml') {
      const parsed = parseYamlDocuments(file.uri, file.text, 'text');
      if (parsed.problems.length === 0) roots = parsed.roots;
    } else if (ext === 'json' || ext === 'jsonc' || ext === 'template') {
      const parsed = parseJsonDocument(file.uri, file.text, 'text');
      if (parsed.problems.length === 0) roots = parsed.roots;
    }
  } catch {
    roots = null;
  }
  cache.set(file, roots);
  return roots;
}

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
  const ext = extensionOf(file.uri);
  if (DOCUMENT_EXTENSIONS.has(ext)) return 'document';
  if (CODE_EXTENSIONS.has(ext)) return 'code';
  return 'config';
}
