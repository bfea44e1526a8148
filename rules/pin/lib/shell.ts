/**
 * Words of a shell command line (notebook `!`/`%` lines, `%%bash` cells), with their offsets, split into
 * simple commands at `;`, `&&`, `||`, `|` and `&`. Quotes are removed from a word's value; its span still
 * covers the word as written. No expansion: a word with `$` or IPython's `{var}` is marked `dynamic`.
 */

export interface Word {
  value: string;
  /** Offsets into the line text. */
  start: number;
  end: number;
  /** Contains `$...`, `{...}` or a backtick: its value is only known at run time. */
  dynamic: boolean;
}

export function shellCommands(line: string): Word[][] {
  const commands: Word[][] = [];
  let words: Word[] = [];
  let i = 0;
  const n = line.length;
  while (i < n) {
    const c = line[i];
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
      i++;
      continue;
    }
    if (c === '\\' && (line[i + 1] === '\n' || line[i + 1] === '\r')) {
      i += 2;
      continue;
    }
    if (c === '#') break;
    if (c === ';' || c === '|' || c === '&') {
      if (words.length) commands.push(words);
      words = [];
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
  if (words.length) commands.push(words);
  return commands;
}

/** The line without its leading `!`, `%` or `%%` magic marker, and how many characters were cut. */
export function stripMagic(text: string): { body: string; offset: number } {
  const m = /^[ \t]*(?:%%?|!!?)/.exec(text);
  return m ? { body: text.slice(m[0].length), offset: m[0].length } : { body: text, offset: 0 };
}
