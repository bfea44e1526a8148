import type { ParsedFile, Resource, Span } from '../../model';
import type { Project } from '../../project';
import type { RelatedLocation } from '../../rule';
import type { ContextSource } from '../format';
import { MODULE_FILE } from '../terraform/module-calls';
import { partitionPoint } from '../../sorted';
import { dirnameOf, joinUri } from '../../uri';
import type { PlanFile, PlanResource } from './parse';

/** How far back past resources that end before a finding the search goes (module calls nest a few deep). */
const MAX_STEPS = 64;

/** The planned resource (or module call) whose object holds `span`. */
function holding(plan: PlanResource[], span: Span): PlanResource | undefined {
  let i = partitionPoint(plan.length, (k) => plan[k].resource.span.start <= span.start) - 1;
  for (let steps = 0; i >= 0 && steps < MAX_STEPS; i--, steps++) if (plan[i].resource.span.end >= span.end) return plan[i];
  return undefined;
}

/** The module folder of the configuration: `moduleDir` below the folder of the plan (the root module's). */
function moduleFolder(planUri: string, moduleDir: string): string {
  let base = dirnameOf(planUri);
  let rel = moduleDir;
  while (rel === '..' || rel.startsWith('../')) {
    base = dirnameOf(base);
    rel = rel.slice(3);
  }
  return rel ? joinUri(base, rel) : base;
}

/** The folders of the configuration a plan relates its findings to: the root module's and every local module's. */
export function planFolders(file: ParsedFile): ContextSource[] {
  const dirs = new Set<string>(['']);
  for (const p of (file as Partial<PlanFile>).plan ?? []) if (p.moduleDir !== undefined) dirs.add(p.moduleDir);
  return [...dirs].map((d) => ({ path: moduleFolder(file.uri, d), names: MODULE_FILE }));
}

const WHAT: Record<string, string> = { module: 'module call', provider: 'provider configuration' };

function header(r: Resource): string {
  if (r.kind === 'module') return `module "${r.name}"`;
  if (r.kind === 'provider') return `provider "${r.type}"`;
  return `${r.kind} "${r.type}" "${r.name}"`;
}

/**
 * A finding on a plan names the resource instance it is about, and the block that declares it in the module's
 * `.tf` or `.tf.json` files (found from the local `source` paths of the module calls, from the plan's folder),
 * which a scan reads from disk when it was not given them (`planFolders`).
 */
export function planRelated(file: ParsedFile, span: Span, project: Project): RelatedLocation[] {
  const plan = (file as Partial<PlanFile>).plan;
  const at = plan && holding(plan, span);
  if (!at) return [];
  const r = at.resource;
  const out: RelatedLocation[] = [{ span: r.nameSpan, message: `${WHAT[r.kind] ?? 'planned resource'} ${r.address}` }];
  if (at.moduleDir === undefined) return out;
  const folder = moduleFolder(file.uri, at.moduleDir);
  for (const f of project.filesAt('terraform', joinUri(folder, 'main.tf'))) {
    const declared = f.resources.find((d) => d.kind === r.kind && d.type === r.type && d.name === r.name);
    if (declared) {
      out.push({ uri: f.uri, span: declared.nameSpan, message: `${header(r)} is declared here` });
      break;
    }
  }
  return out;
}
