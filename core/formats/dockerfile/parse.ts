import { DockerfileParser, type Flag, type Instruction, type JSONInstruction, type Onbuild, type Property, type Run } from 'dockerfile-ast';
import type { Comment, Entry, ExprNode, MapNode, Node, ParsedFile, ParseProblem, Resource, ScalarNode, Span } from '../../model';
import { LineIndex } from '../../text';

/**
 * A Dockerfile as the model: one resource per instruction (`kind` `instruction`, `type` its keyword in upper
 * case, `name` the stage a `FROM` opens), whose body holds what rules read —
 * - `FROM`: `image` (and `platform` from `--platform=`), the stage name under `as`;
 * - `ARG` / `ENV`: one entry per variable, its default or value (an `ARG` without default: a null scalar);
 * - `COPY` / `ADD`: `from` for `--from=`; `RUN`: `mount` for each `--mount=` flag, and `from` for a mount's `from=`
 *   option (a stage, a build context or an image: https://docs.docker.com/reference/dockerfile/#run---mounttypebind);
 * - `RUN`, `CMD`, `ENTRYPOINT` and `HEALTHCHECK CMD`: `exec`, the list of strings of the exec form
 *   (`RUN ["pip", "install", "x"]`, `CMD ["vllm", "serve", "org/model"]`: a command run without a shell).
 * A value holding `$VAR` or `${VAR}` is an expression with the variables in `refs`. The shell-form commands
 * of `RUN` instructions (and the bodies of their heredocs), of `CMD` and `ENTRYPOINT` (what the container
 * runs when it starts, through `/bin/sh -c`) and of `HEALTHCHECK CMD` are `shellScripts`; the exec form runs no
 * shell and is not one.
 * An `ONBUILD RUN` or `ONBUILD ENV` trigger is one more `RUN` or `ENV` resource (and a RUN's command a shell script).
 * Comments include those between the continued lines of an instruction, which Docker drops before the shell
 * sees the command.
 */

const KEYWORDS = new Set([
  'ADD',
  'ARG',
  'CMD',
  'COPY',
  'ENTRYPOINT',
  'ENV',
  'EXPOSE',
  'FROM',
  'HEALTHCHECK',
  'LABEL',
  'MAINTAINER',
  'ONBUILD',
  'RUN',
  'SHELL',
  'STOPSIGNAL',
  'USER',
  'VOLUME',
  'WORKDIR',
]);

/** `$NAME`, `${NAME}` and `${NAME:-default}`-style references: the variable's name is group 1 or 2. */
const VARIABLE = /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)[^}]*\}|([A-Za-z_][A-Za-z0-9_]*))/g;

interface Reader {
  text: string;
  lines: LineIndex;
  span(range: { start: { line: number; character: number }; end: { line: number; character: number } }): Span;
}

/**
 * The parser builds each argument one character at a time, which turns slow on one enormous word (a pasted
 * blob): a Dockerfile with a word longer than this is not parsed (its text still gets the token checks).
 */
const MAX_WORD = 65_536;

/** Whether a run of non-blank characters is longer than `limit` (one linear pass). */
function hasLongWord(text: string, limit: number): boolean {
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    run = c === 32 || c === 9 || c === 10 || c === 13 ? 0 : run + 1;
    if (run > limit) return true;
  }
  return false;
}

export function parseDockerfile(uri: string, text: string): ParsedFile {
  if (hasLongWord(text, MAX_WORD)) {
    const problems = [{ span: { start: 0, end: 0 }, message: `not fully analysed: a word longer than ${MAX_WORD} characters` }];
    return { uri, format: 'dockerfile', text, resources: [], roots: [], comments: [], problems, shellScripts: [], toFileSpan: (s) => s };
  }
  const lines = new LineIndex(text);
  const reader: Reader = { text, lines, span: (r) => ({ start: lines.offset(r.start), end: lines.offset(r.end) }) };
  const problems: ParseProblem[] = [];
  const resources: Resource[] = [];
  const comments: Comment[] = [];
  const shellScripts: Span[] = [];
  try {
    const parsed = DockerfileParser.parse(text);
    for (const c of parsed.getComments()) {
      const span = reader.span(c.getRange());
      comments.push({ span, text: text.slice(span.start + 1, span.end) });
    }
    for (const instruction of parsed.getInstructions()) {
      const keyword = instruction.getKeyword();
      const resource = instructionResource(reader, instruction, keyword);
      resources.push(resource);
      if (!KEYWORDS.has(keyword)) {
        problems.push({ span: resource.nameSpan, message: 'unknown Dockerfile instruction' });
        continue;
      }
      if (keyword === 'RUN') shellScripts.push(...runScripts(reader, instruction, comments));
      else if (keyword === 'CMD' || keyword === 'ENTRYPOINT') shellScripts.push(...shellForm(reader, instruction as JSONInstruction));
      else if (keyword === 'HEALTHCHECK') shellScripts.push(...healthcheckScript(reader, instruction));
      else if (keyword === 'ONBUILD') {
        // The trigger runs in every build FROM this image (https://docs.docker.com/reference/dockerfile/#onbuild):
        // a RUN or ENV trigger is written here like this image's own.
        const trigger = (instruction as Onbuild).getTriggerInstruction();
        const word = trigger?.getKeyword();
        if (!trigger || (word !== 'RUN' && word !== 'ENV')) continue;
        resources.push(instructionResource(reader, trigger, word));
        if (word === 'RUN') shellScripts.push(...runScripts(reader, trigger, comments));
      }
    }
    if (resources.length > 0 && !resources.some((r) => r.type === 'FROM')) {
      problems.push({ span: resources[0].nameSpan, message: 'the Dockerfile has no FROM instruction: it builds no image' });
    }
  } catch (err) {
    problems.push({ span: { start: 0, end: 0 }, message: `cannot parse the Dockerfile: ${err instanceof Error ? err.name : 'parser error'}` });
  }
  comments.sort((a, b) => a.span.start - b.span.start);
  return { uri, format: 'dockerfile', text, resources, roots: resources.map((r) => r.body), comments, problems, shellScripts, toFileSpan: (s) => s };
}

