/**
 * The code and configuration readers of the secret rule (declarations in source code, XML settings, reference
 * defaults) find what they should and take time linear in the text on hostile input: many assignments on one
 * line, unclosed quotes, long names, long runs of `=` and brackets, many XML elements, unclosed references.
 */
import { describe, expect, it } from 'vitest';
import { lineAssignments } from '../rules/secret/lib/lines';
import { referenceDefaults, serverlessFallbackSites } from '../rules/secret/lib/reference-defaults';
import { Collector } from '../rules/secret/lib/sites';
import { isPlaceholder } from '../rules/secret/lib/values';
import { xmlValues } from '../rules/secret/lib/xml-sites';
import { growthFrom, LINEAR_GROWTH_LIMIT } from './hostile/scaling';

const count = (it: Iterable<unknown>) => [...it].length;

/** The fallback sites of a Serverless variable written as a whole YAML value under a secret key. */
function fallbackSites(value: string): number {
  const out = new Collector();
  serverlessFallbackSites({ kind: 'scalar', value, span: { start: 0, end: value.length }, path: [] }, 'DB_PASSWORD', out);
  return out.sites.length;
}

describe('code and configuration lines', () => {
  it('read declarations, XML settings and reference defaults', () => {
    expect(
      [...lineAssignments('const apiKey = "k3Y-9zq";\ntype TokenKind = "bearer" | "basic";\n', { quotedOnly: true })].map((a) => [a.key, a.value]),
    ).toEqual([['apiKey', 'k3Y-9zq']]);
    expect([...xmlValues('<server><id>r</id><password>Zq8$wV3!kP7m</password></server>')].map((a) => [a.key, a.value])).toEqual([
      ['id', 'r'],
      ['password', 'Zq8$wV3!kP7m'],
    ]);
    expect([...referenceDefaults('jwt: ${jwt.secret:s3cr3t-Value}')].map((a) => [a.key, a.value])).toEqual([['jwt.secret', 's3cr3t-Value']]);
  });

  it('read a placeholder in angle brackets whole, blanks and all', () => {
    expect([...lineAssignments('OPENAI_API_KEY=<your key>\nDB_PASSWORD=<pw> # set me\nTOKEN=<a b\n')].map((a) => [a.key, a.value])).toEqual([
      ['OPENAI_API_KEY', '<your key>'],
      ['DB_PASSWORD', '<pw>'],
      ['TOKEN', '<a'],
    ]);
    expect(isPlaceholder('<your key>')).toBe(true);
  });

  it('take words that say the value is none, and LiteLLM environment references, as placeholders', () => {
    for (const v of ['fake', 'mock', 'bogus', 'unused', 'os.environ/AZURE_API_KEY']) expect(isPlaceholder(v), v).toBe(true);
    for (const v of ['fake-9Xq2vLm7Rt', 'os.environ/AZURE API KEY', 'environ/AZURE_API_KEY']) expect(isPlaceholder(v), v).toBe(false);
  });

  it('take time linear in the text on hostile input', () => {
    const cases: [string, (text: string) => number][] = [
      ['var a = "x", b = "y"; '.repeat(20_000), (t) => count(lineAssignments(t, { quotedOnly: true }))],
      [`const ${'k'.repeat(120)} = "`.repeat(5_000), (t) => count(lineAssignments(t, { quotedOnly: true }))],
      ['=['.repeat(100_000), (t) => count(lineAssignments(t))],
      // An angle bracket after `=` with blanks and no closing one.
      ['K=<a b c '.repeat(20_000), (t) => count(lineAssignments(t))],
      ['type T = "a" | '.repeat(20_000), (t) => count(lineAssignments(t, { quotedOnly: true }))],
      ['<a><password>p</password>'.repeat(10_000), (t) => count(xmlValues(t))],
      ['${a.b:c'.repeat(30_000), (t) => count(referenceDefaults(t))],
      // A Serverless variable's source with nested variables and no closing fallback.
      [`\${env:X${'${a:b}$'.repeat(40_000)}`, (t) => fallbackSites(t)],
    ];
    for (const [text, read] of cases) {
      expect(
        growthFrom(5_000, (n) => {
          read(text.slice(0, n * 8));
        }),
        text.slice(0, 40),
      ).toBeLessThan(LINEAR_GROWTH_LIMIT);
    }
  });
});
