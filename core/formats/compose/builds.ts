import type { Node, ParsedFile, Resource, Span } from '../../model';
import { entry, get } from '../../nodes';
import { dirnameOf, joinUri, resolveLocal } from '../../uri';
import type { ContextSource } from '../format';

/**
 * The Dockerfile a Compose service builds its image from: `build: ./dir` (its `Dockerfile`), or
 * `build: { context: ./dir, dockerfile: Dockerfile.gpu, target: serve }`. Local contexts only: a git or URL
 * context, `dockerfile_inline` and an interpolated path (`${CONTEXT}`) name no file here.
 */
export interface ComposeBuild {
  /** The Dockerfile's URI, beside the Compose file's. */
  dockerfile: string;
  /** The stage built (`target`); the last stage when absent. */
  target?: string;
  /** The `build` key, where a finding about what the image runs is shown in the Compose file. */
  span: Span;
}

function text(node: Node | undefined): string | undefined {
  if (node?.kind !== 'scalar' || typeof node.value !== 'string' || node.value.includes('${')) return undefined;
  return node.value.trim();
}

export function composeBuild(file: ParsedFile, service: Resource): ComposeBuild | undefined {
  const buildEntry = entry(service.body, 'build');
  const build = buildEntry?.value;
  if (!buildEntry || !build) return undefined;
  const context = build.kind === 'map' ? (get(build, 'context') === undefined ? '.' : text(get(build, 'context'))) : text(build);
  if (context === undefined || (build.kind === 'map' && get(build, 'dockerfile_inline') !== undefined)) return undefined;
  const dir = resolveLocal(dirnameOf(file.uri), context === '' ? '.' : context);
  const name = build.kind === 'map' && get(build, 'dockerfile') !== undefined ? text(get(build, 'dockerfile')) : 'Dockerfile';
  if (dir === undefined || name === undefined) return undefined;
  const dockerfile = name.includes('/') ? resolveLocal(dir, name) : joinUri(dir, name);
  if (dockerfile === undefined) return undefined;
  return { dockerfile, target: build.kind === 'map' ? text(get(build, 'target')) : undefined, span: buildEntry.keySpan };
}

/** The Dockerfiles a Compose file's services build from, read as context by a scan that was not given them. */
export function composeBuildSources(file: ParsedFile): ContextSource[] {
  const out: ContextSource[] = [];
  for (const service of file.resources) {
    const build = composeBuild(file, service);
    if (build && !out.some((s) => s.path === build.dockerfile)) out.push({ path: build.dockerfile });
  }
  return out;
}
