import { contentSpan, type Entry, type Fix, isExpr, lineIndexOf, type ParsedFile, type Resource } from '../../../core';
import { execCommands, scriptCommands } from '../../lib/shell';
import { COMMANDS_WITH_CREDENTIALS, commandSites, EXEC_CREDENTIALS, optionListSites } from './command-sites';
import { isAuthPair, isSecretKey } from './keys';
import { textMayHoldSecretKey } from './key-prefilter';
import { lineAssignments } from './lines';
import type { Collector, SecretSite } from './sites';
import { isStringScalar } from './structured-sites';

/**
 * Where a Dockerfile writes a credential:
 * - `ARG` defaults and `ENV` values under a secret name (`ENV DB_PASSWORD=...`, `ARG NPM_TOKEN=...`): both
 *   are kept in the image (its history, its configuration). Not sites: references (`${VAR}`), an `ARG`
 *   without default, empty values, `*_FILE` names, `/run/secrets/...` paths (`isRealSecret` drops them). The word
 *   of `${VAR:-word}` is a value: the image gets it whenever the build passes none
 *   (https://docs.docker.com/reference/dockerfile/#environment-replacement).
 * - `KEY=value` assignments in `RUN` scripts (`export API_KEY=...`);
 * - credentials passed on command lines in `RUN` scripts and shell-form `CMD`, `ENTRYPOINT` and `HEALTHCHECK`
 *   commands, and in their exec forms (`command-sites.ts`: `docker login -p`, `mysql -p...`, `curl -u`, authorization
 *   headers, `-D…password=`); secret mounts (`RUN --mount=type=secret`) hold no value;
 * - a user and password pair under a name ending in `auth` (`NEO4J_AUTH=neo4j/…`), and the credentials of an
 *   option list held in a variable (`REDIS_ARGS="--requirepass …"`).
 */

/** For the prefilter: a secret name, or a command that may take a credential. */
export function dockerfileMayHaveSites(text: string): boolean {
  return textMayHoldSecretKey(text) || COMMANDS_WITH_CREDENTIALS.test(text);
}

export function dockerfileSites(file: ParsedFile, out: Collector): void {
  for (const r of file.resources) {
    if (r.type !== 'ARG' && r.type !== 'ENV') continue;
    for (const entry of r.body.entries) {
      const node = entry.value;
      if (!isSecretKey(entry.key)) {
        if (!isStringScalar(node)) continue;
        // `NEO4J_AUTH=neo4j/<password>`: a name ending in `auth` holding a user and password pair.
        if (isAuthPair(entry.key, node.value)) out.add({ kind: 'key', key: entry.key, value: node.value, span: contentSpan(node), node, entry, resource: r });
        optionListSites(file.text, contentSpan(node), out);
        continue;
      }
      if (isExpr(node)) defaultWords(file.text, node.span, entry, r, out);
      if (!isStringScalar(node) || node.value === '') continue;
      out.add({ kind: 'key', key: entry.key, value: node.value, span: contentSpan(node), node, entry, resource: r });
    }
  }
  for (const script of file.shellScripts ?? []) {
    for (const a of lineAssignments(file.text.slice(script.start, script.end), { base: script.start })) {
      if (isSecretKey(a.key)) out.add({ kind: 'line', key: a.key, value: a.value, span: { start: a.start, end: a.end }, quoted: a.quoted });
    }
  }
  for (const { words } of scriptCommands(file, COMMANDS_WITH_CREDENTIALS)) commandSites(file.text, words, out);
  // Exec-form instructions (`HEALTHCHECK CMD ["mysqladmin", …, "-p…"]`) and the scripts they hand a shell.
  if (EXEC_CREDENTIALS.test(file.text)) for (const words of execCommands(file)) commandSites(file.text, words, out);
}

/** `${NAME:-word}` with a literal word (no further reference); in single quotes a `$` is literal text. */
const DEFAULT_WORD = /\$\{[A-Za-z_][A-Za-z0-9_]*:-([^}$'"]+)\}/g;

function defaultWords(text: string, span: { start: number; end: number }, entry: Entry, resource: Resource, out: Collector): void {
  const raw = text.slice(span.start, span.end);
  if (raw.startsWith("'")) return;
  for (const m of raw.matchAll(DEFAULT_WORD)) {
    const start = span.start + m.index + m[0].length - 1 - m[1].length;
    out.add({ kind: 'key', key: entry.key, value: m[1], span: { start, end: start + m[1].length }, entry, resource });
  }
}

/**
 * `ARG NAME=value` → `ARG NAME`: each build passes the value (`--build-arg`, or better a build secret);
 * `ENV NAME=value` loses the assignment (the whole instruction when it was its only one): the container gets
 * the value at run time (`docker run -e`, an orchestrator's secret). Both change what the build does.
 */
export function dockerfileSecretFix(file: ParsedFile, site: SecretSite): Fix<'drop-default' | 'remove-environment-assignment'> | undefined {
  const { resource, entry } = site;
  if (!resource || !entry || site.kind !== 'key') return undefined;
  if (resource.type === 'ARG') {
    return {
      title: `Remove the default of ARG ${entry.key}`,
      kind: 'drop-default',
      safety: 'unsafe',
      edits: [{ span: { start: entry.keySpan.end, end: entry.value.span.end }, newText: '' }],
    };
  }
  return {
    title: `Remove ENV ${entry.key} from the image`,
    kind: 'remove-environment-assignment',
    safety: 'unsafe',
    edits: [{ span: removal(file, resource, entry), newText: '' }],
  };
}

/** The text to delete: the instruction's lines when the entry is its only one, else the entry and the blanks after (or before) it. */
function removal(file: ParsedFile, resource: Resource, entry: Entry): { start: number; end: number } {
  const entries = resource.body.entries;
  const i = entries.indexOf(entry);
  if (entries.length === 1) {
    const lines = lineIndexOf(file.text);
    const last = lines.position(resource.span.end).line;
    const end = last + 1 < lines.lineCount ? lines.lineStart(last + 1) : file.text.length;
    return { start: lines.lineStart(lines.position(resource.span.start).line), end };
  }
  if (i + 1 < entries.length) return { start: entry.keySpan.start, end: entries[i + 1].keySpan.start };
  return { start: entries[i - 1].value.span.end, end: entry.value.span.end };
}
