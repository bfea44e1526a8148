/**
 * Servers and stores in a Helm chart whose templates take the image and the Service type from values.yaml and
 * write the selector and the pod labels with the same actions (`{{ .Release.Name }}`): the finding sits at the
 * template that runs the server or exposes the store.
 */
import { describe, expect, it } from 'vitest';
import { analyze, parseFile, Project, type Rule } from '../../core';
import { ruleById } from '../index';

const labels = (indent: number) =>
  ['app.kubernetes.io/name: {{ .Chart.Name }}', 'app.kubernetes.io/instance: {{ .Release.Name }}'].map((l) => `${' '.repeat(indent)}${l}`).join('\n');

const deployment = (image: string) =>
  [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: {{ .Release.Name }}',
    'spec:',
    '  selector:',
    '    matchLabels:',
    labels(6),
    '  template:',
    '    metadata:',
    '      labels:',
    labels(8),
    '    spec:',
    '      containers:',
    `        - name: server`,
    `          image: "${image}"`,
    '',
  ].join('\n');

const service = [
  'apiVersion: v1',
  'kind: Service',
  'metadata:',
  '  name: {{ .Release.Name }}',
  'spec:',
  '  type: {{ .Values.service.type }}',
  '  selector:',
  labels(4),
  '  ports:',
  '    - port: {{ .Values.service.port }}',
  '',
].join('\n');

async function run(ruleId: string, values: string, image: string) {
  const files = {
    'chart/Chart.yaml': 'apiVersion: v2\nname: server\nversion: 0.1.0\n',
    'chart/values.yaml': values,
    'chart/templates/deployment.yaml': deployment(image),
    'chart/templates/service.yaml': service,
  };
  const parsed = await Promise.all(Object.entries(files).map(([name, text]) => parseFile(`/repo/${name}`, text)));
  const rule = ruleById(ruleId) as Rule;
  const config = { rules: { [rule.id]: 'on' as const }, ignore: [], maxFileSize: 1e9 };
  const project = new Project(parsed);
  const out = [];
  for (const file of parsed) {
    const { findings } = await analyze(file, { rules: [rule], config, project, prefilter: true });
    out.push(...findings.map((f) => ({ file: file.uri.slice('/repo/chart/'.length), text: file.text.slice(f.span.start, f.span.end), f })));
  }
  return out;
}

const OLLAMA = 'image:\n  repository: ollama/ollama\n  tag: 0.3.12\n';
const QDRANT = 'image:\n  repository: qdrant/qdrant\n  tag: v1.12.1\n';

describe('servers and stores of a Helm chart, through values.yaml and templated labels', () => {
  it('reports an Ollama image rendered from values behind a NodePort Service, at the image action', async () => {
    const found = await run(
      'network/ai-service-exposed',
      `${OLLAMA}service:\n  type: NodePort\n  port: 11434\n`,
      '{{ .Values.image.repository }}:{{ .Values.image.tag }}',
    );
    expect(found.map((x) => [x.file, x.text, x.f.severity])).toEqual([
      ['templates/deployment.yaml', '{{ .Values.image.repository }}:{{ .Values.image.tag }}', 'error'],
    ]);
    expect(found[0].f.message).toContain('ollama/ollama:0.3.12');
    expect(found[0].f.related?.[0].uri).toBe('/repo/chart/templates/service.yaml');
  });

  it('reports nothing when values.yaml keeps the Service a ClusterIP', async () => {
    const found = await run(
      'network/ai-service-exposed',
      `${OLLAMA}service:\n  type: ClusterIP\n  port: 11434\n`,
      '{{ .Values.image.repository }}:{{ .Values.image.tag }}',
    );
    expect(found).toEqual([]);
  });

  it('matches the Service to the store whose pod labels are written by the same actions', async () => {
    const found = await run(
      'storage/vector-db-exposed',
      `${QDRANT}service:\n  type: LoadBalancer\n  port: 6333\n`,
      '{{ .Values.image.repository }}:{{ .Values.image.tag }}',
    );
    expect(found.map((x) => [x.file, x.text])).toEqual([['templates/service.yaml', '{{ .Values.service.type }}']]);
  });

  it('reports a database port that values.yaml puts on a LoadBalancer, at the port action', async () => {
    const found = await run(
      'network/open-ingress',
      'image:\n  repository: postgres\n  tag: 16.4\nservice:\n  type: LoadBalancer\n  port: 5432\n',
      'postgres:16.4',
    );
    expect(found.map((x) => [x.file, x.text, x.f.severity, x.f.message])).toEqual([
      [
        'templates/service.yaml',
        '{{ .Values.service.port }}',
        'error',
        'A Service puts PostgreSQL (port 5432) on the internet: no loadBalancerSourceRanges and no internal load balancer annotation',
      ],
    ]);
    expect(found[0].f.related?.map((r) => r.message)).toEqual(['type: LoadBalancer']);
  });

  it('reports no database port when values.yaml keeps the Service a ClusterIP', async () => {
    const found = await run('network/open-ingress', 'service:\n  type: ClusterIP\n  port: 5432\n', 'postgres:16.4');
    expect(found).toEqual([]);
  });
});
