import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * A fresh clone of this repository as it stands (its committed files with the working tree's changes), made
 * the way a user gets it: a git repository with one commit, no `dist/`, no `node_modules/`.
 */

export const ROOT = path.resolve(__dirname, '../..');

export function git(args: string[], cwd: string): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' },
  });
}

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

/** The clone and its commit. `withNodeModules` links this checkout's `node_modules` (no registry needed to build). */
export function freshClone(withNodeModules: boolean): { dir: string; commit: string } {
  const dir = tempDir('airlock-clone-');
  git(['init', '-q', '-b', 'main'], dir);
  const files = git(['ls-files', '-z', '--cached', '--others', '--exclude-standard'], ROOT).split('\0').filter(Boolean);
  for (const f of files) {
    const from = path.join(ROOT, f);
    if (!existsSync(from)) continue; // deleted in the working tree
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    copyFileSync(from, path.join(dir, f));
  }
  git(['add', '-A'], dir);
  git(['commit', '-q', '-m', 'snapshot'], dir);
  if (withNodeModules) symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return { dir, commit: git(['rev-parse', 'HEAD'], dir).trim() };
}
