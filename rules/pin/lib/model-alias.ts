import {
  type Cell,
  cellPython,
  cellShellLines,
  contentSpan,
  get,
  isList,
  isMap,
  isScalar,
  type Node,
  type ParsedFile,
  type PyCall,
  type Span,
  spanInCell,
  str,
  visit,
} from '../../../core';
import { pythonCommands } from '../../lib/python-commands';
import { calleeName, importOrigin, kwarg } from '../../lib/python-calls';
import { programName, scriptCommands, shellCommands, stripMagic, type Word } from '../../lib/shell';

/**
 * References to a model in a registry by a name that moves instead of a version:
 * - MLflow `models:/<name>/latest`, a stage (`/Production`) or an alias (`@champion`) instead of `models:/<name>/<version>`;
 * - W&B `use_artifact("<name>:latest")` (or no version: latest) or another alias instead of `:v<N>`;
 * - Ollama `ollama pull <model>` without a digest (`@sha256:…`) or with no tag or `latest`;
 * - a model server's `storageUri`/`modelUri` path with a `latest` folder (KServe, Seldon);
 * - a SageMaker JumpStart `model_version` wildcard (`"*"`).
 */

export interface AliasRef {
  /** What names the model, for messages. */
  subject: string;
  /** Why it moves. */
  why: string;
  span: Span;
}

const STAGES = new Set(['production', 'staging', 'archived', 'none']);

/** An MLflow model URI that names no version. */
export function mlflowAlias(uri: string): string | undefined {
  const m = /^models:\/([^/@]+)(?:\/([^/]+)|@([^/]+))\/?$/.exec(uri);
  if (!m) return undefined;
  if (m[3] !== undefined) return `the alias "@${m[3]}" can be moved to another version at any time`;
  if (/^\d+$/.test(m[2])) return undefined;
  if (m[2].toLowerCase() === 'latest') return 'it is the latest version, which changes with every registration';
  return STAGES.has(m[2].toLowerCase()) ? `the stage "${m[2]}" moves whenever another version is promoted` : undefined;
}

/** A W&B artifact name (`[entity/][project/]name[:alias]`) that names no version. */
export function wandbAlias(name: string): string | undefined {
  if (!/^[\w.-]+(?:\/[\w.-]+){0,2}(?::[\w.-]+)?$/.test(name)) return undefined;
  const colon = name.indexOf(':');
  if (colon < 0) return 'with no version it is the latest one, which changes with every logged version';
  const alias = name.slice(colon + 1);
  return /^v\d+$/.test(alias) ? undefined : `the alias ":${alias}" moves to whichever version is logged or tagged next`;
}

/** An Ollama model (`[registry/][namespace/]name[:tag][@sha256:...]`) with no digest and no tag but `latest`. */
export function ollamaAlias(model: string): string | undefined {
  if (model.includes('@sha256:') || !/^[\w.-]+(?:\/[\w.-]+)*(?::[\w.-]+)?$/.test(model)) return undefined;
  const tag = /:([\w.-]+)$/.exec(model)?.[1];
  if (tag && tag !== 'latest') return undefined;
  return 'the tag "latest" (the default) is re-pointed whenever the model is republished';
}

/** A storage path with a `latest` folder (`s3://models/fraud/latest/`). */
export function latestPath(uri: string): string | undefined {
  return /^[a-z][\w+.-]*:\/\/.*\/latest(\/|$)/i.test(uri) ? 'a folder named "latest" is overwritten by every release' : undefined;
}

function scalarRef(node: Node | undefined, check: (value: string) => string | undefined, subject: (value: string) => string): AliasRef | undefined {
  if (!isScalar(node)) return undefined;
  const value = str(node);
  const why = value === undefined ? undefined : check(value);
  return why && value !== undefined ? { subject: subject(value), why, span: contentSpan(node) } : undefined;
}

export const mlflowSubject = (v: string) => `MLflow model "${v}"`;

/** W&B's `run.use_artifact(name)` and `wandb.Api().artifact(name)`; `artifact` alone only where W&B is named. */
function wandbRef(call: PyCall, wandbNamed: boolean): AliasRef | undefined {
  const name = calleeName(call);
  if (name !== 'use_artifact' && !(name === 'artifact' && wandbNamed)) return undefined;
  const arg = call.args[0] ?? kwarg(call, 'artifact_or_name') ?? kwarg(call, 'name');
  return scalarRef(arg, wandbAlias, (v) => `W&B artifact "${v}"`);
}

function shellRefs(words: Word[], base: number, lineSpan: Span): AliasRef[] {
  return commandRefs(words, (w) => ({ ...lineSpan, start: base + w.start, end: base + w.end }));
}

/** References of one command's words; `at` maps a word to its span in the file. */
function commandRefs(words: Word[], at: (w: Word) => Span): AliasRef[] {
  const out: AliasRef[] = [];
  const ollama = words.findIndex((w, i) => /(^|\/)ollama$/.test(w.value) && /^(pull|run)$/.test(words[i + 1]?.value ?? ''));
  const model = ollama >= 0 ? words.slice(ollama + 2).find((w) => !w.value.startsWith('-')) : undefined;
  const ollamaWhy = model && !model.dynamic ? ollamaAlias(model.value) : undefined;
  if (model && ollamaWhy) out.push({ subject: `Ollama model "${model.value}"`, why: ollamaWhy, span: at(model) });
  for (const w of words) {
    const why = w.dynamic ? undefined : mlflowAlias(w.value);
    if (why) out.push({ subject: mlflowSubject(w.value), why, span: at(w) });
  }
  return out;
}

