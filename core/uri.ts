/** Helpers that treat file paths and `file://` URIs alike. */

export function dirnameOf(uri: string): string {
  const i = uri.lastIndexOf('/');
  return i < 0 ? '' : uri.slice(0, i);
}

export function basenameOf(uri: string): string {
  return uri.slice(uri.lastIndexOf('/') + 1);
}

export function joinUri(dir: string, name: string): string {
  return dir ? `${dir}/${name}` : name;
}

/**
 * `dir` joined with a relative path, `.` and `..` segments resolved; undefined for a remote reference (a URL,
 * `github.com/...`, a query) or an absolute path.
 */
export function resolveLocal(dir: string, rel: string): string | undefined {
  if (rel === '' || /^[a-z][a-z0-9+.-]*:\/\//i.test(rel) || rel.startsWith('/') || /^(github\.com|gitlab\.com|bitbucket\.org)\//.test(rel) || rel.includes('?'))
    return undefined;
  const scheme = /^[a-z][a-z0-9+.-]*:\/\/[^/]*/i.exec(dir)?.[0] ?? '';
  const segments = dir.slice(scheme.length).split('/');
  for (const s of rel.replace(/\/+$/, '').split('/')) {
    if (s === '.' || s === '') continue;
    if (s === '..') {
      if (segments.length > 1) segments.pop();
    } else segments.push(s);
  }
  return scheme + segments.join('/');
}
