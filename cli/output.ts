import { closeSync, fchmodSync, lstatSync, openSync, renameSync, rmSync, statSync, writeFileSync, type Stats } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { SkippedFile } from '../core/report';
import { UsageError } from './args';

/**
 * Files the CLI writes (the report, the timing file) in a repository it does not trust: a report never
 * replaces a file the scan reads, and never writes through a symbolic link (one planted in the repository
 * could point anywhere). A regular file is written whole to a new file next to it, then renamed over it, so
 * a failed write leaves the old file as it was.
 */

function lstatOrUndefined(file: string): Stats | undefined {
  try {
    return lstatSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new UsageError(`cannot write ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** `abs` relative to `root` when it is below it, else undefined. */
function below(root: string, abs: string): string | undefined {
  const rel = path.relative(root, abs);
  if (!rel || rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) return undefined;
  return rel;
}

/**
 * Refuses a symbolic link or a folder as the output `name` (relative to `root`, the working folder), and
 * a symbolic link among the folders between `root` and it: a linked folder in the repository could lead
 * anywhere. Checked before the scan (a quick answer) and again when writing. Returns the absolute path.
 */
export function checkOutputTarget(root: string, name: string): string {
  const abs = path.resolve(root, name);
  let dir = root;
  for (const part of below(root, path.dirname(abs))?.split(path.sep) ?? []) {
    dir = path.join(dir, part);
    if (lstatOrUndefined(dir)?.isSymbolicLink()) throw new UsageError(`refusing to write ${name}: ${path.relative(root, dir)} is a symbolic link`);
  }
  const st = lstatOrUndefined(abs);
  if (st?.isSymbolicLink()) throw new UsageError(`refusing to write ${name}: it is a symbolic link`);
  if (st?.isDirectory()) throw new UsageError(`cannot write ${name}: it is a folder`);
  return abs;
}

interface ScannedFile {
  uri: string;
  size?: number;
}

function sameFile(a: Stats, b: Stats): boolean {
  return a.dev === b.dev && a.ino === b.ino;
}

/**
 * Refuses an output that is one of the scanned files (by path, or by inode for a hard link or a path
 * through a linked folder). Only files of the output's size can be the same file, so few are looked at.
 */
export function refuseScannedOutputs(outputs: readonly string[], scanned: readonly ScannedFile[], skipped: readonly SkippedFile[], root: string): void {
  for (const output of outputs) {
    const abs = path.resolve(root, output);
    let target: Stats;
    try {
      target = statSync(abs);
    } catch {
      continue; // Nothing there yet: not a scanned file.
    }
    if (!target.isFile()) continue;
    const candidates = [...scanned, ...skipped.map((s) => ({ uri: path.resolve(root, s.path), size: s.size }))];
    for (const f of candidates) {
      if (f.size !== undefined && f.size !== target.size && path.resolve(f.uri) !== abs) continue;
      let st: Stats;
      try {
        st = statSync(f.uri);
      } catch {
        continue;
      }
      if (sameFile(st, target)) throw new UsageError(`refusing to write ${output}: it is one of the scanned files`);
    }
  }
}

/**
 * Writes `text` to the output `name`, relative to `root` (see the top of this file and `checkOutputTarget`);
 * `mode`: the permissions of the file it replaces (a script rewritten in place stays executable).
 */
export function writeOutputFile(root: string, name: string, text: string, mode = 0o644): void {
  const file = checkOutputTarget(root, name);
  const st = lstatOrUndefined(file);
  if (st && !st.isFile()) {
    // A device or a pipe (`-o /dev/null`): nothing to replace, write to it.
    writeOrFail(() => writeFileSync(file, text), name);
    return;
  }
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  writeOrFail(() => {
    // `wx`: O_CREAT | O_EXCL, which never opens an existing file or follows a link.
    const fd = openSync(temp, 'wx', mode);
    try {
      try {
        writeFileSync(fd, text);
        // The process's umask applies to `openSync`: the replaced file's permissions are set whole.
        if (mode !== 0o644) fchmodSync(fd, mode);
      } finally {
        closeSync(fd);
      }
      renameSync(temp, file);
    } catch (e) {
      rmSync(temp, { force: true });
      throw e;
    }
  }, name);
}

function writeOrFail(write: () => void, shown: string): void {
  try {
    write();
  } catch (e) {
    throw new UsageError(`cannot write ${shown}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}
