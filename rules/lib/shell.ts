import { get, isList, isScalar, type Node, type ParsedFile, type Span, verbatimScriptSpan } from '../../core';

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

/** The name a word runs as a program: its base name (`/usr/bin/python3` → `python3`). */
export function programName(word: Word): string {
  return word.value.slice(word.value.lastIndexOf('/') + 1);
}

export function shellCommands(line: string): Word[][] {
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
 * Commands a file runs without a shell, one word per argument: a Dockerfile `RUN` in exec form
 * (`RUN ["pip", "install", "x"]`, the `exec` list of its instruction); a Compose service's `entrypoint` followed by
 * its `command` (lists, or strings Compose splits into words: `command: redis-server --appendonly yes`), and its
 * healthcheck's `["CMD", ...]` test (https://docs.docker.com/reference/compose-file/services/#command,
 * #healthcheck). A word's span covers its quotes; a word holding interpolation is `dynamic`.
 */
export function execCommands(file: ParsedFile): Word[][] {
  const out: Word[][] = [];
  if (file.format === 'compose') {
    for (const service of file.resources) {
      if (service.kind !== 'service') continue;
      const argv = [...argvWords(file, get(service.body, 'entrypoint')), ...argvWords(file, get(service.body, 'command'))];
      if (argv.length > 0) out.push(argv);
      const test = get(get(service.body, 'healthcheck'), 'test');
      const first = isList(test) ? test.items[0] : undefined;
      if (isList(test) && isScalar(first) && first.value === 'CMD') out.push(argvWords(file, { ...test, items: test.items.slice(1) }));
    }
    return out;
  }
  for (const r of file.resources) {
    const exec = r.type === 'RUN' ? r.body.entries.find((e) => e.key === 'exec')?.value : undefined;
    if (isList(exec)) out.push(argvWords(file, exec));
  }
  return out;
}

/**
 * The words of an argument list (one per item), or of a string split as a shell splits it: written verbatim, or a
 * folded `>` block, whose line breaks YAML turns into the blanks that already separate the words.
 */
function argvWords(file: ParsedFile, node: Node | undefined): Word[] {
  if (isList(node)) {
    return node.items.map((item) => {
      const value = isScalar(item) && (typeof item.value === 'string' || typeof item.value === 'number') ? String(item.value) : '';
      return { value, start: item.span.start, end: item.span.end, dynamic: !isScalar(item) || value.includes('$') };
    });
  }
  const span = node && (verbatimScriptSpan(node, file.text) ?? foldedSpan(file.text, node));
  if (!span) return [];
  return shellCommands(file.text.slice(span.start, span.end))
    .flat()
    .map((w) => ({ ...w, start: w.start + span.start, end: w.end + span.start }));
}

/** The content of a folded block scalar whose words are those of its value (no escapes, no quoted line breaks). */
function foldedSpan(text: string, node: Node): Span | undefined {
  if (!isScalar(node) || typeof node.value !== 'string' || !node.contentSpan || text.charCodeAt(node.span.start) !== 62) return undefined;
  const words = (s: string) => s.trim().split(/\s+/).join(' ');
  return words(text.slice(node.contentSpan.start, node.contentSpan.end)) === words(node.value) ? node.contentSpan : undefined;
}
