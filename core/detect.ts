import type { Format } from './model';

/**
 * Which adapter reads a file: by extension first, then by content for YAML and JSON (a CloudFormation
 * template and a Kubernetes manifest share extensions with every other YAML/JSON file).
 * Everything else that is text is `text`: only token-format secret rules run on it.
 */

const CFN_MARKER = /^\s*["']?AWSTemplateFormatVersion["']?\s*:|["']?Type["']?\s*:\s*["']?AWS::[A-Za-z0-9]+::/m;
const K8S_API = /^\s*["']?apiVersion["']?\s*:/m;
const K8S_KIND = /^\s*["']?kind["']?\s*:/m;

export function extensionOf(uri: string): string {
  const base = uri.slice(uri.lastIndexOf('/') + 1).toLowerCase();
  const dot = base.lastIndexOf('.');
  return dot <= 0 ? '' : base.slice(dot + 1);
}

export function detectFormat(uri: string, text: string): Format {
  const ext = extensionOf(uri);
  if (ext === 'tf' || ext === 'tfvars') return 'terraform';
  if (ext === 'ipynb') return 'notebook';
  if (ext === 'yaml' || ext === 'yml' || ext === 'json' || ext === 'template') {
    // Only the head of a big file is needed to decide.
    const head = text.length > 200_000 ? text.slice(0, 200_000) : text;
    if (CFN_MARKER.test(head)) return 'cloudformation';
    if (K8S_API.test(head) && K8S_KIND.test(head)) return 'kubernetes';
  }
  return 'text';
}

/** JSON or YAML syntax, for the formats that can be written in either. */
export function isJsonText(uri: string, text: string): boolean {
  const ext = extensionOf(uri);
  if (ext === 'json' || ext === 'ipynb') return true;
  if (ext === 'yaml' || ext === 'yml') return false;
  return /^\s*[[{]/.test(text);
}
