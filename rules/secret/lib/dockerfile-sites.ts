import { type Cell, contentSpan, type Entry, type Fix, lineIndexOf, type ParsedFile, type Resource, spanInCell } from '../../../core';
import { scriptCommands, type Word } from '../../lib/shell';
import { isSecretKey } from './keys';
import { textMayHoldSecretKey } from './key-prefilter';
import { lineAssignments } from './lines';
import type { Collector, SecretSite } from './sites';
import { isStringScalar } from './structured-sites';

/**
 * Where a Dockerfile writes a credential:
 * - `ARG` defaults and `ENV` values under a secret name (`ENV DB_PASSWORD=...`, `ARG NPM_TOKEN=...`): both
 *   are kept in the image (its history, its configuration). Not sites: references (`${VAR}`), an `ARG`
 *   without default, empty values, `*_FILE` names, `/run/secrets/...` paths (`isRealSecret` drops them).
 * - `KEY=value` assignments in `RUN` scripts (`export API_KEY=...`);
 * - credentials passed as command-line flags in `RUN` scripts: `--password` / `--token` of a `login` command
 *   (`docker login -p`, `huggingface-cli login --token`), and the MySQL clients' `-p<password>` /
 *   `--password=`. Secret mounts (`RUN --mount=type=secret`) hold no value.
 */

const LOGIN_FLAGS = new Set(['--password', '-p', '--token', '--pass']);
const MYSQL = /^(?:mysql|mysqladmin|mysqldump|mariadb|mariadb-admin|mariadb-dump)$/;

/** For the prefilter: a secret name, a `login` command or a MySQL client. */
export function dockerfileMayHaveSites(text: string): boolean {
  return textMayHoldSecretKey(text) || text.includes('login') || /mysql|mariadb/.test(text);
}

export function dockerfileSites(file: ParsedFile, out: Collector): void {
  for (const r of file.resources) {
    if (r.type !== 'ARG' && r.type !== 'ENV') continue;
    for (const entry of r.body.entries) {
      const node = entry.value;
      if (!isStringScalar(node) || node.value === '' || !isSecretKey(entry.key)) continue;
      out.add({ kind: 'key', key: entry.key, value: node.value, span: contentSpan(node), node, entry, resource: r });
    }
  }
  for (const script of file.shellScripts ?? []) {
    for (const a of lineAssignments(file.text.slice(script.start, script.end), { base: script.start })) {
      if (isSecretKey(a.key)) out.add({ kind: 'line', key: a.key, value: a.value, span: { start: a.start, end: a.end }, quoted: a.quoted });
    }
  }
  for (const { words } of scriptCommands(file, COMMANDS_WITH_CREDENTIALS)) commandSites(file.text, words, out);
}

/** Commands that may take a credential on their command line (see `commandSites`). */
export const COMMANDS_WITH_CREDENTIALS = /login|mysql|mariadb/;

const base = (w: Word) => w.value.slice(w.value.lastIndexOf('/') + 1);

/** Options of `wandb login` that take a value (the key is the first other word). */
const WANDB_LOGIN_VALUE_OPTIONS = new Set(['--host', '--cloud-host']);

/**
 * A command's credentials, reported on the value (without its quotes): the flags above, and the key `wandb login`
 * takes as its argument (`wandb login [OPTIONS] [KEY]`). `text` is what the words' offsets index (a file or a cell
 * source); `cell` places the sites in a notebook cell.
 */
export function commandSites(text: string, words: Word[], out: Collector, cell?: Cell): void {
  const login = words.some((w) => w.value === 'login');
  const mysql = words.some((w) => MYSQL.test(base(w)));
  if (!login && !mysql) return;
  const add = (flag: string, value: string, start: number, end: number) => {
    const quoted = end - start >= 2 && (text[start] === '"' || text[start] === "'") && text[end - 1] === text[start];
    const at = quoted ? { start: start + 1, end: end - 1 } : { start, end };
    if (value === '' || text.slice(at.start, at.end) !== value) return;
    out.add({ kind: 'flag', key: flag, value, span: cell ? spanInCell(cell, at.start, at.end) : at, quoted, cell });
  };
  const wandb = words.findIndex((w, k) => base(w) === 'wandb' && words[k + 1]?.value === 'login');
  if (wandb >= 0) {
    for (let k = wandb + 2; k < words.length; k++) {
      const w = words[k];
      if (WANDB_LOGIN_VALUE_OPTIONS.has(w.value)) k++;
      else if (!w.value.startsWith('-')) {
        if (!w.dynamic) add('wandb login key', w.value, w.start, w.end);
        break;
      }
    }
  }
  for (let k = 0; k < words.length; k++) {
    const w = words[k];
    if (w.dynamic || !w.value.startsWith('-')) continue;
    const eq = w.value.indexOf('=');
    const flag = eq < 0 ? w.value : w.value.slice(0, eq);
    if (eq > 0 && (flag === '--password' || (login && LOGIN_FLAGS.has(flag)))) add(flag, w.value.slice(eq + 1), w.start + eq + 1, w.end);
    else if (mysql && /^-p./.test(w.value)) add('-p', w.value.slice(2), w.start + 2, w.end);
    // `mysql -p` alone prompts (the next word is the database); a login's `-p`, `--password` and `--token` take the next word.
    else if (login && LOGIN_FLAGS.has(w.value) && words[k + 1] && !words[k + 1].dynamic && !words[k + 1].value.startsWith('-')) {
      add(w.value, words[k + 1].value, words[k + 1].start, words[k + 1].end);
      k++;
    }
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