/** References of one shell command line (its text at `lineSpan`). */
export function commandLineRefs(text: string, lineSpan: Span): AliasRef[] {
  return shellCommands(text).flatMap((words) => shellRefs(words, lineSpan.start, lineSpan));
}

/**
 * The Ollama Python library's `ollama.pull("llama3.1")` (https://pypi.org/project/ollama/: "Pull
 * `ollama.pull('llama3.2')`"), or `pull` imported from it: the model is its first argument or `model=`.
 */
function ollamaPullRef(call: PyCall, cells: Cell[]): AliasRef | undefined {
  if (calleeName(call) !== 'pull') return undefined;
  const owner = call.callee.split('.').slice(0, -1).join('.');
  if (!(owner === 'ollama' || (owner === '' && importOrigin(cells, 'pull') === 'ollama'))) return undefined;
  return scalarRef(call.args[0] ?? kwarg(call, 'model'), ollamaAlias, (v) => `Ollama model "${v}"`);
}

/**
 * A SageMaker JumpStart model or estimator (`JumpStartModel(model_id=..., model_version="*")`) whose `model_version`
 * is a wildcard: the SDK resolves `*` (or `2.*`) to the newest matching release of the model when the code runs
 * (https://sagemaker.readthedocs.io/en/stable/api/inference/model.html#sagemaker.jumpstart.model.JumpStartModel).
 */
function jumpStartRef(call: PyCall): AliasRef | undefined {
  if (!/^JumpStart(?:Model|Estimator)$/.test(calleeName(call))) return undefined;
  const id = str(kwarg(call, 'model_id') ?? call.args[0]);
  return scalarRef(
    kwarg(call, 'model_version'),
    (v) => (v.includes('*') ? `the version "${v}" resolves to the newest matching release whenever the code runs` : undefined),
    () => (id === undefined ? 'JumpStart model' : `JumpStart model "${id}"`),
  );
}

/**
 * Moving references of a code cell: Python string arguments and assignments, the Ollama library's pulls, commands
 * run through `subprocess` / `os.system`, and `!`/`%` shell lines.
 */
export function cellAliasRefs(cell: Cell, cells: Cell[], wandbNamed: boolean): AliasRef[] {
  const out: AliasRef[] = [];
  if (cell.source.includes('ollama')) {
    for (const call of cellPython(cell)?.calls ?? []) {
      const pull = ollamaPullRef(call, cells);
      if (pull) out.push(pull);
    }
    for (const words of pythonCommands(cell, cells)) out.push(...commandRefs(words, (w) => spanInCell(cell, w.start, w.end)));
  }
  if (/models:\/|artifact/.test(cell.source)) {
    const py = cellPython(cell);
    for (const call of py?.calls ?? []) {
      const w = wandbRef(call, wandbNamed);
      if (w) out.push(w);
      for (const node of [...call.args, ...call.kwargs.map((k) => k.value)]) {
        const m = scalarRef(node, mlflowAlias, mlflowSubject);
        if (m) out.push(m);
      }
    }
    for (const a of py?.assignments ?? []) {
      const m = scalarRef(a.value, mlflowAlias, mlflowSubject);
      if (m) out.push(m);
    }
  }
  if (cell.source.includes('JumpStart')) {
    for (const call of cellPython(cell)?.calls ?? []) {
      const ref = jumpStartRef(call);
      if (ref) out.push(ref);
    }
  }
  for (const line of cellShellLines(cell) ?? []) {
    if (!/ollama|models:\//.test(line.text)) continue;
    const { body, offset } = stripMagic(line.text);
    out.push(...commandLineRefs(body, { ...line.span, start: line.span.start + offset }));
  }
  return out;
}

/** References in the shell scripts a file declares: workflow `run:` steps, Dockerfile `RUN`, scripts run through `sh -c`. */
export function scriptAliasRefs(file: ParsedFile): AliasRef[] {
  return scriptCommands(file, /ollama/).flatMap(({ words }) => commandRefs(words, (w) => ({ start: w.start, end: w.end })));
}

/**
 * A container's command run without a shell, one word per item of its lists (`command` then `args` in Kubernetes,
 * `entrypoint` then `command` in Compose): `command: ["ollama", "pull", "mistral"]`. A word's span is its value.
 */
export function execListRefs(lists: (Node | undefined)[]): AliasRef[] {
  const words: Word[] = [];
  for (const list of lists) {
    for (const item of isList(list) ? list.items : []) {
      const value = str(item);
      const span = contentSpan(item);
      words.push({ value: value ?? '', start: span.start, end: span.end, dynamic: value === undefined });
    }
  }
  return words.some((w) => programName(w) === 'ollama') ? commandRefs(words, (w) => ({ start: w.start, end: w.end })) : [];
}

/**
 * Models an Ollama chart's values have it pull or load when its pods start: `ollama: {models: {pull: [llama3.1],
 * run: [...]}}` (https://github.com/otwld/ollama-helm). Only a `models` map under a key that names Ollama is read.
 */
export function chartValuesAliasRefs(root: Node | undefined): AliasRef[] {
  const out: AliasRef[] = [];
  if (!root) return out;
  visit(root, (node) => {
    if (!isMap(node) || !node.path.some((k) => typeof k === 'string' && /ollama/i.test(k))) return;
    const models = get(node, 'models');
    if (!isMap(models)) return;
    for (const key of ['pull', 'run']) {
      const list = get(models, key);
      for (const item of isList(list) ? list.items : []) {
        const ref = scalarRef(item, ollamaAlias, (v) => `Ollama model "${v}"`);
        if (ref) out.push(ref);
      }
    }
  });
  return out;
}
