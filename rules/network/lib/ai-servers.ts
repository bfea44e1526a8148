import type { Span } from '../../../core';
import { programName } from '../../lib/shell';

/**
 * AI and notebook servers that answer without authentication, read from how they are started: a command's
 * words (`jupyter lab --ip=0.0.0.0 --ServerApp.token=''`, `vllm serve org/model`, `mlflow server --host 0.0.0.0`),
 * the environment it gets (`OLLAMA_HOST=0.0.0.0`) and, in a container, the image whose entrypoint is the server.
 * Documented defaults decide what an absent option means:
 * - Jupyter (Notebook, Lab, Server) listens on localhost:8888 and asks for a generated token; `--ip=0.0.0.0`
 *   (or `*`) opens it to the network and `--*.token=''` turns the token off. `JUPYTER_TOKEN=""` does not: an
 *   empty variable is ignored and a token is generated.
 * - `ray start --dashboard-host` defaults to 127.0.0.1 (dashboard and job API on 8265, no authentication).
 * - `mlflow server`/`ui` listen on 127.0.0.1:5000 without authentication unless `--app-name basic-auth`.
 * - Ollama listens on 127.0.0.1:11434 unless `OLLAMA_HOST` says otherwise; it has no authentication at all.
 *   Its image sets `OLLAMA_HOST=0.0.0.0`.
 * - vLLM's OpenAI-compatible server (`vllm serve`, `python -m vllm.entrypoints.openai.api_server`, the
 *   `vllm/vllm-openai` image) binds every interface when `--host` is not given, port 8000; `--api-key` or
 *   `VLLM_API_KEY` require a key.
 * - Text Generation Inference (`text-generation-launcher`, the `text-generation-inference` image) binds
 *   `--hostname` 0.0.0.0 by default, port 3000 (the image sets 80); `--api-key` (or `API_KEY`) requires a key.
 * - SGLang (`python -m sglang.launch_server`, `sglang serve`) binds 127.0.0.1:30000 unless `--host`; `--api-key`.
 * - Streamlit (`streamlit run`, port 8501) and Gradio (`launch()`, port 7860, `GRADIO_SERVER_NAME`) have no
 *   authentication of their own; Gradio's `share=True` publishes the app on a public gradio.live URL.
 * - A tunnel forwards a public URL to a local port, whatever address the server listens on: ngrok (`ngrok http 8080`,
 *   pyngrok's `ngrok.connect(8080)`; https://ngrok.com/docs/agent, https://pyngrok.readthedocs.io), where only the
 *   endpoint's own authentication (`--basic-auth`, `--oauth`, `--oidc`, a traffic policy) keeps anyone out; a
 *   Cloudflare quick tunnel (`cloudflared tunnel --url http://localhost:8080`, a random trycloudflare.com URL:
 *   https://developers.cloudflare.com/cloudflare-one/connections/connect-apps/do-more-with-tunnels/trycloudflare/);
 *   localtunnel (`lt --port 8000`, `npx localtunnel --port 8000`: https://github.com/localtunnel/localtunnel).
 */

/** A word of a command and where it is written: `exact` when the span holds just its value (no quotes or escapes). */
export interface Arg {
  value: string;
  span: Span;
  exact: boolean;
  dynamic: boolean;
}

/** A server that answers without authentication, and where to say so. */
export interface Launch {
  /** What runs: `Jupyter`, `vLLM`, ... */
  service: string;
  /** How it is open, naming what is written: `with its token disabled (--ServerApp.token='')`. */
  how: string;
  /** What anyone who reaches it can do. */
  risk: string;
  span: Span;
  /** The port it listens on (its default when none is written). */
  port?: number;
  /** The written address that binds every interface, which `127.0.0.1` can replace (outside containers). */
  bind?: Span;
  /** Gradio's `share=True`, which `False` can replace. */
  share?: Span;
  /** Authentication is turned off as written (Jupyter's token set to ''), not merely absent by default. */
  authOff?: boolean;
  /** Reached from the internet wherever it runs (a tunnel's public URL), not through the machine's interfaces. */
  tunnel?: boolean;
}

/** The environment a command runs with: a variable's literal value, or null when it is set to something unknown. */
export type EnvValues = ReadonlyMap<string, string | null>;

