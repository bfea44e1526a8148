import { describe, expect, it } from 'vitest';
import { detectFormat, parseFile } from '../../core/formats';
import { analyze } from '../../core/runner';
import { decode } from '../../core/scan/load';
import { RULES } from '../../rules';

const TEXT = 'apiVersion: v1\nkind: ConfigMap\ndata:\n  token: ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8\n';

describe('files in other encodings and layouts are read as what they are', () => {
  it('UTF-16 with a little-endian byte order mark', () => {
    const buf = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(TEXT, 'utf16le')]);
    expect(decode(buf, 1e6)).toEqual({ kind: 'text', text: TEXT });
  });

  it('UTF-16 with a big-endian byte order mark', () => {
    const body = Buffer.from(TEXT, 'utf16le').swap16();
    expect(decode(Buffer.concat([Buffer.from([0xfe, 0xff]), body]), 1e6)).toEqual({ kind: 'text', text: TEXT });
  });

  it('a NUL byte without a byte order mark is still binary', () => {
    expect(decode(Buffer.from([0x41, 0, 0x42]), 1e6)).toMatchObject({ kind: 'skipped', reason: 'binary' });
  });

  it('a Kubernetes manifest written as JSON on one line', async () => {
    const text = JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'nginx:latest' }] } });
    expect(detectFormat('/p/pod.json', text)).toBe('kubernetes');
    const { findings } = await analyze(await parseFile('/p/pod.json', text), { rules: RULES });
    expect(findings.map((f) => f.ruleId)).toContain('pin/image-unpinned');
  });

  it('a YAML flow mapping with those keys is not a manifest', () => {
    expect(detectFormat('/p/settings.yaml', 'x: {"apiVersion": "v1", "kind": "Pod"}\n')).toBe('text');
  });
});
