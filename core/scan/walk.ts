import { readFileSync, readdirSync, statSync, type Dirent } from 'node:fs';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';

/**
 * Which files a scan reads, for the CLI and the editor's workspace scan alike. Folders are walked with
 * git's ignore rules: `.git/info/exclude`, then every `.gitignore` from the repository root down (a deeper
 * file wins, `!` re-includes), whether or not the folder is a git repository. `.git/` and `node_modules/`
 * are always skipped; symbolic links are not followed. The config's `ignore:` patterns (gitignore syntax,
 * relative to the config file's folder) apply on top.
 */

export interface WalkedFile {
  /** Absolute path. */
  abs: string;
  size: number;
}

/** A config's `ignore:` patterns with the folder they are relative to. */
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

/** `abs` relative to `dir` when it is inside it, else undefined. */
function inside(dir: string, abs: string): string | undefined {
  const rel = path.relative(dir, abs);
  if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  return posix(rel);
}

function layerOf(dir: string, file: string): Layer | undefined {
  try {
    return { dir, ig: ignore().add(readFileSync(file, 'utf8')) };
  } catch {
    return undefined;
  }
}

const compiled = new WeakMap<readonly string[], Map<string, ConfigIgnore>>();

/** The matcher for a config's `ignore:` list (cached per list and folder: the editor asks on every change). */
export function configIgnoreOf(patterns: readonly string[], configDir: string | undefined): ConfigIgnore | undefined {
  if (!patterns.length || !configDir) return undefined;
  let byDir = compiled.get(patterns);
  if (!byDir) compiled.set(patterns, (byDir = new Map()));
  let ci = byDir.get(configDir);
  if (!ci) byDir.set(configDir, (ci = { dir: configDir, ig: ignore().add([...patterns]) }));
  return ci;
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
function findGitRoot(dir: string): string | undefined {
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
  if (dir === root) return layers;
  const chain: string[] = [];
  for (let d = path.dirname(dir); d === root || inside(root, d) !== undefined; d = path.dirname(d)) {
    chain.unshift(d);
    if (d === root || path.dirname(d) === d) break;
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

export interface WalkOptions {
  /** The `ignore:` patterns that apply in a folder (the nearest config may differ from folder to folder). */
  configIgnore?: (dir: string) => ConfigIgnore | undefined;
  onError?: (abs: string, message: string) => void;
}

/**
 * Walk a folder depth-first in name order. A generator: a caller that must stay responsive (the language
 * server) can pause between files.
 */
export function* walkFolder(root: string, opts: WalkOptions = {}): Generator<WalkedFile> {
  // A folder named to the scan is walked even when git ignores it (as ripgrep does): the rules above it that
  // ignore the folder itself would otherwise hide everything below it.
  const outer = outerLayers(root);
  const stack: { dir: string; layers: readonly Layer[] }[] = [{ dir: root, layers: isGitIgnored(outer, root, true) ? [] : outer }];
  while (stack.length) {
    const { dir, layers: parentLayers } = stack.pop()!;
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      opts.onError?.(dir, errorMessage(e));
      continue;
    }
    let layers = parentLayers;
    if (entries.some((e) => e.name === '.gitignore' && e.isFile())) {
      const l = layerOf(dir, path.join(dir, '.gitignore'));
      if (l) layers = [...parentLayers, l];
    }
    const ci = opts.configIgnore?.(dir);
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const subdirs: string[] = [];
    for (const entry of entries) {
      if (ALWAYS_SKIPPED.has(entry.name) || entry.isSymbolicLink()) continue;
      const abs = path.join(dir, entry.name);
      const isDir = entry.isDirectory();
      if (!isDir && !entry.isFile()) continue;
      if (isGitIgnored(layers, abs, isDir) || isConfigIgnored(ci, abs, isDir)) continue;
      if (isDir) {
        subdirs.push(abs);
        continue;
      }
      try {
        yield { abs, size: statSync(abs).size };
      } catch (e) {
        opts.onError?.(abs, errorMessage(e));
      }
    }
    for (let i = subdirs.length - 1; i >= 0; i--) stack.push({ dir: subdirs[i], layers });
  }
}

/** A path named to a scan that is neither a file nor a folder, or cannot be read (a usage error for the CLI). */
export class PathError extends Error {}

export interface WalkError {
  abs: string;
  message: string;
}

export interface WalkResult {
  files: WalkedFile[];
  errors: WalkError[];
}

/**
 * The files of the paths named to a scan (relative to `cwd`): folders walked as `walkFolder` does; a file named
 * itself is scanned even if git ignores it, but the config's `ignore:` still applies. Throws `PathError`.
 */
export function walkPaths(paths: readonly string[], cwd: string, configIgnore?: ConfigIgnore): WalkResult {
  const files: WalkedFile[] = [];
  const errors: WalkError[] = [];
  const seen = new Set<string>();
  const add = (f: WalkedFile) => {
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
      throw new PathError(code === 'ENOENT' || code === 'ENOTDIR' ? `no such file or directory: ${p}` : `cannot read ${p}: ${errorMessage(e)}`);
    }
    if (st.isDirectory()) {
      if (ALWAYS_SKIPPED.has(path.basename(abs))) continue;
      for (const f of walkFolder(abs, { configIgnore: () => configIgnore, onError: (at, message) => errors.push({ abs: at, message }) })) add(f);
    } else if (st.isFile()) {
      if (!isConfigIgnored(configIgnore, abs)) add({ abs, size: st.size });
    } else {
      throw new PathError(`not a file or directory: ${p}`);
    }
  }
  return { files, errors };
}
