import {
  type Cell,
  cellPython,
  cellShellLines,
  contentSpan,
  get,
  isMap,
  isScalar,
  type Node,
  type ParsedFile,
  type PyCall,
  type Span,
  str,
  walk,
  partitionPoint,
  spanInCell,
} from '../../../core';
import { calleeName, kwarg } from '../../lib/python-calls';
import { pythonCommands, RUNS_COMMANDS } from '../../lib/python-commands';
import { scriptCommands, stripMagic, type Word } from '../../lib/shell';
import { argOf, commandArgs, commandLaunches, type ImageStart, imageStart, listArgs, noBind, shellTextLaunches } from './ai-server-commands';
import { type Arg, commandLaunch, type EnvValues, isAllInterfaces, type Launch, MENTIONS, RISK, variableLaunch } from './ai-servers';

/**
 * Where files outside clusters start these servers: Python calls and assignments and `!`/`%` lines of notebooks
 * and Python files; the shell scripts a file holds (Dockerfile `RUN`/`CMD`/`ENTRYPOINT`, workflow `run:`), a
 * workflow's `env` maps, and a Dockerfile's exec forms and `ENV`. A Dockerfile's launches carry no `bind`: in a
 * container 127.0.0.1 would shut out every client. Containers of Kubernetes and Compose are in
 * `ai-server-containers.ts`, machines' startup scripts in `ai-server-hosts.ts`.
 */

