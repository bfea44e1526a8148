/**
 * network/ai-service-exposed across the manifests of a folder: the server's workload in one file, the Service
 * or Ingress that exposes it in another. Files of other folders, and Services that select other pods or ports,
 * expose nothing.
 */
import { describe, expect, it } from 'vitest';
import { analyze, parseFile, Project, type Rule } from '../../../core';
import { ruleById } from '../../index';

async function run(files: Record<string, string>, target: string) {
  const parsed = await Promise.all(Object.entries(files).map(([name, text]) => parseFile(`/work/${name}`, text)));
  const rule = ruleById('network/ai-service-exposed') as Rule;
  const file = parsed.find((f) => f.uri.endsWith(`/${target}`))!;
  const config = { rules: { [rule.id]: 'on' as const }, ignore: [], maxFileSize: 1e9 };
  return (await analyze(file, { rules: [rule], config, project: new Project(parsed) })).findings;
}

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: llm
spec:
  selector:
    matchLabels:
      app: llm
  template:
    metadata:
      labels:
        app: llm
    spec:
      containers:
        - name: vllm
          image: vllm/vllm-openai:v0.6.3
          args: ["--model", "org/model"]
`;

const service = (type: string, app: string, targetPort: number) => `apiVersion: v1
kind: Service
metadata:
  name: llm
spec:
  type: ${type}
  selector:
    app: ${app}
  ports:
    - port: 80
      targetPort: ${targetPort}
`;

const ingress = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: chat
spec:
  defaultBackend:
    service:
      name: llm
      port:
        number: 80
`;

