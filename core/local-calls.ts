import { localCalls, type ModuleCall } from './formats';
import type { ParsedFile } from './model';
import type { Project } from './project';

const nestedCalls = new WeakMap<ModuleCall, WeakMap<ParsedFile, ModuleCall[]>>();

/**
 * The local calls of a file, made once per project (and, inside a called module, once per calling instance): every
 * rule, and every `module.NAME.OUTPUT` the evaluator reads, then goes through the same call objects, so what is
 * computed per call (a file's network rules, the arguments' uses) is computed once rather than once per reader.
 */
export function callsOf(file: ParsedFile, project: Project, parent?: ModuleCall): ModuleCall[] {
  if (!parent) return project.derived(`local-calls:${file.uri}`, () => localCalls(file));
  let byFile = nestedCalls.get(parent);
  if (!byFile) nestedCalls.set(parent, (byFile = new WeakMap()));
  let calls = byFile.get(file);
  if (!calls) byFile.set(file, (calls = localCalls(file, parent)));
  return calls;
}