const JUPYTER_TOKEN = /^c\.(?:ServerApp|NotebookApp|IdentityProvider)\.token$/;
const JUPYTER_PASSWORD = /^c\.(?:ServerApp|NotebookApp|PasswordIdentityProvider)\.(?:hashed_)?password$/;
const JUPYTER_IP = /^c\.(?:ServerApp|NotebookApp)\.ip$/;
const ENVIRON = /^os\.environ\[\s*["']([A-Za-z_][A-Za-z0-9_]*)["']\s*\]$/;

const literal = (node: Node | undefined): string | undefined => (isScalar(node) && typeof node.value === 'string' ? node.value : undefined);

function portKwarg(call: PyCall, name: string, fallback: number): number {
  const p = kwarg(call, name);
  return isScalar(p) && typeof p.value === 'number' ? p.value : fallback;
}

/** Gradio's `launch(share=True)` / `launch(server_name="0.0.0.0")` and Ray's `init(dashboard_host="0.0.0.0")`. */
function callLaunches(call: PyCall, gradio: boolean): Launch[] {
  const out: Launch[] = [];
  const share = kwarg(call, 'share');
  const name = kwarg(call, 'server_name');
  // `auth=` asks for a login before the app answers, on the share link too (https://www.gradio.app/guides/sharing-your-app#authentication).
  const auth = kwarg(call, 'auth');
  if (gradio && calleeName(call) === 'launch' && !(auth && !(isScalar(auth) && auth.value === null))) {
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

/**
 * Keyword arguments of pyngrok's `connect` (tunnel definition properties) and of the ngrok SDK's `forward` that
 * authenticate the endpoint, or name a configured one.
 */
const TUNNEL_AUTH_KWARGS = new Set([
  'auth',
  'basic_auth',
  'oauth',
  'oidc',
  'traffic_policy',
  'name',
  'oauth_provider',
  'oidc_issuer_url',
  'policy',
  'mutual_tls_cas',
]);

/**
 * pyngrok's `ngrok.connect(addr, proto)` and the ngrok Python SDK's `ngrok.forward(addr)` (`connect` there too): a
 * public URL forwarded to `addr` (port 80 when not given), open to anyone unless its keyword arguments add
 * authentication (https://pyngrok.readthedocs.io/en/latest/api.html#pyngrok.ngrok.connect,
 * https://ngrok.github.io/ngrok-python/).
 */
function tunnelLaunch(call: PyCall): Launch | undefined {
  const how = /(?:^|\.)(ngrok\.(?:connect|forward))$/.exec(call.callee)?.[1];
  if (!how || call.kwargs.some((k) => TUNNEL_AUTH_KWARGS.has(k.key))) return undefined;
  const addr = call.args[0] ?? kwarg(call, 'addr');
  const value = isScalar(addr) ? String(addr.value) : undefined;
  const port = value === undefined ? (addr ? undefined : 80) : Number(/(?:^|:)(\d{1,5})$/.exec(value)?.[1]) || undefined;
  const what = value === undefined ? (addr ? '' : ' to port 80') : ` to ${value}`;
  return { service: 'ngrok tunnel', how: `forwards a public URL${what} (${how})`, risk: RISK.tunnel, span: call.calleeSpan, port, tunnel: true };
}

/**
 * Variables a cell sets in `os.environ` through a dict or a call: `os.environ.update({"OLLAMA_HOST": "0.0.0.0"})`,
 * `os.environ.update(OLLAMA_HOST="0.0.0.0")`, `os.environ.setdefault("OLLAMA_HOST", "0.0.0.0")`,
 * `os.environ |= {...}`; as the assignments `os.environ["OLLAMA_HOST"] = ...` they stand for.
 */
function environSets(cell: Cell): { target: string; value: Node }[] {
  const py = cellPython(cell);
  const out: { target: string; value: Node }[] = [];
  const entries = (node: Node | undefined) => {
    if (isMap(node)) for (const e of node.entries) out.push({ target: `os.environ["${e.key}"]`, value: e.value });
  };
  for (const a of py?.assignments ?? []) if (a.target === 'os.environ') entries(a.value);
  for (const call of py?.calls ?? []) {
    if (call.callee === 'os.environ.update') {
      entries(call.args[0]);
      for (const k of call.kwargs) out.push({ target: `os.environ["${k.key}"]`, value: k.value });
    } else if (call.callee === 'os.environ.setdefault') {
      const name = literal(call.args[0]);
      if (name !== undefined && call.args[1]) out.push({ target: `os.environ["${name}"]`, value: call.args[1] });
    }
  }
  return out;
}

/** Jupyter configuration (`c.ServerApp.token = ''`, `c.ServerApp.ip = '*'`) and `os.environ["OLLAMA_HOST"] = ...`. */
function assignmentLaunches(cells: Cell[]): Launch[] {
  const out: Launch[] = [];
  const assignments = cells.flatMap((c) =>
    c.kind === 'code' && /\bc\.|environ/.test(c.source) ? [...(cellPython(c)?.assignments ?? []), ...(c.source.includes('environ') ? environSets(c) : [])] : [],
  );
  const password = assignments.some((a) => JUPYTER_PASSWORD.test(a.target) && (literal(a.value) ?? '') !== '');
  for (const a of assignments) {
    const value = literal(a.value);
    if (value === undefined) continue;
    if (JUPYTER_TOKEN.test(a.target) && value === '' && !password) {
      out.push({ service: 'Jupyter', how: `runs with its token disabled (${a.target} = '')`, risk: RISK.code, span: a.value.span, port: 8888, authOff: true });
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

/**
 * A word of a command that Python runs, at its offsets in the cell: an argument list's item is written in quotes,
 * and its span is narrowed to what they hold when that is the word as it reads (so the address can be replaced).
 */
function pythonWordArg(w: Word, cell: Cell): Arg {
  const q = cell.source[w.start];
  const inner = !w.dynamic && (q === '"' || q === "'") && cell.source.slice(w.start + 1, w.end - 1) === w.value;
  return argOf(inner ? { ...w, start: w.start + 1, end: w.end - 1 } : w, spanInCell(cell, 0, 0));
}

/** Notebooks and Python files: calls, assignments, `!`/`%` lines and commands run through `subprocess` / `os.system`. */
export function pythonLaunches(file: ParsedFile): Launch[] {
  const cells = (file.cells ?? []).filter((c) => c.kind === 'code' && MENTIONS.test(c.source));
  const gradio = cells.some((c) => c.source.includes('gradio'));
  // pyngrok, or the ngrok SDK imported as `ngrok`: another module's `ngrok` is not known to start a tunnel.
  const ngrokModule = cells.some((c) => /pyngrok|^[ \t]*import[ \t]+ngrok\b/m.test(c.source));
  const out = assignmentLaunches(cells);
  for (const cell of cells) {
    if (/launch|dashboard_host/.test(cell.source)) for (const call of cellPython(cell)?.calls ?? []) out.push(...callLaunches(call, gradio));
    if (ngrokModule && /ngrok\.(?:connect|forward)/.test(cell.source))
      for (const call of cellPython(cell)?.calls ?? []) {
        const launch = tunnelLaunch(call);
        if (launch) out.push(launch);
      }
    const env = new Map<string, string | null>();
    for (const line of cellShellLines(cell) ?? []) {
      const { body, offset } = stripMagic(line.text);
      out.push(...shellTextLaunches(body, { ...line.span, start: line.span.start + offset }, env));
    }
    if (RUNS_COMMANDS.test(cell.source))
      for (const words of pythonCommands(cell, file.cells ?? []))
        out.push(
          ...commandLaunches(
            words.map((w) => pythonWordArg(w, cell)),
            new Map(),
          ),
        );
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

/** The index of the last span starting at or before `offset` (spans sorted by start), or -1. */
function lastStartingAt(spans: readonly { start: number }[], offset: number): number {
  return partitionPoint(spans.length, (i) => spans[i].start <= offset) - 1;
}

/** What the containers of a Dockerfile's stages start, by stage (`name` lower-cased, and the last stage's). */
export interface StageLaunches {
  byName: Map<string, Launch[]>;
  last: Launch[];
}

/**
 * What the container of each stage starts: the launches `dockerfileLaunches` finds in the stage's `ENV`,
 * `ENTRYPOINT` and `CMD`, not in its `RUN`s, which run while the image is built. One pass over the file.
 */
export function stageStartLaunches(file: ParsedFile): StageLaunches {
  const froms = file.resources.filter((r) => r.type === 'FROM');
  const stages = froms.map((r) => ({ start: r.span.start, name: str(get(r.body, 'as'))?.toLowerCase(), launches: [] as Launch[] }));
  const runs = file.resources.filter((r) => r.type === 'RUN').map((r) => r.span);
  for (const l of dockerfileLaunches(file)) {
    const run = lastStartingAt(runs, l.span.start);
    if (run >= 0 && l.span.start < runs[run].end) continue;
    const stage = lastStartingAt(stages, l.span.start);
    if (stage >= 0) stages[stage].launches.push(l);
  }
  const byName = new Map<string, Launch[]>();
  for (const st of stages) if (st.name && !byName.has(st.name)) byName.set(st.name, st.launches);
  return { byName, last: stages.at(-1)?.launches ?? [] };
}
