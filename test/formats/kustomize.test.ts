import { describe, expect, it } from 'vitest';
import { analyze, detectFormat, layerResources, type ParsedFile, parseFileSync, Project } from '../../core';
import { RULES } from '../../rules';

const lines = (...ls: string[]) => `${ls.join('\n')}\n`;

const DEPLOYMENT = lines(
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata:',
  '  name: api',
  'spec:',
  '  template:',
  '    spec:',
  '      containers:',
  '        - name: api',
  '          image: ghcr.io/acme/api:1.4.2',
  '        - name: cache',
  '          image: redis',
  '        - name: proxy',
  '          image: envoyproxy/envoy:v1.31.0',
);

const BASE = lines('apiVersion: kustomize.config.k8s.io/v1beta1', 'kind: Kustomization', 'resources:', '  - deployment.yaml');

const PATCH = lines(
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata:',
  '  name: api',
  'spec:',
  '  template:',
  '    spec:',
  '      containers:',
  '        - name: proxy',
  '          image: envoyproxy/envoy',
);

const OVERLAY = lines(
  'apiVersion: kustomize.config.k8s.io/v1beta1',
  'kind: Kustomization',
  'resources:',
  '  - ../../base',
  '  - https://example.com/remote.yaml',
  'patches:',
  '  - path: proxy.yaml',
  'images:',
  '  - name: ghcr.io/acme/api',
  '    newTag: latest',
  '  - name: redis',
  '    newName: mirror.acme.internal/redis',
  '  - name: envoyproxy/envoy',
  '    newName: mirror.acme.internal/envoy',
);

function project(): { files: ParsedFile[]; project: Project } {
  const files = [
    parseFileSync('/repo/base/deployment.yaml', DEPLOYMENT),
    parseFileSync('/repo/base/kustomization.yaml', BASE),
    parseFileSync('/repo/overlays/prod/proxy.yaml', PATCH),
    parseFileSync('/repo/overlays/prod/kustomization.yaml', OVERLAY),
  ];
  return { files, project: new Project(files) };
}

