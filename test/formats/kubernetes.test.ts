import { describe, expect, it } from 'vitest';
import { containers, kubernetesDialect, podSpecs } from '../../core/formats/kubernetes/resources';
import { parseJsonDocument } from '../../core/parsers/json';
import { parseYamlDocuments } from '../../core/parsers/yaml';
import type { MapNode, Node, ParsedFile, ScalarNode, Span } from '../../core/model';
import { at, get, str } from '../../core/nodes';
import { LineIndex } from '../../core/text';
import { parseFileSync } from '../../core/formats';

const lines = (...ls: string[]) => `${ls.join('\n')}\n`;

const MANIFESTS = lines(
  /*  0 */ '# app manifests',
  /*  1 */ 'apiVersion: apps/v1',
  /*  2 */ 'kind: Deployment',
  /*  3 */ 'metadata:',
  /*  4 */ '  name: web',
  /*  5 */ '  labels: &labels',
  /*  6 */ '    app: web',
  /*  7 */ 'spec:',
  /*  8 */ '  replicas: 2',
  /*  9 */ '  selector:',
  /* 10 */ '    matchLabels: *labels',
  /* 11 */ '  template:',
  /* 12 */ '    metadata:',
  /* 13 */ '      labels: *labels',
  /* 14 */ '    spec:',
  /* 15 */ '      initContainers:',
  /* 16 */ '        - name: migrate',
  /* 17 */ '          image: "registry.example.com/migrate:latest"',
  /* 18 */ '      containers:',
  /* 19 */ '        - &web',
  /* 20 */ '          name: web',
  /* 21 */ '          image: nginx:1.27 # pinned',
  /* 22 */ '          env:',
  /* 23 */ '            - name: PASSWORD',
  /* 24 */ "              value: 'hunter2'",
  /* 25 */ '            - name: TOKEN',
  /* 26 */ '              valueFrom: {secretKeyRef: {name: s, key: token}}',
  /* 27 */ '          securityContext:',
  /* 28 */ '            privileged: false',
  /* 29 */ '        - <<: *web',
  /* 30 */ '          name: sidecar',
  /* 31 */ '---',
  /* 32 */ '---',
  /* 33 */ 'apiVersion: batch/v1',
  /* 34 */ 'kind: CronJob',
  /* 35 */ 'metadata: {name: nightly}',
  /* 36 */ 'spec:',
  /* 37 */ '  schedule: "0 3 * * *"',
  /* 38 */ '  jobTemplate:',
  /* 39 */ '    spec:',
  /* 40 */ '      template:',
  /* 41 */ '        spec:',
  /* 42 */ '          containers:',
  /* 43 */ '            - name: job',
  /* 44 */ '              image: busybox',
  /* 45 */ '              command:',
  /* 46 */ '                - sh',
  /* 47 */ '                - -c',
  /* 48 */ '                - |',
  /* 49 */ '                  echo start',
  /* 50 */ '                  curl -H "Authorization: Bearer $TOKEN" https://x',
  /* 51 */ '          restartPolicy: OnFailure',
  /* 52 */ '---',
  /* 53 */ 'apiVersion: v1',
  /* 54 */ 'kind: List',
  /* 55 */ 'items:',
  /* 56 */ '  - apiVersion: v1',
  /* 57 */ '    kind: Pod',
  /* 58 */ '    metadata:',
  /* 59 */ '      name: debug',
  /* 60 */ '    spec:',
  /* 61 */ '      ephemeralContainers:',
  /* 62 */ '        - name: shell',
  /* 63 */ '          image: busybox',
  /* 64 */ '      containers:',
  /* 65 */ '        - name: main',
  /* 66 */ '          image: alpine',
  /* 67 */ '  - apiVersion: v1',
  /* 68 */ '    kind: ConfigMap',
  /* 69 */ '    metadata:',
  /* 70 */ '      name: settings',
  /* 71 */ '    data:',
  /* 72 */ '      debug: "true"',
  /* 73 */ '      retries: 3',
  /* 74 */ '---',
  /* 75 */ 'apiVersion: v1',
  /* 76 */ 'kind: Service',
  /* 77 */ 'metadata:',
  /* 78 */ '  name: web',
  /* 79 */ 'spec:',
  /* 80 */ '  type: LoadBalancer',
  /* 81 */ '  ports: [{port: 80, targetPort: 8080}]',
);

