import type { Rule } from '../core/rule';

const LIST: Rule[] = [];

/** Every rule, sorted by id. A rule ships only when it is listed here. */
export const RULES: readonly Rule[] = LIST.sort((a, b) => a.id.localeCompare(b.id));

export function ruleById(id: string): Rule | undefined {
  return RULES.find((r) => r.id === id);
}
