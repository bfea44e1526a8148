import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** `file://` URIs ↔ paths. Other schemes (untitled:, vscode-notebook-cell:) have no path. */

export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

export function pathToUri(p: string): string {
  return pathToFileURL(p).href;
}

/** A URI or an absolute path (fix edits may name another file either way) as a URI. */
export function asUri(uriOrPath: string): string {
  return /^[a-z][a-z0-9+.-]*:/i.test(uriOrPath) && !/^[a-z]:[\\/]/i.test(uriOrPath) ? uriOrPath : pathToUri(uriOrPath);
}

/** Two URIs naming the same file, whatever their percent-encoding. */
export function sameFile(a: string, b: string): boolean {
  if (a === b) return true;
  const pa = uriToPath(asUri(a));
  const pb = uriToPath(asUri(b));
  return pa !== undefined && pa === pb;
}

export function dirOfPath(p: string): string {
  return path.dirname(p);
}
