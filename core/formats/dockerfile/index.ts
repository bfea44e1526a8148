import { basenameOf, dirnameOf } from '../../uri';
import { defineFormat } from '../format';
import { parseDockerfile } from './parse';

/**
 * `Dockerfile`, `Dockerfile.<variant>`, `<name>.dockerfile` and Podman's `Containerfile` (any case). A
 * `Dockerfile.dockerignore` is BuildKit's ignore file for that Dockerfile, not a Dockerfile.
 */
export function isDockerfileName(uri: string): boolean {
  const base = basenameOf(uri).toLowerCase();
  if (base.endsWith('.dockerignore')) return false;
  return /^(?:dockerfile|containerfile)(?:\..+)?$/.test(base) || /.\.dockerfile$/.test(base);
}

/**
 * Dockerfiles, read with `dockerfile-ast` (the parser of the Docker language server): instructions become
 * resources, `RUN` commands shell scripts. Recognised by their file name.
 */
export const dockerfile = defineFormat({
  id: 'dockerfile',
  extensions: ['dockerfile'],
  fileNames: /^(?:dockerfile|containerfile)(?:\.|$)/,
  detect: (uri) => isDockerfileName(uri),
  grammars: [],
  parse: parseDockerfile,
  // A folder's Dockerfiles are one project, so a Compose file that builds from them reads what they start.
  projectKey: dirnameOf,
  editor: { languages: ['dockerfile'], extensions: ['dockerfile'] },
});
