import { readdirSync, readFileSync, statSync, type Dirent } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { snippetToText } from './fix';
import { COMMIT_SLOT, type Fix, type HubPin, type HubRepoType } from './rule';

/**
 * The local Hugging Face cache, read to pin a Hub load to the commit that was actually downloaded — offline,
 * never a guess. The layout is huggingface_hub's: `<root>/models--{org}--{name}/` (`datasets--`, `spaces--`)
 * holds `refs/<ref>` (a file holding the 40-character commit the ref resolved to when it was last downloaded;
 * `refs/pr/1` for pull requests) and `snapshots/<commit>/` (one folder per downloaded commit).
 *
 * Rules never read it: a finding carries a `HubPin` (which repository, which ref, the edits that write the
 * commit) and a front end that may read the cache turns it into one fix per cached commit (`cachedPinFixes`):
 * the editor's code actions and `airlock pin`. Only folder names, folder times and the small ref files are
 * read; a file in the cache that is not what huggingface_hub writes is ignored.
 */

const COMMIT = /^[0-9a-f]{40}$/;
/** Bounds on what one repository's folder is trusted to hold (a cache is large, a repository's refs are few). */
const MAX_ENTRIES = 2000;
const MAX_REF_DEPTH = 4;
const MAX_REF_BYTES = 128;

/** A downloaded commit, the refs (branches, tags) that resolved to it, and when its snapshot was made. */
export interface CachedCommit {
  sha: string;
  refs: string[];
  mtimeMs: number;
}

/**
 * Where huggingface_hub keeps its cache: `$HF_HUB_CACHE`, else `$HF_HOME/hub`, else `$XDG_CACHE_HOME/huggingface/hub`,
 * else `~/.cache/huggingface/hub` (huggingface_hub's own order; `HUGGINGFACE_HUB_CACHE` is its older name of
 * `HF_HUB_CACHE`).
 */
export function hubCacheRoot(env: Record<string, string | undefined>, home: string = homedir()): string {
  const set = (name: string) => (env[name] ? env[name] : undefined);
  const hub = set('HF_HUB_CACHE') ?? set('HUGGINGFACE_HUB_CACHE');
  if (hub) return path.resolve(expandHome(hub, home));
  const hfHome = set('HF_HOME') ?? path.join(set('XDG_CACHE_HOME') ?? path.join(home, '.cache'), 'huggingface');
  return path.resolve(expandHome(hfHome, home), 'hub');
}

function expandHome(p: string, home: string): string {
  return p === '~' || p.startsWith('~/') ? path.join(home, p.slice(1)) : p;
}

/** The cache folder of a repository: `models--org--name`. */
export function repoFolderName(type: HubRepoType, repo: string): string {
  return `${type}s--${repo.split('/').join('--')}`;
}

/** A repository id that names exactly one cache folder: `name` or `org/name`, no `.`/`..` segment. */
const REPO_ID = /^[A-Za-z0-9][\w.-]*(?:\/[A-Za-z0-9][\w.-]*)?$/;

function entries(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true }).slice(0, MAX_ENTRIES);
  } catch {
    return [];
  }
}

/** `refs/` as ref name → commit, nested refs (`pr/1`) included; anything but a 40-character commit ignored. */
function readRefs(dir: string, prefix = '', depth = 0, out = new Map<string, string>()): Map<string, string> {
  if (depth > MAX_REF_DEPTH) return out;
  for (const e of entries(dir)) {
    const name = `${prefix}${e.name}`;
    if (e.isDirectory()) readRefs(path.join(dir, e.name), `${name}/`, depth + 1, out);
    else if (e.isFile()) {
      try {
        const file = path.join(dir, e.name);
        if (statSync(file).size > MAX_REF_BYTES) continue;
        const sha = readFileSync(file, 'utf8').trim();
        if (COMMIT.test(sha)) out.set(name, sha);
      } catch {
        // Unreadable: as if absent.
      }
    }
  }
  return out;
}

/** The cache at `root`; each repository's folder is read once, when a finding first asks for it. */
export class HubCache {
  private readonly known = new Map<string, CachedCommit[]>();

  constructor(readonly root: string) {}

  /** The repository's downloaded commits, newest snapshot first. None when it was never downloaded. */
  commits(type: HubRepoType, repo: string): CachedCommit[] {
    if (!REPO_ID.test(repo)) return [];
    const key = repoFolderName(type, repo);
    let found = this.known.get(key);
    if (!found) {
      found = this.read(path.join(this.root, key));
      this.known.set(key, found);
    }
    return found;
  }

  /** The commit the cache resolved `ref` to: what the code asking for that ref ran last. */
  commitOf(pin: HubPin): CachedCommit | undefined {
    return this.commits(pin.repoType, pin.repo).find((c) => c.refs.includes(pin.ref));
  }

  private read(dir: string): CachedCommit[] {
    const refs = readRefs(path.join(dir, 'refs'));
    const out: CachedCommit[] = [];
    const snapshots = path.join(dir, 'snapshots');
    for (const e of entries(snapshots)) {
      if (!e.isDirectory() || !COMMIT.test(e.name)) continue;
      let mtimeMs = 0;
      try {
        mtimeMs = statSync(path.join(snapshots, e.name)).mtimeMs;
      } catch {
        continue;
      }
      const pointing = [...refs].filter(([, sha]) => sha === e.name).map(([ref]) => ref);
      out.push({ sha: e.name, refs: pointing.sort(), mtimeMs });
    }
    return out.sort((a, b) => b.mtimeMs - a.mtimeMs || (a.sha < b.sha ? -1 : 1));
  }
}

/** The fix kind of a pin to a cached commit: correct (it is what ran) but it changes what later runs load. */
export const CACHED_PIN_KIND = 'pin-cached-commit';

/** One fix per cached commit of the finding's repository, newest first: "Pin to 1a2b3c4d5e6f… (cached from main)". */
export function cachedPinFixes(pin: HubPin, cache: HubCache): Fix[] {
  return cache.commits(pin.repoType, pin.repo).map((c) => cachedPinFix(pin, c));
}

export function cachedPinFix(pin: HubPin, commit: CachedCommit): Fix {
  const from = commit.refs.length ? `cached from ${commit.refs.join(', ')}` : 'cached; no branch points to it now';
  return {
    title: `Pin to ${commit.sha.slice(0, 12)}… (${from})`,
    kind: CACHED_PIN_KIND,
    safety: 'unsafe',
    edits: pin.edits.map((e) => ({ ...e, newText: snippetToText(e.newText.split(COMMIT_SLOT).join(commit.sha)) })),
  };
}
