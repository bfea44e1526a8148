import { extensionOf } from '../detect';
import type { Format } from '../model';

/**
 * Which files form one project, analysed together: a folder's Terraform files (a module: a bucket in
 * `main.tf`, its public access block in `s3.tf`, a variable's default in `variables.tf`), and a folder's
 * Kubernetes manifests (a Service in one selects a Deployment in another). Any other file is analysed alone.
 * A project never spans folders, so the CLI's threads, which split the work by folder, keep projects whole.
 */
export function formsProject(format: Format): boolean {
  return format === 'terraform' || format === 'kubernetes';
}

/** Extensions `detectFormat` can give a project format to (by extension or by content). */
const PROJECT_EXTENSIONS = new Set(['tf', 'tfvars', 'yaml', 'yml', 'json', 'template']);

/** Whether a file may belong to a project, from its name alone: such files are read before the others. */
export function mayFormProject(uri: string): boolean {
  return PROJECT_EXTENSIONS.has(extensionOf(uri));
}