describe('kustomize format', () => {
  it('is recognised by its name or its API group, before the Kubernetes reader', () => {
    expect(detectFormat('/o/kustomization.yaml', 'resources:\n  - a.yaml\n')).toBe('kustomize');
    expect(detectFormat('/o/kustomization.yml', '')).toBe('kustomize');
    expect(detectFormat('/o/component.yaml', 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n')).toBe('kustomize');
    expect(detectFormat('/o/deploy.yaml', 'apiVersion: apps/v1\nkind: Deployment\n')).toBe('kubernetes');
  });

  it('reads inline patches as manifests and JSON 6902 operations at their offsets in the file', () => {
    const text = lines(
      'kind: Kustomization',
      'patches:',
      '  - patch: |-',
      '      - op: replace',
      '        path: /spec/template/spec/containers/0/image',
      '        value: envoyproxy/envoy:latest',
      '  - patch: |',
      '      apiVersion: apps/v1',
      '      kind: Deployment',
      '      metadata: {name: api}',
      'patchesStrategicMerge:',
      '  - "apiVersion: v1\\nkind: Service\\nmetadata:\\n  name: api\\n"',
    );
    const file = parseFileSync('/o/kustomization.yaml', text);
    expect(file.problems).toEqual([]);
    const patches = file.resources.filter((r) => r.kind === 'patch');
    expect(patches.map((r) => [r.type, r.name])).toEqual([
      ['json6902', ''],
      ['Deployment', 'api'],
      ['Service', 'api'],
    ]);
    const value = patches[0].body.entries.find((e) => e.key === 'value')!.value;
    expect(text.slice(value.span.start, value.span.end)).toBe('envoyproxy/envoy:latest');
    // A quoted patch has escapes: its nodes carry the string's span.
    expect(text.slice(patches[2].span.start, patches[2].span.end)).toBe('apiVersion: v1\\nkind: Service\\nmetadata:\\n  name: api\\n');
  });

  it('reports a broken inline patch as a problem inside it', () => {
    const text = lines('patches:', '  - patch: |-', '      apiVersion: apps/v1', '      kind: [Deployment');
    const file = parseFileSync('/o/kustomization.yaml', text);
    expect(file.problems.length).toBeGreaterThan(0);
    expect(file.problems[0].span.start).toBeGreaterThan(text.indexOf('apiVersion'));
  });

  it('does not read an inline patch nested deeper than real ones are, and says so', () => {
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    const text = lines('patchesStrategicMerge:', `  - "a: ${deep}\\nb: 1"`, '  - |', `    a: ${deep}`);
    const file = parseFileSync('/o/kustomization.yaml', text);
    expect(file.problems.map((p) => p.message)).toEqual([
      'inline patch not read: nested deeper than 200 levels',
      'inline patch not read: nested deeper than 200 levels',
    ]);
    expect(file.resources.filter((r) => r.kind === 'patch')).toEqual([]);
  });

  it('reaches the manifests of its bases through their kustomizations, local paths only', () => {
    const { files, project: p } = project();
    expect(layerResources(files[3], p).map((l) => `${l.file.uri} ${l.resource.type}/${l.resource.name}`)).toEqual([
      '/repo/base/deployment.yaml Deployment/api',
    ]);
  });

  it('reports an image the overlay makes unpinned on the overlay line, with the base container (or the patch) as related location', async () => {
    const { files, project: p } = project();
    const rule = RULES.find((r) => r.id === 'pin/image-unpinned')!;
    const overlay = files[3];
    const { findings } = await analyze(overlay, { rules: [rule], config: { rules: {}, ignore: [], maxFileSize: 1e9 }, project: p });
    const shown = findings.map((f) => ({
      at: overlay.text.slice(f.span.start, f.span.end),
      message: f.message,
      related: f.related?.map(
        (r) => `${r.uri ?? overlay.uri} ${(r.uri === '/repo/base/deployment.yaml' ? DEPLOYMENT : PATCH).slice(r.span.start, r.span.end)}`,
      ),
    }));
    expect(shown).toEqual([
      {
        at: 'latest',
        message:
          'Image "ghcr.io/acme/api:latest" (from the kustomization\'s images entry for ghcr.io/acme/api) uses the mutable latest tag; pin it by digest (@sha256:...) or at least a version tag',
        related: ['/repo/base/deployment.yaml ghcr.io/acme/api:1.4.2'],
      },
      {
        at: 'mirror.acme.internal/redis',
        message:
          'Image "mirror.acme.internal/redis" (from the kustomization\'s images entry for redis, which keeps the base\'s tag) has no tag, so it means whatever was pushed last as latest; pin it by digest (@sha256:...) or at least a version tag',
        related: ['/repo/base/deployment.yaml redis'],
      },
      {
        at: 'mirror.acme.internal/envoy',
        message:
          'Image "mirror.acme.internal/envoy" (from the kustomization\'s images entry for envoyproxy/envoy, which keeps the base\'s tag) has no tag, so it means whatever was pushed last as latest; pin it by digest (@sha256:...) or at least a version tag',
        related: ['/repo/overlays/prod/proxy.yaml envoyproxy/envoy'],
      },
    ]);
  });

  it('follows a cycle of kustomizations once', () => {
    const a = parseFileSync('/c/a/kustomization.yaml', 'resources:\n  - ../b\n');
    const b = parseFileSync('/c/b/kustomization.yaml', 'resources:\n  - ../a\n  - ./pod.yaml\n');
    const pod = parseFileSync('/c/b/pod.yaml', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n');
    expect(layerResources(a, new Project([a, b, pod])).map((l) => l.resource.name)).toEqual(['p']);
  });
});

describe('JSON 6902 patch files and the Kustomization name', () => {
  const OPS = lines('- op: replace', '  path: /spec/template/spec/containers/1/image', '  value: redis:7.4.1');

  it('recognises Kustomization without an extension, and a YAML list of operations as a patch file', () => {
    expect(detectFormat('/o/Kustomization', 'resources:\n  - ../base\n')).toBe('kustomize');
    expect(detectFormat('/o/patch.yaml', `# pins the cache\n${OPS}`)).toBe('kustomize');
    const file = parseFileSync('/o/patch.yaml', OPS);
    expect(file.resources.map((r) => [r.type, file.text.slice(r.nameSpan.start, r.nameSpan.end)])).toEqual([
      ['json6902', '/spec/template/spec/containers/1/image'],
    ]);
    // A list of other maps, or operations on no pointer, are not patches.
    expect(detectFormat('/o/users.yaml', '- name: a\n  path: b\n')).toBe('text');
    expect(detectFormat('/o/steps.yaml', '- op: build\n  path: /src\n')).toBe('text');
  });

  it("applies a patch file's image operation to its target's container before the overlay's images entry renames it", async () => {
    const overlay = parseFileSync(
      '/r/overlays/prod/Kustomization',
      lines(
        'resources:',
        '  - ../../base',
        'patchesJson6902:',
        '  - target: {group: apps, version: v1, kind: Deployment, name: api}',
        '    path: cache.yaml',
        'images:',
        '  - name: redis',
        '    newName: mirror.acme.internal/redis',
      ),
    );
    const files = [
      parseFileSync('/r/base/kustomization.yaml', BASE),
      parseFileSync('/r/base/deployment.yaml', DEPLOYMENT),
      overlay,
      parseFileSync('/r/overlays/prod/cache.yaml', OPS),
    ];
    const rule = RULES.find((r) => r.id === 'pin/image-unpinned')!;
    const config = { rules: {}, ignore: [], maxFileSize: 1e9 };
    // The patch pins redis to 7.4.1: the renamed image keeps that tag.
    expect((await analyze(overlay, { rules: [rule], config, project: new Project(files) })).findings).toEqual([]);
    files[3] = parseFileSync('/r/overlays/prod/cache.yaml', OPS.replace('redis:7.4.1', 'redis'));
    const { findings } = await analyze(overlay, { rules: [rule], config, project: new Project(files) });
    expect(findings.map((f) => [overlay.text.slice(f.span.start, f.span.end), f.related?.map((r) => `${r.uri} ${r.message}`)])).toEqual([
      ['mirror.acme.internal/redis', ['/r/overlays/prod/cache.yaml redis is used here']],
    ]);
  });
});
