import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze, detectFormat, evaluate, isExpr, lineIndexOf, type ParsedFile, parseFile, Project, walk } from '../../core';
import { maskTemplate } from '../../core/formats/helm/mask';
import { RULES } from '../../rules';

/** A chart written the way `helm create` writes one (test/fixtures/helm/web), with four planted problems. */
const CHART = path.join(__dirname, '..', 'fixtures', 'helm', 'web');

function filesOf(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? filesOf(p) : [p];
  });
}

async function chart(): Promise<ParsedFile[]> {
  return Promise.all(filesOf(CHART).map((p) => parseFile(p, readFileSync(p, 'utf8'))));
}

function line(file: ParsedFile, offset: number): number {
  return lineIndexOf(file.text).position(offset).line + 1;
}

describe('Helm templates masked in place', () => {
  it('keeps every offset and line break; a value action becomes a same-width placeholder, control lines are blanked', () => {
    const text =
      'metadata:\n  name: {{ include "x.fullname" . }}\n  labels:\n    {{- include "x.labels" . | nindent 4 }}\n{{- if .Values.a }}\nkey: "{{ .Values.repo }}:v1"\n{{- end }}\n';
    const masked = maskTemplate(text);
    expect(masked.text.length).toBe(text.length);
    expect(masked.text.split('\n').map((l) => l.length)).toEqual(text.split('\n').map((l) => l.length));
    expect(masked.text).toContain(`  name: ${'_'.repeat('{{ include "x.fullname" . }}'.length)}\n`);
    expect(masked.text.split('\n')[3].trim()).toBe('');
    expect(masked.text.split('\n')[4].trim()).toBe('');
    expect(masked.values.map((v) => v.pipeline)).toEqual(['include "x.fullname" .', '.Values.repo']);
  });

  it('reads an action ending in nindent after a key as lines of a block, so the entries below it stay its own', async () => {
    // Bitnami's charts write `labels: {{- include ... | nindent 4 }}` and then more labels under it.
    const text =
      'apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: {{ template "common.names.fullname" . }}\n  labels: {{- include "common.labels.standard" ( dict "customLabels" .Values.commonLabels "context" $ ) | nindent 4 }}\n    app.kubernetes.io/component: keycloak\nspec:\n  replicas: {{ .Values.replicaCount }}\n';
    const masked = maskTemplate(text);
    expect(masked.text.split('\n')[4].trim()).toBe('labels:');
    expect(masked.values.map((v) => v.pipeline)).toEqual(['template "common.names.fullname" .', '.Values.replicaCount']);
    const file = await parseFile('/c/templates/sts.yaml', text);
    expect(file.problems).toEqual([]);
    expect(file.resources.map((r) => r.type)).toEqual(['StatefulSet']);
  });

  it('reads only the first branch of an if/else and none of a define', () => {
    const text = '{{- define "x" }}\nnot: [yaml\n{{- end }}\n{{- if .Values.a }}\ntype: A\n{{- else }}\ntype: B\n{{- end }}\n';
    const masked = maskTemplate(text);
    expect(masked.text).not.toContain('yaml');
    expect(masked.text).toContain('type: A');
    expect(masked.text).not.toContain('type: B');
  });

  it('gives one problem for a template that is broken YAML after masking, and one for an unclosed action', async () => {
    const broken = await parseFile(
      '/c/templates/a.yaml',
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Release.Name }}\n  labels: [a, b\n  x: : y\nspec: {\n',
    );
    expect(broken.format).toBe('helm');
    expect(broken.problems).toHaveLength(1);
    const unclosed = await parseFile('/c/templates/b.yaml', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Release.Name\n');
    expect(unclosed.problems).toEqual([{ span: { start: 43, end: 45 }, message: 'Helm template: an action opened with {{ is never closed' }]);
  });

  it('takes hostile templates without a crash: unbalanced control actions, unclosed comments and strings, deep nesting', async () => {
    const texts = [
      `kind: Pod\n${'{{- if .Values.a }}\n'.repeat(5000)}metadata:\n  name: x\n`,
      `kind: Pod\n${'{{- end }}\n'.repeat(5000)}metadata:\n  name: {{ .Release.Name }}\n`,
      'kind: Pod\nmetadata:\n  name: {{/* never closed\n',
      'kind: Pod\nmetadata:\n  name: {{ printf "}} .Values.x\n',
      `kind: Pod\nspec: ${'['.repeat(3000)}{{ .Values.x }}${']'.repeat(3000)}\n`,
      '{{ printf `raw string never closed\nkind: Pod\n',
    ];
    for (const text of texts) {
      const file = await parseFile('/c/templates/x.yaml', text);
      expect(file.format).toBe('helm');
      expect(file.problems.length).toBeLessThanOrEqual(1);
    }
  });

  it('stays linear on a long template', () => {
    const block = '  - name: {{ .Values.name | quote }}\n    {{- if .Values.x }}\n    value: "{{ .Values.v }}"\n    {{- end }}\n';
    const time = (n: number) => {
      const text = `items:\n${block.repeat(n)}`;
      const t0 = performance.now();
      for (let i = 0; i < 3; i++) maskTemplate(text);
      return performance.now() - t0;
    };
    time(2000);
    expect(time(8000) / time(2000)).toBeLessThan(12);
  });
});

describe('a chart as helm create writes it', () => {
  it('is read as Helm (NOTES.txt as text) with no parse problem', async () => {
    const files = await chart();
    for (const f of files) {
      expect(f.format, f.uri).toBe(f.uri.endsWith('.txt') ? 'text' : 'helm');
      expect(f.problems, f.uri).toEqual([]);
    }
  });

  it('resolves .Values from values.yaml and .Chart from Chart.yaml, with where each value is written', async () => {
    const files = await chart();
    const project = new Project(files);
    const deployment = files.find((f) => f.uri.endsWith('deployment.yaml'))!;
    const image = [...walk(deployment.roots[0])].find((v) => v.entry?.key === 'image' && isExpr(v.node))!.node;
    const e = evaluate(image, { file: deployment, project });
    expect(e.unresolved).toEqual([]);
    expect(e.values.map((v) => (v.kind === 'scalar' ? v.value : v.kind))).toEqual(['nginx:latest']);
  });

  it('gives exactly one finding per planted problem, at its line, and honours a template-comment suppression', async () => {
    const files = await chart();
    const project = new Project(files);
    const found: string[] = [];
    let suppressed = 0;
    for (const file of files) {
      const analysis = await analyze(file, { rules: RULES, project });
      suppressed += analysis.suppressed;
      for (const f of analysis.findings) {
        const related = (f.related ?? []).map(
          (r) => `${path.basename(r.uri ?? file.uri)}:${line(files.find((x) => x.uri === (r.uri ?? file.uri))!, r.span.start)} ${r.message}`,
        );
        found.push([`${path.relative(CHART, file.uri)}:${line(file, f.span.start)}`, f.ruleId, ...related].join(' | '));
      }
    }
    expect(found.sort()).toEqual([
      'templates/deployment.yaml:37 | pin/image-unpinned | values.yaml:5 through values.yaml: image.repository = nginx | values.yaml:7 through values.yaml: image.tag = latest',
      'templates/deployment.yaml:41 | secret/hardcoded-password',
      'templates/deployment.yaml:43 | secret/hardcoded-password | values.yaml:27 through values.yaml: smtp.login = Lr…4T',
      'templates/deployment.yaml:59 | pin/image-unpinned',
      'values.yaml:7 | pin/image-unpinned',
    ]);
    expect(suppressed).toBe(1);
  });

  it('reads a values file whose strings hold actions (rendered with tpl) as values, not as a template', async () => {
    const values = await parseFile('/c/values.yaml', 'fullnameOverride: "{{ .Release.Name }}-web"\nimage:\n  repository: nginx\n  tag: latest\n');
    expect(values.format).toBe('helm');
    expect(values.resources.map((r) => r.kind)).toEqual(['values']);
  });

  it('recognises an unsaved template by its actions, and leaves CloudFormation dynamic references alone', () => {
    expect(detectFormat('untitled:Untitled-1.yaml', 'kind: Pod\nmetadata:\n  name: {{ .Release.Name }}\n')).toBe('helm');
    expect(
      detectFormat(
        '/s/templates/db.yaml',
        'Resources:\n  Db:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      MasterUserPassword: "{{resolve:ssm:pw}}"\n',
      ),
    ).toBe('cloudformation');
  });
});

describe('a vector database chart', () => {
  it('reports the Service whose values.yaml type is LoadBalancer in front of Qdrant, at the template and at the values line', async () => {
    const service =
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ include "qdrant.fullname" . }}\nspec:\n  type: {{ .Values.service.type | default "ClusterIP" }}\n  selector:\n    {{- include "qdrant.selectorLabels" . | nindent 4 }}\n';
    const statefulSet =
      'apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: {{ include "qdrant.fullname" . }}\nspec:\n  template:\n    metadata:\n      labels:\n        {{- include "qdrant.selectorLabels" . | nindent 8 }}\n    spec:\n      containers:\n        - name: qdrant\n          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"\n';
    const values = 'image:\n  repository: docker.io/qdrant/qdrant\n  tag: v1.9.2\nservice:\n  type: LoadBalancer\n';
    const files = await Promise.all([
      parseFile('/q/templates/service.yaml', service),
      parseFile('/q/templates/statefulset.yaml', statefulSet),
      parseFile('/q/values.yaml', values),
      parseFile('/q/Chart.yaml', 'apiVersion: v2\nname: qdrant\nversion: 1.9.2\n'),
    ]);
    const project = new Project(files);
    const { findings } = await analyze(files[0], { rules: RULES, project });
    expect(findings.map((f) => [f.ruleId, service.slice(f.span.start, f.span.end)])).toEqual([
      ['storage/vector-db-exposed', '{{ .Values.service.type | default "ClusterIP" }}'],
    ]);
    expect(findings[0].related?.map((r) => [r.uri, r.message])).toEqual([
      ['/q/values.yaml', 'through values.yaml: service.type = LoadBalancer'],
      ['/q/templates/statefulset.yaml', 'the qdrant container'],
    ]);
    // A scan reports it once, at the template; in the editor values.yaml gets it too, on the line that decides
    // it, while the template is not open.
    expect((await analyze(files[2], { rules: RULES, project })).findings).toEqual([]);
    const inValues = (await analyze(files[2], { rules: RULES, project, unseenTemplates: () => true })).findings;
    expect(inValues.map((f) => [f.ruleId, values.slice(f.span.start, f.span.end)])).toEqual([['storage/vector-db-exposed', 'LoadBalancer']]);
    expect(inValues[0].related?.map((r) => [r.uri, r.message])).toEqual([
      ['/q/templates/service.yaml', 'the value is used in service.yaml'],
      ['/q/templates/statefulset.yaml', 'the qdrant container'],
    ]);
    files[2] = await parseFile('/q/values.yaml', values.replace('LoadBalancer', 'ClusterIP'));
    expect((await analyze(files[0], { rules: RULES, project: new Project(files) })).findings).toEqual([]);
  });

  it('follows an Ingress template to the Service and StatefulSet templates of the chart, and sees its NetworkPolicies', async () => {
    const service =
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ include "qdrant.fullname" . }}\nspec:\n  selector:\n    app.kubernetes.io/name: qdrant\n';
    const statefulSet =
      'apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: {{ include "qdrant.fullname" . }}\nspec:\n  template:\n    metadata:\n      labels:\n        app.kubernetes.io/name: qdrant\n    spec:\n      containers:\n        - name: qdrant\n          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"\n';
    const ingress =
      'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: {{ include "qdrant.fullname" . }}\nspec:\n  defaultBackend:\n    service:\n      name: {{ include "qdrant.fullname" . }}\n      port:\n        number: 6333\n';
    const policy =
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: {{ .Release.Name }}-api\nspec:\n  podSelector:\n    matchLabels:\n      app.kubernetes.io/name: api\n';
    const files = await Promise.all([
      parseFile('/q/templates/ingress.yaml', ingress),
      parseFile('/q/templates/statefulset.yaml', statefulSet),
      parseFile('/q/templates/service.yaml', service),
      parseFile('/q/templates/networkpolicy.yaml', policy),
      parseFile('/q/values.yaml', 'image:\n  repository: docker.io/qdrant/qdrant\n  tag: v1.9.2\n'),
      parseFile('/q/Chart.yaml', 'apiVersion: v2\nname: qdrant\nversion: 1.9.2\n'),
    ]);
    const project = new Project(files);
    const onIngress = (await analyze(files[0], { rules: RULES, project })).findings;
    expect(onIngress.map((f) => [f.ruleId, ingress.slice(f.span.start, f.span.end)])).toEqual([
      ['storage/vector-db-exposed', '{{ include "qdrant.fullname" . }}'],
    ]);
    expect(onIngress[0].related?.map((r) => [r.uri, r.message])).toEqual([
      ['/q/templates/service.yaml', 'the Service "{{ include "qdrant.fullname" . }}"'],
      ['/q/templates/statefulset.yaml', 'the qdrant container'],
    ]);
    const onStatefulSet = (await analyze(files[1], { rules: RULES.filter((r) => r.id === 'storage/vector-db-exposed'), project })).findings;
    expect(onStatefulSet.map((f) => [f.severity, f.related?.map((r) => r.uri)])).toEqual([['warning', [undefined, '/q/templates/networkpolicy.yaml']]]);
  });
});

