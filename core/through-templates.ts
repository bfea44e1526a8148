import { helmRole } from './formats/helm';
import type { ParsedFile } from './model';
import { ruleMayReport } from './prefilter';
import type { Project } from './project';
import type { FindingInput, RelatedLocation, Rule } from './rule';
import { basenameOf } from './uri';

/**
 * A Helm values file gets the findings its lines decide in the chart's templates, for the templates whose own
 * findings are not shown (an editor with `values.yaml` open and the template closed): the rule is run on each
 * such template, and a finding that points into this values file (a value read through it) is reported again
 * at the last values line it points at, with the template's line as a related location. A scan reports the
 * template's finding there, once.
 */
export async function checkThroughTemplates(
  rule: Rule,
  values: ParsedFile,
  project: Project,
  report: (f: FindingInput) => void,
  /** Whether a template's findings go unreported (the template is not open): only those are carried here. */
  unseen: (uri: string) => boolean,
  prefilter: boolean,
): Promise<void> {
  if (!rule.formats.includes('helm')) return;
  for (const template of project.module(values)) {
    if (template === values || helmRole(template) !== 'template' || !unseen(template.uri)) continue;
    if (prefilter && !ruleMayReport(rule, 'helm', template.text)) continue;
    await rule.check({ file: template, project, report: (f) => moved(f, template, values, report) });
  }
}

/** Whether a Helm file is a values file, whose lines decide findings in the chart's templates. */
export function decidesTemplates(file: ParsedFile): boolean {
  return file.format === 'helm' && helmRole(file) === 'values';
}

function moved(f: FindingInput, template: ParsedFile, values: ParsedFile, report: (f: FindingInput) => void): void {
  const related = f.related ?? [];
  let at = -1;
  for (let i = 0; i < related.length; i++) if (related[i].uri === values.uri) at = i;
  if (at < 0) return;
  const others: RelatedLocation[] = related.filter((_, i) => i !== at).map((r) => ({ ...r, uri: r.uri === values.uri ? undefined : (r.uri ?? template.uri) }));
  // Fixes edit the template: they stay with its finding.
  report({
    span: related[at].span,
    message: f.message,
    severity: f.severity,
    related: [{ uri: template.uri, span: f.span, message: `the value is used in ${basenameOf(template.uri)}` }, ...others],
  });
}
