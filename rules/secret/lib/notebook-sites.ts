import { type Cell, cellShellLines, type Fix, type NotebookOutput, type ParsedFile, parseJsonDocument, type ShellLine, spanInCell } from '../../../core';
import { cellOutputs } from '../../lib/notebook-outputs';
import { isAccountKeyPair, isSecretKey } from './keys';
import { mayHoldSecretWord } from './key-prefilter';
import { lineAssignments } from './lines';
import { jsonTreeSites } from './python-strings';
import { Collector, type SecretSite } from './sites';
import { textKindOf } from './text-kind';
import { isBasicAuth, isWordDefault } from './values';

/**
 * Notebook sites outside Python code: a secret-named value printed into a cell output (`KEY=value` lines, a dict
 * or `os.environ` repr, an SDK object's repr, a printed `kaggle.json`, `.netrc` or Docker config), a `%env NAME=value`
 * line, a shell command that sets one (`!export`, `%%bash`), and a credential file written by `%%writefile`
 * (`kaggle.json`, `.netrc`, `~/.aws/credentials`, `.env`). Output sites carry the output in their span.
 */

/**
 * A key, quoted or not, then `=` or `:` and the opening quote of a value, anywhere on a line: `'password': '...'`
 * in a dict repr, `secret_key='...'` in a namedtuple's or a settings object's repr, `"token":"..."` in compact JSON.
 * The lookbehind starts a key at its first character: `cfg.password` is one key, whose last word says secret.
 */
