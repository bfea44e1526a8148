import type { ModuleCall } from './formats';
import type { ParsedFile } from './model';
import type { Project } from './project';

/**
 * What several rules read from one file (its network rules, its Hugging Face loads), computed once for all of them.
 * It depends on the file and the other files of its folder, which rules read through the project: a project is
 * made for one analysis (the editor makes a new one when a file of the folder changes), so the file and the project
 * are the key; for a module file read through a call of it, the call too (its arguments are other values for the
 * module's variables; the runner gives every rule the same call objects). Callers never modify the result.
 */
const results = new WeakMap<ParsedFile, { project: Project; byName: Map<string, Map<ModuleCall | undefined, unknown>> }>();

export function sharedResult<T>(name: string, ctx: { file: ParsedFile; project: Project; call?: ModuleCall }, compute: () => T): T {
  let held = results.get(ctx.file);
  if (!held || held.project !== ctx.project) results.set(ctx.file, (held = { project: ctx.project, byName: new Map() }));
  let byCall = held.byName.get(name);
  if (!byCall) held.byName.set(name, (byCall = new Map()));
  if (byCall.has(ctx.call)) return byCall.get(ctx.call) as T;
  const value = compute();
  byCall.set(ctx.call, value);
  return value;
}
