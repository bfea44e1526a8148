import path from 'node:path';
import { UsageError } from './args';
import { git, gitOk } from './git';
import type { SkippedFile } from '../core/report';
import { relativePath } from '../core/report';
import { decode, isConfigIgnored, type ConfigIgnore } from '../core/scan';
import { isTerraformModuleFile } from '../core/formats';
import { chartFolders, isChartContextFile, moduleFolders } from './module';
import type { UnitFile } from './unit';

/**
 * `--staged`: the content of the git index — what the next commit will hold — not the working tree.
 * Added, copied, modified and renamed files (`git diff --cached --diff-filter=ACMR`), restricted to the
 * given paths, with the other staged files of their Terraform module (see `module.ts`); their blobs are
 * read in one `git cat-file --batch`. Symbolic links and submodules are not files and are left out. The
 * config's `ignore:` patterns apply; `.gitignore` does not (a staged file was
 * added on purpose).
 */

function nulSeparated(buf: Buffer): string[] {
  return buf.toString('utf8').split('\0').filter(Boolean);
}

interface StagedResult {
  files: UnitFile[];
  skipped: SkippedFile[];
}

/** Parse `git cat-file --batch` output: `<oid> <type> <size>\n<content>\n` per object. */
function parseBatch(buf: Buffer): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  let pos = 0;
  while (pos < buf.length) {
    const nl = buf.indexOf(10, pos);
    if (nl < 0) break;
    const header = buf.subarray(pos, nl).toString('utf8').split(' ');
    pos = nl + 1;
    if (header[1] === 'missing' || header.length < 3) continue;
    const size = Number(header[2]);
    out.set(header[0], buf.subarray(pos, pos + size));
    pos += size + 1;
  }
  return out;
}

export async function stagedFiles(
  cwd: string,
  paths: readonly string[],
  root: string,
  maxFileSize: number,
  configIgnore?: ConfigIgnore,
): Promise<StagedResult> {
  const top = await git(['rev-parse', '--show-toplevel'], cwd);
  if (top.code !== 0) throw new UsageError('--staged needs a git repository, and this is not one');
  const toplevel = top.stdout.toString('utf8').trim();
  const pathspec = ['--', ...paths];

  // Deleted files count too: deleting a module's public access block changes what its other files mean.
  const names = nulSeparated(await gitOk(['diff', '--cached', '--name-only', '--diff-filter=ACMRD', '-z', ...pathspec], cwd));
  if (names.length === 0) return { files: [], skipped: [] };
  const wanted = new Set(names);
  const modules = moduleFolders(names);
  const charts = chartFolders(names);

  // Blob ids and modes of the staged entries (stage 0: merged).
  const entries: { name: string; oid: string }[] = [];
  for (const rec of nulSeparated(await gitOk(['ls-files', '--stage', '--full-name', '-z', ...pathspec], cwd))) {
    const tab = rec.indexOf('\t');
    const [mode, oid, stage] = rec.slice(0, tab).split(' ');
    const name = rec.slice(tab + 1);
    const folder = path.posix.dirname(name);
    const inModule = (isTerraformModuleFile(name) && modules.has(folder)) || (isChartContextFile(name) && charts.has(folder));
    if ((!wanted.has(name) && !inModule) || stage !== '0') continue;
    if (mode === '120000' || mode === '160000') continue; // symbolic link, submodule
    const abs = path.join(toplevel, ...name.split('/'));
    if (isConfigIgnored(configIgnore, abs)) continue;
    entries.push({ name, oid });
  }

  // Sizes first, so blobs over the limit are never loaded.
  const oids = [...new Set(entries.map((e) => e.oid))];
  const sizes = new Map<string, number>();
  for (const line of (await gitOk(['cat-file', '--batch-check'], cwd, `${oids.join('\n')}\n`)).toString('utf8').split('\n')) {
    const [oid, type, size] = line.split(' ');
    if (type === 'blob') sizes.set(oid, Number(size));
  }
  const small = oids.filter((o) => (sizes.get(o) ?? Infinity) <= maxFileSize);
  const blobs = small.length ? parseBatch(await gitOk(['cat-file', '--batch'], cwd, `${small.join('\n')}\n`)) : new Map<string, Buffer>();

  const files: UnitFile[] = [];
  const skipped: SkippedFile[] = [];
  for (const e of entries) {
    const abs = path.join(toplevel, ...e.name.split('/'));
    const blob = blobs.get(e.oid);
    const size = sizes.get(e.oid);
    if (!blob) {
      if (size !== undefined) skipped.push({ path: relativePath(root, abs), reason: 'too-large', size });
      continue;
    }
    const loaded = decode(blob, maxFileSize);
    if (loaded.kind === 'text') files.push({ uri: abs, text: loaded.text });
    else if (loaded.kind === 'skipped') skipped.push({ path: relativePath(root, abs), reason: loaded.reason, size: loaded.size });
  }
  return { files, skipped };
}
