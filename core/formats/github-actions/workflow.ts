import type { Entry, ExprNode, Node, ParsedFile, Resource, ScalarNode, Span } from '../../model';
import type { StructuredDialect } from '../../parsers/yaml-model';
import { verbatimScriptSpan } from '../script-span';

/**
 * GitHub Actions structure on the YAML model: one resource per job of a workflow (one for the whole file of an
 * action's metadata), `${{ ... }}` values turned into references, and the spans of the `run:` scripts.
 */

function field(map: Node | undefined, key: string): Node | undefined {
  if (map?.kind !== 'map') return undefined;
  for (const e of map.entries) if (e.key === key) return e.value;
  return undefined;
}

function text(node: Node | undefined): string | undefined {
  return node?.kind === 'scalar' && typeof node.value === 'string' ? node.value : undefined;
}

/** A workflow's jobs (`kind: 'job'`, type `reusable-workflow` for a job that calls one), or an action (`kind: 'action'`). */
export function githubActionsResources(roots: Node[]): Resource[] {
  const out: Resource[] = [];
  roots.forEach((root, document) => {
    if (root.kind !== 'map') return;
    const jobs = field(root, 'jobs');
    if (jobs?.kind === 'map') {
      for (const e of jobs.entries) {
        if (e.value.kind !== 'map') continue;
        const type = field(e.value, 'uses') ? 'reusable-workflow' : 'job';
        out.push({
          kind: 'job',
          type,
          name: e.key,
          span: { start: e.keySpan.start, end: Math.max(e.keySpan.end, e.value.span.end) },
          nameSpan: e.keySpan,
          body: e.value,
          document,
        });
      }
      return;
    }
    const runs = root.entries.find((e) => e.key === 'runs');
    if (runs?.value.kind === 'map') {
      const name = text(field(root, 'name')) ?? '';
      out.push({ kind: 'action', type: text(field(runs.value, 'using')) ?? '', name, span: root.span, nameSpan: runs.keySpan, body: root, document });
    }
  });
  return out;
}

/** How the YAML reader builds a workflow's model. */
export const githubActionsDialect: StructuredDialect = { format: 'github-actions', resources: githubActionsResources };

/** `secrets.TOKEN`, `matrix.os`, `github.event.inputs['name']`: matched only from a word's start, so a long word is read once. */
const CONTEXT_PATH = /(?<![\w.-])[A-Za-z_][\w-]*(?:\.[\w-]+|\[[^\]]*\])+/g;

/**
 * The `${{ ... }}` expressions of a value and the text around them, in one pass (an unclosed `${{` runs to the end).
 * Linear: each search starts where the previous one ended.
 */
function expressions(value: string): { refs: string[]; literalParts: string[] } | undefined {
  let at = value.indexOf('${{');
  if (at < 0) return undefined;
  const refs: string[] = [];
  const literalParts: string[] = [];
  let from = 0;
  while (at >= 0) {
    if (at > from) literalParts.push(value.slice(from, at));
    const close = value.indexOf('}}', at + 3);
    const body = value.slice(at + 3, close < 0 ? value.length : close);
    for (const m of body.matchAll(CONTEXT_PATH)) refs.push(m[0]);
    from = close < 0 ? value.length : close + 2;
    at = value.indexOf('${{', from);
  }
  if (from < value.length) literalParts.push(value.slice(from));
  return { refs, literalParts };
}

function asExpression(node: ScalarNode, source: string): ExprNode | undefined {
  if (typeof node.value !== 'string') return undefined;
  const found = expressions(node.value);
  if (!found) return undefined;
  return { kind: 'expr', text: source.slice(node.span.start, node.span.end), span: node.span, path: node.path, ...found };
}

/** Shells whose scripts are POSIX shell; `pwsh`, `powershell`, `cmd` and `python` steps hold other languages. */
const POSIX_SHELL = /^(?:\S*\/)?(?:ba|z|da|k)?sh(?:\s|$)/;

/** `defaults.run.shell` of a workflow or a job. */
function defaultShell(map: Node | undefined): string | undefined {
  return text(field(field(field(map, 'defaults'), 'run'), 'shell'));
}

/** A step's `run:` value and the shell it runs in: its `shell`, else its job's or workflow's default (undefined: bash). */
export interface RunStep {
  run: Node;
  shell: string | undefined;
}

/** Every step with a `run:` of a workflow's jobs (and of a composite action's `runs.steps`), in file order. */
export function runSteps(roots: Node[]): RunStep[] {
  const out: RunStep[] = [];
  const steps = (list: Node | undefined, shell: string | undefined) => {
    if (list?.kind !== 'list') return;
    for (const step of list.items) {
      const run = field(step, 'run');
      if (run) out.push({ run, shell: text(field(step, 'shell')) ?? shell });
    }
  };
  for (const root of roots) {
    const jobs = field(root, 'jobs');
    for (const job of jobs?.kind === 'map' ? jobs.entries : []) steps(field(job.value, 'steps'), defaultShell(job.value) ?? defaultShell(root));
    steps(field(field(root, 'runs'), 'steps'), undefined);
  }
  return out;
}

/** Whether a step's shell (see `RunStep`) runs POSIX shell. */
export function isPosixShell(shell: string | undefined): boolean {
  return shell === undefined || POSIX_SHELL.test(shell.trim());
}

/**
 * The `run:` scripts of a workflow's steps (and of a composite action's `runs.steps`) whose source text is the
 * shell script: literal `|` blocks, plain scalars on one line and quoted ones without escapes. Folded `>` blocks,
 * plain scalars over several lines and quoted scalars with escapes are left out (their text is not the script's),
 * as are steps whose `shell` (or the job's or workflow's default) is not a POSIX shell.
 */
export function shellScriptSpans(roots: Node[], source: string): Span[] {
  const out: Span[] = [];
  for (const { run, shell } of runSteps(roots)) {
    const span = isPosixShell(shell) ? verbatimScriptSpan(run, source) : undefined;
    if (span) out.push(span);
  }
  return out;
}

/**
 * `${{ ... }}` values become references (`ExprNode` with the contexts they read in `refs`), except `run:` scripts,
 * which stay text for the rules that read shell (GitHub substitutes the expressions before the shell runs).
 */
function markExpressions(root: Node, source: string): Node {
  const stack: Node[] = [root];
  const replace = (node: Node, key: string | undefined): Node => (node.kind === 'scalar' && key !== 'run' ? (asExpression(node, source) ?? node) : node);
  const top = replace(root, undefined);
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.kind === 'map') {
      for (const e of node.entries as Entry[]) {
        e.value = replace(e.value, e.key);
        stack.push(e.value);
      }
    } else if (node.kind === 'list') {
      node.items = node.items.map((item) => replace(item, undefined));
      stack.push(...node.items);
    }
  }
  return top;
}

/** The model of a workflow or an action: expressions as references, and the `run:` scripts. */
export function withExpressionsAndScripts(file: ParsedFile): ParsedFile {
  if (file.text.includes('${{')) file.roots = file.roots.map((root) => markExpressions(root, file.text));
  file.shellScripts = shellScriptSpans(file.roots, file.text);
  return file;
}
