import { extensionOf } from './formats';
import { parseJsonDocument } from './parsers/json';
import { parseYamlDocuments } from './parsers/yaml';
import type { Node, ParsedFile } from './model';

/**
 * A text file (anything that is not Terraform, CloudFormation, Kubernetes or a notebook) that is YAML or
 * JSON — docker-compose, Ansible, CI workflows, Helm values, `package.json` — read through the same adapters
 * as the IaC formats, so a rule sees its keys, nesting and quoting rather than lines.
 */

const cache = new WeakMap<ParsedFile, Node[] | null>();

/** The YAML/JSON trees of a text file, or null when it is not YAML/JSON or does not parse cleanly. */
export function structuredTextRoots(file: ParsedFile): Node[] | null {
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
