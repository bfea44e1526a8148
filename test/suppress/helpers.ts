import { analyze, type Config, defaultConfig, parseFile } from '../../core';
import { RULES } from '../../rules';

export const rule = (id: string) => {
  const found = RULES.find((r) => r.id === id);
  if (!found) throw new Error(`no rule ${id}`);
  return found;
};

/** Scan `text` as `uri` with the given rules: the 1-based lines (within their cell for notebooks) of what is left. */
export async function scan(uri: string, text: string, ruleIds: string[], config: Partial<Config> = {}) {
  const file = await parseFile(uri, text);
  const analysis = await analyze(file, { rules: ruleIds.map(rule), config: { ...defaultConfig(), ...config }, reportUnusedSuppressions: true });
  const lineOf = (span: { start: number; cell?: number }) => {
    const source = span.cell === undefined ? file.text : (file.cells?.[span.cell].source ?? '');
    return source.slice(0, span.start).split('\n').length;
  };
  return {
    lines: analysis.findings.map((f) => lineOf(f.span)),
    ids: analysis.findings.map((f) => f.ruleId),
    suppressed: analysis.suppressed,
    unused: analysis.unusedSuppressions ?? [],
  };
}

export function notebook(...sources: string[]): string {
  const cells = sources.map((s) => ({ cell_type: 'code', metadata: {}, outputs: [], execution_count: null, source: s }));
  return JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells });
}