const ALL_INTERFACES = new Set(['0.0.0.0', '::', '[::]', '*']);

export const RISK = {
  code: 'anyone who reaches the port runs code on the machine, with its files and credentials',
  token: 'only its token, printed in logs and URLs, keeps anyone who reaches the port from running code on the machine',
  ray: 'Ray has no authentication, so anyone who reaches the dashboard submits jobs that run code on the cluster',
  mlflow: 'the tracking server has no authentication, so anyone who reaches it reads and overwrites experiments, artifacts and registered models',
  llm: 'anyone who reaches the port runs prompts on the GPUs and reads what the model serves',
  ollama: 'Ollama has no authentication, so anyone who reaches the port runs prompts on the GPUs and pulls or deletes models',
  app: 'the app has no authentication, so anyone who reaches the port uses it and the model and data behind it',
  share: 'the share link is a public gradio.live URL, so anyone who has it uses the app and the model and data behind it',
  tunnel: 'the endpoint has no authentication, so anyone who has the URL reaches the server behind it, whatever address it listens on',
};

/** `0.0.0.0`, `0.0.0.0:11434`, `http://[::]:11434`: the host and port of an address. */
function hostPort(value: string): { host: string; port?: number } {
  const rest = value.trim().replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  const m = /^(\[[^\]]*\]|[^:/]*)(?::(\d{1,5}))?(?:\/.*)?$/.exec(rest);
  return m ? { host: m[1], port: m[2] ? Number(m[2]) : undefined } : { host: rest };
}

export function isAllInterfaces(host: string): boolean {
  return ALL_INTERFACES.has(host.trim());
}

type Server = 'jupyter' | 'ray' | 'mlflow' | 'vllm' | 'tgi' | 'sglang' | 'streamlit' | 'ngrok' | 'cloudflared' | 'localtunnel';

const base = (a: Arg | undefined) => (a ? programName(a) : '');
const JUPYTER_BINS = new Set(['jupyter-notebook', 'jupyter-lab', 'jupyter-server', 'start-notebook.sh', 'start-notebook.py']);
const JUPYTER_APPS = new Set(['notebook', 'lab', 'server']);
const JUPYTER_MODULES = new Set(['notebook', 'jupyterlab', 'jupyter_server']);

/** The server a command starts and the index of the word that starts it (its options follow). */
function serverOf(args: Arg[]): { server: Server; at: number } | undefined {
  for (let i = 0; i < args.length; i++) {
    const b = base(args[i]);
    const next = args[i + 1]?.value;
    if (b === 'jupyter' && next && JUPYTER_APPS.has(next)) return { server: 'jupyter', at: i + 1 };
    if (JUPYTER_BINS.has(b)) return { server: 'jupyter', at: i };
    if (args[i].value === '-m' && next) {
      if (JUPYTER_MODULES.has(next)) return { server: 'jupyter', at: i + 1 };
      if (next === 'jupyter' && JUPYTER_APPS.has(args[i + 2]?.value ?? '')) return { server: 'jupyter', at: i + 2 };
      if (/^vllm\.entrypoints\.(?:openai\.)?api_server$/.test(next)) return { server: 'vllm', at: i + 1 };
      if (next === 'sglang.launch_server') return { server: 'sglang', at: i + 1 };
    }
    if (b === 'ray' && next === 'start') return { server: 'ray', at: i + 1 };
    if (b === 'mlflow' && (next === 'server' || next === 'ui')) return { server: 'mlflow', at: i + 1 };
    if (b === 'vllm' && next === 'serve') return { server: 'vllm', at: i + 1 };
    if (b === 'sglang' && next === 'serve') return { server: 'sglang', at: i + 1 };
    if (b === 'text-generation-launcher') return { server: 'tgi', at: i };
    if (b === 'streamlit' && next === 'run') return { server: 'streamlit', at: i + 1 };
    if (b === 'ngrok' && next && TUNNEL_PROTOCOLS.has(next)) return { server: 'ngrok', at: i + 1 };
    // A quick tunnel: `cloudflared tunnel` with options only (`run`, `create`, `route` ... manage named tunnels).
    if (b === 'cloudflared' && next === 'tunnel' && args[i + 2]?.value.startsWith('-')) return { server: 'cloudflared', at: i + 1 };
    if (b === 'lt' || b === 'localtunnel') return { server: 'localtunnel', at: i };
  }
  return undefined;
}

