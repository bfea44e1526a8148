import { FORMATS } from '../formats';
import type { ParsedFile } from '../model';
import type { Severity } from '../rule';
import type { ForeignTool, UnusedSuppression } from '../suppress';
import { fileRegion, fingerprintOf, notebookPosition, relativePath } from './convert';
import type { ReportFinding, ReportRule } from './types';

/**
 * Checks of the suppression comments themselves, reported as findings under rule-like ids: an `airlock:ignore`
 * naming no Airlock rule (always: a typo hides nothing and says nothing), and, with `--report-unused-suppressions`,
 * suppressions that hide no finding. They are not rules of the registry: no config turns them on or off, and the
 * baseline does not hold them (they have no structural identity; fixing the comment is the way out).
 */

export const UNKNOWN_RULE_ID = 'airlock/unknown-rule-id';
export const UNUSED_SUPPRESSION = 'airlock/unused-suppression';

const ALL_FORMATS: ReportRule['formats'] = FORMATS.map((f) => f.id);

export const SUPPRESSION_CHECKS: readonly ReportRule[] = [
  {
    id: UNKNOWN_RULE_ID,
    family: 'airlock',
    severity: 'warning',
    formats: ALL_FORMATS,
    docs: {
      summary: 'An airlock:ignore comment names a rule id that no Airlock rule has.',
      why: 'A misspelt id (secret/knwon-token) suppresses nothing, so the comment looks like it hides a finding while the finding it meant still fails the build, or a reader trusts a suppression that does nothing.',
      fix: 'Correct the id (airlock rules lists them; a family glob such as secret/* works too) or remove the comment. Reported on every scan, at the comment.',
    },
  },
  {
    id: UNUSED_SUPPRESSION,
    family: 'airlock',
    severity: 'warning',
    formats: ALL_FORMATS,
    docs: {
      summary: 'A suppression comment hides no finding (reported with --report-unused-suppressions).',
      why: 'A suppression left after its finding was fixed would silently hide the next finding of that rule on those lines. Other scanners’ markers whose check maps to no Airlock rule hide nothing from Airlock either.',
      fix: 'Remove the airlock:ignore comment, or the ids in it that hide nothing. Other scanners’ markers are reported as info, since their own tool may still need them.',
    },
  },
];

/** The check's page (docs/rules/airlock/<name>.md) and its SARIF help: no fix, suppression or config sections, as it has none. */
export function renderCheckDoc(check: ReportRule): string {
  return [
    `# ${check.id}`,
    '',
    check.docs.summary,
    '',
    `- Family: \`${check.family}\` (a check of suppression comments, not a rule: no config turns it off)`,
    `- Severity: \`${check.severity}\``,
    `- Formats: ${check.formats.map((f) => `\`${f}\``).join(', ')}`,
    '',
    '## Why it matters',
    '',
    check.docs.why,
    '',
    '## How to fix',
    '',
    check.docs.fix,
    '',
    'Like findings, these count toward the fail threshold (`--severity`); the baseline does not hold them.',
    '',
  ].join('\n');
}

/**
 * How a scanner's marker for `id` is written, for messages, and whether it names a check: a bare `nosec`,
 * `kics-scan ignore-line`, `pragma: allowlist secret` or `gitleaks:allow` is its own id.
 */
function markerOf(tool: ForeignTool, id: string): { marker: string; named: boolean } {
  switch (tool) {
    case 'checkov':
      return { marker: `checkov:skip=${id}`, named: true };
    case 'tfsec':
    case 'trivy':
      return { marker: `${tool}:ignore:${id}`, named: true };
    case 'kics':
      return id.startsWith('kics-scan ') ? { marker: id, named: false } : { marker: `kics-scan disable=${id}`, named: true };
    case 'bandit':
      return id === 'nosec' ? { marker: id, named: false } : { marker: `nosec ${id}`, named: true };
    case 'ruff':
      return { marker: `noqa: ${id}`, named: true };
    case 'detect-secrets':
    case 'gitleaks':
      return { marker: id, named: false };
  }
}

/** What a finding (or an editor diagnostic) says about `id`, one of the ids of `u`. */
export function suppressionCheckMessage(u: UnusedSuppression, id: string): string {
  if (u.kind === 'unknown-rule') return `Unknown rule id "${id}" in airlock:ignore`;
  if (!u.tool) return `Unused airlock:ignore: no ${id} finding here`;
  const { marker, named } = markerOf(u.tool, id);
  if (u.kind === 'unmapped') return `${marker} suppresses nothing: ${id} maps to no Airlock rule`;
  return `${marker} suppresses nothing: no Airlock finding${named ? ` of ${id}` : ''} here`;
}

function severityOf(u: UnusedSuppression): Severity {
  return u.tool ? 'info' : 'warning';
}

/**
 * Report findings for a file's suppressions that hide nothing, one per id: `unknown-rule` entries always,
 * `unused` and `unmapped` ones only when `reportUnused` (`--report-unused-suppressions`).
 */
export function convertUnusedSuppressions(file: ParsedFile, entries: readonly UnusedSuppression[], root: string, reportUnused: boolean): ReportFinding[] {
  const relPath = relativePath(root, file.uri);
  const out: ReportFinding[] = [];
  for (const u of entries) {
    if (u.kind !== 'unknown-rule' && !reportUnused) continue;
    const ruleId = u.kind === 'unknown-rule' ? UNKNOWN_RULE_ID : UNUSED_SUPPRESSION;
    for (const id of u.ids) {
      out.push({
        ruleId,
        family: 'airlock',
        severity: severityOf(u),
        message: suppressionCheckMessage(u, id),
        path: relPath,
        ...fileRegion(file, u.span),
        ...(u.span.cell !== undefined ? notebookPosition(file, u.span) : {}),
        fingerprint: fingerprintOf(`${ruleId}\0${id}`, relPath, file, u.span),
      });
    }
  }
  return out;
}
