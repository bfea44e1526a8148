import type { Rule, Severity } from '../rule';
import type { ReportRule } from './types';

export const TOOL_NAME = 'airlock';
export const INFORMATION_URI = 'https://github.com/airlock-dev/airlock';
/** Where `docs/rules/<id>.md` is published. */
export const RULE_DOCS_BASE = `${INFORMATION_URI}/blob/main/docs/rules/`;

export function ruleDocsUrl(id: string): string {
  return `${RULE_DOCS_BASE}${id}.md`;
}

export function reportRule(rule: Rule): ReportRule {
  return {
    id: rule.id,
    family: rule.family,
    severity: rule.severity,
    formats: rule.formats,
    ...(rule.defaultOff ? { defaultOff: true } : {}),
    ...(rule.fixes ? { fixes: rule.fixes } : {}),
    docs: rule.docs,
  };
}

const RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

/** True when `severity` is at or above `threshold`. */
export function atLeast(severity: Severity, threshold: Severity): boolean {
  return RANK[severity] >= RANK[threshold];
}

/** `5 MB`, `1.5 MB`, `512 KB`, `100 bytes`. */
export function formatSize(bytes: number): string {
  const kb = 1024;
  const mb = kb * kb;
  if (bytes >= mb) return bytes % mb === 0 ? `${bytes / mb} MB` : `${+(bytes / mb).toFixed(1)} MB`;
  if (bytes >= kb) return bytes % kb === 0 ? `${bytes / kb} KB` : `${+(bytes / kb).toFixed(1)} KB`;
  return `${bytes} bytes`;
}