describe('network/ai-service-exposed across the files of a folder', () => {
  it("is an error when a LoadBalancer Service in another file routes to the server's port", async () => {
    const findings = await run({ 'k8s/deploy.yaml': deployment, 'k8s/service.yaml': service('LoadBalancer', 'llm', 8000) }, 'deploy.yaml');
    expect(findings.map((f) => [f.severity, f.related])).toEqual([
      [
        'error',
        [
          {
            span: { start: 65, end: 77 },
            message: 'exposed: Service "llm" (LoadBalancer) routes port 8000 to it from outside the cluster',
            uri: '/work/k8s/service.yaml',
          },
        ],
      ],
    ]);
  });

  it('is an error when an Ingress routes to a ClusterIP Service of the server', async () => {
    const findings = await run(
      { 'k8s/deploy.yaml': deployment, 'k8s/service.yaml': service('ClusterIP', 'llm', 8000), 'k8s/ingress.yaml': ingress },
      'deploy.yaml',
    );
    expect(findings.map((f) => [f.severity, f.related?.[0].message, f.related?.[0].uri])).toEqual([
      ['error', 'exposed: Ingress "chat" (through Service "llm") routes port 8000 to it from outside the cluster', '/work/k8s/ingress.yaml'],
    ]);
  });

  it('is not reported for a Service of other pods, of another port, or in another folder', async () => {
    const layouts: Record<string, string>[] = [
      { 'k8s/deploy.yaml': deployment, 'k8s/service.yaml': service('LoadBalancer', 'web', 8000) },
      { 'k8s/deploy.yaml': deployment, 'k8s/service.yaml': service('NodePort', 'llm', 9090) },
      { 'k8s/deploy.yaml': deployment, 'other/service.yaml': service('LoadBalancer', 'llm', 8000) },
    ];
    for (const files of layouts) {
      const findings = await run(files, 'deploy.yaml');
      expect(findings.map((f) => [f.severity, f.related])).toEqual([]);
    }
  });

  it("reads a chart's Service type through values.yaml", async () => {
    const template = `apiVersion: v1
kind: Service
metadata:
  name: {{ include "llm.fullname" . }}
spec:
  type: {{ .Values.service.type }}
  ports:
    - port: 8000
  selector:
    {{- include "llm.selectorLabels" . | nindent 4 }}
`;
    const workload = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "llm.fullname" . }}
spec:
  template:
    metadata:
      labels:
        {{- include "llm.selectorLabels" . | nindent 8 }}
    spec:
      containers:
        - name: vllm
          image: "vllm/vllm-openai:{{ .Values.image.tag }}"
          args: ["--model", "org/model"]
`;
    const chart = (type: string) => ({
      'llm/Chart.yaml': 'apiVersion: v2\nname: llm\nversion: 0.1.0\n',
      'llm/values.yaml': `image:\n  tag: v0.6.3\nservice:\n  type: ${type}\n`,
      'llm/templates/service.yaml': template,
      'llm/templates/deployment.yaml': workload,
    });
    const exposed = await run(chart('LoadBalancer'), 'deployment.yaml');
    expect(exposed.map((f) => [f.severity, f.related?.[0].message])).toEqual([
      ['error', 'exposed: a Service (LoadBalancer) routes port 8000 to it from outside the cluster'],
    ]);
    expect((await run(chart('ClusterIP'), 'deployment.yaml')).map((f) => f.severity)).toEqual([]);
  });

  it("is an error when a security group of the module, in another file, opens the server's port to the world", async () => {
    const instance = 'resource "aws_instance" "llm" {\n  ami       = "ami-0abcdef1234567890"\n  user_data = "vllm serve org/model --port 8000"\n}\n';
    const group = (port: number) =>
      `resource "aws_security_group" "llm" {\n  ingress {\n    from_port   = ${port}\n    to_port     = ${port}\n    protocol    = "tcp"\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n}\n`;
    const exposed = await run({ 'tf/main.tf': instance, 'tf/sg.tf': group(8000) }, 'main.tf');
    expect(exposed.map((f) => [f.severity, f.related?.[0].message, f.related?.[0].uri])).toEqual([
      ['error', 'exposed: aws_security_group.llm lets the whole internet in on port 8000', '/work/tf/sg.tf'],
    ]);
    expect((await run({ 'tf/main.tf': instance, 'tf/sg.tf': group(22) }, 'main.tf')).map((f) => f.severity)).toEqual(['warning']);
  });

  it("reads what a Compose service's built image starts: the built stage's CMD and ENV, not its RUNs, unless the service sets its own command", async () => {
    const dockerfile = `FROM python:3.12-slim AS base
RUN pip install mlflow==2.17.0 && mlflow server --host 0.0.0.0 --help
FROM base AS serve
ENV OLLAMA_HOST=0.0.0.0
CMD ["mlflow", "server", "--host", "0.0.0.0", "--port", "5000"]
`;
    const compose = `services:
  tracking:
    build: { context: ./tracking, target: serve }
    ports: ["5000:5000"]
  base-only:
    build: { context: ./tracking, target: base }
    ports: ["5000:5000"]
  own-command:
    build: ./tracking
    command: ["python", "worker.py"]
    ports: ["5000:5000"]
  host:
    build: ./tracking
    network_mode: host
`;
    const findings = await run({ 'compose.yaml': compose, 'tracking/Dockerfile': dockerfile }, 'compose.yaml');
    expect(findings.map((f) => [f.severity, f.span.start, f.message, f.related?.map((r) => r.message)])).toEqual([
      [
        'error',
        compose.indexOf('build'),
        'MLflow tracking server is bound to every interface (--host=0.0.0.0) in the image built from tracking/Dockerfile: the tracking server has no authentication, so anyone who reaches it reads and overwrites experiments, artifacts and registered models',
        ['the image starts MLflow tracking server here', 'exposed: service "tracking" publishes it as "5000:5000" on every host interface'],
      ],
      [
        'error',
        compose.lastIndexOf('build'),
        '2 servers in the image built from tracking/Dockerfile are exposed: Ollama is bound to every interface (OLLAMA_HOST=0.0.0.0); MLflow tracking server is bound to every interface (--host=0.0.0.0)',
        [
          'the image starts Ollama here',
          'the image starts MLflow tracking server here',
          'exposed: service "host" shares the host\'s network, so it listens on every interface of the host',
        ],
      ],
    ]);
  });
});
