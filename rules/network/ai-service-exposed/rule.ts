import {
  basenameOf,
  type ComposeBuild,
  composeBuild,
  containers,
  contentSpan,
  defineRule,
  dirnameOf,
  type FindingInput,
  get,
  type Node,
  type ParsedFile,
  type RelatedLocation,
  type Resource,
  type RuleContext,
  str,
} from '../../../core';
import { renderedScalar } from '../../lib/helm';
import { portsOnAllInterfaces } from '../../lib/published-ports';
import { containerLaunches, rayStartLaunches } from '../lib/ai-server-containers';
import { dockerfileLaunches, pythonLaunches, stageStartLaunches, workflowLaunches } from '../lib/ai-server-sites';
import { type Launch, MENTIONS } from '../lib/ai-servers';
import { MAY_START, openAt, opensPort, startupLaunches, worldIngress } from '../lib/ai-server-hosts';
import { clusterExposers, type Exposer, exposersByWorkload, rayHeadExposure, routesPort } from '../lib/k8s-exposure';

type Kind = 'bind-loopback' | 'disable-share';

/** Manifests that may expose pods: the Service types and Ingresses `clusterExposers` reads. */
const MAY_EXPOSE = /LoadBalancer|NodePort|Ingress/;

/** A Compose service built from a Dockerfile (`build:`). */
const BUILDS = /^[ \t]+build[ \t]*:/m;

const line = (l: Launch) => `${l.service} ${l.how}`;
// A finding says the same whether or not the port is exposed (the exposure is its related location and its
// severity): fixing the exposure then leaves the same finding, a warning, instead of a new one.

/** The fixes of a launch outside a container: 127.0.0.1 for the address it binds, `share=False` for Gradio's link. */
function fixesOf(l: Launch): FindingInput<Kind>['fixes'] {
  const out: NonNullable<FindingInput<Kind>['fixes']> = [];
  if (l.bind) out.push({ title: 'Bind to 127.0.0.1 only', kind: 'bind-loopback', safety: 'unsafe', edits: [{ span: l.bind, newText: '127.0.0.1' }] });
  if (l.share)
    out.push({ title: 'Turn off the public share link (share=False)', kind: 'disable-share', safety: 'unsafe', edits: [{ span: l.share, newText: 'False' }] });
  return out;
}

function reportAlone(ctx: RuleContext<Kind>, launches: Launch[]): void {
  for (const l of launches) ctx.report({ span: l.span, message: `${line(l)}: ${l.risk}`, fixes: fixesOf(l) });
}

/**
 * A server in a container image, a Compose service or a pod with no exposure in sight. There listening on every
 * interface is how the port is reached at all, and nothing outside reaches it until a port is published or
 * routed — which, when the project shows it, makes the finding an error. Without it, only what is wrong wherever
 * the container runs is reported, as a warning: authentication turned off as written (a Jupyter token set to
 * '') and a Gradio share link or an ngrok tunnel, which are public wherever the app runs.
 */
function reportContained(ctx: RuleContext<Kind>, launches: Launch[]): void {
  for (const l of launches) if (l.authOff || l.share || l.tunnel) ctx.report({ span: l.span, message: `${line(l)}: ${l.risk}`, fixes: fixesOf(l) });
}

/** What exposes a server beyond its container or pod, as the finding's related location. */
type Exposure = RelatedLocation;

function reportExposed(ctx: RuleContext<Kind>, l: Launch & { onlyExposed?: boolean }, exposure: Exposure | undefined): void {
  if (!exposure) {
    if (!l.onlyExposed) reportContained(ctx, [l]);
    return;
  }
  ctx.report({ span: l.span, severity: 'error', message: `${line(l)}: ${l.risk}`, related: [exposure] });
}

/** `network_mode: host` (Compose) or `hostNetwork: true` (a pod): the server listens on the host's own interfaces. */
function hostNetwork(value: Node | undefined, what: string): Exposure | undefined {
  const v = str(value);
  if (!value || (v !== 'host' && v !== 'true')) return undefined;
  return { span: contentSpan(value), message: `exposed: ${what} shares the host's network, so it listens on every interface of the host` };
}

