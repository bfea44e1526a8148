import {
  type Cell,
  cellPython,
  cellShellLines,
  contentSpan,
  get,
  isExpr,
  isList,
  isMap,
  isScalar,
  type MapNode,
  type Node,
  type ParsedFile,
  type PyCall,
  type Span,
  str,
  walk,
} from '../../../core';
import { scriptCommands, shellCommands, stripMagic, type Word } from '../../lib/shell';
import {
  type Arg,
  commandLaunch,
  type EnvValues,
  imageServer,
  isAllInterfaces,
  type Launch,
  MENTIONS,
  ollamaImageLaunch,
  RISK,
  variableLaunch,
} from './ai-servers';

/**
 * Where each format starts these servers: Python calls and assignments and `!`/`%` lines of notebooks and
 * Python files; the shell scripts a file holds (Dockerfile `RUN`/`CMD`/`ENTRYPOINT`, workflow `run:`) and a
 * Dockerfile's exec forms and `ENV`; the command, arguments, environment and image of a Kubernetes container
 * or a Compose service. A launch in a container carries no `bind`: 127.0.0.1 there would shut out every client.
 */

const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=/;

function argOf(w: Word, base: Span): Arg {
  const span = { ...base, start: base.start + w.start, end: base.start + w.end };
  return { value: w.value, span, exact: !w.dynamic && w.end - w.start === w.value.length, dynamic: w.dynamic };
}

/**
 * The launches of one simple command: the variables it assigns first (`OLLAMA_HOST=0.0.0.0 ollama serve`,
 * `export X=1`, IPython's `%env X=1`) and the server it starts. `env` holds what earlier commands of the same
 * script set, and gets this command's assignments.
 */
