import { at, containers, get, isList, isScalar, type Node, type ParsedFile, type Span, verbatimScriptSpan } from '../../core';

/**
 * Words of shell text (notebook `!`/`%` lines, `%%bash` cells, a file's `shellScripts` — Dockerfile `RUN`
 * commands and heredocs), with their offsets, split into simple commands at `;`, `&&`, `||`, `|`, `&` and
 * line breaks. A `\`-newline continues the line. A comment runs to the end of its line; a comment line
 * inside a continued command is dropped with its line break (Docker removes those lines before the shell
 * runs). Quotes are removed from a word's value; its span still covers the word as written. No expansion: a
 * word with `$` or IPython's `{var}` is marked `dynamic`.
 */

export interface Word {
  value: string;
  /** Offsets into the line text. */
  start: number;
  end: number;
  /** Contains `$...`, `{...}` or a backtick: its value is only known at run time. */
  dynamic: boolean;
}

/** The name a word (or a command's argument) runs as a program: its base name (`/usr/bin/python3` → `python3`). */
export function programName(word: { value: string }): string {
  return word.value.slice(word.value.lastIndexOf('/') + 1);
}

export function shellCommands(line: string): Word[][] {
  return withScriptCommands(splitCommands(line), line);
}

function splitCommands(line: string): Word[][] {
  const commands: Word[][] = [];
  let words: Word[] = [];
  let i = 0;
  const n = line.length;
  /** Only blanks since the last `\`-newline: a comment here is a dropped line of a continued command. */
  let continued = false;
  const endCommand = () => {
    if (words.length) commands.push(words);
    words = [];
  };
  while (i < n) {
    const c = line[i];
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    if (c === '\\' && (line[i + 1] === '\n' || line[i + 1] === '\r')) {
      i += line[i + 1] === '\r' && line[i + 2] === '\n' ? 3 : 2;
      continued = true;
      continue;
    }
    if (c === '\n' || c === '\r') {
      endCommand();
      continued = false;
      i++;
      continue;
    }
    if (c === '#') {
      const eol = line.indexOf('\n', i);
      i = eol < 0 ? n : continued ? eol + 1 : eol;
      continue;
    }
    continued = false;
    if (c === ';' || c === '|' || c === '&') {
      endCommand();
      i += line[i + 1] === c ? 2 : 1;
      continue;
    }
    const start = i;
    let value = '';
    let dynamic = false;
    while (i < n) {
      const d = line[i];
      if (d === ' ' || d === '\t' || d === '\r' || d === '\n' || d === ';' || d === '|' || d === '&') break;
      if (d === '"' || d === "'") {
        const close = line.indexOf(d, i + 1);
        const end = close < 0 ? n : close;
        const inner = line.slice(i + 1, end);
        if (d === '"' && /[$`]/.test(inner)) dynamic = true;
        value += inner;
        i = close < 0 ? n : close + 1;
        continue;
      }
      if (d === '\\' && (line[i + 1] === '\n' || line[i + 1] === '\r')) break;
      if (d === '\\' && i + 1 < n) {
        value += line[i + 1];
        i += 2;
        continue;
      }
      if (d === '$' || d === '`' || d === '{') dynamic = true;
      value += d;
      i++;
    }
    words.push({ value, start, end: i, dynamic });
  }
  endCommand();
  return commands;
}

const SHELL = /^(?:ba|da|a|z|k)?sh$/;
/** How deep scripts inside scripts are read: two kinds of quote nest a script twice without escapes. */
const MAX_DEPTH = 3;

/**
 * The word holding the script of a shell run with `-c` (`sh -c 'script'`, `bash -lc "…"`, `/bin/sh -euxc …`): the
 * first word after the shell's options when one of them is `-c` or a group of short options holding `c`
 * (https://pubs.opengroup.org/onlinepubs/9799919799/utilities/sh.html). The shell may be the command's program or
 * one another command runs (`env bash -c`, `sudo -u app sh -c`, `docker run python:3.12 sh -c`, `kubectl exec pod --
 * bash -c`).
 */
export function shellScriptWord(words: readonly Word[]): Word | undefined {
  for (let k = 0; k < words.length; k++) {
    if (!SHELL.test(programName(words[k]))) continue;
    let script = false;
    for (let i = k + 1; i < words.length; i++) {
      const v = words[i].value;
      if (v === '-o' || v === '+o') i++;
      else if (/^-[A-Za-z]+$/.test(v)) script ||= v.includes('c');
      else if (!/^[-+]/.test(v)) {
        if (script) return words[i];
        break;
      }
    }
  }
  return undefined;
}

/**
 * Each command followed by the commands of the script it runs through a shell (`shellScriptWord`), at offsets of
 * `text`. Only a script written as it reads — bare, or inside one pair of quotes, without escapes — is read: its
 * words then have exact spans. A word that is not (`"exec x \"$Y\""` in JSON) is left alone.
 */
function withScriptCommands(commands: Word[][], text: string, depth = 0): Word[][] {
  if (depth >= MAX_DEPTH) return commands;
  const out: Word[][] = [];
  for (const words of commands) {
    out.push(words);
    const script = shellScriptWord(words);
    const at = script && verbatimAt(text, script);
    if (at === undefined || !script) continue;
    const inner = splitCommands(script.value).map((ws) => ws.map((w) => ({ ...w, start: w.start + at, end: w.end + at })));
    out.push(...withScriptCommands(inner, text, depth + 1));
  }
  return out;
}

/** Where a word's value starts in `text` when the word is written as its value, bare or in one pair of quotes. */
function verbatimAt(text: string, w: Word): number | undefined {
  const raw = text.slice(w.start, w.end);
  if (raw === w.value) return w.start;
  const q = raw[0];
  return (q === '"' || q === "'") && raw.length === w.value.length + 2 && raw.endsWith(q) && raw.slice(1, -1) === w.value ? w.start + 1 : undefined;
}

/** The commands of argument lists (words at offsets of `text`), each followed by those of the script it runs through a shell. */
export function argvCommands(argvs: Word[][], text: string): Word[][] {
  return withScriptCommands(
    argvs.filter((words) => words.length > 0),
    text,
  );
}

/** A simple command of a file's `shellScripts`, its words at file offsets, with the script it belongs to. */
export interface ScriptCommand {
  words: Word[];
  script: Span;
}

/** The simple commands of every shell script the file declares (whatever its format), in file offsets. */
export function scriptCommands(file: ParsedFile, mentions: RegExp): ScriptCommand[] {
  return commandsIn(file.text, file.shellScripts ?? [], mentions);
}

/** The simple commands of the scripts at `scripts` in `text` that mention `mentions`, their words at offsets of `text`. */
export function commandsIn(text: string, scripts: readonly Span[], mentions: RegExp): ScriptCommand[] {
  const out: ScriptCommand[] = [];
  for (const script of scripts) {
    const body = text.slice(script.start, script.end);
    if (!mentions.test(body)) continue;
    for (const words of shellCommands(body))
      out.push({ words: words.map((w) => ({ ...w, start: w.start + script.start, end: w.end + script.start })), script });
  }
  return out;
}

/** The line without its leading `!`, `%` or `%%` magic marker, and how many characters were cut. */
export function stripMagic(text: string): { body: string; offset: number } {
  const m = /^[ \t]*(?:%%?|!!?)/.exec(text);
  return m ? { body: text.slice(m[0].length), offset: m[0].length } : { body: text, offset: 0 };
}

/**
 * Commands a file runs without a shell, one word per argument, each followed by the commands of the script it hands
 * a shell (`["sh", "-c", "pip install x"]`):
 * - a Dockerfile's `RUN`, `CMD`, `ENTRYPOINT` and `HEALTHCHECK CMD` in exec form (the `exec` list of the instruction:
 *   `CMD ["redis-server", "--requirepass", "…"]`);
 * - a Compose service's `entrypoint` followed by its `command` (lists, or strings Compose splits into words:
 *   `command: redis-server --appendonly yes`), and its healthcheck's `["CMD", ...]` test
 *   (https://docs.docker.com/reference/compose-file/services/#command, #healthcheck);
 * - a Kubernetes container's `command` followed by its `args`, and the `exec` command of its lifecycle hooks and
 *   probes (https://kubernetes.io/docs/tasks/inject-data-application/define-command-argument-container/).
 * A word's span covers its quotes; a word holding interpolation is `dynamic`.
 */
export function execCommands(file: ParsedFile): Word[][] {
  const argvs: Word[][] = [];
  if (file.format === 'compose') {
    for (const service of file.resources) {
      if (service.kind !== 'service') continue;
      argvs.push([...argvWords(file, get(service.body, 'entrypoint')), ...argvWords(file, get(service.body, 'command'))]);
      const test = get(get(service.body, 'healthcheck'), 'test');
      const first = isList(test) ? test.items[0] : undefined;
      if (isList(test) && isScalar(first) && first.value === 'CMD') argvs.push(argvWords(file, { ...test, items: test.items.slice(1) }));
    }
  } else if (file.format === 'kubernetes') {
    for (const r of file.resources) {
      for (const { container } of containers(r)) {
        argvs.push([...listWords(get(container, 'command')), ...listWords(get(container, 'args'))]);
        for (const hook of ['postStart', 'preStop']) argvs.push(listWords(at(container, 'lifecycle', hook, 'exec', 'command')));
        for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) argvs.push(listWords(at(container, probe, 'exec', 'command')));
      }
    }
  } else if (file.format === 'dockerfile') {
    for (const r of file.resources) argvs.push(listWords(get(r.body, 'exec')));
  }
  return argvCommands(argvs, file.text);
}

/** One word per item of a list (none for anything else). */
function listWords(node: Node | undefined): Word[] {
  if (!isList(node)) return [];
  return node.items.map((item) => {
    const value = isScalar(item) && (typeof item.value === 'string' || typeof item.value === 'number') ? String(item.value) : '';
    return { value, start: item.span.start, end: item.span.end, dynamic: !isScalar(item) || value.includes('$') };
  });
}

/**
 * The words of an argument list (one per item), or of a string split as a shell splits it: written verbatim, or a
 * folded `>` block, whose line breaks YAML turns into the blanks that already separate the words.
 */
function argvWords(file: ParsedFile, node: Node | undefined): Word[] {
  if (isList(node)) return listWords(node);
  const span = node && (verbatimScriptSpan(node, file.text) ?? foldedSpan(file.text, node));
  if (!span) return [];
  return splitCommands(file.text.slice(span.start, span.end))
    .flat()
    .map((w) => ({ ...w, start: w.start + span.start, end: w.end + span.start }));
}

/** The content of a folded block scalar whose words are those of its value (no escapes, no quoted line breaks). */
function foldedSpan(text: string, node: Node): Span | undefined {
  if (!isScalar(node) || typeof node.value !== 'string' || !node.contentSpan || text.charCodeAt(node.span.start) !== 62) return undefined;
  const words = (s: string) => s.trim().split(/\s+/).join(' ');
  return words(text.slice(node.contentSpan.start, node.contentSpan.end)) === words(node.value) ? node.contentSpan : undefined;
}
