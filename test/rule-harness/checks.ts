/**
 * What every finding of a rule must satisfy beyond its range: its fixes match the kinds and safety the rule
 * declares, and no text it shows a person repeats the secret it found.
 */
import type { Finding, ParsedFile, Rule } from '../../core';
import { textOfSpan } from './snapshot';

/** Shorter texts (`"true"`, a placeholder) can appear in a message by chance. */
const SECRET_MIN_LENGTH = 7;

/** Each fix that names a kind the rule does not declare, or carries another safety than the kind's. */
export function fixMetadataErrors(rule: Rule, findings: readonly Finding[]): string[] {
  const errors: string[] = [];
  for (const f of findings) {
    for (const fix of f.fixes ?? []) {
      const declared = rule.fixes?.[fix.kind];
      if (declared === undefined) errors.push(`fix "${fix.title}" has kind ${fix.kind}, which ${rule.id} does not declare`);
      else if (declared !== fix.safety) errors.push(`fix "${fix.title}" (${fix.kind}) is ${fix.safety}, but ${rule.id} declares ${declared}`);
    }
  }
  return errors;
}

/** The texts of a finding a person reads: its message, its related locations' messages, its fix titles. */
function shownTexts(f: Finding): string[] {
  return [f.message, ...(f.related ?? []).map((r) => r.message), ...(f.fixes ?? []).map((x) => x.title)];
}

/** For secret findings: each shown text that contains the text under the finding's range. */
export function secretLeaks(rule: Rule, file: ParsedFile, findings: readonly Finding[]): string[] {
  if (rule.family !== 'secret') return [];
  return findings.flatMap((f) => {
    const secret = textOfSpan(file, f.span).slice(f.span.start, f.span.end);
    if (secret.length < SECRET_MIN_LENGTH) return [];
    return shownTexts(f).filter((t) => t.includes(secret));
  });
}