function commandLaunches(args: Arg[], env: Map<string, string | null>): Launch[] {
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
function shellTextLaunches(text: string, base: Span, env = new Map<string, string | null>()): Launch[] {
  return shellCommands(text).flatMap((words) =>
    commandLaunches(
      words.map((w) => argOf(w, base)),
      env,
    ),
  );
}

const JUPYTER_TOKEN = /^c\.(?:ServerApp|NotebookApp|IdentityProvider)\.token$/;
const JUPYTER_PASSWORD = /^c\.(?:ServerApp|NotebookApp|PasswordIdentityProvider)\.(?:hashed_)?password$/;
const JUPYTER_IP = /^c\.(?:ServerApp|NotebookApp)\.ip$/;
const ENVIRON = /^os\.environ\[\s*["']([A-Za-z_][A-Za-z0-9_]*)["']\s*\]$/;

const literal = (node: Node | undefined): string | undefined => (isScalar(node) && typeof node.value === 'string' ? node.value : undefined);
const kwarg = (call: PyCall, name: string) => call.kwargs.find((k) => k.key === name)?.value;
const calleeName = (call: PyCall) => call.callee.slice(call.callee.lastIndexOf('.') + 1);

function portKwarg(call: PyCall, name: string, fallback: number): number {
  const p = kwarg(call, name);
  return isScalar(p) && typeof p.value === 'number' ? p.value : fallback;
}

/** Gradio's `launch(share=True)` / `launch(server_name="0.0.0.0")` and Ray's `init(dashboard_host="0.0.0.0")`. */
function callLaunches(call: PyCall, gradio: boolean): Launch[] {
  const out: Launch[] = [];
  const share = kwarg(call, 'share');
  const name = kwarg(call, 'server_name');
  if (gradio && calleeName(call) === 'launch') {
    const port = portKwarg(call, 'server_port', 7860);
    if (isScalar(share) && share.value === true)
      out.push({ service: 'Gradio app', how: 'is shared on a public link (share=True)', risk: RISK.share, span: share.span, port, share: share.span });
    const host = literal(name);
    if (name && host !== undefined && isAllInterfaces(host))
      out.push({
        service: 'Gradio app',
        how: `is bound to every interface (server_name="${host}")`,
        risk: RISK.app,
        span: contentSpan(name),
        port,
        bind: contentSpan(name),
      });
  }
  const dashboard = kwarg(call, 'dashboard_host');
  const host = literal(dashboard);
  if (dashboard && host !== undefined && isAllInterfaces(host)) {
    const port = portKwarg(call, 'dashboard_port', 8265);
    out.push({
      service: 'Ray dashboard',
      how: `is bound to every interface (dashboard_host="${host}")`,
      risk: RISK.ray,
      span: contentSpan(dashboard),
      port,
      bind: contentSpan(dashboard),
    });
  }
  return out;
}

/** Jupyter configuration (`c.ServerApp.token = ''`, `c.ServerApp.ip = '*'`) and `os.environ["OLLAMA_HOST"] = ...`. */
function assignmentLaunches(cells: Cell[]): Launch[] {
  const out: Launch[] = [];
  const assignments = cells.flatMap((c) => (c.kind === 'code' && /\bc\.|environ/.test(c.source) ? (cellPython(c)?.assignments ?? []) : []));
  const password = assignments.some((a) => JUPYTER_PASSWORD.test(a.target) && (literal(a.value) ?? '') !== '');
  for (const a of assignments) {
    const value = literal(a.value);
    if (value === undefined) continue;
    if (JUPYTER_TOKEN.test(a.target) && value === '' && !password) {
      out.push({ service: 'Jupyter', how: `runs with its token disabled (${a.target} = '')`, risk: RISK.code, span: a.value.span, port: 8888 });
    } else if (JUPYTER_IP.test(a.target) && isAllInterfaces(value)) {
      const bind = contentSpan(a.value);
      out.push({
        service: 'Jupyter',
        how: `is bound to every interface (${a.target} = '${value}')`,
        risk: RISK.token,
        span: contentSpan(a.value),
        port: 8888,
        bind,
      });
    } else {
      const name = ENVIRON.exec(a.target)?.[1];
      const launch = name ? variableLaunch(name, value, contentSpan(a.value), true, new Map()) : undefined;
      if (launch) out.push(launch);
    }
  }
  return out;
}

/** Notebooks and Python files: calls, assignments and `!`/`%` lines. */
export function pythonLaunches(file: ParsedFile): Launch[] {
  const cells = (file.cells ?? []).filter((c) => c.kind === 'code' && MENTIONS.test(c.source));
  const gradio = cells.some((c) => c.source.includes('gradio'));
  const out = assignmentLaunches(cells);
  for (const cell of cells) {
    if (/launch|dashboard_host/.test(cell.source)) for (const call of cellPython(cell)?.calls ?? []) out.push(...callLaunches(call, gradio));
    const env = new Map<string, string | null>();
    for (const line of cellShellLines(cell) ?? []) {
      const { body, offset } = stripMagic(line.text);
      out.push(...shellTextLaunches(body, { ...line.span, start: line.span.start + offset }, env));
    }
  }
  return out;
}

/** The shell scripts a file holds (Dockerfile `RUN`/`CMD`/`ENTRYPOINT`, workflow `run:`), each with its own variables. */
export function scriptLaunches(file: ParsedFile, env: EnvValues = new Map()): Launch[] {
  const out: Launch[] = [];
  let script: Span | undefined;
  let scriptEnv = new Map(env);
  for (const c of scriptCommands(file, MENTIONS)) {
    if (c.script !== script) {
      script = c.script;
      scriptEnv = new Map(env);
    }
    out.push(
      ...commandLaunches(
        c.words.map((w) => argOf(w, { start: 0, end: 0 })),
        scriptEnv,
      ),
    );
  }
  return out;
}

/**
 * A workflow: its `run:` scripts, with the variables its `env:` maps set (at the workflow, job or step: any of
 * them counts for every script, so a key set for one step is not taken for missing in another), and those maps'
 * own addresses (`OLLAMA_HOST: 0.0.0.0`).
 */
export function workflowLaunches(file: ParsedFile): Launch[] {
  const env = new Map<string, string | null>();
  const out: Launch[] = [];
  for (const root of file.roots) {
    for (const v of walk(root)) {
      if (v.entry?.key !== 'env' || !isMap(v.node)) continue;
      for (const e of v.node.entries) {
        const value = isScalar(e.value) ? str(e.value) : undefined;
        env.set(e.key, value ?? null);
        const span = contentSpan(e.value);
        const launch = value !== undefined ? variableLaunch(e.key, value, span, span.end - span.start === value.length, env) : undefined;
        if (launch) out.push(launch);
      }
    }
  }
  return [...out, ...scriptLaunches(file, env)];
}

const noBind = (l: Launch): Launch => ({ ...l, bind: undefined });

/** Words of an exec-form list (`CMD ["vllm", "serve", ...]`, a container's `args`), one argument per item. */
function listArgs(node: Node | undefined): Arg[] {
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
 * written text after the one before, and the words after the first one not written as it reads keep the whole
 * item's span.
 */
function commandsOf(a: Arg, text: string): Arg[][] {
  const commands = shellCommands(a.value);
  if (a.exact) return commands.map((words) => words.map((w) => argOf(w, a.span)));
  const written = text.slice(a.span.start, a.span.end);
  let cursor = 0;
  return commands.map((words) =>
    words.map((w) => {
      const at = cursor < 0 || w.dynamic ? -1 : written.indexOf(w.value, cursor);
      cursor = at < 0 ? -1 : at + w.value.length;
      const span = at < 0 ? a.span : { ...a.span, start: a.span.start + at, end: a.span.start + at + w.value.length };
      return { value: w.value, span, exact: at >= 0, dynamic: w.dynamic };
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
function commandArgs(node: Node | undefined, text: string): Arg[] {
  const items = isList(node)
    ? listArgs(node)
    : isScalar(node) && str(node) !== undefined
      ? listArgs({ kind: 'list', items: [node], span: node.span, path: node.path })
      : [];
  return items.flatMap((a) => (/\s/.test(a.value) ? commandsOf(a, text).flat() : [a]));
}

type ImageStart = { server: 'vllm' | 'tgi'; at: Arg };

/** The server an image's entrypoint starts (vLLM, TGI), with the image standing for the entrypoint's words. */
function imageStart(image: Node | undefined, name: string | undefined): ImageStart | undefined {
  const server = name ? imageServer(name) : undefined;
  if (!image || !name || (server !== 'vllm' && server !== 'tgi')) return undefined;
  return { server, at: { value: name, span: contentSpan(image), exact: false, dynamic: false } };
}

/**
 * Dockerfile: `ENV`, the shell scripts, exec-form `RUN`s, and what each stage's container runs: its last
 * `ENTRYPOINT` with its last `CMD` as arguments, or `CMD` as the arguments of a server image's own entrypoint.
 */
export function dockerfileLaunches(file: ParsedFile): Launch[] {
  const env = new Map<string, string | null>();
  const out: Launch[] = [];
  const starts: Array<{ args: Arg[]; image?: ImageStart }> = [];
  const scripts = file.shellScripts ?? [];
  let next = 0;
  let stage: { image?: ImageStart; entry?: Arg[]; cmd?: Arg[] } = {};
  const endStage = () => {
    if (stage.entry || stage.cmd) starts.push({ args: [...(stage.entry ?? []), ...(stage.cmd ?? [])], image: stage.entry ? undefined : stage.image });
  };
  for (const r of file.resources) {
    if (r.type === 'FROM') {
      endStage();
      const image = get(r.body, 'image');
      stage = { image: imageStart(image, str(image)) };
    } else if (r.type === 'ENV') {
      for (const e of r.body.entries) {
        const value = str(e.value);
        env.set(e.key, isScalar(e.value) ? (value ?? '') : null);
        const launch = value !== undefined ? variableLaunch(e.key, value, contentSpan(e.value), false, env) : undefined;
        if (launch) out.push(launch);
      }
    } else if (r.type === 'ENTRYPOINT' || r.type === 'CMD') {
      const exec = get(r.body, 'exec');
      // Scripts are in file order: the instruction's shell form, if any, is the first one not before it.
      while (next < scripts.length && scripts[next].end <= r.span.start) next++;
      const shell = !exec && scripts[next]?.start >= r.span.start && scripts[next].end <= r.span.end ? scripts[next] : undefined;
      const args = exec
        ? listArgs(exec)
        : shell
          ? commandArgs({ kind: 'scalar', value: file.text.slice(shell.start, shell.end), span: shell, path: [] }, file.text)
          : [];
      if (r.type === 'ENTRYPOINT') stage.entry = args;
      else stage.cmd = args;
    } else if (r.type === 'RUN' && get(r.body, 'exec')) starts.push({ args: listArgs(get(r.body, 'exec')) });
  }
  endStage();
  // A shell-form command read both as a script and as the stage's start gives the same finding twice: one is kept.
  out.push(...scriptLaunches(file, env));
  for (const c of starts) {
    const launch = commandLaunch(c.args, env, c.image);
    if (launch) out.push(launch);
  }
  return out.map(noBind);
}

/** A container's environment: a map (`KEY: value`), a list of `KEY=value` (Compose) or of name/value items (Kubernetes). */
function environment(node: Node | undefined): { values: Map<string, string | null>; launches: Launch[] } {
  const values = new Map<string, string | null>();
  const launches: Launch[] = [];
  const add = (name: string, value: Node | undefined, text: string | undefined, span: Span) => {
    values.set(name, text ?? (value && isScalar(value) && value.value === null ? '' : null));
    const launch = text !== undefined ? variableLaunch(name, text, span, false, values) : undefined;
    if (launch) launches.push(launch);
  };
  if (isMap(node)) for (const e of node.entries) add(e.key, e.value, str(e.value), contentSpan(e.value));
  for (const item of isList(node) ? node.items : []) {
    if (isMap(item)) {
      const name = str(get(item, 'name'));
      const value = get(item, 'value');
      if (name) add(name, value ?? item, value ? str(value) : undefined, value ? contentSpan(value) : item.span);
      continue;
    }
    const text = str(item);
    const m = text === undefined ? null : ASSIGNMENT.exec(text);
    if (m && text) add(m[1], item, text.slice(m[0].length), contentSpan(item));
  }
  return { values, launches };
}

/** What a container runs: its image, command (the entrypoint's replacement) and arguments, and its environment. */
export interface ContainerSpec {
  image?: Node;
  /** Kubernetes `command`, Compose `entrypoint`: replaces the image's entrypoint. */
  entrypoint?: Node;
  /** Kubernetes `args`, Compose `command`: the entrypoint's arguments. */
  args?: Node;
  env?: Node;
  /** Kubernetes `envFrom`, Compose `env_file`: variables the file does not show. */
  envFrom?: Node;
}

/** Variables that require an API key: an `envFrom` or an env file may set them. */
const KEY_VARIABLES = ['VLLM_API_KEY', 'API_KEY'];

/** A container's launches. An Ollama image is marked `onlyExposed`: its default is the finding only when the port is exposed. */
export function containerLaunches(spec: ContainerSpec, text: string): Array<Launch & { onlyExposed?: boolean }> {
  const { values, launches } = environment(spec.env);
  if (spec.envFrom) for (const name of KEY_VARIABLES) if (!values.has(name)) values.set(name, null);
  const out: Array<Launch & { onlyExposed?: boolean }> = launches.map(noBind);
  const entry = commandArgs(spec.entrypoint, text);
  const args = commandArgs(spec.args, text);
  // A Helm template's image whose tag comes from values still names its repository: `vllm/vllm-openai:{{ ... }}`.
  const imageName = str(spec.image) ?? (isExpr(spec.image) ? spec.image.literalParts?.[0] : undefined);
  const start = imageStart(spec.image, imageName);
  const started = commandLaunch([...entry, ...args], values);
  if (started) out.push(noBind(started));
  else if (start && spec.entrypoint === undefined) {
    const launch = commandLaunch(args, values, start);
    if (launch) out.push(noBind(launch));
  } else if (spec.image && imageName && imageServer(imageName) === 'ollama') {
    const launch = ollamaImageLaunch({ value: imageName, span: contentSpan(spec.image), exact: false, dynamic: false }, values);
    if (launch) out.push({ ...launch, onlyExposed: true });
  }
  return out;
}

/** KubeRay: `rayStartParams` with `dashboard-host: 0.0.0.0` in a RayCluster, RayJob or RayService. */
export function rayStartLaunches(body: MapNode): Launch[] {
  const out: Launch[] = [];
  for (const v of walk(body)) {
    if (!isMap(v.node) || v.entry?.key !== 'rayStartParams') continue;
    const host = get(v.node, 'dashboard-host');
    const value = str(host);
    if (!host || value === undefined || !isAllInterfaces(value)) continue;
    const port = Number(str(get(v.node, 'dashboard-port')) ?? 8265);
    out.push({ service: 'Ray dashboard', how: `is bound to every interface (dashboard-host: '${value}')`, risk: RISK.ray, span: contentSpan(host), port });
  }
  return out;
}
