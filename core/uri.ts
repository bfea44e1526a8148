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