/** `ngrok http|tcp|tls <address>` starts an endpoint (`ngrok start <name>` reads its configuration file instead). */
const TUNNEL_PROTOCOLS = new Set(['http', 'tcp', 'tls']);

/** Options of `ngrok http` that put authentication in front of the endpoint (v3 flags, v2's `-auth`). */
const TUNNEL_AUTH = ['--basic-auth', '--oauth', '--oidc', '--traffic-policy-file', '--policy-file', '--traffic-policy-url', '-auth', '--auth'];

/** An ngrok endpoint without authentication: reported on its protocol word, with the address it forwards to. */
function tunnel(args: Arg[], at: number): Launch | undefined {
  if (option(args, at + 1, TUNNEL_AUTH)) return undefined;
  // The address comes first (`ngrok http 8501 --log stdout`); after options it cannot be told from an option's value.
  const next = args[at + 1];
  const target = next && !next.value.startsWith('-') ? next : undefined;
  const what = target ? ` to ${target.value}` : '';
  return {
    service: 'ngrok tunnel',
    how: `forwards a public URL${what} (ngrok ${args[at].value})`,
    risk: RISK.tunnel,
    span: args[at].span,
    port: portIn(target?.value),
    tunnel: true,
  };
}

/** The port at the end of an address: `8501`, `localhost:8501`, `http://localhost:8000/`. */
function portIn(address: string | undefined): number | undefined {
  const port = address && /(?:^|:)(\d{1,5})\/?$/.exec(address)?.[1];
  return port ? Number(port) : undefined;
}

/** A Cloudflare quick tunnel (`--url`; a `--hostname` routes a named tunnel instead) or localtunnel (`--port`). */
function otherTunnel(server: 'cloudflared' | 'localtunnel', args: Arg[], at: number): Launch | undefined {
  const cloudflared = server === 'cloudflared';
  const target = option(args, at + 1, cloudflared ? ['--url'] : ['--port', '-p'])?.value;
  if (!target || (cloudflared && option(args, at + 1, ['--hostname']))) return undefined;
  const how = cloudflared
    ? `forwards a public trycloudflare.com URL to ${target.value} (cloudflared quick tunnel)`
    : `forwards a public URL to port ${target.value}`;
  return { service: cloudflared ? 'Cloudflare tunnel' : 'localtunnel', how, risk: RISK.tunnel, span: args[at].span, port: portIn(target.value), tunnel: true };
}

/** An option as the command gives it: its name, the whole option as written, and its value. */
interface Opt {
  name: string;
  word: Arg;
  value: Arg;
}

/** `--name value` or `--name=value` after `from`. */
function option(args: Arg[], from: number, names: readonly string[]): Opt | undefined {
  for (let k = Math.max(from, 0); k < args.length; k++) {
    const w = args[k];
    for (const name of names) {
      if (w.value === name && args[k + 1]) return { name, word: { ...w, span: { ...w.span, end: args[k + 1].span.end } }, value: args[k + 1] };
      if (w.value.startsWith(`${name}=`)) {
        const cut = name.length + 1;
        const value = w.exact
          ? { ...w, value: w.value.slice(cut), span: { ...w.span, start: w.span.start + cut } }
          : { ...w, value: w.value.slice(cut), exact: false };
        return { name, word: w, value };
      }
    }
  }
  return undefined;
}

/** The option in messages: `--ip=0.0.0.0`, `--ServerApp.token=''`. */
const shown = (o: Opt) => `${o.name}=${o.value.value === '' ? "''" : o.value.value}`;

function portOf(args: Arg[], from: number, names: readonly string[], fallback: number | undefined): number | undefined {
  const p = option(args, from, names)?.value;
  return p && !p.dynamic && /^\d{1,5}$/.test(p.value) ? Number(p.value) : fallback;
}

/** The written address that binds every interface, for `bind` (only an exact, literal word can be replaced). */
function bindOf(value: Arg): Span | undefined {
  return value.exact && !value.dynamic ? value.span : undefined;
}