describe('values reach every Kubernetes rule', () => {
  const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    spec:
      hostNetwork: {{ .Values.hostNetwork }}
      containers:
        - name: api
          image: "registry.example/api:{{ .Values.tag }}"
          env:
            - name: DB_PASSWORD
              value: {{ .Values.db.connection | quote }}
            - name: API_TOKEN
              value: "{{ .Values.token }}"
            - name: LOG_LEVEL
              value: {{ .Values.logLevel }}
            - name: HF_MODEL_ID
              value: {{ .Values.model | quote }}
`;
  const values = 'hostNetwork: true\ntag: latest\ndb:\n  connection: Pr0d-Xk92-Lq7w\ntoken: ""\nlogLevel: debug\nmodel: BAAI/bge-small-en-v1.5\n';

  async function chartOf(valuesText: string) {
    const files = await Promise.all([
      parseFile('/a/templates/deployment.yaml', deployment),
      parseFile('/a/values.yaml', valuesText),
      parseFile('/a/Chart.yaml', 'apiVersion: v2\nname: a\nversion: 0.1.0\n'),
    ]);
    return { files, project: new Project(files) };
  }

  const shown = (text: string, f: { span: { start: number; end: number } }) => text.slice(f.span.start, f.span.end);

  it('reports at the template line with the values line as related location, masking a secret', async () => {
    const { files, project } = await chartOf(values);
    const { findings } = await analyze(files[0], { rules: RULES, project });
    expect(findings.map((f) => [f.ruleId, shown(deployment, f), f.related?.map((r) => [r.uri, shown(values, r), r.message])])).toEqual([
      ['network/host-network', '{{ .Values.hostNetwork }}', [['/a/values.yaml', 'true', 'through values.yaml: hostNetwork = true']]],
      ['pin/image-unpinned', 'registry.example/api:{{ .Values.tag }}', [['/a/values.yaml', 'latest', 'through values.yaml: tag = latest']]],
      [
        'secret/hardcoded-password',
        '{{ .Values.db.connection | quote }}',
        [['/a/values.yaml', 'Pr0d-Xk92-Lq7w', 'through values.yaml: db.connection = Pr…7w']],
      ],
      [
        'pin/hf-unpinned-revision',
        '{{ .Values.model | quote }}',
        [['/a/values.yaml', 'BAAI/bge-small-en-v1.5', 'through values.yaml: model = BAAI/bge-small-en-v1.5']],
      ],
    ]);
    expect(findings[2].message).not.toContain('Pr0d-Xk92-Lq7w');
    // A scan reports each once at the template; values.yaml keeps only what its own lines say (`hostNetwork: true`,
    // which charts pass to their pod specs as it is).
    expect((await analyze(files[1], { rules: RULES, project })).findings.map((f) => [f.ruleId, shown(values, f)])).toEqual([['network/host-network', 'true']]);
  });

  it('reports nothing when the values are safe, and nothing for an empty or placeholder secret', async () => {
    const { files, project } = await chartOf('hostNetwork: false\ntag: 1.4.2\ndb:\n  connection: changeme\ntoken: ""\nmodel: ./weights\n');
    expect((await analyze(files[0], { rules: RULES, project })).findings).toEqual([]);
  });

  it('carries a closed template finding to the values line that decides it, with the template as related location', async () => {
    const { files, project } = await chartOf(values);
    const { findings } = await analyze(files[1], { rules: RULES, project, unseenTemplates: () => true });
    expect(findings.map((f) => [f.ruleId, shown(values, f), f.related?.map((r) => [r.uri, shown(deployment, r), r.message])])).toEqual([
      ['network/host-network', 'true', [['/a/templates/deployment.yaml', '{{ .Values.hostNetwork }}', 'the value is used in deployment.yaml']]],
      ['pin/image-unpinned', 'latest', [['/a/templates/deployment.yaml', 'registry.example/api:{{ .Values.tag }}', 'the value is used in deployment.yaml']]],
      [
        'secret/hardcoded-password',
        'Pr0d-Xk92-Lq7w',
        [['/a/templates/deployment.yaml', '{{ .Values.db.connection | quote }}', 'the value is used in deployment.yaml']],
      ],
      [
        'pin/hf-unpinned-revision',
        'BAAI/bge-small-en-v1.5',
        [['/a/templates/deployment.yaml', '{{ .Values.model | quote }}', 'the value is used in deployment.yaml']],
      ],
    ]);
    // Fixes edit the template and stay with its finding; the values line's own finding keeps its fix of that line.
    expect(findings.filter((f) => f.fixes?.length).map((f) => [f.ruleId, f.fixes?.[0].edits.map((e) => shown(values, e))])).toEqual([
      ['network/host-network', ['true']],
    ]);
  });
});
