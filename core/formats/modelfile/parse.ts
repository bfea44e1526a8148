import type { Comment, Entry, MapNode, ParsedFile, ParseProblem, Resource, ScalarNode, Span } from '../../model';

/**
 * An Ollama Modelfile as the model. No maintained npm parser for Modelfiles exists (Ollama's own parser is Go, in
 * `parser/parser.go`; the others are a Rust crate and private helpers), so this reader follows the Go parser's
 * grammar, which is line based:
 * - `# comment` lines, blank lines, and `INSTRUCTION arguments` (the instruction in any case: `FROM`, `PARAMETER`,
 *   `TEMPLATE`, `SYSTEM`, `ADAPTER`, `LICENSE`, `MESSAGE`, and the newer `DRAFT`, `RENDERER`, `PARSER`, `REQUIRES`);
 * - `PARAMETER <name> <value>` and `MESSAGE <role> <value>` carry a word before the value;
 * - a value runs to the end of its line, unless it opens with `"""` or `"`: then it runs over lines up to the
 *   first line end where it closes with the same quotes. A `#` after an instruction is part of its value, and
 *   `#` lines inside a quoted value are text, not comments.
 * Each instruction is a resource (`kind` `instruction`, `type` its keyword in upper case, `name` the parameter
 * name or message role) whose body holds its value under `model` (FROM), `adapter`, `draft`, the parameter's
 * name, `role` and `content` (MESSAGE), or the keyword in lower case. Values are literals (a Modelfile has no
 * variables); a quoted value's `contentSpan` is inside its quotes. One pass over the text: linear time.
 */

const INSTRUCTIONS = new Set(['FROM', 'PARAMETER', 'TEMPLATE', 'SYSTEM', 'ADAPTER', 'LICENSE', 'MESSAGE', 'DRAFT', 'RENDERER', 'PARSER', 'REQUIRES']);
const ROLES = new Set(['system', 'user', 'assistant']);
/** The body key of an instruction's value, where it is not the keyword in lower case. */
const VALUE_KEYS: Record<string, string> = { FROM: 'model', MESSAGE: 'content' };

const isSpace = (c: number) => c === 32 || c === 9;
const isBreak = (c: number) => c === 10 || c === 13;
const isAlpha = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
/** A parameter name's characters (letters, digits, `_`). */
const isNameChar = (c: number) => isAlpha(c) || (c >= 48 && c <= 57) || c === 95;

class Reader {
  constructor(readonly text: string) {}

  /** The end of the line holding `i` (the offset of its line break, or the text's end). */
  lineEnd(i: number): number {
    const n = this.text.length;
    while (i < n && !isBreak(this.text.charCodeAt(i))) i++;
    return i;
  }

  skip(i: number, end: number, test: (c: number) => boolean): number {
    while (i < end && test(this.text.charCodeAt(i))) i++;
    return i;
  }

  /** Where text ending at `end` ends without its trailing spaces and tabs. */
  trimmedEnd(start: number, end: number): number {
    while (end > start && isSpace(this.text.charCodeAt(end - 1))) end--;
    return end;
  }

  /**
   * The value starting at `start`: its span and the span inside its quotes, or `open` when its quotes never
   * close. `lineEnd` is the end of the line it starts on; `next` is where reading goes on.
   */
  value(start: number, lineEnd: number): { span: Span; content: Span; next: number } | { open: Span } {
    const { text } = this;
    const quote = text.startsWith('"""', start) ? 3 : text.charCodeAt(start) === 34 ? 1 : 0;
    let end = lineEnd;
    for (;;) {
      const trimmed = this.trimmedEnd(start, end);
      const closed = quote === 0 || (trimmed - start >= 2 * quote && text.startsWith(quote === 3 ? '"""' : '"', trimmed - quote));
      if (closed) return { span: { start, end: trimmed }, content: { start: start + quote, end: trimmed - quote }, next: end };
      if (end >= text.length) return { open: { start, end: start + quote } };
      end = this.lineEnd(end + 1);
    }
  }
}

function scalar(text: string, span: Span, content: Span, path: string[]): ScalarNode {
  return { kind: 'scalar', value: text.slice(content.start, content.end), span, contentSpan: content, path };
}

export function parseModelfile(uri: string, text: string): ParsedFile {
  const reader = new Reader(text);
  const resources: Resource[] = [];
  const comments: Comment[] = [];
  const problems: ParseProblem[] = [];
  const n = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (isSpace(c) || isBreak(c)) {
      i++;
      continue;
    }
    const lineEnd = reader.lineEnd(i);
    if (c === 35 /* # */) {
      comments.push({ span: { start: i, end: lineEnd }, text: text.slice(i + 1, lineEnd) });
      i = lineEnd;
      continue;
    }
    const wordEnd = reader.skip(i, lineEnd, isAlpha);
    const keyword = text.slice(i, wordEnd).toUpperCase();
    const nameSpan = { start: i, end: Math.max(wordEnd, i + 1) };
    if (!INSTRUCTIONS.has(keyword) || (wordEnd < lineEnd && !isSpace(text.charCodeAt(wordEnd)))) {
      problems.push({ span: nameSpan, message: 'unknown Modelfile instruction' });
      i = lineEnd;
      continue;
    }
    let at = reader.skip(wordEnd, lineEnd, isSpace);
    const entries: Entry[] = [];
    let name = '';
    if (keyword === 'PARAMETER' || keyword === 'MESSAGE') {
      const end = reader.skip(at, lineEnd, keyword === 'PARAMETER' ? isNameChar : isAlpha);
      name = text.slice(at, end);
      const wordSpan = { start: at, end };
      if (end === at || (keyword === 'MESSAGE' && !ROLES.has(name))) {
        const what = keyword === 'PARAMETER' ? 'PARAMETER needs a parameter name' : 'MESSAGE needs a role: system, user or assistant';
        problems.push({ span: end === at ? nameSpan : wordSpan, message: what });
        i = lineEnd;
        continue;
      }
      if (keyword === 'MESSAGE') entries.push({ key: 'role', keySpan: wordSpan, value: scalar(text, wordSpan, wordSpan, ['role']) });
      at = reader.skip(end, lineEnd, isSpace);
    }
    if (at >= lineEnd) {
      problems.push({ span: nameSpan, message: `${keyword} has no value` });
      i = lineEnd;
      continue;
    }
    const value = reader.value(at, lineEnd);
    if ('open' in value) {
      problems.push({ span: value.open, message: 'a quoted value is never closed' });
      break;
    }
    const key = keyword === 'PARAMETER' ? name : (VALUE_KEYS[keyword] ?? keyword.toLowerCase());
    entries.push({ key, keySpan: nameSpan, value: scalar(text, value.span, value.content, [key]) });
    const span = { start: i, end: value.span.end };
    const body: MapNode = { kind: 'map', entries, span, path: [] };
    resources.push({ kind: 'instruction', type: keyword, name, span, nameSpan, body });
    i = value.next;
  }
  if (resources.length > 0 && !resources.some((r) => r.type === 'FROM')) {
    problems.push({ span: resources[0].nameSpan, message: 'the Modelfile has no FROM instruction: it names no model' });
  }
  return { uri, format: 'modelfile', text, resources, roots: resources.map((r) => r.body), comments, problems, toFileSpan: (s) => s };
}
