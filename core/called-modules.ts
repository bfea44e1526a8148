import { localCalls, decidingArgument, type ModuleCall } from './formats';
import type { ParsedFile, Resource, Span } from './model';
import { contentSpan, isExpr } from './nodes';
import { ruleMayReport } from './prefilter';
import type { Project } from './project';
import type { FindingInput, Rule } from './rule';

/**
 * A rule run through the local module calls of a Terraform file: the called module's files are checked with
 * the call's arguments as their variables, and a finding that an argument decided is reported at that argument
 * in the calling file, with the module's resource as a related location and the call's address in the message.
 * Findings no argument decided are the module's own: its own analysis reports them.
 */
export async function checkThroughCalls(rule: Rule, file: ParsedFile, project: Project, report: (f: FindingInput) => void, prefilter: boolean): Promise<void> {
  for (const call of localCalls(file)) await checkCall(rule, call, project, report, prefilter);
}

/** Whether a rule may have something to report through the file's local module calls. */
export function hasLocalCalls(file: ParsedFile): boolean {
  return localCalls(file).length > 0;
}

async function checkCall(rule: Rule, call: ModuleCall, project: Project, report: (f: FindingInput) => void, prefilter: boolean): Promise<void> {
  for (const called of project.filesAt(call.caller.format, `${call.folder}/`)) {
    const relevant = rule.formats.includes(called.format) && (!prefilter || ruleMayReport(rule, called.format, called.text, () => project.moduleTexts(called)));
    if (relevant) {
      await rule.check({
        file: called,
        project,
        call,
        report: (f) => {
          const moved = throughCall(call, called, f);
          if (moved) report(moved);
        },
      });
    }
    for (const inner of localCalls(called, call)) await checkCall(rule, inner, project, report, prefilter);
  }
}

function within(inner: Span, outer: Span): boolean {
  return inner.start >= outer.start && inner.end <= outer.end;
}

function throughCall(call: ModuleCall, called: ParsedFile, f: FindingInput): FindingInput | undefined {
  const use = decidingArgument(call, called.uri, f.span);
  if (!use) return undefined;
  // "cannot be read here" about an argument that is itself an expression: the caller's inputs, not a finding.
  if (f.severity === 'info' && isExpr(use.argument.value)) return undefined;
  const resource: Resource | undefined = called.resources.find((r) => within(f.span, r.span));
  const what = resource
    ? `${resource.kind === 'resource' ? '' : `${resource.kind}.`}${resource.type ? `${resource.type}.` : ''}${resource.name}`
    : 'the module';
  return {
    span: contentSpan(use.argument.value),
    message: `${f.message} (through ${call.address})`,
    severity: f.severity,
    related: [
      { uri: called.uri, span: f.span, message: `${what} in ${call.address} takes the value here` },
      ...(f.related ?? []).map((r) => ({ ...r, uri: r.uri ?? called.uri })),
    ],
  };
}