function instructionResource(reader: Reader, instruction: Instruction, keyword: string): Resource {
  const span = reader.span(instruction.getRange());
  const nameSpan = reader.span(instruction.getInstructionRange());
  const entries: Entry[] = [];
  let name = '';
  const add = (key: string, keySpan: Span, value: Node) => entries.push({ key, keySpan, value });
  const flag = (f: Flag) => {
    const range = f.getValueRange();
    const value = f.getValue();
    if (range && value !== null) add(f.getName(), reader.span(f.getNameRange()), valueNode(reader, reader.span(range), [f.getName()]));
    // `--mount=type=bind,from=<stage or image>,...`: where the mounted files come from, read like `COPY --from`.
    const from = f.getName() === 'mount' ? f.getOptions().find((o) => o.getName().toLowerCase() === 'from') : undefined;
    const fromRange = from?.getValueRange();
    if (from && fromRange) add('from', reader.span(from.getNameRange()), valueNode(reader, reader.span(fromRange), ['from']));
  };
  if (hasFlags(instruction)) for (const f of instruction.getFlags()) flag(f);
  if (keyword === 'FROM') {
    const args = instruction.getArguments().filter((a) => !a.getValue().startsWith('--'));
    if (args[0]) add('image', reader.span(args[0].getRange()), valueNode(reader, reader.span(args[0].getRange()), ['image']));
    if (args.length >= 3 && args[1].getValue().toLowerCase() === 'as') {
      name = args[2].getValue();
      add('as', reader.span(args[1].getRange()), valueNode(reader, reader.span(args[2].getRange()), ['as']));
    }
  } else if (keyword === 'RUN' || keyword === 'CMD' || keyword === 'ENTRYPOINT') {
    const json = instruction as JSONInstruction;
    if (json.getOpeningBracket() && json.getClosingBracket()) {
      const items: Node[] = json.getJSONStrings().map((a, k) => {
        const span = reader.span(a.getRange());
        // The parser's own value drops the blanks inside the string (`"pip install x"` → `pipinstallx`): the JSON text is read.
        const value = jsonString(reader.text.slice(span.start, span.end)) ?? a.getJSONValue();
        return { kind: 'scalar', value, span, contentSpan: { start: span.start + 1, end: span.end - 1 }, path: ['exec', k] };
      });
      add('exec', nameSpan, { kind: 'list', items, span: reader.span(instruction.getArgumentsRange() ?? instruction.getRange()), path: ['exec'] });
    }
  } else if (keyword === 'HEALTHCHECK') {
    const exec = healthcheckExec(reader, instruction);
    if (exec) add('exec', nameSpan, exec);
  } else if ((keyword === 'ARG' || keyword === 'ENV') && hasProperties(instruction)) {
    for (const p of instruction.getProperties()) entries.push(propertyEntry(reader, p));
  }
  const body: MapNode = { kind: 'map', entries, span, path: [] };
  return { kind: 'instruction', type: keyword, name, span, nameSpan, body };
}

function hasFlags(i: Instruction): i is Instruction & { getFlags(): Flag[] } {
  return typeof (i as { getFlags?: unknown }).getFlags === 'function';
}

function hasProperties(i: Instruction): i is Instruction & { getProperties(): Property[] } {
  return typeof (i as { getProperties?: unknown }).getProperties === 'function';
}

function propertyEntry(reader: Reader, p: Property): Entry {
  const keySpan = reader.span(p.getNameRange());
  const range = p.getValueRange();
  const value: Node =
    range === null
      ? { kind: 'scalar', value: null, span: { start: keySpan.end, end: keySpan.end }, path: [p.getName()] }
      : valueNode(reader, reader.span(range), [p.getName()]);
  return { key: p.getName(), keySpan, value };
}

/**
 * The value written at `span`: a string scalar (quotes removed; `contentSpan` inside them), or an expression
 * when it refers to build variables. A value continued over lines keeps its source text.
 */
