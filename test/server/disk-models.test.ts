/** The models of files read besides a document (a chart's values, a kustomization's bases) are kept within a budget. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DiskModels, KEPT_CHARS } from '../../server/disk-models';

describe('DiskModels', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'airlock-disk-models-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  /** A ConfigMap of about `chars` characters. */
  const manifest = (name: string, chars: number) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  blob: ${'x'.repeat(chars)}\n`;

  it('keeps a model until its file changes', () => {
    const p = path.join(dir, 'small.yaml');
    writeFileSync(p, manifest('small', 10));
    const models = new DiskModels();
    const first = models.read(p);
    expect(first?.format).toBe('kubernetes');
    expect(models.read(p)).toBe(first);
    writeFileSync(p, manifest('small', 20));
    expect(models.read(p)).not.toBe(first);
    expect(models.size).toBe(1);
  });

  it('drops the models used longest ago past the budget, and reads them again when needed', () => {
    const models = new DiskModels();
    const large = Math.ceil(KEPT_CHARS / 3);
    const paths = ['a', 'b', 'c', 'd'].map((name) => {
      const p = path.join(dir, `${name}.yaml`);
      writeFileSync(p, manifest(name, large));
      return p;
    });
    const first = paths.map((p) => models.read(p));
    expect(models.size).toBe(2);
    // The newest are kept; the oldest is parsed again, to the same resources.
    expect(models.read(paths[3])).toBe(first[3]);
    const again = models.read(paths[0]);
    expect(again).not.toBe(first[0]);
    expect(again?.resources.map((r) => r.name)).toEqual(['a']);
    expect(models.size).toBe(2);
  });

  it('keeps a file larger than the budget only until another is read', () => {
    const models = new DiskModels();
    const huge = path.join(dir, 'huge.yaml');
    writeFileSync(huge, manifest('huge', KEPT_CHARS + 1));
    const small = path.join(dir, 'tiny.yaml');
    writeFileSync(small, manifest('tiny', 10));
    models.read(huge);
    expect(models.size).toBe(1);
    models.read(small);
    expect(models.size).toBe(1);
  });
});
