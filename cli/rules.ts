import { ruleDocsUrl, type ReportRule } from '../core/report';
import { describeFixes } from '../core/docs';
import { UsageError } from './args';

/** `airlock rules` and `airlock explain <id>`: the registry's rules and the checks of suppression comments. */

export function rulesTable(rules: readonly ReportRule[]): string {
  const header = ['ID', 'FAMILY', 'SEVERITY', 'FORMATS', 'SUMMARY'];
  const rows = rules.map((r) => [r.id, r.family, r.defaultOff ? `${r.severity}*` : r.severity, r.formats.join(','), r.docs.summary]);
  const widths = header.slice(0, -1).map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i < widths.length ? c.padEnd(widths[i]) : c))
      .join('  ')
      .trimEnd();
  const out = [line(header), ...rows.map(line)];
  if (rules.length === 0) out.push('(no rules registered)');
  if (rules.some((r) => r.defaultOff)) out.push('', '* off by default: enable it in .airlock.yaml (rules: { <id>: on })');
  return `${out.join('\n')}\n`;
}

export function rulesJson(rules: readonly ReportRule[]): string {
  const list = rules.map((r) => ({
    id: r.id,
    family: r.family,
    severity: r.severity,
    formats: r.formats,
    ...(r.defaultOff ? { defaultOff: true } : {}),
    summary: r.docs.summary,
    helpUri: ruleDocsUrl(r.id),
  }));
  return `${JSON.stringify(list, null, 2)}\n`;
}

function distance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length];
}

/** Up to three ids close to `query`: by edit distance to the id or its name part, or containing it. */
export function closeIds(query: string, rules: readonly ReportRule[]): string[] {
  const q = query.toLowerCase();
  const scored = rules.map((r) => {
    const name = r.id.slice(r.id.indexOf('/') + 1);
    const d = Math.min(distance(q, r.id), distance(q, name));
    const contains = r.id.includes(q) || (q.length >= 3 && q.includes(name));
    return { id: r.id, d: contains ? 0 : d };
  });
  const limit = Math.max(2, Math.floor(q.length / 3));
  return scored
    .filter((s) => s.d <= limit)
    .sort((a, b) => a.d - b.d || a.id.localeCompare(b.id))
    .slice(0, 3)
    .map((s) => s.id);
}

/** A rule by exact id, or by its name without the family when that is unique (`known-token`). */
export function findRule(query: string, rules: readonly ReportRule[]): ReportRule {
  const exact = rules.find((r) => r.id === query);
  if (exact) return exact;
  const byName = rules.filter((r) => r.id.endsWith(`/${query}`));
  if (byName.length === 1) return byName[0];
  const close = closeIds(query, rules);
  const hint = close.length ? ` (did you mean ${close.join(', ')}?)` : ' (airlock rules lists them)';
  throw new UsageError(`unknown rule "${query}"${hint}`);
}

function indent(text: string, by = '  '): string {
  return text
    .trimEnd()
    .split('\n')
    .map((l) => (l ? by + l : l))
    .join('\n');
}

export function explainText(rule: ReportRule): string {
  const d = rule.docs;
  const out = [
    rule.id,
    indent(d.summary),
    '',
    indent(`family: ${rule.family}   severity: ${rule.severity}${rule.defaultOff ? ' (off by default)' : ''}   formats: ${rule.formats.join(', ')}`),
    '',
    ...(d.reads ? ['What it reads', indent(d.reads), ''] : []),
    'Why it matters',
    indent(d.why),
    '',
    'How to fix',
    indent(d.fix),
  ];
  const fixes = describeFixes(rule);
  if (fixes.length) out.push('', 'Automatic fix', indent(fixes.join('\n')));
  if (d.examples) {
    out.push('', `Example (${d.examples.format})`, '  Insecure:', indent(d.examples.bad, '    '), '  Secure:', indent(d.examples.good, '    '));
  }
  out.push('', `Docs: ${ruleDocsUrl(rule.id)}`);
  return `${out.join('\n')}\n`;
}

export function explainJson(rule: ReportRule): string {
  const meta = { ...rule, helpUri: ruleDocsUrl(rule.id) };
  return `${JSON.stringify(meta, null, 2)}\n`;
}
