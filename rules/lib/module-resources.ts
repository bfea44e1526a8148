import type { EvalContext, ParsedFile, Resource } from '../../core';

/**
 * The first `kind` block (`resource`, `data`) of `type` (any type when undefined) named `name` among the files of
 * the Terraform module `ctx.file` belongs to, with the file that holds it. A file whose text does not hold the name
 * cannot declare it and is not parsed for it.
 */
export function moduleResource(ctx: EvalContext, kind: string, type: string | undefined, name: string): { file: ParsedFile; resource: Resource } | undefined {
  for (const file of ctx.project.module(ctx.file, (text) => text.includes(name))) {
    const resource = file.resources.find((r) => r.kind === kind && (type === undefined || r.type === type) && r.name === name);
    if (resource) return { file, resource };
  }
  return undefined;
}