/**
 * Compose: a service's server, an error when the service publishes its port on every host interface or runs
 * in the host's network. A published port is also `network/port-published-all-interfaces`'s finding (with the
 * fix that binds it to 127.0.0.1), so an Ollama image's published port is left to it: the image's default
 * is all this rule would add.
 */
function compose(ctx: RuleContext<Kind>): void {
  for (const service of ctx.file.resources) {
    const launches = containerLaunches(
      {
        image: get(service.body, 'image'),
        entrypoint: get(service.body, 'entrypoint'),
        args: get(service.body, 'command'),
        env: get(service.body, 'environment'),
        envFrom: get(service.body, 'env_file'),
      },
      ctx.file.text,
    );
    const built = builtLaunches(ctx, service);
    if (launches.length === 0 && built.length === 0) continue;
    const ports = portsOnAllInterfaces(ctx.file, service);
    const host = hostNetwork(get(service.body, 'network_mode'), `service "${service.name}"`);
    const exposureOf = (l: Launch & { onlyExposed?: boolean }): Exposure | undefined => {
      const port = l.onlyExposed ? undefined : ports.find((p) => l.port === undefined || p.target === l.port);
      const where = port?.hostIp ? `on ${port.hostIp}` : 'on every host interface';
      return port ? { span: port.span, message: `exposed: service "${service.name}" publishes it as "${port.text}" ${where}` } : host;
    };
    for (const l of launches) reportExposed(ctx, l, exposureOf(l));
    // A server the built image starts is the Dockerfile's; here only its exposure is news, at the service's `build`.
    const exposed = built.flatMap((b) => {
      const exposure = exposureOf(b.launch);
      return exposure ? [{ ...b, exposure }] : [];
    });
    if (exposed.length > 0) reportBuilt(ctx, exposed);
  }
}

/** One finding at the service's `build` for the exposed servers its image starts (one span, one finding). */
function reportBuilt(ctx: RuleContext<Kind>, exposed: { launch: Launch; build: ComposeBuild; dockerfile: ParsedFile; exposure: Exposure }[]): void {
  const [first] = exposed;
  const from = relativeTo(ctx.file.uri, first.dockerfile.uri);
  const message =
    exposed.length === 1
      ? `${line(first.launch)} in the image built from ${from}: ${first.launch.risk}`
      : `${exposed.length} servers in the image built from ${from} are exposed: ${exposed.map((e) => line(e.launch)).join('; ')}`;
  const related: RelatedLocation[] = exposed.map((e) => ({ span: e.launch.span, uri: e.dockerfile.uri, message: `the image starts ${e.launch.service} here` }));
  ctx.report({ span: first.build.span, severity: 'error', message, related: [...related, first.exposure] });
}

/** `uri` as written from `from`'s folder when it is below it (`llm/Dockerfile`), else its base name. */
function relativeTo(from: string, uri: string): string {
  const dir = `${dirnameOf(from)}/`;
  return uri.startsWith(dir) ? uri.slice(dir.length) : basenameOf(uri);
}

/**
 * The servers a service's image starts when the service builds it (`build:`) and sets no `command` or
 * `entrypoint` of its own: those of the built stage's `ENV`, `ENTRYPOINT` and `CMD`, read from the Dockerfile
 * when the project holds it (a scan reads it as the Compose file's context).
 */
