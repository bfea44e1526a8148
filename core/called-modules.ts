import { LOCAL_CALL_TEXT, localCalls, decidingArgument, type ModuleCall } from './formats';
import type { ParsedFile, Resource, Span } from './model';
import { eachObject, forEachEntries } from './evaluate';
import { exposesNothing } from './exposure';
import { contentSpan, isExpr, isMap, isScalar } from './nodes';
import { hasSpellingEscape, prefilterText, ruleMayReport } from './prefilter';
import type { Project, ProjectText } from './project';
import type { FindingInput, Rule } from './rule';
import { callsOf } from './local-calls';

/**
 * A rule run through the local module calls of a Terraform file: the called module's files are checked with
 * the call's arguments as their variables, and a finding that an argument decided is reported at that argument
 * in the calling file, with the module's resource as a related location and the call's address in the message.
 * Findings no argument decided are the module's own: its own analysis reports them.
 */
export async function checkThroughCalls(
  rule: Rule,
  file: ParsedFile,
  project: Project,
  report: (f: FindingInput) => void,
  prefilterRules: readonly Rule[] | undefined,
): Promise<void> {
  for (const call of callsOf(file, project)) for (const instance of instances(call, project)) await checkCall(rule, instance, project, report, prefilterRules);
}

const instancesOf = new WeakMap<ModuleCall, ModuleCall[]>();

/** Instances of a module call analysed one by one: one per `for_each` item, when there are few enough to read. */
const MAX_INSTANCES = 16;

/**
 * A call with a `for_each` whose items can be read is analysed once per item, its arguments reading that item as
 * `each`: the port and the addresses an item passes belong together, as in the module Terraform makes of it. A
 * `for_each` known to be empty makes no instance at all.
 */
function instances(call: ModuleCall, project: Project): ModuleCall[] {
  let made = instancesOf.get(call);
  if (!made) instancesOf.set(call, (made = readInstances(call, project)));
  return made;
}

function readInstances(call: ModuleCall, project: Project): ModuleCall[] {
  const forEach = call.block.body.entries.find((e) => e.key === 'for_each')?.value;
  if (!forEach) return [call];
  const items = forEachEntries(forEach, { file: call.caller, project, call: call.parent });
  // An empty `for_each` makes no instance: nothing of the module is created through this call.
  if (items.known && items.entries.length === 0) return [];
  if (!items.known || items.entries.length > MAX_INSTANCES) return [call];
  return items.entries.map((x) => {
    const each = eachObject(x);
    const key = each.entries[0].value;
    return { ...call, address: `${call.address}[${JSON.stringify(isScalar(key) ? String(key.value) : '?')}]`, each };
  });
}

/** Whether a rule may have something to report through the file's local module calls. */
export function hasLocalCalls(file: ParsedFile): boolean {
  return localCalls(file).length > 0;
}

/** `prefilterRules`: the rules of the analysis when prefilters apply (their strings are searched for together). */
async function checkCall(
  rule: Rule,
  call: ModuleCall,
  project: Project,
  report: (f: FindingInput) => void,
  prefilterRules: readonly Rule[] | undefined,
): Promise<void> {
  // A file of the module is parsed for this rule only if the rule may report on it or it calls a module in turn
  // (text with escapes that could spell a call is one the prefilter lets through).
  const mayMatter = (f: ProjectText) =>
    readsArgument(call, f, project) && (!prefilterRules || mayReportThrough(rule, f, project, prefilterRules) || LOCAL_CALL_TEXT.test(f.text));
  for (const called of project.filesAt(call.caller.format, `${call.folder}/`, mayMatter)) {
    // What a file does not read from the call cannot be reported through it (see `readsArgument`).
    if (!readsArgument(call, called, project)) continue;
    const relevant = rule.formats.includes(called.format) && (!prefilterRules || mayReportThrough(rule, called, project, prefilterRules));
    if (relevant) {
      await rule.check({
        file: called,
        project,
        call,
        report: (f) => {
          if (exposesNothing(rule.family, f.span, { file: called, project, call })) return;
          const moved = throughCall(call, called, f);
          if (moved) report(moved);
        },
      });
    }
    for (const inner of callsOf(called, project, call))
      for (const instance of instances(inner, project)) await checkCall(rule, instance, project, report, prefilterRules);
  }
}

/**
 * Whether the text of a file of the called module reads a variable the call sets (`var.x` for an argument
 * `x`). A finding is reported through a call only at an argument that decided its value in the file it is
 * on (`decidingArgument`), and so is a call the file makes in turn: a file that reads none of the call's
 * arguments has nothing to report through it, for any rule. JSON escapes could spell a reference: such a text
 * always may.
 */
function readsArgument(call: ModuleCall, file: ProjectText, project: Project): boolean {
  const read = project.derived(`variables-read:${file.uri}`, () => variablesRead(file.text));
  if (read === 'any') return true;
  const body = call.block.body;
  return isMap(body) && body.entries.some((e) => read.has(e.key));
}

const VARIABLE_REFERENCE = /\bvar\.([A-Za-z_][A-Za-z0-9_-]*)/g;

function variablesRead(text: string): Set<string> | 'any' {
  if (hasSpellingEscape(text)) return 'any';
  const names = new Set<string>();
  for (const m of text.matchAll(VARIABLE_REFERENCE)) names.add(m[1]);
  return names;
}

/** `ruleMayReport` for a file of a called module, once per rule and file however many calls reach it. */
function mayReportThrough(rule: Rule, file: ProjectText, project: Project, rules: readonly Rule[]): boolean {
  const byFile = project.derived(`may-report:${rule.id}`, () => new Map<string, boolean>());
  let answer = byFile.get(file.uri);
  if (answer === undefined) {
    const asked = project.derived(`prefilter-text:${file.uri}`, () => prefilterText(file.text, file.format, rules));
    answer = ruleMayReport(rule, file.format, file.text, () => project.moduleTexts(file), asked);
    byFile.set(file.uri, answer);
  }
  return answer;
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
