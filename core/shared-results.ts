import type { ModuleCall } from './formats';
import type { ParsedFile } from './model';
import type { Project } from './project';

/**
 * What several rules read from one file (its network rules, its Hugging Face loads), computed once for all of them:
 * kept in the project's `derived` values, which a change of the project empties, per file and, for a module file
 * read through a call of it, per call (its arguments are other values for the module's variables; the runner gives
 * every rule the same call objects). Callers never modify the result.
 */
export function sharedResult<T>(name: string, ctx: { file: ParsedFile; project: Project; call?: ModuleCall }, compute: () => T): T {
  const byFile = ctx.project.derived(`shared:${name}`, () => new WeakMap<ParsedFile, Map<ModuleCall | undefined, T>>());
  let byCall = byFile.get(ctx.file);
  if (!byCall) byFile.set(ctx.file, (byCall = new Map()));
  if (byCall.has(ctx.call)) return byCall.get(ctx.call) as T;
  const value = compute();
  byCall.set(ctx.call, value);
  return value;
}