function builtLaunches(
  ctx: RuleContext<Kind>,
  service: Resource,
): { launch: Launch & { onlyExposed?: boolean }; build: ComposeBuild; dockerfile: ParsedFile }[] {
  if (get(service.body, 'command') !== undefined || get(service.body, 'entrypoint') !== undefined) return [];
  const build = composeBuild(ctx.file, service);
  const dockerfile = build && ctx.project.get(build.dockerfile);
  if (!build || dockerfile?.format !== 'dockerfile') return [];
  // Every service building from the Dockerfile reads the same stages: they are read once per project state.
  const stages = ctx.project.derived(`ai-service-exposed:stages:${dockerfile.uri}`, () => stageStartLaunches(dockerfile));
  const launches = build.target === undefined ? stages.last : (stages.byName.get(build.target.toLowerCase()) ?? []);
  return launches.map((launch) => ({ launch, build, dockerfile }));
}

/**
 * A container's image as it runs: in a Helm template, as the chart's values render it
 * (`"{{ .Values.image.repository }}:{{ .Values.image.tag }}"` → `ollama/ollama:0.3.12`), pointed at the action.
 */
function imageOf(file: ParsedFile, project: RuleContext<Kind>['project'], node: Node | undefined): Node | undefined {
  const rendered = node && renderedScalar(file, project, node);
  return rendered ? { ...rendered.value, span: rendered.span, contentSpan: rendered.span } : node;
}

/** Kubernetes and Helm: containers and KubeRay clusters, an error when a Service or Ingress of the folder or chart routes to them. */
function cluster(ctx: RuleContext<Kind>): void {
  const { file, project } = ctx;
  let byWorkload: Map<Resource, Exposer[]> | undefined;
  const exposed = (workload: Resource, port: number | undefined): Exposer | undefined => {
    byWorkload ??= exposersByWorkload(
      clusterExposers(file.format === 'helm' ? project.module(file) : project.module(file, (text) => MAY_EXPOSE.test(text)), project),
      file,
    );
    return byWorkload.get(workload)?.find((e) => routesPort(e, port));
  };
  const related = (e: Exposer | undefined, port: number | undefined): Exposure | undefined =>
    e && {
      span: e.span,
      message: `exposed: ${e.what} routes port ${port ?? 'of the pods'} to it from outside the cluster`,
      uri: e.file === file ? undefined : e.file.uri,
    };
  for (const r of file.resources) {
    if (r.kind !== 'object') continue;
    if (r.type.startsWith('Ray')) {
      const head = rayHeadExposure(r.body);
      const exposure = head && { span: head.span, message: `exposed: the head's ${head.type} Service reaches it from outside the cluster` };
      for (const l of rayStartLaunches(r.body)) reportExposed(ctx, l, exposure);
    }
    for (const { container, spec } of containers(r)) {
      const host = hostNetwork(get(spec, 'hostNetwork'), `the pod of ${r.type} "${r.name}"`);
      const launches = containerLaunches(
        {
          image: imageOf(file, project, get(container, 'image')),
          entrypoint: get(container, 'command'),
          args: get(container, 'args'),
          env: get(container, 'env'),
          envFrom: get(container, 'envFrom'),
        },
        file.text,
      );
      for (const l of launches) {
        reportExposed(ctx, l, related(exposed(r, l.port), l.port) ?? host);
      }
    }
  }
}

/** Terraform: servers started by a machine's startup script, an error when a firewall rule of the module opens their port to the world. */
function terraform(ctx: RuleContext<Kind>): void {
  const launches = startupLaunches(ctx.file);
  if (launches.length === 0) return;
  const open = worldIngress(ctx.file, ctx.project);
  for (const l of launches) {
    const w = open.find((o) => opensPort(o.rule, l.port));
    const r = w?.rule.resource;
    const exposure = w &&
      r && {
        span: openAt(w),
        message: `exposed: ${r.type}.${r.name} lets the whole internet in on port ${l.port ?? 'every port'}`,
        uri: w.file === ctx.file ? undefined : w.file.uri,
      };
    if (exposure) ctx.report({ span: l.span, severity: 'error', message: `${line(l)}: ${l.risk}`, related: [exposure], fixes: fixesOf(l) });
    else reportAlone(ctx, [l]);
  }
}