const file = parseYamlDocuments('app.yaml', MANIFESTS, kubernetesDialect);
const index = new LineIndex(MANIFESTS);
const pos = (offset: number) => index.position(offset);
const src = (span: Span, text = MANIFESTS) => text.slice(span.start, span.end);
const byName = (f: ParsedFile, type: string, name: string) => f.resources.find((r) => r.type === type && r.name === name)!;

describe('Kubernetes YAML', () => {
  it('one resource per object, List items expanded, empty documents skipped', () => {
    expect(file.problems).toEqual([]);
    expect(file.roots).toHaveLength(4);
    expect(file.resources.map((r) => [r.type, r.name, r.document])).toEqual([
      ['Deployment', 'web', 0],
      ['CronJob', 'nightly', 1],
      ['Pod', 'debug', 2],
      ['ConfigMap', 'settings', 2],
      ['Service', 'web', 3],
    ]);
    expect(file.resources.every((r) => r.kind === 'object')).toBe(true);
  });

  it('positions: span is the object, nameSpan the kind value', () => {
    const deploy = byName(file, 'Deployment', 'web');
    expect(pos(deploy.span.start)).toEqual({ line: 1, character: 0 });
    expect(pos(deploy.span.end)).toEqual({ line: 30, character: 23 });
    expect(pos(deploy.nameSpan.start)).toEqual({ line: 2, character: 6 });
    expect(src(deploy.nameSpan)).toBe('Deployment');
    expect(deploy.body).toBe(file.roots[0]);

    const cron = byName(file, 'CronJob', 'nightly');
    expect(pos(cron.span.start)).toEqual({ line: 33, character: 0 });
    expect(pos(cron.nameSpan.start)).toEqual({ line: 34, character: 6 });

    const pod = byName(file, 'Pod', 'debug');
    expect(pos(pod.span.start)).toEqual({ line: 56, character: 4 });
    expect(pos(pod.span.end)).toEqual({ line: 66, character: 23 });
    expect(pos(pod.nameSpan.start)).toEqual({ line: 57, character: 10 });
    const svc = byName(file, 'Service', 'web');
    expect(pos(svc.span.end)).toEqual({ line: 81, character: 39 });
  });

  it('quoted, plain and block scalars', () => {
    const deploy = byName(file, 'Deployment', 'web');
    const image = at(deploy.body, 'spec', 'template', 'spec', 'initContainers', 0, 'image') as ScalarNode;
    expect(image.value).toBe('registry.example.com/migrate:latest');
    expect(src(image.span)).toBe('"registry.example.com/migrate:latest"');
    expect(pos(image.contentSpan!.start)).toEqual({ line: 17, character: 18 });

    const plain = at(deploy.body, 'spec', 'template', 'spec', 'containers', 0, 'image') as ScalarNode;
    expect(src(plain.span)).toBe('nginx:1.27');
    expect(plain.contentSpan).toEqual(plain.span);
    expect(pos(plain.span.start)).toEqual({ line: 21, character: 17 });

    const password = at(deploy.body, 'spec', 'template', 'spec', 'containers', 0, 'env', 0, 'value') as ScalarNode;
    expect(password.value).toBe('hunter2');
    expect(src(password.contentSpan!)).toBe('hunter2');
    expect(password.path).toEqual(['spec', 'template', 'spec', 'containers', 0, 'env', 0, 'value']);

    const script = at(byName(file, 'CronJob', 'nightly').body, 'spec', 'jobTemplate', 'spec', 'template', 'spec', 'containers', 0, 'command', 2) as ScalarNode;
    expect(script.value).toBe('echo start\ncurl -H "Authorization: Bearer $TOKEN" https://x\n');
    expect(pos(script.span.start)).toEqual({ line: 48, character: 18 });
    expect(pos(script.contentSpan!.start)).toEqual({ line: 49, character: 18 });
    expect(pos(script.contentSpan!.end)).toEqual({ line: 50, character: 66 });

    const data = at(byName(file, 'ConfigMap', 'settings').body, 'data') as MapNode;
    expect(get(data, 'debug')).toMatchObject({ value: 'true' });
    expect(get(data, 'retries')).toMatchObject({ value: 3 });
    expect(at(byName(file, 'Deployment', 'web').body, 'spec', 'replicas')).toMatchObject({ value: 2 });
    expect(at(byName(file, 'Service', 'web').body, 'spec', 'ports', 0, 'port')).toMatchObject({ value: 80 });
  });

  it('paths inside List items are relative to the item', () => {
    const pod = byName(file, 'Pod', 'debug');
    expect(pod.body.path).toEqual([]);
    expect(at(pod.body, 'spec', 'containers', 0, 'image')?.path).toEqual(['spec', 'containers', 0, 'image']);
  });

  it('podSpecs finds the pod spec per kind', () => {
    const paths = file.resources.map((r) => podSpecs(r).map((p) => p.path.join('.')));
    expect(paths).toEqual([['spec.template.spec'], ['spec.jobTemplate.spec.template.spec'], ['spec'], [], []]);
    const cron = podSpecs(byName(file, 'CronJob', 'nightly'))[0];
    expect(get(cron.spec, 'restartPolicy')).toMatchObject({ value: 'OnFailure' });
  });

  it('containers lists regular, init and ephemeral containers', () => {
    const list = file.resources.flatMap((r) => containers(r).map((c) => [r.name, c.group, c.index, str(get(c.container, 'name'))]));
    expect(list).toEqual([
      ['web', 'containers', 0, 'web'],
      ['web', 'containers', 1, 'sidecar'],
      ['web', 'initContainers', 0, 'migrate'],
      ['nightly', 'containers', 0, 'job'],
      ['debug', 'containers', 0, 'main'],
      ['debug', 'ephemeralContainers', 0, 'shell'],
    ]);
  });

  it('resolves aliases and merge keys, with paths at the use site and spans at the anchor', () => {
    const deploy = byName(file, 'Deployment', 'web');
    const match = at(deploy.body, 'spec', 'selector', 'matchLabels') as MapNode;
    expect(match.kind).toBe('map');
    expect(get(match, 'app')).toMatchObject({ value: 'web', path: ['spec', 'selector', 'matchLabels', 'app'] });
    expect(pos(get(match, 'app')!.span.start)).toEqual({ line: 6, character: 9 });

    const sidecar = containers(deploy).find((c) => str(get(c.container, 'name')) === 'sidecar')!;
    expect(sidecar.container.entries.map((e) => e.key)).toEqual(['name', 'image', 'env', 'securityContext']);
    expect(get(sidecar.container, 'image')).toMatchObject({ value: 'nginx:1.27', path: ['spec', 'template', 'spec', 'containers', 1, 'image'] });
    const secretRef = at(sidecar.container, 'env', 1, 'valueFrom', 'secretKeyRef', 'key');
    expect(secretRef).toMatchObject({ value: 'token' });
  });

  it('comments from every document, with positions', () => {
    expect(file.comments.map((c) => [pos(c.span.start), c.text])).toEqual([
      [{ line: 0, character: 0 }, ' app manifests'],
      [{ line: 21, character: 28 }, ' pinned'],
    ]);
  });
});

