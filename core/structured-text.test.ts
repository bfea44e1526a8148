import { describe, expect, it } from 'vitest';
import { get, str } from './nodes';
import { parseFileSync } from './formats';
import { structuredTextRoots } from './structured-text';

describe('structuredTextRoots', () => {
  it('reads a YAML text file as trees with source offsets', () => {
    const file = parseFileSync('docker-compose.yml', 'services:\n  db:\n    image: postgres\n', 'text');
    const roots = structuredTextRoots(file)!;
    const image = get(get(get(roots[0], 'services'), 'db'), 'image')!;
    expect(str(image)).toBe('postgres');
    expect(file.text.slice(image.span.start, image.span.end)).toBe('postgres');
  });

  it('reads a JSON text file', () => {
    const file = parseFileSync('package.json', '{"name": "app"}', 'text');
    expect(str(get(structuredTextRoots(file)![0], 'name'))).toBe('app');
  });

  it('gives null for other extensions, parse errors and files of another format', () => {
    expect(structuredTextRoots(parseFileSync('notes.txt', 'a: b\n', 'text'))).toBeNull();
    expect(structuredTextRoots(parseFileSync('broken.json', '{"a": ', 'text'))).toBeNull();
    expect(structuredTextRoots(parseFileSync('pod.yaml', 'apiVersion: v1\nkind: Pod\n', 'kubernetes'))).toBeNull();
  });
});