const QUOTED_PAIR = /(?<![\w$.-])(["']?)([A-Za-z_][\w.-]{0,127})\1[ \t]*[=:][ \t]*(["'])/g;

/** Where each of a few characters next occurs from a position that only moves forward: linear over the whole text. */
class NextIndex {
  private readonly at = new Map<string, number>();

  constructor(private readonly text: string) {}

  of(char: string, from: number): number {
    const known = this.at.get(char);
    if (known !== undefined && (known >= from || known < 0)) return known;
    const found = this.text.indexOf(char, from);
    this.at.set(char, found);
    return found;
  }
}

/**
 * Quoted values under a secret key anywhere in the text, with offsets in it; `key` also when a key naming an
 * account is on the same line (`{"username": "...", "key": "..."}`, what `cat kaggle.json` prints), and a
 * Docker `auth` entry (base64 of `user:password`, what `cat ~/.docker/config.json` prints).
 */
function* quotedPairs(text: string): Generator<{ key: string; start: number; end: number }> {
  const next = new NextIndex(text);
  let line: { key: string; start: number; end: number }[] = [];
  let lineEnd = -1;
  const flush = function* () {
    const account = isAccountKeyPair(line.map((p) => p.key));
    for (const p of line) {
      if (isSecretKey(p.key) || (account && p.key === 'key') || (p.key === 'auth' && isBasicAuth(text.slice(p.start, p.end)))) yield p;
    }
    line = [];
  };
  QUOTED_PAIR.lastIndex = 0;
  for (let m = QUOTED_PAIR.exec(text); m; m = QUOTED_PAIR.exec(text)) {
    const start = m.index + m[0].length;
    if (lineEnd >= 0 && m.index > lineEnd) yield* flush();
    lineEnd = next.of('\n', start);
    const close = next.of(m[3], start);
    if (close < 0 || (lineEnd >= 0 && lineEnd < close)) continue;
    QUOTED_PAIR.lastIndex = close + 1;
    if (close > start) line.push({ key: m[2], start, end: close });
  }
  yield* flush();
}

/** A Docker `auth` entry, the one printed site whose key has no secret word. */
const DOCKER_AUTH = /["']auth["'][ \t]*:/;

/**
 * A printed value that reads as a credential: not one word (`'next_token': 'Paris'`, `password: postgres`) nor
 * a phrase (`'predicted_token': 'the cat'`). Outputs print far more words and sentences under such names than
 * code holds literals, and a credential someone chose or was issued is neither.
 */
function isPrintedCredential(value: string): boolean {
  return !isWordDefault(value) && !/\s/.test(value.trim());
}

/**
 * Outputs a program printed: streams and `text/plain` or JSON results. Markup (`text/html`) shows the same data as
 * the `text/plain` next to it, and a traceback echoes the cell's source, whose sites are reported there.
 */
function isPrinted(output: { outputType: string; mime?: string }): boolean {
  return output.outputType !== 'error' && (output.mime === undefined || output.mime === 'text/plain' || output.mime === 'application/json');
}

/**
 * The `text/plain` of a display that shows an object only in its other MIME types: `<IPython.core.display.JSON object>`
 * for `display(JSON(cfg))`, whose content is the `application/json` beside it.
 */
const OBJECT_PLACEHOLDER = /^<[\w.]+ object(?: at 0x[0-9a-fA-F]+)?>$/;

/** What an output shows: its `application/json` when its `text/plain` is only the placeholder of the object displayed. */
function shownOutput(cell: Cell, output: NotebookOutput): NotebookOutput {
  if (output.mime !== 'text/plain' || output.outputIndex === undefined || !OBJECT_PLACEHOLDER.test(output.text.trim())) return output;
  return cell.outputs.find((o) => o.outputIndex === output.outputIndex && o.mime === 'application/json') ?? output;
}

/**
 * What `%env NAME=value` prints: `env: NAME=value` (IPython's `set_env` magic, which refuses values with whitespace:
 * https://github.com/ipython/ipython/blob/main/IPython/core/magics/osm.py). The value is the one the line set.
 */
const ENV_ECHO = /^env: ([A-Za-z_][A-Za-z0-9_]*)=(\S+)[ \t]*$/gm;

/** Secret-named values in cell outputs: `KEY=value` / `key: value` lines and quoted pairs inside reprs and JSON. */
export function outputSites(file: ParsedFile, out: Collector): void {
  for (const chosen of cellOutputs(file, 'text/plain')) {
    const { cell } = chosen;
    const output = shownOutput(cell, chosen.output);
    const span = output === chosen.output ? chosen.span : (start: number, end: number) => ({ start, end, cell: cell.index, output: output.index });
    const text = output.text;
    if (!isPrinted(output) || !(mayHoldSecretWord(text) || DOCKER_AUTH.test(text))) continue;
    for (const m of text.matchAll(ENV_ECHO)) {
      const start = m.index + 'env: '.length + m[1].length + 1;
      if (isSecretKey(m[1]) && isPrintedCredential(m[2]))
        out.add({ kind: 'output', key: m[1], value: m[2], span: span(start, start + m[2].length), cell, quoted: false });
    }
    for (const a of lineAssignments(text)) {
      if (isSecretKey(a.key) && isPrintedCredential(a.value))
        out.add({ kind: 'output', key: a.key, value: a.value, span: span(a.start, a.end), cell, quoted: a.quoted });
    }
    for (const p of quotedPairs(text)) {
      if (isPrintedCredential(text.slice(p.start, p.end)))
        out.add({ kind: 'output', key: p.key, value: text.slice(p.start, p.end), span: span(p.start, p.end), cell, quoted: true });
    }
    // `cat ~/.netrc`: only a text that starts as a netrc does is read as one (`password <value>` is prose elsewhere).
    if (NETRC_START.test(text)) {
      for (const p of netrcPasswords(text)) out.add({ kind: 'output', key: 'password', value: p.value, span: span(p.start, p.end), cell, quoted: p.quoted });
    }
    // A printed JSON document (a pretty-printed `kaggle.json`): its `key` is read next to a user name over lines too.
    if (text.length <= MAX_JSON_OUTPUT && /^\s*\{/.test(text)) {
      const root = parseJsonDocument('output.json', text, 'text').roots[0];
      const found = new Collector();
      if (root) jsonTreeSites(root, cell, found, false);
      for (const s of found.sites) {
        if (isPrintedCredential(s.value)) out.add({ ...s, kind: 'output', span: span(s.span.start, s.span.end), quoted: true });
      }
    }
  }
}

/** Printed JSON is parsed up to this size (a config or credential file, not a dump of data). */
const MAX_JSON_OUTPUT = 100_000;

/** A `.netrc`'s first entry: `machine <host>` or `default`, then its `login` or `password`. */
const NETRC_START = /^\s*(?:machine[ \t]+\S+|default)\s+(?:login|password)\s/;

/** `%env NAME=value`, `%env NAME value`, `%set_env NAME value`: IPython sets the variable to the literal (`$VAR` expands). */
const ENV_MAGIC = /^%(?:set_)?env[ \t]+([A-Za-z_][A-Za-z0-9_]*)(?:[ \t]*=[ \t]*|[ \t]+)(\S.*)$/d;

/** `%%writefile [-a] path` on a cell's first line, and the line break after it. */
const WRITEFILE = /^[ \t\r\n]*%%(?:writefile|file)[ \t]+([^\r\n]*)\r?\n/;

/** `%env` lines, shell commands that assign variables, and `%%writefile` bodies of code cells. */
export function magicSites(file: ParsedFile, out: Collector): void {
  for (const cell of file.cells ?? []) {
    if (cell.kind !== 'code' || !/[%!]/.test(cell.source) || !mayHoldSecretWord(cell.source)) continue;
    const written = WRITEFILE.exec(cell.source);
    if (written) writtenFileSites(cell, written[1], written[0].length, out);
    for (const line of cellShellLines(cell) ?? []) {
      if (!line.text.startsWith('%')) {
        shellAssignments(cell, line, out);
        continue;
      }
      const m = ENV_MAGIC.exec(line.text);
      if (!m?.indices || !isSecretKey(m[1])) continue;
      let [start, end] = m.indices[2];
      let value = m[2].trimEnd();
      end = start + value.length;
      const quoted = value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.endsWith(value[0]);
      if (quoted) {
        value = value.slice(1, -1);
        start++;
        end--;
      }
      const at = line.span.start;
      out.add({ kind: 'magic', key: m[1], value, span: spanInCell(cell, at + start, at + end), cell, quoted });
    }
  }
}

/**
 * A shell command's assignments: `!export NAME=value`, `!NAME=value cmd`, `export NAME=value` in a `%%bash` cell. The
 * command is one line of the cell (continued lines are its next lines), so offsets stay the cell's.
 */
function shellAssignments(cell: Cell, line: ShellLine, out: Collector): void {
  const bang = line.text.startsWith('!') ? 1 : 0;
  const at = line.span.start + bang;
  for (const a of lineAssignments(line.text.slice(bang))) {
    if (isSecretKey(a.key)) out.add({ kind: 'line', key: a.key, value: a.value, span: spanInCell(cell, at + a.start, at + a.end), cell, quoted: a.quoted });
  }
}

/** The file `%%writefile` writes: the first argument that is not an option, without quotes. */
function writtenPath(args: string): string | undefined {
  const path = args
    .trim()
    .split(/[ \t]+/)
    .find((a) => !a.startsWith('-'));
  return path?.replace(/^(["'])(.*)\1$/, '$2');
}

/** The body of a `%%writefile` cell read as the file it writes: JSON, a `.netrc`, or `KEY=value` / INI / YAML lines. */
function writtenFileSites(cell: Cell, args: string, bodyStart: number, out: Collector): void {
  const path = writtenPath(args);
  if (!path) return;
  const name = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
  const body = cell.source.slice(bodyStart);
  const at = (start: number, end: number) => spanInCell(cell, bodyStart + start, bodyStart + end);
  if (/\.pyw?$/.test(name)) return; // analysed as the cell's Python
  if (/\.json$/i.test(name)) {
    const root = parseJsonDocument(name, body, 'text').roots[0];
    if (!root) return;
    // The nodes' spans are the body's: sites are found without them, then moved into the cell.
    const found = new Collector();
    jsonTreeSites(root, cell, found, false);
    for (const s of found.sites) out.add({ ...s, span: at(s.span.start, s.span.end), quoted: true, written: path });
    return;
  }
  if (/^[._]netrc$/.test(name)) {
    for (const s of netrcPasswords(body))
      out.add({ kind: 'line', key: 'password', value: s.value, span: at(s.start, s.end), cell, quoted: s.quoted, written: path });
    return;
  }
  const kind = textKindOf(name);
  if (kind === 'document' || kind === 'markup') return;
  for (const a of lineAssignments(body, { quotedOnly: kind === 'code' })) {
    if (isSecretKey(a.key)) out.add({ kind: 'line', key: a.key, value: a.value, span: at(a.start, a.end), cell, quoted: a.quoted, written: path });
  }
}

/** The value after each `password` token of a `.netrc` (tokens are separated by any whitespace; a value may be quoted). */
function* netrcPasswords(text: string): Generator<{ value: string; start: number; end: number; quoted: boolean }> {
  const tokens = text.matchAll(/"[^"\n]*"|\S+/g);
  for (let t = tokens.next(); !t.done; t = tokens.next()) {
    if (t.value[0] !== 'password') continue;
    const v = tokens.next();
    if (v.done) return;
    const quoted = v.value[0].startsWith('"');
    const start = v.value.index + (quoted ? 1 : 0);
    yield { value: quoted ? v.value[0].slice(1, -1) : v.value[0], start, end: start + v.value[0].length - (quoted ? 2 : 0), quoted };
  }
}

/** Remove a `%env` line whose value is a literal secret: the variable is then set outside the notebook. */
export function envMagicFix(site: SecretSite): Fix<'remove-environment-assignment'> | undefined {
  const { cell } = site;
  if (!cell) return undefined;
  const start = cell.source.lastIndexOf('\n', site.span.start - 1) + 1;
  const nl = cell.source.indexOf('\n', site.span.end);
  return {
    title: `Remove the %env line: set ${site.key} in the environment instead`,
    kind: 'remove-environment-assignment',
    safety: 'unsafe',
    edits: [{ span: spanInCell(cell, start, nl < 0 ? cell.source.length : nl + 1), newText: '' }],
  };
}
