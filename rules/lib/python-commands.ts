import { type Cell, cellPython, isExpr, isList, isScalar, type Node, type PyCall } from '../../core';
import { importOrigin } from './python-calls';
import { shellCommands, type Word } from './shell';

/**
 * Commands Python code runs through the standard library: `subprocess.run(["pip", "install", "x"])`,
 * `subprocess.check_call([sys.executable, "-m", "pip", "install", "x"])`, `os.system("pip install x")`,
 * and `get_ipython().system(...)` (a notebook exported as a script). Word offsets are into the cell source.
 */

/** Words of a call that may run a command: a cell without one runs none (and need not be read for them). */
export const RUNS_COMMANDS = /\b(?:subprocess|system|popen|run|call|check_call|check_output|Popen|getoutput)\b/;

const SUBPROCESS = /^(?:run|call|check_call|check_output|Popen|getoutput|getstatusoutput)$/;
const OS = /^(?:system|popen)$/;

function runsCommand(call: PyCall, cells: Cell[]): boolean {
  const parts = call.callee.split('.');
  const name = parts[parts.length - 1];
  if (parts.length === 1) {
    const origin = SUBPROCESS.test(name) || OS.test(name) ? importOrigin(cells, name) : undefined;
    return (origin === 'subprocess' && SUBPROCESS.test(name)) || (origin === 'os' && OS.test(name));
  }
  let owner = parts.slice(0, -1).join('.');
  if (owner === 'get_ipython()') return name === 'system';
  // `import subprocess as sp`: the module an alias stands for.
  if (parts.length === 2 && owner !== 'subprocess' && owner !== 'os' && (SUBPROCESS.test(name) || OS.test(name))) owner = importOrigin(cells, owner) ?? owner;
  return (owner === 'subprocess' && SUBPROCESS.test(name)) || (owner === 'os' && OS.test(name));
}

/** A string literal written without escapes: its value is its source text, offset for offset. */
function plainLiteral(node: Node, source: string): node is Node & { kind: 'scalar'; value: string } {
  return (
    isScalar(node) &&
    typeof node.value === 'string' &&
    node.contentSpan !== undefined &&
    source.slice(node.contentSpan.start, node.contentSpan.end) === node.value
  );
}

/** The simple commands each such call runs, as words with offsets into the cell source. */
export function pythonCommands(cell: Cell, cells: Cell[]): Word[][] {
  const out: Word[][] = [];
  for (const call of cellPython(cell)?.calls ?? []) {
    const first = call.args[0];
    if (first === undefined || !runsCommand(call, cells)) continue;
    if (plainLiteral(first, cell.source)) {
      const base = first.contentSpan?.start ?? 0;
      for (const words of shellCommands(first.value)) out.push(words.map((w) => ({ ...w, start: w.start + base, end: w.end + base })));
    } else if (isList(first)) {
      // An argument list: one word per item; an expression (`sys.executable`) is a word known at run time.
      out.push(
        first.items.map((item) =>
          isScalar(item) && typeof item.value === 'string'
            ? { value: item.value, start: item.span.start, end: item.span.end, dynamic: false }
            : { value: isExpr(item) ? item.text : '', start: item.span.start, end: item.span.end, dynamic: true },
        ),
      );
    }
  }
  return out;
}
