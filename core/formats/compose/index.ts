import type { MapNode, Node, Resource } from '../../model';
import { parseYamlDocuments } from '../../parsers/yaml';
import type { StructuredDialect } from '../../parsers/yaml-model';
import { defineFormat, headOf } from '../format';
import { composeBuildSources } from './builds';
import { markInterpolations } from './interpolation';
import { serviceScripts } from './scripts';

const EXTENSIONS = ['yaml', 'yml'];

/** `compose.yaml`, `docker-compose.yml`, `docker-compose.prod.yaml`, `compose.override.yml`. */
const NAMED = /(?:^|\/)(?:docker-compose(?:[.-][^/]*)?|compose(?:\.[^/]*)?)\.ya?ml$/i;
/** Files of other tools that may have a top-level `services:` map: Helm values and templates, CI configurations. */
const OTHER_TOOL = /(?:^|\/)(?:values[^/]*\.ya?ml|templates\/[^/]*|\.gitlab-ci\.ya?ml|\.github\/[^/]*\/[^/]*)$/i;
/** Keys only other formats write at the top level. */
const OTHER_FORMAT = /^(?:["']?(?:apiVersion|kind|AWSTemplateFormatVersion|Resources)["']?\s*:)/m;
/** Keys a Compose service is made of. */
const SERVICE_KEY =
  /^[ \t]+(?:image|build|ports|expose|environment|env_file|command|entrypoint|volumes|depends_on|networks|network_mode|restart|container_name|healthcheck|deploy|labels|secrets|cap_add|cap_drop|privileged|pid|working_dir|user|hostname|extends|profiles)[ \t]*:/m;

/**
 * A Compose file by content (the name says nothing, as in test fixtures named `positive1.yaml`): a top-level
 * `services:` mapping (not a list, as in CI configurations) whose entries are written with service keys, and
 * no top-level key of Kubernetes or CloudFormation.
 */
function looksLikeCompose(text: string): boolean {
  const head = headOf(text);
  const at = /^services[ \t]*:[ \t]*(?:#[^\n]*)?\r?\n/m.exec(head);
  if (!at || OTHER_FORMAT.test(head) || head.includes('{{')) return false;
  // The first line with content after `services:` opens a service: indented, a key, not a list item.
  const rest = head.slice(at.index + at[0].length);
  const first = /^(?:[ \t]*(?:#[^\n]*)?\r?\n)*([ \t]+)([^\s#-][^\n]*)/.exec(rest);
  return first !== null && /^["']?[\w.-]+["']?[ \t]*:/.test(first[2]) && SERVICE_KEY.test(rest);
}

function field(map: MapNode, key: string): Node | undefined {
  for (const e of map.entries) if (e.key === key) return e.value;
  return undefined;
}

/** One resource per service (`kind: 'service'`, `type` the service's name too), its body the service's map. */
function composeServices(roots: Node[]): Resource[] {
  const out: Resource[] = [];
  roots.forEach((root, document) => {
    const services = root.kind === 'map' ? field(root, 'services') : undefined;
    if (services?.kind !== 'map') return;
    for (const e of services.entries) {
      if (e.value.kind !== 'map') continue;
      out.push({
        kind: 'service',
        type: 'service',
        name: e.key,
        span: { start: e.keySpan.start, end: e.value.span.end },
        nameSpan: e.keySpan,
        body: e.value,
        document,
      });
    }
  });
  return out;
}

const composeDialect: StructuredDialect = { format: 'compose', resources: composeServices };

/**
 * Docker Compose files: services with images, ports, environments and build arguments. Values holding `${VAR}`
 * interpolation are references (see `interpolation.ts`). The scripts services run through a shell (`sh -c`, `CMD-SHELL`
 * healthchecks) are `shellScripts`.
 * An `env_file` is not read from here: dotenv files are scanned themselves, as text.
 */
export const compose = defineFormat({
  id: 'compose',
  extensions: EXTENSIONS,
  detect: (uri, text) => NAMED.test(uri) || (!OTHER_TOOL.test(uri) && looksLikeCompose(text)),
  grammars: [],
  parse: (uri, text) => {
    const file = parseYamlDocuments(uri, text, composeDialect);
    markInterpolations(file.roots, text);
    file.shellScripts = serviceScripts(file);
    return file;
  },
  // The Dockerfiles services build from: what an image runs decides whether a published port exposes a server.
  contextFiles: composeBuildSources,
  editor: { languages: ['dockercompose', 'yaml'], extensions: EXTENSIONS },
});
