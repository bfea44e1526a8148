/**
 * Container image references: `[registry[:port]/]repository[:tag][@digest]`.
 * Pinned means a digest. A tag other than `latest` is a version (mutable, but deliberate);
 * `:latest` or no tag at all means "whatever was pushed last".
 */

export interface ImageRef {
  repository: string;
  tag?: string;
  digest?: string;
}

export function parseImage(ref: string): ImageRef {
  const at = ref.indexOf('@');
  const digest = at >= 0 ? ref.slice(at + 1) : undefined;
  const rest = at >= 0 ? ref.slice(0, at) : ref;
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > slash) return { repository: rest.slice(0, colon), tag: rest.slice(colon + 1), digest };
  return { repository: rest, digest };
}

/**
 * Plausible image reference: no spaces, no template syntax. An image name in capitals (`IMAGE_NAME`,
 * `CONTAINER_IMAGE`) is a placeholder for a person to fill in, not an image (a placeholder elsewhere in the
 * path, `REGION-docker.pkg.dev/PROJECT_ID/app:latest`, still names the image and its tag). A name in mixed
 * case (`baseImage`) is a name someone wrote, without a tag, whatever the registry will make of its capitals.
 */
export function looksLikeImage(ref: string): boolean {
  if (!/^[a-z0-9][a-z0-9._\-/:@]*$/i.test(ref) || ref.endsWith('/') || ref.endsWith(':')) return false;
  const repo = parseImage(ref).repository;
  const name = repo.slice(repo.lastIndexOf('/') + 1);
  return !/[A-Z]/.test(name) || /[a-z]/.test(name);
}

/** Why a reference is unpinned, or undefined when it has a digest or a version tag. */
export function unpinnedReason(ref: string): string | undefined {
  const v = ref.trim();
  if (!looksLikeImage(v)) return undefined;
  const img = parseImage(v);
  if (img.digest) return undefined;
  if (img.tag === undefined) return 'has no tag, so it means whatever was pushed last as latest';
  if (img.tag.toLowerCase() === 'latest') return 'uses the mutable latest tag';
  return undefined;
}

/** The text that replaces the tag part with a digest placeholder (LSP snippet syntax). */
export function digestSnippet(ref: string): string {
  const img = parseImage(ref.trim());
  return `${img.repository.replace(/\$/g, '\\$')}@sha256:\${1:digest}`;
}
