import { describe, expect, it } from 'vitest';
import { analyze, at, detectFormat, type ExprNode, parseFileSync, Project, type ScalarNode } from '../../core';
import { RULES } from '../../rules';

const lines = (...ls: string[]) => `${ls.join('\n')}\n`;

const SERVICES = lines('services:', '  web:', '    image: nginx:1.27', '    ports:', '      - "8080:80"');

describe('compose format', () => {
  it('is recognised by its names and, under any name, by a top-level services map of service keys', () => {
    for (const name of ['compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.prod.yaml', 'docker-compose-dev.yml', 'compose.override.yaml'])
      expect(detectFormat(`/p/${name}`, 'services: {}\n'), name).toBe('compose');
    expect(detectFormat('/kics/positive1.yaml', SERVICES)).toBe('compose');
    expect(detectFormat('/p/stack.yml', lines('# stack', 'version: "3.8"', 'services:', '', '  # the app', '  app:', '    build: .'))).toBe('compose');
  });

  it('leaves files of other tools with a services key to their formats', () => {
    // A CI configuration's services are a list of images; a Helm chart's values and templates are Helm's.
    expect(detectFormat('/p/ci.yml', lines('services:', '  - docker:dind', 'build:', '  image: docker:27'))).toBe('text');
    expect(detectFormat('/chart/values.yaml', SERVICES)).toBe('helm');
    expect(detectFormat('/chart/templates/deploy.yaml', SERVICES)).toBe('text');
    expect(detectFormat('/p/svc.yaml', lines('apiVersion: v1', 'kind: Service', 'services:', '  web:', '    image: x'))).toBe('kubernetes');
    expect(detectFormat('/p/t.yaml', lines('AWSTemplateFormatVersion: "2010-09-09"', 'services:', '  web:', '    image: x'))).toBe('cloudformation');
    expect(detectFormat('/p/app.yaml', lines('services:', '  web:', '    url: https://example.com'))).toBe('text');
  });

  it('gives one resource per service, its body the service map', () => {
    const file = parseFileSync(
      '/p/compose.yaml',
      lines('services:', '  web:', '    image: nginx:1.27', '  db:', '    image: postgres:16', 'volumes:', '  data: {}'),
    );
    expect(file.problems).toEqual([]);
    expect(file.resources.map((r) => [r.kind, r.name, file.text.slice(r.nameSpan.start, r.nameSpan.end)])).toEqual([
      ['service', 'web', 'web'],
      ['service', 'db', 'db'],
    ]);
  });

  it('reads interpolation as references, with each default at its offset; $$ is a literal dollar', () => {
    const text = lines(
      'services:',
      '  api:',
      '    image: ${REGISTRY:-ghcr.io/acme}/api:${TAG}',
      '    environment:',
      '      PRICE: $$5',
      '      HOME_DIR: $HOME/app',
    );
    const file = parseFileSync('/p/compose.yaml', text);
    const image = at(file.roots[0], 'services', 'api', 'image') as ExprNode;
    expect(image.kind).toBe('expr');
    expect(image.refs).toEqual(['REGISTRY', 'TAG']);
    expect(image.literalParts).toEqual(['', '/api:', '']);
    const [registry, tag] = image.args!;
    expect(registry.kind).toBe('scalar');
    expect(text.slice(registry.span.start, registry.span.end)).toBe('ghcr.io/acme');
    expect(tag.kind).toBe('expr');
    expect(text.slice(tag.span.start, tag.span.end)).toBe('${TAG}');
    expect((at(file.roots[0], 'services', 'api', 'environment', 'PRICE') as ScalarNode).value).toBe('$$5');
    expect(at(file.roots[0], 'services', 'api', 'environment', 'HOME_DIR')?.kind).toBe('expr');
  });

  it('reads an unterminated interpolation as a literal, and broken YAML as problems, without throwing', () => {
    const file = parseFileSync('/p/compose.yaml', lines('services:', '  api:', '    image: app:${TAG', '    ports: [', '  db:'));
    expect(at(file.roots[0], 'services', 'api', 'image')?.kind).toBe('scalar');
    expect(file.problems.length).toBeGreaterThan(0);
  });

  it('honours airlock:ignore comments on the line before a finding', async () => {
    const text = lines(
      'services:',
      '  web:',
      '    # airlock:ignore pin/image-unpinned -- pinned by the deploy job',
      '    image: nginx',
      '  cache:',
      '    image: redis',
    );
    const file = parseFileSync('/p/compose.yaml', text);
    const rule = RULES.find((r) => r.id === 'pin/image-unpinned')!;
    const { findings, suppressed } = await analyze(file, { rules: [rule], config: { rules: {}, ignore: [], maxFileSize: 1e9 }, project: new Project([file]) });
    expect(findings.map((f) => text.slice(f.span.start, f.span.end))).toEqual(['redis']);
    expect(suppressed).toBe(1);
  });
});

describe('Compose service scripts', () => {
  const scriptsOf = (text: string) => {
    const file = parseFileSync('/app/compose.yaml', text, 'compose');
    return (file.shellScripts ?? []).map((s) => text.slice(s.start, s.end));
  };

  it('reads sh -c scripts of entrypoint and command lists and CMD-SHELL or string healthchecks', () => {
    const text = [
      'services:',
      '  a:',
      '    image: mysql:8.4.2',
      '    entrypoint: ["/bin/sh", "-c"]',
      '    command: ["mysql -h db < /seed.sql"]',
      '    healthcheck:',
      '      test: ["CMD-SHELL", "mysqladmin ping"]',
      '  b:',
      '    image: redis:7.4.0',
      '    command: ["bash", "-lc", "redis-server --save 60 1"]',
      '    healthcheck:',
      '      test: redis-cli ping',
      '',
    ].join('\n');
    expect(scriptsOf(text)).toEqual(['mysql -h db < /seed.sql', 'mysqladmin ping', 'redis-server --save 60 1', 'redis-cli ping']);
  });

  it('reads no script where none runs in a shell or the value interpolates variables', () => {
    const text = [
      'services:',
      '  a:',
      '    image: mysql:8.4.2',
      '    command: ["mysqladmin", "-c", "ping"]',
      '    healthcheck:',
      '      test: ["CMD", "mysqladmin", "ping"]',
      '  b:',
      '    image: redis:7.4.0',
      '    command: ["sh", "-c", "redis-server --requirepass ${REDIS_PASSWORD}"]',
      '',
    ].join('\n');
    expect(scriptsOf(text)).toEqual([]);
  });
});