function valueNode(reader: Reader, span: Span, path: string[]): ScalarNode | ExprNode {
  const raw = reader.text.slice(span.start, span.end);
  const quoted = raw.length >= 2 && (raw[0] === '"' || raw[0] === "'") && raw[raw.length - 1] === raw[0];
  const content = quoted ? { start: span.start + 1, end: span.end - 1 } : span;
  const value = reader.text.slice(content.start, content.end);
  // In single quotes a `$` is literal text.
  const refs = raw[0] === "'" ? [] : [...value.matchAll(VARIABLE)].map((m) => m[1] ?? m[2]);
  if (refs.length > 0) {
    const literalParts = value.split(VARIABLE).filter((part, k) => k % 3 === 0 && part !== '');
    return { kind: 'expr', text: raw, refs, literalParts, span, path };
  }
  return { kind: 'scalar', value, span, contentSpan: content, path };
}

/**
 * The shell text a `RUN` runs: its command after the flags (shell form), or each heredoc's body. The parser
 * leaves a heredoc's text alone: its `#` lines, shell comments, are added to `comments` (suppressions there).
 */
function runScripts(reader: Reader, instruction: Instruction, comments: Comment[]): Span[] {
  const run = instruction as Run;
  const heredocs = run.getHeredocs();
  if (heredocs.length > 0) {
    const out: Span[] = [];
    for (const h of heredocs) {
      const range = h.getContentRange();
      if (!range) continue;
      const span = reader.span(range);
      out.push(span);
      for (let line = range.start.line; line <= range.end.line; line++) {
        const start = reader.lines.lineStart(line);
        const end = Math.min(reader.lines.lineEnd(line), span.end);
        const hash = /^[ \t]*#/.exec(reader.text.slice(start, end));
        if (hash) comments.push({ span: { start: start + hash[0].length - 1, end }, text: reader.text.slice(start + hash[0].length, end) });
      }
    }
    return out;
  }
  return shellForm(reader, run);
}

/** The command of a shell-form `RUN`, `CMD` or `ENTRYPOINT` after its flags; none for the exec form. */
function shellForm(reader: Reader, instruction: JSONInstruction): Span[] {
  const args = instruction.getArguments();
  const range = instruction.getArgumentsRange();
  // The exec form is a JSON array; a shell-form command may start with `[` too (`[ -f x ] && ...`).
  if (args.length === 0 || range === null || (instruction.getOpeningBracket() && instruction.getClosingBracket())) return [];
  return [{ start: reader.span(args[0].getRange()).start, end: reader.span(range).end }];
}

/**
 * The command of `HEALTHCHECK [OPTIONS] CMD <command>` in shell form, which Docker runs with `/bin/sh -c`; none for
 * the exec form (a JSON array) or `HEALTHCHECK NONE` (https://docs.docker.com/reference/dockerfile/#healthcheck).
 */
function healthcheckScript(reader: Reader, instruction: Instruction): Span[] {
  const args = instruction.getArguments();
  const range = instruction.getArgumentsRange();
  if (args.length < 2 || range === null || args[0].getValue().toUpperCase() !== 'CMD') return [];
  const span = { start: reader.span(args[1].getRange()).start, end: reader.span(range).end };
  return isJsonArray(reader.text.slice(span.start, span.end)) ? [] : [span];
}

/** A JSON string: the items of an exec form, found in its source text (escapes kept whole). */
const JSON_STRING = /"(?:[^"\\\r\n]|\\.)*"/g;

/** The exec form of `HEALTHCHECK [OPTIONS] CMD ["executable", ...]` as a list of its strings, like `RUN`'s. */
function healthcheckExec(reader: Reader, instruction: Instruction): Node | undefined {
  const args = instruction.getArguments();
  const range = instruction.getArgumentsRange();
  if (args.length < 2 || range === null || args[0].getValue().toUpperCase() !== 'CMD') return undefined;
  const span = { start: reader.span(args[1].getRange()).start, end: reader.span(range).end };
  const source = reader.text.slice(span.start, span.end);
  if (!isJsonArray(source)) return undefined;
  const items: Node[] = [];
  for (const m of source.matchAll(JSON_STRING)) {
    const start = span.start + m.index;
    const item = { start, end: start + m[0].length };
    const value = jsonString(m[0]);
    if (value === undefined) return undefined; // a string continued over lines: not read item by item
    items.push({ kind: 'scalar', value, span: item, contentSpan: { start: item.start + 1, end: item.end - 1 }, path: ['exec', items.length] });
  }
  return { kind: 'list', items, span, path: ['exec'] };
}

/** The value of a JSON string literal, or undefined when the text is not one. */
function jsonString(literal: string): string | undefined {
  try {
    const value: unknown = JSON.parse(literal);
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a command is written in exec form: a JSON array of strings, as Docker decides between the two forms. */
function isJsonArray(command: string): boolean {
  const trimmed = command.replace(/\\\r?\n/g, '').trim();
  if (!trimmed.startsWith('[') || !trimmed.endsWith(']')) return false;
  try {
    const value: unknown = JSON.parse(trimmed);
    return Array.isArray(value) && value.every((v) => typeof v === 'string');
  } catch {
    return false;
  }
}