function bound(o: Opt | undefined): o is Opt {
  return o !== undefined && !o.value.dynamic && isAllInterfaces(o.value.value);
}

/** A server without authentication whose host option binds every interface: reported on the address. */
function boundLaunch(service: string, risk: string, host: Opt | undefined, port: number | undefined): Launch | undefined {
  if (!bound(host)) return undefined;
  return { service, how: `is bound to every interface (${shown(host)})`, risk, span: host.value.span, port, bind: bindOf(host.value) };
}

function jupyter(args: Arg[], at: number): Launch | undefined {
  const port = portOf(args, at + 1, ['--port', '--ServerApp.port', '--NotebookApp.port'], 8888);
  const token = option(args, at + 1, ['--ServerApp.token', '--NotebookApp.token', '--IdentityProvider.token']);
  const password = option(args, at + 1, ['--ServerApp.password', '--NotebookApp.password', '--PasswordIdentityProvider.hashed_password']);
  const ip = option(args, at + 1, ['--ip', '--ServerApp.ip', '--NotebookApp.ip']);
  // A password (a hash) is a login of its own: no token is needed then.
  if (token && !token.value.dynamic && token.value.value === '' && !(password && password.value.value !== '')) {
    const where = bound(ip) ? ` and is bound to every interface (${shown(ip)})` : '';
    return { service: 'Jupyter', how: `runs with its token disabled (${shown(token)})${where}`, risk: RISK.code, span: token.word.span, port, authOff: true };
  }
  if (!bound(ip)) return undefined;
  return { service: 'Jupyter', how: `is bound to every interface (${shown(ip)})`, risk: RISK.token, span: ip.value.span, port, bind: bindOf(ip.value) };
}

/** A server that requires no key (`keyed` false) and binds every interface (its default when `defaultAll`). */
function keyless(
  service: string,
  args: Arg[],
  at: number,
  o: { host: string[]; port: string[]; defaultPort: number; defaultAll: boolean; keyed: boolean },
): Launch | undefined {
  if (o.keyed || option(args, at + 1, ['--api-key'])) return undefined;
  const host = option(args, at + 1, o.host);
  const port = portOf(args, at + 1, o.port, o.defaultPort);
  if (host) {
    if (!bound(host)) return undefined;
    return {
      service,
      how: `has no API key (no --api-key) and is bound to every interface (${shown(host)})`,
      risk: RISK.llm,
      span: host.value.span,
      port,
      bind: bindOf(host.value),
    };
  }
  if (!o.defaultAll) return undefined;
  return {
    service,
    how: `has no API key (no --api-key) and listens on every interface (its default when ${o.host[0]} is not given)`,
    risk: RISK.llm,
    span: args[at].span,
    port,
  };
}

/**
 * The server a command starts, when it answers without authentication on every interface. `image` names the
 * server a container's entrypoint starts when the words are only its arguments (`vllm`, `tgi`).
 */
export function commandLaunch(args: Arg[], env: EnvValues, image?: { server: 'vllm' | 'tgi'; at: Arg }): Launch | undefined {
  const found = serverOf(args);
  if (!found && !image) return undefined;
  // An image's entrypoint starts its server: the words are its arguments, after the image standing for the entrypoint.
  const { server, at } = found ?? { server: image!.server, at: 0 };
  const words = found ? args : [image!.at, ...args];
  // `vllm serve --help`, `text-generation-launcher --version` print and exit (MLflow's `-h` is its host).
  if (words.slice(at + 1).some((a) => a.value === '--help' || a.value === '--version' || a.value === '-V' || (a.value === '-h' && server !== 'mlflow')))
    return undefined;
  switch (server) {
    case 'jupyter':
      return jupyter(words, at);
    case 'ray':
      return boundLaunch('Ray dashboard', RISK.ray, option(words, at + 1, ['--dashboard-host']), portOf(words, at + 1, ['--dashboard-port'], 8265));
    case 'mlflow':
      if (option(words, at + 1, ['--app-name'])) return undefined;
      return boundLaunch('MLflow tracking server', RISK.mlflow, option(words, at + 1, ['--host', '-h']), portOf(words, at + 1, ['--port', '-p'], 5000));
    case 'ngrok':
      return tunnel(words, at);
    case 'cloudflared':
    case 'localtunnel':
      return otherTunnel(server, words, at);
    case 'streamlit':
      return boundLaunch('Streamlit app', RISK.app, option(words, at + 1, ['--server.address']), portOf(words, at + 1, ['--server.port'], 8501));
    case 'vllm':
      return keyless('vLLM', words, at, { host: ['--host'], port: ['--port'], defaultPort: 8000, defaultAll: true, keyed: env.has('VLLM_API_KEY') });
    case 'tgi':
      return keyless('Text Generation Inference', words, at, {
        host: ['--hostname'],
        port: ['--port'],
        defaultPort: image ? 80 : 3000,
        defaultAll: true,
        keyed: env.has('API_KEY'),
      });
    case 'sglang':
      return keyless('SGLang', words, at, { host: ['--host'], port: ['--port'], defaultPort: 30000, defaultAll: false, keyed: false });
    default:
      return undefined;
  }
}

