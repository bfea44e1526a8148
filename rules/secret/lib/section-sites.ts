import { ACCOUNT_WORDS } from './keys';
import { hasGeneratedRun } from './values';

/**
 * Two readers of configuration text that the line reader (`lines.ts`) cannot decide one line at a time.
 */

export interface SectionValue {
  key: string;
  value: string;
  start: number;
  end: number;
}

const SECTION = /^[ \t]*\[[^\]\r\n]+\][ \t]*$/;
const SETTING = /^[ \t]*(key|username|user|login|account)[ \t]*[=:][ \t]*(\S+)[ \t]*$/i;

/**
 * The `key` of an INI section that also names an account (`username`, `user`, `login`, `account`): the section is one
 * set of credentials, and a `key` beside an account is its secret, as in a `kaggle.json` — rclone's Backblaze B2
 * remote (`account = ...`, `key = ...`, https://rclone.org/b2/#configuration), a service's API user and key. A word
 * or an identifier under `key` (a lookup key, a header name) is no credential: the value must hold a generated run.
 */
export function* accountKeys(text: string): Generator<SectionValue> {
  let key: SectionValue | undefined;
  let account = false;
  let at = 0;
  const flush = function* () {
    if (key && account && hasGeneratedRun(key.value)) yield key;
    key = undefined;
    account = false;
  };
  while (at <= text.length) {
    let eol = text.indexOf('\n', at);
    if (eol < 0) eol = text.length;
    const line = text.slice(at, eol).replace(/\r$/, '');
    if (SECTION.test(line)) yield* flush();
    else {
      const m = SETTING.exec(line);
      if (m) {
        const name = m[1].toLowerCase();
        if (name === 'key') {
          const start = at + line.lastIndexOf(m[2]);
          key = { key: m[1], value: m[2], start, end: start + m[2].length };
        } else if (ACCOUNT_WORDS.has(name)) account = true;
      }
    }
    at = eol + 1;
  }
  yield* flush();
}

const VARIABLE = /^[ \t]*variable[ \t]+"([^"\r\n]{1,128})"[ \t]*\{[ \t]*$/;
const DEFAULT = /^[ \t]*default[ \t]*=[ \t]*"((?:[^"\\\r\n]|\\.){0,512})"[ \t]*$/;
const SENSITIVE = /^[ \t]*sensitive[ \t]*=[ \t]*true[ \t]*$/;

/**
 * The literal default of a `variable "NAME" { ... }` block in an HCL file the Terraform reader does not read (Packer's
 * `*.pkr.hcl`, https://developer.hashicorp.com/packer/docs/templates/hcl_templates/variables): named by its variable,
 * and reported when that name says secret or the block marks it `sensitive = true`. One block per variable, its
 * settings one per line, as `packer fmt` writes them.
 */
export function* hclVariableDefaults(text: string): Generator<SectionValue & { sensitive: boolean }> {
  let name: string | undefined;
  let found: SectionValue | undefined;
  let sensitive = false;
  /** Blocks open inside the variable's (a `validation { ... }`). */
  let depth = 0;
  let at = 0;
  while (at <= text.length) {
    let eol = text.indexOf('\n', at);
    if (eol < 0) eol = text.length;
    const line = text.slice(at, eol).replace(/\r$/, '');
    if (name === undefined) {
      const v = VARIABLE.exec(line);
      if (v) {
        name = v[1];
        found = undefined;
        sensitive = false;
        depth = 0;
      }
    } else if (/^[ \t]*\}[ \t]*$/.test(line)) {
      if (depth > 0) depth--;
      else {
        if (found) yield { ...found, sensitive };
        name = undefined;
      }
    } else if (/\{[ \t]*$/.test(line)) {
      depth++;
    } else if (depth === 0) {
      const d = DEFAULT.exec(line);
      if (d) {
        const start = at + line.indexOf('"') + 1;
        found = { key: name, value: d[1], start, end: start + d[1].length };
      } else if (SENSITIVE.test(line)) sensitive = true;
    }
    at = eol + 1;
  }
}

/**
 * A PostgreSQL password file entry, `hostname:port:database:username:password` (`*` for any of the first four; `\:`
 * and `\\` escape; https://www.postgresql.org/docs/current/libpq-pgpass.html): a line of itself, or the string an
 * `echo` appends to the file. Read in a `.pgpass` file and in text that writes one (a heredoc, `echo ... >> ~/.pgpass`).
 */
const PGPASS =
  /^[ \t]*(?:echo[ \t]+(?:-[neE]+[ \t]+)?)?(["']?)(?:[A-Za-z0-9_.*-]+|\[[0-9A-Fa-f:.]+\]):(?:\d{1,5}|\*):(?:[^:\s"'\\]|\\.)+:(?:[^:\s"'\\]|\\.)+:((?:[^:\s"'\\]|\\.){1,256})\1(?:[ \t]*>>?[ \t]*\S*pgpass\S*)?[ \t]*$/;

export function* pgpassEntries(text: string): Generator<SectionValue> {
  let at = 0;
  while (at <= text.length) {
    let eol = text.indexOf('\n', at);
    if (eol < 0) eol = text.length;
    const line = text.slice(at, eol).replace(/\r$/, '');
    const m = line.includes(':') ? PGPASS.exec(line) : null;
    if (m) {
      const end = at + m.index + m[0].lastIndexOf(`${m[2]}${m[1]}`) + m[2].length;
      yield { key: '.pgpass password', value: m[2], start: end - m[2].length, end };
    }
    at = eol + 1;
  }
}
