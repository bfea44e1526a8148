import { describe, expect, it } from 'vitest';
import { MAX_PARSE_DIAGNOSTICS, Positions, problemDiagnostics } from '../../server/diagnostics';
import { PARSE_ERROR_CODE } from '../../protocol';

describe('parse problems as diagnostics', () => {
  it('one Information diagnostic per problem, capped, the last one counting the rest', () => {
    const text = 'a\nb\nc\nd\ne\nf\ng\nh\n';
    const positions = new Positions(text);
    const problems = [...'abcdefgh'].map((c) => ({ span: { start: text.indexOf(c), end: text.indexOf(c) + 1 }, message: `bad ${c}` }));
    const ds = problemDiagnostics('kubernetes', problems, (s) => positions.range(s.start, s.end));
    expect(ds).toHaveLength(MAX_PARSE_DIAGNOSTICS);
    expect(ds.every((d) => d.code === PARSE_ERROR_CODE && d.severity === 3 && d.source === 'airlock')).toBe(true);
    expect(ds[0]).toMatchObject({
      message: 'Airlock could not parse this Kubernetes manifest: bad a',
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } },
    });
    expect(ds[MAX_PARSE_DIAGNOSTICS - 1].message).toBe('Airlock could not parse this Kubernetes manifest: bad e (and 3 more)');
  });
});