export default defineRule({
  id: 'network/ai-service-exposed',
  family: 'network',
  severity: 'warning',
  formats: ['python', 'notebook', 'dockerfile', 'github-actions', 'kubernetes', 'helm', 'compose', 'terraform'],
  prefilter: {
    python: (text) => MENTIONS.test(text),
    notebook: (text) => MENTIONS.test(text),
    dockerfile: (text) => MENTIONS.test(text),
    'github-actions': (text) => MENTIONS.test(text),
    kubernetes: (text) => MENTIONS.test(text),
    // A chart's template may take the server's image from values.yaml and name it nowhere itself.
    helm: (text, neighbours) => MENTIONS.test(text) || (text.includes('.Values') && neighbours().some((t) => MENTIONS.test(t))),
    // A service built from a Dockerfile may start a server its Compose file never names.
    compose: (text) => MENTIONS.test(text) || BUILDS.test(text),
    terraform: (text) => MAY_START.test(text) && MENTIONS.test(text),
  },
  fixes: { 'bind-loopback': 'unsafe', 'disable-share': 'unsafe' },
  docs: {
    summary:
      'AI or notebook server that answers anyone who reaches it: Jupyter without a token, Ray, MLflow, Ollama, Streamlit, Gradio, vLLM, Text Generation Inference or SGLang on every interface without authentication, Gradio share links and tunnels that give a port a public URL.',
    reads:
      'AI and notebook server that answers anyone who reaches it: Jupyter with its token disabled (`--ServerApp.token=\'\'`, `c.NotebookApp.token = \'\'`) or bound to `0.0.0.0`; the Ray dashboard (`dashboard_host`, `--dashboard-host`, KubeRay\'s `rayStartParams`), an MLflow tracking server without `--app-name basic-auth`, Ollama (`OLLAMA_HOST=0.0.0.0`, also set through `os.environ.update({...})`, `setdefault` or `|=`), Streamlit or Gradio bound to every interface; vLLM, Text Generation Inference or SGLang serving without `--api-key` on every interface; Gradio\'s `launch(share=True)`; a tunnel that gives a port a public URL without authentication (`ngrok http 8501`, pyngrok\'s `ngrok.connect(7860)`, the ngrok SDK\'s `ngrok.forward(8000)`, a Cloudflare quick tunnel `cloudflared tunnel --url ...`, localtunnel `lt --port 8501`), reported wherever it runs, in Python also when started through `subprocess` or `os.system` (`subprocess.Popen(["streamlit", "run", "app.py", "--server.address", "0.0.0.0"])`). A warning where it runs on a machine (Python, notebooks, workflow steps, a startup script); in a container image, Compose service or pod with no exposure in sight, only a token turned off and a share link, as warnings; an error when it is exposed: a Compose port published on every host interface (for a service built from a Dockerfile, what the built stage starts, reported at `build`), a LoadBalancer or NodePort Service or an Ingress of the same folder or chart routing to its port, a KubeRay head Service of type LoadBalancer or NodePort, the host\'s network, or — for a server a Terraform machine\'s startup script starts — a security group or firewall rule of the module open to the world on its port.',
    why: "These servers have no authentication of their own, or only a token the configuration turns off: whoever reaches the port runs code in a Jupyter kernel or a Ray job (ShadowRay, CVE-2023-48022, was exactly this), reads and overwrites MLflow experiments and registered models, or spends the GPUs and reads what an LLM serves. Scanners look for these ports on the internet all the time, and a private AI estate is only as private as its least protected notebook or model server. Defaults decide what an unwritten option means: Jupyter (port 8888), MLflow (5000), SGLang (30000), Ollama (11434) and the Ray dashboard (8265) listen on 127.0.0.1 unless told otherwise (the `ollama/ollama` image sets `OLLAMA_HOST=0.0.0.0`, so an Ollama container is reported when its port is exposed), while vLLM's OpenAI-compatible server (8000) and Text Generation Inference (3000; 80 in its image) listen on every interface unless `--host`/`--hostname` says otherwise; Streamlit (8501) and Gradio (7860) are reported when told to bind every interface. Gradio's `auth=` asks for a login first, so a Gradio app launched with it is not reported. A tunnel gives the local port a public URL whatever address the server listens on (https://ngrok.com/docs/agent; Cloudflare's quick tunnels on trycloudflare.com and localtunnel have no authentication at all); an ngrok tunnel is not reported when the endpoint authenticates (`--basic-auth`, `--oauth`, `--oidc`, a traffic policy; pyngrok's `basic_auth`, `oauth`, `oidc`, `traffic_policy`; the ngrok SDK's `oauth_provider`, `oidc_issuer_url`, `traffic_policy`) or when `ngrok start` / `connect(name=...)` use a configured endpoint, whose file may add it; nor is a named Cloudflare tunnel (`cloudflared tunnel run`, `--hostname`), which Cloudflare Access can protect. `JUPYTER_TOKEN=\"\"` is ignored (a token is generated), and a Jupyter password (a hash) is a login of its own. In a container, binding every interface is how the port is reached at all: there a server without a login of its own (vLLM, MLflow, Ollama, ...) is reported only when the project publishes or routes the port, as an error; a token turned off as written is a warning wherever it runs, and an error when exposed. The exposure is looked for in the same Compose file (whose services built from a local Dockerfile start what its built stage's `CMD`, `ENTRYPOINT` and `ENV` say, unless they set a `command` or `entrypoint`); among the Kubernetes manifests of the same folder (or the templates of the same chart), where Services select the server's pods by label and port (in a chart, an image and a Service type written through values.yaml are read as the values render them); and among the firewall rules of the same Terraform module (which instance a group is attached to is not followed). A startup script built by a function (`base64encode`, `templatefile`) is not read. Checkov, Trivy and KICS have next to nothing on these servers; Bandit's B104 flags any Python bind to 0.0.0.0, without knowing what listens or whether it asks for a login.",
    fix: "Keep the server on 127.0.0.1 and reach it through an SSH tunnel or an authenticating proxy; keep Jupyter's token (or set a password); start vLLM, TGI and SGLang with `--api-key` (from a secret: `VLLM_API_KEY`, `API_KEY`); start MLflow with `--app-name basic-auth`; publish a container's port on 127.0.0.1, and use a ClusterIP Service behind an authenticating ingress instead of a LoadBalancer, NodePort or an open Ingress; drop `share=True`; put authentication on an ngrok endpoint (`--oauth google --oauth-allow-email ...`, a traffic policy with `basic-auth`) or stop the tunnel.",
    fixes: {
      'bind-loopback':
        'Outside containers (Python, notebooks, workflow steps), replaces the address with `127.0.0.1`: clients on other machines then need a tunnel or a proxy. In a container the address stays: 127.0.0.1 there would shut out every client.',
      'disable-share': 'Sets `share=False`: the app is no longer on a public gradio.live link.',
    },
    examples: {
      format: 'compose',
      bad: 'services:\n  llm:\n    image: vllm/vllm-openai:v0.6.3\n    command: ["--model", "org/model"]\n    ports:\n      - "8000:8000"',
      good: 'services:\n  llm:\n    image: vllm/vllm-openai:v0.6.3\n    command: ["--model", "org/model"]\n    environment:\n      VLLM_API_KEY: ${VLLM_API_KEY}\n    ports:\n      - "127.0.0.1:8000:8000"',
    },
  },
  check(ctx) {
    const { file } = ctx;
    switch (file.format) {
      case 'python':
      case 'notebook':
        return reportAlone(ctx, pythonLaunches(file));
      case 'github-actions':
        return reportAlone(ctx, workflowLaunches(file));
      case 'dockerfile':
        return reportContained(ctx, dockerfileLaunches(file));
      case 'compose':
        return compose(ctx);
      case 'kubernetes':
      case 'helm':
        return cluster(ctx);
      case 'terraform':
        return terraform(ctx);
    }
  },
});
