import { contentSpan, isList, isScalar, type Node, type Span, str } from '../../../core';
import { shellCommands, type Word } from '../../lib/shell';
import { type Arg, commandLaunch, imageServer, type Launch, MENTIONS, variableLaunch } from './ai-servers';

/**
 * Commands as the formats write them, into the words `commandLaunch` reads: shell text split into simple commands
 * (the variables each assigns first carried to the next), exec-form lists, container command lists whose items
 * may hold shell command lines, and strings holding a script (a block scalar, a heredoc).
 */

export const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=/;

export function argOf(w: Word, base: Span): Arg {
  const span = { ...base, start: base.start + w.start, end: base.start + w.end };
  return { value: w.value, span, exact: !w.dynamic && w.end - w.start === w.value.length, dynamic: w.dynamic };
}

/**
 * The launches of one simple command: the variables it assigns first (`OLLAMA_HOST=0.0.0.0 ollama serve`,
 * `export X=1`, IPython's `%env X=1`) and the server it starts. `env` holds what earlier commands of the same
 * script set, and gets this command's assignments.
 */
export function commandLaunches(args: Arg[], env: Map<string, string | null>): Launch[] {
  const out: Launch[] = [];
  let k = args[0] && /^(?:export|env|set)$/.test(args[0].value) ? 1 : 0;
  for (; k < args.length; k++) {
    const m = ASSIGNMENT.exec(args[k].value);
    if (!m) break;
    const a = args[k];
    const value = a.value.slice(m[0].length);
    env.set(m[1], a.dynamic ? null : value);
    if (a.dynamic) continue;
    const span = a.exact ? { ...a.span, start: a.span.start + m[0].length } : a.span;
    const launch = variableLaunch(m[1], value, span, a.exact, env);
    if (launch) out.push(launch);
  }
  const launch = commandLaunch(args.slice(k), env);
  if (launch) out.push(launch);
  return out;
}

/** Launches of shell text at `base` (a notebook line, a script), command by command. */
export function shellTextLaunches(text: string, base: Span, env = new Map<string, string | null>()): Launch[] {
  return shellCommands(text).flatMap((words) =>
    commandLaunches(
      words.map((w) => argOf(w, base)),
      env,
    ),
  );
}

export const noBind = (l: Launch): Launch => ({ ...l, bind: undefined });

/** Words of an exec-form list (`CMD ["vllm", "serve", ...]`, a container's `args`), one argument per item. */
export function listArgs(node: Node | undefined): Arg[] {
  const out: Arg[] = [];
  for (const item of isList(node) ? node.items : []) {
    const value = str(item);
    if (value === undefined) {
      out.push({ value: '', span: item.span, exact: false, dynamic: true });
      continue;
    }
    const span = contentSpan(item);
    out.push({ value, span, exact: span.end - span.start === value.length, dynamic: !isScalar(item) });
  }
  return out;
}

/**
 * The commands of an argument holding a shell command line, their words at their offsets when its span holds its
 * value as written; otherwise (a YAML block scalar, a heredoc, an escaped string) each word is looked for in the
 * written text after the one before; from the first word not written as it reads, words keep the whole item's
 * span (one failed search: the work stays linear).
 */
function commandsOf(a: Arg, text: string): Arg[][] {
  const commands = shellCommands(a.value);
  if (a.exact) return commands.map((words) => words.map((w) => argOf(w, a.span)));
  const written = text.slice(a.span.start, a.span.end);
  let cursor = 0;
  return commands.map((words) =>
    words.map((w) => {
      // A word with an expansion (`$HOME`) is not written as it reads: the search goes on after it.
      if (w.dynamic) return { value: w.value, span: a.span, exact: false, dynamic: true };
      const at = cursor < 0 ? -1 : written.indexOf(w.value, cursor);
      cursor = at < 0 ? -1 : at + w.value.length;
      const span = at < 0 ? a.span : { ...a.span, start: a.span.start + at, end: a.span.start + at + w.value.length };
      return { value: w.value, span, exact: at >= 0, dynamic: false };
    }),
  );
}

/** The launches of a script held in a string value (a VM's startup script), command by command. */
export function scriptValueLaunches(node: Node, text: string): Launch[] {
  const value = str(node);
  if (value === undefined || !MENTIONS.test(value)) return [];
  const span = contentSpan(node);
  const env = new Map<string, string | null>();
  return commandsOf({ value, span, exact: span.end - span.start === value.length, dynamic: false }, text).flatMap((args) => commandLaunches(args, env));
}

/**
 * A command as a container runtime reads it: a list of arguments, each split into words when it holds a shell
 * command line (`["sh", "-c", "vllm serve m --host 0.0.0.0"]`), or one string split as Compose splits it.
 */
export function commandArgs(node: Node | undefined, text: string): Arg[] {
  const items = isList(node)
    ? listArgs(node)
    : isScalar(node) && str(node) !== undefined
      ? listArgs({ kind: 'list', items: [node], span: node.span, path: node.path })
      : [];
  return items.flatMap((a) => (/\s/.test(a.value) ? commandsOf(a, text).flat() : [a]));
}

export type ImageStart = { server: 'vllm' | 'tgi'; at: Arg };

/** The server an image's entrypoint starts (vLLM, TGI), with the image standing for the entrypoint's words. */
export function imageStart(image: Node | undefined, name: string | undefined): ImageStart | undefined {
  const server = name ? imageServer(name) : undefined;
  if (!image || !name || (server !== 'vllm' && server !== 'tgi')) return undefined;
  return { server, at: { value: name, span: contentSpan(image), exact: false, dynamic: false } };
}
