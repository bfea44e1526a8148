import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../core/config';
import { detectFormat, isTerraformModuleFile } from '../core/formats';
import { relativePath } from '../core/report';
import type { Rule } from '../core/rule';
import { OVER_BUDGET } from '../core/runner';
import { calledModuleFiles, contextFilesOfText, type CalledFile } from '../core/scan';
import { dirnameOf } from '../core/uri';
import type { FileResult, UnitFile } from './unit';

/**
 * `airlock scan --cache`: the results of a folder (the unit rules look across: a Terraform module's files
 * are one folder) kept under the cache folder, keyed by everything they depend on — the text of each file
 * of the folder, the scan root, the config, the rule set and the Airlock build. An unchanged folder's
 * results are read back instead of scanned; a changed file invalidates its folder and nothing else.
 * Entries are never trusted beyond their key: any change to the key's inputs gives a different key.
 */

/** The default cache folder, in the scan root. It holds a `.gitignore` of `*`, so git and Airlock's own walk skip it. */
export const CACHE_DIR = '.airlock-cache';
/** Bumped when an entry's layout or meaning changes. */
const CACHE_FORMAT = 1;

export interface CacheStats {
  hits: number;
  misses: number;
  /** Entries that could not be written (a read-only folder): the scan goes on without them. */
  writeErrors: number;
}

export interface CacheSalt {
  root: string;
  config: Config;
  rules: readonly Rule[];
  reportUnusedSuppressions: boolean;
  /** What identifies the running build (its version and, when bundled, the bundle's bytes). */
  build: string;
}

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** A JSON text of `value` with object keys sorted, so equal configs give equal keys. */
function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

/** The build's identity: the version, and the bytes of the running bundle when there is one. */
export function buildIdentity(version: string, bundle: string | undefined): string {
  return bundle && existsSync(bundle) ? `${version}\0${sha256(readFileSync(bundle))}` : version;
}

export class ScanCache {
  readonly stats: CacheStats = { hits: 0, misses: 0, writeErrors: 0 };
  private readonly salt: string;
  private ready = false;
  private readonly maxFileSize: number;

  constructor(
    private readonly dir: string,
    salt: CacheSalt,
  ) {
    this.maxFileSize = salt.config.maxFileSize;
    this.salt = sha256(
      stableJson({
        format: CACHE_FORMAT,
        build: salt.build,
        root: salt.root,
        config: salt.config,
        rules: salt.rules.map((r) => `${r.id}:${r.severity}`),
        unused: salt.reportUnusedSuppressions,
        // Extra Helm values files are read by every chart: their content is part of every key.
        helmValues: (salt.config.helmValues ?? []).map((f) => {
          try {
            return sha256(readFileSync(f));
          } catch {
            return 'unreadable';
          }
        }),
      }),
    );
  }

  /**
   * The unit's key: the salt, each file's path and content, and the content of the local Terraform modules its
   * files call from other folders (their variables decide findings here), and of the files its plans and
   * kustomizations relate their findings to (see `contextSourcesOf`). Read here; an unreadable file makes the unit uncacheable.
   */
  keyOf(unit: readonly UnitFile[], root: string): string | undefined {
    const hash = createHash('sha256').update(this.salt);
    const terraform: CalledFile[] = [];
    const fromDisk: { uri: string; content: string | Buffer }[] = [];
    for (const f of [...unit].sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0))) {
      let content: string | Buffer;
      try {
        content = f.text ?? readFileSync(f.path ?? f.uri);
      } catch {
        return undefined;
      }
      // The files whose module calls the scan follows (`addCalledModules` in core/scan/pipeline.ts): those read as Terraform.
      if (f.text === undefined && isTerraformModuleFile(f.uri)) {
        const text = content.toString();
        if (detectFormat(f.uri, text) === 'terraform') terraform.push({ uri: f.uri, text });
      }
      if (f.text === undefined) fromDisk.push({ uri: f.uri, content });
      hash.update(`\n${relativePath(root, f.uri)}\0${f.contextOnly ? 'context' : 'scanned'}\0${sha256(content)}`);
    }
    const own = new Set(terraform.map((t) => dirnameOf(t.uri)));
    const context = terraform.length ? calledModuleFiles(terraform, own, this.maxFileSize) : [];
    // A plan's findings relate to its modules' blocks, a kustomization's to its bases' objects, read from disk.
    const held = new Set(unit.map((f) => f.uri));
    for (const f of fromDisk) for (const c of contextFilesOfText(f.uri, f.content, held, this.maxFileSize, root)) context.push(c);
    for (const called of context) hash.update(`\ncalled ${relativePath(root, called.uri)}\0${sha256(called.text)}`);
    return hash.digest('hex');
  }

  private entryPath(key: string): string {
    return path.join(this.dir, key.slice(0, 2), `${key}.json`);
  }

  /** The unit's results from an earlier scan, or undefined (never cached, or an unreadable entry). */
  lookup(key: string): FileResult[] | undefined {
    try {
      const entry = JSON.parse(readFileSync(this.entryPath(key), 'utf8')) as { format: number; results: FileResult[] };
      if (entry.format !== CACHE_FORMAT || !Array.isArray(entry.results)) return this.miss();
      this.stats.hits++;
      return entry.results;
    } catch {
      return this.miss();
    }
  }

  private miss(): undefined {
    this.stats.misses++;
    return undefined;
  }

  /** Keep a unit's results. Written to a temporary file and renamed, so a reader never sees half an entry. */
  store(key: string, results: readonly FileResult[]): void {
    try {
      this.prepare();
      const file = this.entryPath(key);
      mkdirSync(path.dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify({ format: CACHE_FORMAT, results }));
      renameSync(tmp, file);
    } catch {
      this.stats.writeErrors++;
    }
  }

  /** Create the cache folder with its `.gitignore`; refuse one that is a symbolic link (writes would land elsewhere). */
  private prepare(): void {
    if (this.ready) return;
    if (existsSync(this.dir) && lstatSync(this.dir).isSymbolicLink()) throw new Error(`${this.dir} is a symbolic link`);
    mkdirSync(this.dir, { recursive: true });
    const ignore = path.join(this.dir, '.gitignore');
    if (!existsSync(ignore)) writeFileSync(ignore, '# Airlock scan cache (airlock scan --cache): safe to delete.\n*\n');
    this.ready = true;
  }
}

/**
 * Whether results may be kept: not when a file could not be read or analysed, or its rules ran out of time
 * (another run may succeed: a cached failure would outlive its cause).
 */
export function cacheable(results: readonly FileResult[]): boolean {
  return results.every((r) => r.status !== 'failed' && !r.problems.some((p) => p.message.includes(OVER_BUDGET)));
}

/** Which results belong to which unit: by the report path of each of the unit's files. */
export function resultsOfUnit(unit: readonly UnitFile[], byPath: ReadonlyMap<string, FileResult>, root: string): FileResult[] | undefined {
  const out: FileResult[] = [];
  for (const f of unit) {
    if (f.contextOnly) continue;
    const r = byPath.get(relativePath(root, f.uri));
    if (!r) return undefined;
    out.push(r);
  }
  return out;
}
