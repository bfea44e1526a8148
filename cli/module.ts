import path from 'node:path';
import { isConfigIgnored, walkFolder, type ConfigIgnore } from '../core/scan';
import ignore from 'ignore';
import { isTerraformModuleFile } from '../core/formats';

/**
 * Module context for scans of a list of files (what pre-commit passes) and of the index (`--staged`): a
 * Terraform module is a folder of files, so a variable's default in `vars.tf` decides a finding on the
 * security group in `main.tf`. A Terraform file named to the scan brings the other Terraform files of its
 * folder, which are scanned and reported too: the module as a whole is what gets committed. A Helm template
 * brings its chart's `Chart.yaml` and values files the same way.
 */

/** The folders (absolute) of the module files among `files` (absolute). */
export function moduleFolders(files: Iterable<string>): Set<string> {
  const folders = new Set<string>();
  for (const f of files) if (isTerraformModuleFile(f)) folders.add(path.dirname(f));
  return folders;
}

/** Whether a file is one a Helm chart's templates read: `Chart.yaml` or a values file at the chart's top. */
export function isChartContextFile(file: string): boolean {
  const base = path.basename(file).toLowerCase();
  return base === 'chart.yaml' || /^values(?:-[^/\\]*)?\.ya?ml$/.test(base);
}

/**
 * The chart folders of the Helm templates among `files` (paths with `/` or the platform's separator): the
 * folder above a `templates/` folder. A template named to a scan brings its chart's `Chart.yaml` and values
 * files, so its `.Values` resolve as in a scan of the whole chart.
 */
export function chartFolders(files: Iterable<string>): Set<string> {
  const folders = new Set<string>();
  for (const f of files) {
    const parts = f.split(/[\\/]/);
    const at = parts.lastIndexOf('templates');
    if (at > 0 && at < parts.length - 1) folders.add(parts.slice(0, at).join(f.includes('/') ? '/' : path.sep));
  }
  return folders;
}

/** Every sub-folder, relative to the folder walked: the walk stays in the module's own folder. */
const SUBFOLDERS = ignore().add('*/');

/**
 * The module files of `folder` in the working tree, with git's ignore rules and the config's `ignore:`
 * patterns applied, as a walk would: a git-ignored `secret.auto.tfvars` is not part of what is committed.
 */
export function moduleFilesOnDisk(
  folder: string,
  configIgnore?: ConfigIgnore,
  belongs: (file: string) => boolean = isTerraformModuleFile,
): { abs: string; size: number }[] {
  const files = [];
  for (const f of walkFolder(folder, { configIgnore: () => ({ dir: folder, ig: SUBFOLDERS }) })) {
    if (belongs(f.abs) && !isConfigIgnored(configIgnore, f.abs)) files.push(f);
  }
  return files;
}
