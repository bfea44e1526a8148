import { contentSpan, type EvalContext, type FindingInput, type Node, type RelatedLocation } from '../../../core';
import { describeActions, openGrants, readPolicies } from './policy';

/**
 * Findings for a resource policy attribute (`policy = ...`, `PolicyDocument:`) whose statements let anyone
 * in. A statement written in place is reported on its `"*"` principal; one reached through a reference
 * (`data.aws_iam_policy_document.x.json`, `local.p`, a variable) is reported on the attribute that uses it,
 * with the principal as a related location, because that is where this resource becomes public.
 */
export function openPolicyFindings(value: Node | undefined, ctx: EvalContext, what: string): FindingInput<never>[] {
  if (!value) return [];
  const out: FindingInput<never>[] = [];
  for (const doc of readPolicies(value, ctx)) {
    for (const grant of openGrants(doc)) {
      const s = grant.statement;
      const principal = s.notPrincipal === grant.principal ? 'everyone outside its NotPrincipal' : 'any principal ("*")';
      const actions = describeActions(s);
      const sourceIp = grant.exposure.level === 'source-ip';
      const loose = grant.exposure.level === 'public' ? grant.exposure.loose : undefined;
      const restriction = sourceIp
        ? 'limited only by an aws:SourceIp condition: anyone, signed in or anonymous, from those addresses gets in'
        : loose
          ? `and its ${loose.key} condition (${loose.operator}) does not limit it to your accounts, organisation or network: a wildcard in its value, or an operator that a request without the key passes`
          : 'with no condition that limits it to your accounts, organisation or network';
      const direct = !doc.via && doc.file === ctx.file && within(grant.principal, value);
      const related: RelatedLocation[] = [];
      const p = contentSpan(grant.principal);
      const elsewhere = doc.file !== ctx.file || p.start !== value.span.start || p.end !== value.span.end;
      if (!direct && elsewhere) {
        related.push({
          span: p,
          message: `the statement that allows ${principal}`,
          uri: doc.file === ctx.file ? undefined : doc.file.uri,
        });
      }
      const via = doc.via ? ` (from ${doc.via.label})` : '';
      // A statement that applies only under a template condition is pointed out, not asserted.
      const when = s.when ? ` — when ${s.when}` : '';
      out.push({
        span: direct ? contentSpan(grant.principal) : value.span,
        message: `${what}${via} allows ${principal} to perform ${actions}, ${restriction}${when}`,
        severity: s.when ? 'info' : sourceIp ? 'warning' : undefined,
        related,
      });
    }
  }
  return out;
}

/** Whether a node lies inside another's span (a principal written inside the attribute's own value). */
function within(inner: Node, outer: Node): boolean {
  return inner.span.start >= outer.span.start && inner.span.end <= outer.span.end && inner.span.cell === outer.span.cell;
}
