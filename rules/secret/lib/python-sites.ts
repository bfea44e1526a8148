import { cellPython, cellShellLines, contentSpan, isExpr, isList, type Node, type ParsedFile } from '../../../core';
import { pythonCommands, RUNS_COMMANDS } from '../../lib/python-commands';
import { shellCommands, stripMagic } from '../../lib/shell';
import { COMMANDS_WITH_CREDENTIALS, commandSites } from './command-sites';
import { isSecretKey } from './keys';
import { mayHoldSecretKey } from './key-prefilter';
import { authTupleSite, dismissLocalServerWords, isLoginKey, jsonTreeSites, mayHoldUnnamedSite, positionalSites, stringSites } from './python-strings';
import type { Collector } from './collector';
import { isStringScalar } from './structured-sites';
import { isWordDefault } from './values';

/** Secret sites of Python code: notebook code cells, and a Python file read as one cell. */

/** `os.environ["HF_TOKEN"]` → HF_TOKEN, `openai.api_key` → api_key, `config["password"]` → password. */
export function targetName(target: string): string {
  const sub = /\[\s*["']([^"']+)["']\s*\]$/.exec(target);
  if (sub) return sub[1];
  return target.slice(target.lastIndexOf('.') + 1);
}

/** `os.getenv(name, default)`, `os.environ.get(name, default)` (and `getenv` imported from `os`). */
export function isEnvironmentRead(callee: string): boolean {
  return /^(?:os\.)?(?:getenv|environ\.get)$/.test(callee);
}

/**
 * A string literal, or one wrapped in a call that keeps it as it is: `str("...")`, pydantic's `SecretStr("...")`
 * (LangChain's `api_key=SecretStr("...")`), which hides the value from reprs but not from the source.
 */
const KEEPS_LITERAL = /^(?:str|(?:pydantic\.)?Secret(?:Str|Bytes))$/;

function literalOf(node: Node): (Node & { kind: 'scalar'; value: string }) | undefined {
  if (isStringScalar(node)) return node;
  const arg = isExpr(node) && node.fn !== undefined && KEEPS_LITERAL.test(node.fn) && node.args?.length === 1 ? node.args[0] : undefined;
  return arg && isStringScalar(arg) ? arg : undefined;
}

/** Notebook code cells, and a Python file read as one. */
export function notebookSites(file: ParsedFile, out: Collector): void {
  for (const cell of file.cells ?? []) {
    // Every site below is named by a key `isSecretKey` accepts, or is one `mayHoldUnnamedSite` sees: other cells are not parsed.
    if (cell.kind !== 'code' || !(mayHoldSecretKey(cell.source) || mayHoldUnnamedSite(cell.source))) continue;
    const py = cellPython(cell);
    if (!py) continue;
    const dicts = (node: Node) => jsonTreeSites(node, cell, out);
    for (const call of py.calls) dismissLocalServerWords(call, out);
    for (const a of py.assignments) {
      const name = targetName(a.target);
      const literal = literalOf(a.value);
      if (literal) {
        if (isSecretKey(name)) out.add({ kind: 'key', key: name, value: literal.value, span: contentSpan(literal), node: literal, cell });
      } else if (name === 'auth') {
        // `session.auth = ("user", "...")` (requests): the pair's password.
        authTupleSite(a.value, cell, out);
      } else if (isList(a.value) && isSecretKey(name)) {
        // SECRETS = 'a', 'b' / API_KEYS = ["a", "b"]: every literal item is one.
        for (const item of a.value.items)
          if (isStringScalar(item)) out.add({ kind: 'key', key: name, value: item.value, span: contentSpan(item), node: item, cell });
      } else dicts(a.value);
    }
    // `if password == "...":` (Bandit's B105): the code accepts that one value, written here.
    for (const c of py.comparisons) {
      const name = targetName(c.target);
      if (isStringScalar(c.value) && isSecretKey(name))
        out.add({ kind: 'key', key: name, value: c.value.value, span: contentSpan(c.value), node: c.value, cell });
    }
    for (const literal of py.strings) stringSites(literal, cell, out);
    // `!wandb login KEY`, `!docker login -p ...`: shell lines of the cell, and the commands its Python runs
    // (`subprocess.run(["wandb", "login", KEY])`).
    if (COMMANDS_WITH_CREDENTIALS.test(cell.source)) {
      if (RUNS_COMMANDS.test(cell.source)) for (const words of pythonCommands(cell, file.cells ?? [])) commandSites(cell.source, words, out, cell);
      for (const line of cellShellLines(cell) ?? []) {
        const { body, offset } = stripMagic(line.text);
        const at = line.span.start + offset;
        for (const words of shellCommands(body))
          commandSites(
            cell.source,
            words.map((w) => ({ ...w, start: at + w.start, end: at + w.end })),
            out,
            cell,
          );
      }
    }
    for (const call of py.calls) {
      positionalSites(call, cell, out);
      for (const kw of call.kwargs) {
        const literal = literalOf(kw.value);
        if (literal && (isSecretKey(kw.key) || isLoginKey(call, kw.key)))
          out.add({ kind: 'key', key: kw.key, value: literal.value, span: contentSpan(literal), node: literal, entry: kw, cell });
        else dicts(kw.value);
      }
      // os.environ.setdefault("HF_TOKEN", "hf_..."), os.putenv(...), `config.set("smtp", "password", "...")` (configparser's
      // section, option, value) and other named values set; and the fallback of a read, `os.getenv("DB_PASSWORD",
      // "...")`: what every run without the variable uses.
      const mapSet = /\.(?:set|put)$/.test(call.callee);
      const args = mapSet && call.args.length === 3 ? call.args.slice(1) : call.args;
      const [nameArg] = args;
      const read = isEnvironmentRead(call.callee);
      const valueArg = args[1] ?? (read ? call.kwargs.find((k) => k.key === 'default')?.value : undefined);
      const sets = read || mapSet || /(^|\.)(environ\.setdefault|putenv)$/.test(call.callee);
      // A map's `set` of one word is a state (`cache.set("session_token", "pending")`).
      const state = mapSet && call.args.length === 2 && isStringScalar(valueArg) && isWordDefault(valueArg.value);
      if (sets && !state && isStringScalar(nameArg) && isStringScalar(valueArg) && isSecretKey(nameArg.value)) {
        out.add({ kind: 'key', key: nameArg.value, value: valueArg.value, span: contentSpan(valueArg), node: valueArg, cell });
      } else for (const arg of call.args) dicts(arg);
    }
  }
}
