import { contentSpan, get, isExpr, isList, isMap, isScalar, type MapNode, type Node, type Span, str, walk } from '../../../core';
import { ASSIGNMENT, commandArgs, imageStart, noBind } from './ai-server-commands';
import { commandLaunch, imageServer, isAllInterfaces, type Launch, ollamaImageLaunch, RISK, variableLaunch } from './ai-servers';

/**
 * What a Kubernetes container or a Compose service runs, read into launches: its environment, its command and
 * arguments, and the server its image starts. In a container binding every interface is how the port is
 * reached: its launches carry no `bind` fix.
 */

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