/** Variables that bind a server to an address, with the server and its default port. */
const HOST_VARIABLES: Record<string, { service: string; risk: string; port: number; portVariable?: string }> = {
  OLLAMA_HOST: { service: 'Ollama', risk: RISK.ollama, port: 11434 },
  GRADIO_SERVER_NAME: { service: 'Gradio app', risk: RISK.app, port: 7860, portVariable: 'GRADIO_SERVER_PORT' },
  STREAMLIT_SERVER_ADDRESS: { service: 'Streamlit app', risk: RISK.app, port: 8501, portVariable: 'STREAMLIT_SERVER_PORT' },
};

/** Text that may start one of these servers or set one of these variables (for prefilters). */
export const MENTIONS =
  /jupyter|notebook|ray|mlflow|vllm|text-generation|sglang|streamlit|gradio|OLLAMA_HOST|GRADIO_SERVER_NAME|STREAMLIT_SERVER_ADDRESS|launch|ollama|ngrok|cloudflared|localtunnel|\blt\b/i;

/**
 * A variable set to an address on every interface (`OLLAMA_HOST=0.0.0.0:11434`), reported on its value.
 * `exact` says whether the value's span holds just the value (so the host part can be replaced).
 */
export function variableLaunch(name: string, value: string, span: Span, exact: boolean, env: EnvValues): Launch | undefined {
  const known = HOST_VARIABLES[name];
  if (!known) return undefined;
  const { host, port } = hostPort(value);
  if (!isAllInterfaces(host)) return undefined;
  const setPort = known.portVariable ? env.get(known.portVariable) : undefined;
  const bind = exact ? { start: span.start + value.indexOf(host), end: span.start + value.indexOf(host) + host.length } : undefined;
  return {
    service: known.service,
    how: `is bound to every interface (${name}=${value})`,
    risk: known.risk,
    span,
    port: port ?? (setPort && /^\d+$/.test(setPort) ? Number(setPort) : known.port),
    bind: bind && { ...span, ...bind },
  };
}

/** The server a container image runs by its entrypoint, by the last segment of its repository. */
export function imageServer(image: string): 'vllm' | 'tgi' | 'ollama' | undefined {
  const repo = image
    .trim()
    .replace(/[@:][^/]*$/, '')
    .toLowerCase();
  const name = repo.slice(repo.lastIndexOf('/') + 1);
  if (/^vllm(?:-openai)?$/.test(name)) return 'vllm';
  if (name === 'text-generation-inference') return 'tgi';
  if (name === 'ollama') return 'ollama';
  return undefined;
}

/** An Ollama container: its image sets `OLLAMA_HOST=0.0.0.0`, so it listens on every interface unless told otherwise. */
export function ollamaImageLaunch(image: Arg, env: EnvValues): Launch | undefined {
  const host = env.get('OLLAMA_HOST');
  if (host !== undefined) return undefined;
  return {
    service: 'Ollama',
    how: `listens on every interface (image ${image.value.trim()} sets OLLAMA_HOST=0.0.0.0)`,
    risk: RISK.ollama,
    span: image.span,
    port: 11434,
  };
}
