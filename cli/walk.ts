import { statSync } from 'node:fs';
import path from 'node:path';
import { ALWAYS_SKIPPED, errorMessage, isConfigIgnored, walkFolder, type ConfigIgnore, type WalkedFile } from '../core/walk';
import { UsageError } from './args';

/**
 * The paths of `airlock scan`: folders walked with git's ignore rules and the config's `ignore:` (core/walk.ts);
 * a file named on the command line is scanned even if git ignores it, but the config's `ignore:` still applies.
 */

export type Candidate = WalkedFile;

export interface WalkError {
  abs: string;
  message: string;
}

export interface WalkResult {
  files: Candidate[];
  errors: WalkError[];
}

export function walkPaths(paths: readonly string[], cwd: string, configIgnore?: ConfigIgnore): WalkResult {
  const files: Candidate[] = [];
  const errors: WalkError[] = [];
  const seen = new Set<string>();
  const add = (f: Candidate) => {
    if (seen.has(f.abs)) return;
    seen.add(f.abs);
    files.push(f);
  };

  for (const p of paths) {
    const abs = path.resolve(cwd, p);
    let st;
    try {
      st = statSync(abs);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new UsageError(code === 'ENOENT' || code === 'ENOTDIR' ? `no such file or directory: ${p}` : `cannot read ${p}: ${errorMessage(e)}`);
    }
    if (st.isDirectory()) {
      if (ALWAYS_SKIPPED.has(path.basename(abs))) continue;
      for (const f of walkFolder(abs, { configIgnore: () => configIgnore, onError: (at, message) => errors.push({ abs: at, message }) })) add(f);
    } else if (st.isFile()) {
      if (!isConfigIgnored(configIgnore, abs)) add({ abs, size: st.size });
    } else {
      throw new UsageError(`not a file or directory: ${p}`);
    }
  }
  return { files, errors };
}