describe('Kubernetes JSON', () => {
  const DEPLOYMENT_YAML = lines(
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: api',
    'spec:',
    '  template:',
    '    spec:',
    '      containers:',
    '        - name: api',
    '          image: api:1.0',
    '          ports: [{containerPort: 8080}]',
    '          securityContext: {privileged: true, runAsUser: null}',
  );
  const DEPLOYMENT_JSON = JSON.stringify(
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'api' },
      spec: {
        template: {
          spec: {
            containers: [{ name: 'api', image: 'api:1.0', ports: [{ containerPort: 8080 }], securityContext: { privileged: true, runAsUser: null } }],
          },
        },
      },
    },
    null,
    2,
  );

  function shape(n: Node): unknown {
    switch (n.kind) {
      case 'scalar':
        return { path: n.path, value: n.value };
      case 'list':
        return { path: n.path, items: n.items.map(shape) };
      case 'map':
        return { path: n.path, entries: n.entries.map((e) => [e.key, shape(e.value)]) };
      default:
        return { path: n.path, text: n.text };
    }
  }

  it('a JSON manifest gives the same model as its YAML', () => {
    const j = parseJsonDocument('d.json', DEPLOYMENT_JSON, kubernetesDialect);
    const y = parseYamlDocuments('d.yaml', DEPLOYMENT_YAML, kubernetesDialect);
    expect(j.problems).toEqual([]);
    const summary = (f: ParsedFile) =>
      f.resources.map((r) => ({
        type: r.type,
        name: r.name,
        document: r.document,
        body: shape(r.body),
        containers: containers(r).map((c) => shape(c.container)),
      }));
    expect(summary(j)).toEqual(summary(y));
    expect(j.resources).toHaveLength(1);
    const idx = new LineIndex(DEPLOYMENT_JSON);
    expect(idx.position(j.resources[0].nameSpan.start)).toEqual({ line: 2, character: 10 });
    expect(src(j.resources[0].nameSpan, DEPLOYMENT_JSON)).toBe('"Deployment"');
  });

  it('a JSON List gives one resource per item', () => {
    const list = JSON.stringify({
      apiVersion: 'v1',
      kind: 'List',
      items: [
        { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a' }, spec: { containers: [{ name: 'c', image: 'x' }] } },
        { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'b' }, stringData: { password: 'p' } },
        'not an object',
      ],
    });
    const f = parseJsonDocument('l.json', list, kubernetesDialect);
    expect(f.resources.map((r) => [r.type, r.name, r.document])).toEqual([
      ['Pod', 'a', 0],
      ['Secret', 'b', 0],
    ]);
    expect(containers(f.resources[0]).map((c) => c.group)).toEqual(['containers']);
    expect(at(f.resources[0].body, 'spec', 'containers', 0, 'image')?.path).toEqual(['spec', 'containers', 0, 'image']);
  });
});

