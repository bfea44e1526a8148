import { contentSpan, get, isMap, isScalar, type Node, type ParsedFile, type ScalarNode, type Span, visit } from '../../../core';
import type { ImageSite } from './image-sites';

/**
 * What a GitHub Actions workflow or action runs from elsewhere: the actions and reusable workflows its `uses:`
 * names, and the container images of its jobs (`container`, `services`) and of `docker://` steps.
 */

/** A `uses:` value: a step's action, a job's reusable workflow, a composite action's step. */
export interface UsesSite {
  node: ScalarNode & { value: string };
  /** `jobs.<id>.uses`: a reusable workflow. */
  job: boolean;
}

function stringScalar(node: Node | undefined): (ScalarNode & { value: string }) | undefined {
  return isScalar(node) && typeof node.value === 'string' ? (node as ScalarNode & { value: string }) : undefined;
}

function jobsOf(root: Node): Node[] {
  const jobs = get(root, 'jobs');
  return isMap(jobs) ? jobs.entries.map((e) => e.value) : [];
}

/**
 * Every literal `uses:` of the file: steps of jobs and of a composite action's `runs.steps`, jobs calling a reusable
 * workflow, and steps nested where a malformed workflow puts them. In a workflow `uses` names nothing else, except as
 * an input under `with:`.
 */
export function usesSites(file: ParsedFile): UsesSite[] {
  const out: UsesSite[] = [];
  for (const root of file.roots) {
    visit(root, (node, entry) => {
      if (entry?.key === 'with') return false;
      const uses = entry?.key === 'uses' && entry.value === node ? stringScalar(node) : undefined;
      if (uses) out.push({ node: uses, job: node.path.length === 3 && node.path[0] === 'jobs' });
    });
  }
  return out;
}

const DOCKER = 'docker://';

function imageSite(file: ParsedFile, node: Node | undefined, out: ImageSite[], prefix = ''): void {
  const scalar = stringScalar(node);
  if (!scalar) return; // `${{ matrix.image }}` and other expressions are not judged
  const span = contentSpan(scalar);
  const written = file.text.slice(span.start, span.end);
  if (!written.startsWith(prefix)) return;
  const image: Span = { ...span, start: span.start + prefix.length };
  out.push({ value: scalar.value.slice(prefix.length), span: image, literal: written === scalar.value });
}

/**
 * The images a workflow runs: `jobs.<id>.container` (a string or its `image`), `jobs.<id>.services.<name>.image`,
 * and `docker://` in a step's `uses` or an action's `runs.image` (the reference after the scheme).
 */
export function workflowImageSites(file: ParsedFile): ImageSite[] {
  const out: ImageSite[] = [];
  for (const root of file.roots) {
    for (const job of jobsOf(root)) {
      const container = get(job, 'container');
      imageSite(file, isMap(container) ? get(container, 'image') : container, out);
      const services = get(job, 'services');
      if (isMap(services)) for (const s of services.entries) imageSite(file, get(s.value, 'image'), out);
    }
    const image = stringScalar(get(get(root, 'runs'), 'image'));
    if (image?.value.startsWith(DOCKER)) imageSite(file, image, out, DOCKER);
  }
  for (const { node } of usesSites(file)) if (node.value.startsWith(DOCKER)) imageSite(file, node, out, DOCKER);
  return out;
}
