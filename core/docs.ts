import { isFixableFormat } from './formats';
import type { FixSafety, Rule } from './rule';

/** Rule documentation, generated from rule metadata: `docs/rules/<id>.md` and the README rules table. */

/** What a rule's documentation is made from: a rule, or its description in a scan report. */
/** A rule's metadata; `family` also `airlock` for the checks of suppression comments (`core/report/suppression-checks.ts`). */
export type DocumentedRule = Pick<Rule, 'id' | 'severity' | 'formats' | 'defaultOff' | 'fixes' | 'docs'> & { family: string };

const SAFETY: Record<FixSafety, string> = {
  safe: 'safe, applied by fix-all',
  unsafe: 'unsafe, offered on its own',
  suggestion: 'suggestion, leaves a placeholder for you',
};

/**
 * One line per fix kind of the rule: its name, its safety (from `rule.fixes`, the same record the rule
 * harness holds every emitted fix to) and what it does. Empty when the rule has no automatic fix.
 */
export function describeFixes(rule: DocumentedRule): string[] {
  return Object.entries(rule.fixes ?? {}).map(([kind, safety]) => `- \`${kind}\` (${SAFETY[safety]}): ${rule.docs.fixes?.[kind] ?? ''}`);
}

const FENCE: Record<string, string> = {
  terraform: 'hcl',
  cloudformation: 'yaml',
  kubernetes: 'yaml',
  'github-actions': 'yaml',
  notebook: 'python',
  text: 'text',
};

export function renderRuleDoc(rule: DocumentedRule): string {
  const d = rule.docs;
  const lines = [
    `# ${rule.id}`,
    '',
    `${d.summary}`,
    '',
    `- Family: \`${rule.family}\``,
    `- Default severity: \`${rule.severity}\`${rule.defaultOff ? ' (off by default: enable it in `.airlock.yaml`)' : ''}`,
    `- Formats: ${rule.formats.map((f) => `\`${f}\``).join(', ')}`,
    '',
    ...(d.reads ? ['## What it reads', '', d.reads, ''] : []),
    '## Why it matters',
    '',
    d.why,
    '',
    '## How to fix',
    '',
    d.fix,
    '',
  ];
  if (d.examples) {
    const fence = FENCE[d.examples.format] ?? '';
    lines.push('Insecure:', '', `\`\`\`${fence}`, d.examples.bad, '```', '', 'Secure:', '', `\`\`\`${fence}`, d.examples.good, '```', '');
  }
  const fixes = describeFixes(rule);
  const generated = rule.formats.filter((f) => !isFixableFormat(f));
  if (fixes.length && generated.length)
    fixes.push('', `Not offered on ${generated.map((f) => `\`${f}\``).join(', ')} files: they are generated, so fix the configuration they are made from.`);
  lines.push('## Automatic fix', '', ...(fixes.length ? fixes : ['None: this rule offers no automatic fix.']), '');
  const json = rule.formats.includes('terraform-json')
    ? `In Terraform JSON, a \`"//": "airlock:ignore ${rule.id} -- <reason>"\` property covers the object it is written in. `
    : '';
  lines.push(
    '## Suppressing',
    '',
    `\`# airlock:ignore ${rule.id} -- <reason>\` on the line or the line above (a comment above a block covers the block). ` +
      `In CloudFormation JSON, add \`"${rule.id}"\` to the resource's \`Metadata.airlock.ignore\` list; in notebooks, use a comment in the cell or a cell tag \`airlock:ignore ${rule.id}\`. ${json}` +
      `To turn the rule off or change its severity, set \`rules: { ${rule.id}: off }\` in \`.airlock.yaml\`.`,
    '',
  );
  return lines.join('\n');
}

export const TABLE_START = '<!-- rules-table:start (generated from rule metadata: npm run docs) -->';
export const TABLE_END = '<!-- rules-table:end -->';

/** The safety levels of a rule's fix kinds, in the order safe, unsafe, suggestion; `—` without a fix. */
function fixSafeties(rule: Rule): string {
  const safeties = new Set(Object.values<FixSafety>(rule.fixes ?? {}));
  return (['safe', 'unsafe', 'suggestion'] as const).filter((s) => safeties.has(s)).join(', ') || '—';
}

export function renderRulesTable(rules: readonly Rule[]): string {
  const rows = rules.map(
    (r) =>
      `| [\`${r.id}\`](docs/rules/${r.id}.md) | ${r.severity}${r.defaultOff ? ' (off)' : ''} | ${r.formats.join(', ')} | ${fixSafeties(r)} | ${r.docs.summary.replace(/\|/g, '\\|')} |`,
  );
  const header = ['| rule | severity | formats | fixes | finds |', '| --- | --- | --- | --- | --- |'];
  return [TABLE_START, '', ...header, ...rows, '', TABLE_END].join('\n');
}

/** Replace the generated table between the markers of a README. */
export function withRulesTable(readme: string, rules: readonly Rule[]): string {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start) throw new Error('README has no rules-table markers');
  return readme.slice(0, start) + renderRulesTable(rules) + readme.slice(end + TABLE_END.length);
}
