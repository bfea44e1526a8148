import type { EvalContext } from './evaluate';
import { isTerraform } from './formats';
import type { Span } from './model';
import type { Family } from './rule';
import { neverCreated, resourceAt } from './terraform-values';

/**
 * Families whose findings say what a deployment exposes: public storage, open networks. A Terraform block that
 * is never created (`count = 0`, an empty `for_each`, whatever the inputs) exposes nothing, so their findings
 * inside one are dropped. A secret written in such a block is still in the repository, and a module is
 * downloaded whether or not its resources are created: the other families keep theirs.
 */
const EXPOSURE_FAMILIES: ReadonlySet<Family> = new Set(['storage', 'network']);

/** Whether a finding of `family` at `span` of `ctx.file` is inside a block that the code never creates. */
export function exposesNothing(family: Family, span: Span, ctx: EvalContext): boolean {
  if (!EXPOSURE_FAMILIES.has(family) || !isTerraform(ctx.file.format)) return false;
  const block = resourceAt(ctx.file, span);
  return !!block && (block.kind === 'resource' || block.kind === 'data' || block.kind === 'module') && neverCreated(block, ctx);
}
