import { describe, expect, it } from 'vitest';
import type { MapNode, ParsedFile } from '../../core/model';
import { parseFileSync } from '../../core/formats';
import { appendEntries } from '../../rules/lib/edit';
import { findTokens } from '../../rules/secret/lib/tokens';
import { LINEAR_GROWTH_LIMIT, growthFrom, growthFromAsync } from './scaling';

describe('secret and fix helpers scale linearly', () => {
  it('a run of private key headers before one END line', async () => {
    const ratio = await growthFromAsync(3000, async (n) => {
      const hits = await findTokens(`${'-----BEGIN PRIVATE KEY-----\n'.repeat(n)}-----END PRIVATE KEY-----\n`, { headerOnlyKeys: true });
      expect(hits).toHaveLength(n);
    });
    expect(ratio).toBeLessThan(LINEAR_GROWTH_LIMIT);
  });

  it('still finds a key whose body follows headers without one', async () => {
    const body = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj';
    const hits = await findTokens(`-----BEGIN PRIVATE KEY-----\n-----BEGIN PRIVATE KEY-----\n${body}\n-----END PRIVATE KEY-----\n`);
    expect(hits.map((h) => h.source)).toEqual(['airlock#pem']);
  });

  it('connection-string passwords on one long line', async () => {
    const ratio = await growthFromAsync(2000, async (n) => {
      const pieces = Array.from(
        { length: n },
        (_, i) => `Server=db${i};Password=Qx7mTz${i}LwR9v; host=db dbname=a user=b password=Jz5vQm${i}TxL2 jdbc:mysql://db/a?user=b&`,
      );
      const hits = await findTokens(pieces.join(''));
      expect(hits.length).toBeGreaterThanOrEqual(2 * n);
    });
    expect(ratio).toBeLessThan(LINEAR_GROWTH_LIMIT);
  });

  it('JWT-shaped runs: one long run of eyJ, and many tokens on one line', async () => {
    const token = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJzdmMtaW5nZXN0In0.pTyGJMuHbEL31IeL2HPcHyGcFRl1SPnX';
    const ratio = await growthFromAsync(2000, async (n) => {
      expect(await findTokens(`${'eyJ'.repeat(n * 10)}.eyJ`)).toEqual([]);
      expect((await findTokens(Array.from({ length: n }, () => token).join(' '))).filter((h) => h.kind === 'JSON Web Token')).toHaveLength(n);
    });
    expect(ratio).toBeLessThan(LINEAR_GROWTH_LIMIT);
  });

  it('platform token prefixes: long runs after a prefix, and many tokens on one line', async () => {
    const token = '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';
    const runs = (n: number) =>
      [
        `sntrys_eyJ${'A'.repeat(n)}`,
        `${'1234567890:AA'.repeat(n)}`,
        `${'abcdefghijklmn.atlasv1.'.repeat(n)}`,
        `fm2_${'A'.repeat(n * 10)}`,
        `glrt-t1_${'a'.repeat(n * 10)}`,
        `pypi-AgEIcHlwaS5vcmc${'A'.repeat(n * 10)}`,
        `${'9'.repeat(n)}:AA${'x'.repeat(n)}`,
      ].join('\n');
    const ratio = await growthFromAsync(2000, async (n) => {
      expect(await findTokens(runs(n))).toEqual([]);
      expect((await findTokens(Array.from({ length: n }, () => token).join(' '))).filter((h) => h.kind === 'OpenRouter API key')).toHaveLength(n);
    });
    expect(ratio).toBeLessThan(LINEAR_GROWTH_LIMIT);
  });

  it('an entry added to each object of a one-line JSON file', () => {
    const files = new Map<number, ParsedFile>();
    const oneLine = (n: number) => {
      const text = JSON.stringify({ Resources: Object.fromEntries(Array.from({ length: n }, (_, i) => [`B${i}`, { Type: 'AWS::S3::Bucket' }])) });
      return parseFileSync('/p/t.json', text, 'cloudformation');
    };
    for (const n of [4000, 16000]) files.set(n, oneLine(n));
    const ratio = growthFrom(4000, (n) => {
      const file = files.get(n)!;
      for (const r of file.resources) expect(appendEntries(file, r.raw as MapNode, [['Properties', '{}']])?.newText).toBe(', "Properties": {}');
    });
    expect(ratio).toBeLessThan(LINEAR_GROWTH_LIMIT);
  });
});