describe('plain YAML (text format)', () => {
  it("fills roots and comments, no resources; other tools' tags are not problems", () => {
    const compose = lines(
      '# docker-compose',
      'x-env: &env',
      '  POSTGRES_PASSWORD: example # not a real one',
      'services:',
      '  db:',
      '    image: postgres:16',
      '    environment: *env',
      '  job:',
      '    script: !reference [.setup, script]',
    );
    const f = parseYamlDocuments('docker-compose.yml', compose, 'text');
    expect(f.format).toBe('text');
    expect(f.resources).toEqual([]);
    expect(f.problems).toEqual([]);
    expect(f.roots).toHaveLength(1);
    expect(at(f.roots[0], 'services', 'db', 'environment', 'POSTGRES_PASSWORD')).toMatchObject({
      value: 'example',
      path: ['services', 'db', 'environment', 'POSTGRES_PASSWORD'],
    });
    expect(at(f.roots[0], 'services', 'job', 'script', 1)).toMatchObject({ value: 'script' });
    expect(f.comments.map((c) => c.text)).toEqual([' docker-compose', ' not a real one']);
  });
});

describe('Kubernetes broken input', () => {
  it('bad indentation: problem on the line, the object still found', () => {
    const text = lines('apiVersion: v1', 'kind: Pod', 'metadata:', '    name: p', '  labels: {}', 'spec:', '  containers: []');
    const f = parseYamlDocuments('p.yaml', text, kubernetesDialect);
    expect(f.problems.length).toBeGreaterThan(0);
    expect(f.problems[0].message).toMatch(/^YAML: /);
    expect(new LineIndex(text).position(f.problems[0].span.start)).toEqual({ line: 4, character: 0 });
    expect(f.resources.map((r) => [r.type, r.name])).toEqual([['Pod', 'p']]);
  });

  it('unterminated quoted string swallows the rest of the stream but keeps the object', () => {
    const text = lines(
      'apiVersion: v1',
      'kind: Secret',
      'metadata:',
      '  name: s',
      'stringData:',
      '  password: "hunter2',
      '---',
      'apiVersion: v1',
      'kind: ConfigMap',
    );
    const f = parseYamlDocuments('s.yaml', text, kubernetesDialect);
    expect(f.problems.map((p) => p.message)).toEqual(['YAML: Missing closing "quote']);
    expect(new LineIndex(text).position(f.problems[0].span.start)).toEqual({ line: 9, character: 0 });
    expect(f.resources.map((r) => [r.type, r.name])).toEqual([['Secret', 's']]);
  });

  it('a broken document does not hide the next one', () => {
    const text = lines('apiVersion: v1', 'kind: Pod', 'metadata: {name: a', '---', 'apiVersion: v1', 'kind: Pod', 'metadata: {name: b}');
    const f = parseYamlDocuments('p.yaml', text, kubernetesDialect);
    expect(f.problems.length).toBeGreaterThan(0);
    expect(f.resources.map((r) => r.name)).toContain('b');
  });

  it('tabs as indentation', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n\tname: p\n';
    const f = parseYamlDocuments('p.yaml', text, kubernetesDialect);
    expect(f.problems.map((p) => p.message)).toContain('YAML: Tabs are not allowed as indentation');
    expect(new LineIndex(text).position(f.problems[0].span.start)).toEqual({ line: 3, character: 0 });
    expect(f.resources.map((r) => r.type)).toEqual(['Pod']);
  });

  it('truncated JSON keeps what was read', () => {
    const text = '{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": [{"name": "c", "ima';
    const f = parseJsonDocument('p.json', text, kubernetesDialect);
    expect(f.problems.length).toBeGreaterThan(0);
    expect(f.problems[0].message).toBe('JSON: unexpected end of string');
    expect(f.resources.map((r) => [r.type, r.name])).toEqual([['Pod', 'p']]);
    expect(containers(f.resources[0]).map((c) => str(get(c.container, 'name')))).toEqual(['c']);
    expect(f.resources[0].span.end).toBe(text.length);
  });

  it('binary garbage, control characters and empty input never throw', () => {
    const inputs = ['', '\n\n', '---\n---\n', '\u0000\u0001\u0002\u00ff', '\ufffd\u0007: [\u0000{', 'kind: "\u0000', '- - - - [ { ] }'];
    for (const text of inputs) {
      const y = parseYamlDocuments('g.yaml', text, kubernetesDialect);
      const j = parseJsonDocument('g.json', text, kubernetesDialect);
      for (const f of [y, j]) {
        expect(Array.isArray(f.problems)).toBe(true);
        for (const p of f.problems) {
          expect(p.span.start).toBeGreaterThanOrEqual(0);
          expect(p.span.end).toBeLessThanOrEqual(text.length);
        }
      }
    }
    expect(parseYamlDocuments('e.yaml', '', kubernetesDialect)).toMatchObject({ roots: [], resources: [], problems: [] });
    expect(parseYamlDocuments('e.yaml', '---\n---\n', kubernetesDialect).roots).toEqual([]);
    expect(parseJsonDocument('g.json', '\u0000\u0001{', kubernetesDialect).problems[0]).toMatchObject({ message: 'JSON: invalid symbol', span: { start: 0 } });
  });

  it('CRLF line breaks and a byte-order mark', () => {
    const text = '\ufeffapiVersion: v1\r\nkind: Pod # c\r\nmetadata:\r\n  name: "p"\r\n  annotations:\r\n    x: |\r\n      hello\r\n      world\r\n';
    const y = parseYamlDocuments('p.yaml', text, kubernetesDialect);
    expect(y.problems).toEqual([]);
    expect(y.comments.map((c) => c.text)).toEqual([' c']);
    expect(y.resources.map((r) => [r.type, r.name])).toEqual([['Pod', 'p']]);
    const note = at(y.resources[0].body, 'metadata', 'annotations', 'x') as ScalarNode;
    expect(note.value).toBe('hello\nworld\n');
    expect(new LineIndex(text).position(note.contentSpan!.end)).toEqual({ line: 7, character: 11 });
    const j = parseJsonDocument('p.json', '\ufeff{"apiVersion": "v1", "kind": "Pod"}', kubernetesDialect);
    expect(j.problems).toEqual([]);
    expect(j.resources).toHaveLength(1);
  });

  it('recursive aliases and alias bombs terminate', () => {
    const cyclic = 'apiVersion: v1\nkind: ConfigMap\ndata: &d\n  self: *d\n';
    expect(() => parseYamlDocuments('c.yaml', cyclic, kubernetesDialect)).not.toThrow();
    const rows = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++)
      rows.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(', ')}]`,
      );
    const started = Date.now();
    const bomb = parseYamlDocuments('b.yaml', `${rows.join('\n')}\n`, 'text');
    expect(Date.now() - started).toBeLessThan(5000);
    expect(bomb.roots).toHaveLength(1);
  });

  it('an undefined alias is a problem, not a crash', () => {
    const f = parseYamlDocuments('u.yaml', 'apiVersion: v1\nkind: Pod\nspec: *nope\n', kubernetesDialect);
    expect(f.problems.some((p) => p.message.startsWith('YAML: Unresolved alias'))).toBe(true);
    expect(f.resources).toHaveLength(1);
  });
});

describe('parse problems never quote the source', () => {
  it('drops the offending text from messages: it may be a secret, and the span already points at it', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\ndata:\n  a: b\n---\n- x\nfoo: bar Hunter2-secret-value\n';
    const file = parseYamlDocuments('/k/cm.yaml', text, kubernetesDialect);
    const messages = file.problems.map((p) => p.message);
    expect(messages).toContain('YAML: Unexpected scalar token in YAML stream');
    expect(messages.filter((m) => m.includes('Hunter2'))).toEqual([]);
    const p = file.problems.find((x) => x.message === 'YAML: Unexpected scalar token in YAML stream')!;
    expect(text.slice(p.span.start, p.span.end)).toBe('bar Hunter2-secret-value');
  });
});

describe('Kubernetes container scripts', () => {
  /** The scripts of a Pod whose containers are written by `containerLines`. */
  const scriptsOf = (...containerLines: string[]) => {
    const text = lines('apiVersion: v1', 'kind: Pod', 'metadata: { name: p }', 'spec:', '  containers:', ...containerLines);
    const file = parseFileSync('/k8s/pod.yaml', text, 'kubernetes');
    return (file.shellScripts ?? []).map((s) => text.slice(s.start, s.end));
  };

  it('reads the item after -c once a shell is named, in command and args, lifecycle hooks and exec probes', () => {
    const scripts = scriptsOf(
      '    - name: a',
      '      image: busybox:1.36',
      '      command: ["/bin/sh"]',
      '      args: ["-ec", "echo start && sleep 10"]',
      '      lifecycle:',
      '        postStart:',
      '          exec:',
      '            command: ["bash", "-c", "mysql -uroot < /seed.sql"]',
      '      livenessProbe:',
      '        exec:',
      '          command:',
      '            - sh',
      '            - -c',
      '            - |',
      '              test -f /tmp/ready',
    );
    expect(scripts).toEqual(['echo start && sleep 10', 'mysql -uroot < /seed.sql', 'test -f /tmp/ready']);
  });

  it('reads no script where no shell runs one: an argument vector, -c before the shell, a folded block, escapes', () => {
    const scripts = scriptsOf(
      '    - name: a',
      '      image: busybox:1.36',
      '      command: ["python", "-c", "print(1)"]',
      '    - name: b',
      '      image: busybox:1.36',
      '      command: ["sh", "-c", "echo \\"quoted\\""]',
      '    - name: c',
      '      image: busybox:1.36',
      '      command: [sh, -c]',
      '    - name: d',
      '      image: busybox:1.36',
      '      command: ["sh", "-c", >-',
      '        echo folded]',
    );
    expect(scripts).toEqual([]);
  });
});
