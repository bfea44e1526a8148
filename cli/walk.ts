import { readFileSync, readdirSync, statSync, type Dirent } from 'node:fs';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { UsageError } from './args';

/**
 * Which files a scan reads. Folders are walked with git's ignore rules: `.git/info/exclude`, then every
 * `.gitignore` from the repository root down (a deeper file wins, `!` re-includes), whether or not the
 * folder is a git repository. `.git/` and `node_modules/` are always skipped, symbolic links are not
 * followed. A file named on the command line is scanned even if git ignores it; the config's `ignore:`
 * patterns apply to everything.
 */

export interface Candidate {
  /** Absolute path. */
  abs: string;
  size: number;
}

export interface WalkError {
  abs: string;
  message: string;
}

export interface WalkResult {
  files: Candidate[];
  errors: WalkError[];
}

/** Patterns of the config's `ignore:`, relative to the config file's folder. */
export interface ConfigIgnore {
  dir: string;
  ig: Ignore;
}

interface Layer {
  dir: string;
  ig: Ignore;
}

const ALWAYS_SKIPPED = new Set(['.git', 'node_modules']);

function posix(p: string): string {
  return path.sep === '/' ? p : p.split(path.sep).join('/');
}

function tryRead(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function layerOf(dir: string, file: string): Layer | undefined {
  const text = tryRead(file);
  return text === undefined ? undefined : { dir, ig: ignore().add(text) };
}

export function configIgnoreOf(patterns: string[], configDir: string): ConfigIgnore | undefined {
  return patterns.length ? { dir: configDir, ig: ignore().add(patterns) } : undefined;
}

/** `abs` relative to `dir` when it is inside it, else undefined. */
function inside(dir: string, abs: string): string | undefined {
  const rel = path.relative(dir, abs);
  if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  return posix(rel);
}

export function isConfigIgnored(ci: ConfigIgnore | undefined, abs: string, isDir = false): boolean {
  if (!ci) return false;
  const rel = inside(ci.dir, abs);
  return rel !== undefined && ci.ig.ignores(isDir ? `${rel}/` : rel);
}

function isGitIgnored(layers: readonly Layer[], abs: string, isDir: boolean): boolean {
  let ignored = false;
  for (const layer of layers) {
    const rel = inside(layer.dir, abs);
    if (rel === undefined) continue;
    const r = layer.ig.test(isDir ? `${rel}/` : rel);
    if (r.ignored) ignored = true;
    else if (r.unignored) ignored = false;
  }
  return ignored;
}

/** The nearest folder at or above `dir` holding `.git` (a folder, or a file for worktrees). */
export function findGitRoot(dir: string): string | undefined {
  for (let d = dir; ; d = path.dirname(d)) {
    try {
      statSync(path.join(d, '.git'));
      return d;
    } catch {
      // keep looking
    }
    if (path.dirname(d) === d) return undefined;
  }
}

/** Ignore layers that apply above `dir`: `.git/info/exclude` and the `.gitignore`s from the repo root to `dir`'s parent. */
function outerLayers(dir: string): Layer[] {
  const root = findGitRoot(dir);
  if (!root) return [];
  const layers: Layer[] = [];
  const exclude = layerOf(root, path.join(root, '.git', 'info', 'exclude'));
  if (exclude) layers.push(exclude);
  const chain: string[] = [];
  for (let d = path.dirname(dir); d === root || inside(root, d) !== undefined; d = path.dirname(d)) {
    chain.unshift(d);
    if (d === root) break;
  }
  for (const d of chain) {
    const l = layerOf(d, path.join(d, '.gitignore'));
    if (l) layers.push(l);
  }
  return layers;
}

function errorMessage(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  return err?.code ?? err?.message ?? String(e);
}

export function walkPaths(paths: readonly string[], cwd: string, configIgnore?: ConfigIgnore): WalkResult {
  const files: Candidate[] = [];
  const errors: WalkError[] = [];
  const seen = new Set<string>();

  const addFile = (abs: string, size: number) => {
    if (seen.has(abs)) return;
    seen.add(abs);
    files.push({ abs, size });
  };

  const visit = (dir: string, parentLayers: readonly Layer[]) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      errors.push({ abs: dir, message: errorMessage(e) });
      return;
    }
    let layers = parentLayers;
    if (entries.some((e) => e.name === '.gitignore' && e.isFile())) {
      const l = layerOf(dir, path.join(dir, '.gitignore'));
      if (l) layers = [...parentLayers, l];
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (ALWAYS_SKIPPED.has(entry.name) || entry.isSymbolicLink()) continue;
      const abs = path.join(dir, entry.name);
      const isDir = entry.isDirectory();
      if (!isDir && !entry.isFile()) continue;
      if (isGitIgnored(layers, abs, isDir) || isConfigIgnored(configIgnore, abs, isDir)) continue;
      if (isDir) {
        visit(abs, layers);
        continue;
      }
      try {
        addFile(abs, statSync(abs).size);
      } catch (e) {
        errors.push({ abs, message: errorMessage(e) });
      }
    }
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
      visit(abs, outerLayers(abs));
    } else if (st.isFile()) {
      if (!isConfigIgnored(configIgnore, abs)) addFile(abs, st.size);
    } else {
      throw new UsageError(`not a file or directory: ${p}`);
    }
  }
  return { files, errors };
}
