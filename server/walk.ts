import { readdirSync, readFileSync, statSync, type Dirent } from 'node:fs';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';

/**
 * Which files `airlock.scanWorkspace` reads: a workspace folder walked with git's ignore rules (the
 * repository's `.git/info/exclude`, then every `.gitignore` from the repository root down, a deeper file
 * winning, `!` re-including) and the `ignore:` patterns of the `.airlock.yaml` that applies. `.git/` and
 * `node_modules/` are always skipped; symbolic links are not followed.
 *
 * (The CLI has its own walker in `cli/`; the server may not import `cli/`, and this one also walks
 * lazily, yielding between folders, so the server stays responsive during a scan.)
 */

const ALWAYS_SKIPPED = new Set(['.git', 'node_modules']);

interface Layer {
  dir: string;
  ig: Ignore;
}

function posix(p: string): string {
  return path.sep === '/' ? p : p.split(path.sep).join('/');
}

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

function ignoredBy(layers: readonly Layer[], abs: string, isDir: boolean): boolean {
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

const matchers = new WeakMap<readonly string[], Ignore>();

function matcher(patterns: readonly string[]): Ignore {
  let m = matchers.get(patterns);
  if (!m) {
    m = ignore().add([...patterns]);
    matchers.set(patterns, m);
  }
  return m;
}

/** Whether a file (or folder) is excluded by a config's `ignore:` patterns (relative to the config's folder). */
export function isIgnoredByConfig(patterns: readonly string[], configDir: string | undefined, abs: string, isDir = false): boolean {
  if (!patterns.length || !configDir) return false;
  const rel = inside(configDir, abs);
  return rel !== undefined && matcher(patterns).ignores(isDir ? `${rel}/` : rel);
}

export interface WalkedFile {
  abs: string;
  size: number;
}

export interface WalkOptions {
  /** `ignore:` patterns of a config, relative to `configDir`, for the folder (and below). */
  configIgnore?: (dir: string) => { patterns: readonly string[]; dir?: string };
  onError?: (abs: string, message: string) => void;
}

/** The nearest folder at or above `dir` holding `.git` (a folder, or a file for worktrees). */
function gitRoot(dir: string): string | undefined {
  for (let d = dir; ; d = path.dirname(d)) {
    if (statSafe(path.join(d, '.git'))) return d;
    if (path.dirname(d) === d) return undefined;
  }
}

/** Ignore rules that apply to `dir` from above it: `.git/info/exclude` and the `.gitignore`s from the repository root down. */
function outerLayers(dir: string): Layer[] {
  const root = gitRoot(dir);
  if (!root) return [];
  const layers: Layer[] = [];
  const exclude = layerOf(root, path.join(root, '.git', 'info', 'exclude'));
  if (exclude) layers.push(exclude);
  const chain: string[] = [];
  for (let d = path.dirname(dir); d === root || inside(root, d) !== undefined; d = path.dirname(d)) {
    chain.unshift(d);
    if (d === root || path.dirname(d) === d) break;
  }
  if (dir !== root) {
    for (const d of chain) {
      const l = layerOf(d, path.join(d, '.gitignore'));
      if (l) layers.push(l);
    }
  }
  return layers;
}

/** Walk a folder depth-first in name order, one folder at a time (an async generator: callers may pause). */
export async function* walkFolder(root: string, opts: WalkOptions = {}): AsyncGenerator<WalkedFile> {
  const stack: { dir: string; layers: readonly Layer[] }[] = [{ dir: root, layers: outerLayers(root) }];
  while (stack.length) {
    const { dir, layers: parentLayers } = stack.pop()!;
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      opts.onError?.(dir, (e as NodeJS.ErrnoException).code ?? String(e));
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
      if (ignoredBy(layers, abs, isDir)) continue;
      if (ci && isIgnoredByConfig(ci.patterns, ci.dir, abs, isDir)) continue;
      if (isDir) {
        subdirs.push(abs);
        continue;
      }
      const st = statSafe(abs);
      if (st) yield { abs, size: st.size };
      else opts.onError?.(abs, 'cannot stat');
    }
    for (let i = subdirs.length - 1; i >= 0; i--) stack.push({ dir: subdirs[i], layers });
  }
}

function statSafe(p: string): { size: number } | undefined {
  try {
    return statSync(p);
  } catch {
    return undefined;
  }
}
