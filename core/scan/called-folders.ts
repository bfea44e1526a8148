import { readdirSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import {
  type ContextSource,
  contextSourcesOf,
  detectFormat,
  formatDefinition,
  LOCAL_CALL_TEXT,
  MAX_CALL_DEPTH,
  MODULE_FILE,
  mayReadOtherFolders,
  parseFileSync,
  resolveFolder,
} from '../formats';
import type { ParsedFile } from '../model';
import { dirnameOf, joinUri } from '../uri';
import { loadFile } from './load';

/**
 * The local modules a batch's Terraform files call (`source = "./modules/bucket"`) may sit in folders another
 * batch scans: their `.tf` and `.tf.json` files are read from disk for the project, as context, so that a call
 * sees its module (see `core/called-modules.ts`). So are the files a format's findings relate to (a plan's module
 * folders, a kustomization's bases). Only for files read from disk: a buffer or the git index has no folder.
 */

const SOURCE = /\bsource\s*=\s*"(\.\.?\/[^"\n]*)"/g;

export interface CalledFile {
  uri: string;
  text: string;
}

/**
 * The Terraform files of the folders that `texts` (file uri → text) call and `known` (folders already held) lacks,
 * followed through the called modules' own calls.
 */
export function calledModuleFiles(texts: readonly CalledFile[], known: ReadonlySet<string>, maxFileSize: number): CalledFile[] {
  const out: CalledFile[] = [];
  const seen = new Set(known);
  let level = texts.filter((t) => path.isAbsolute(t.uri) && LOCAL_CALL_TEXT.test(t.text));
  for (let depth = 0; depth < MAX_CALL_DEPTH && level.length; depth++) {
    const next: CalledFile[] = [];
    for (const t of level) {
      for (const m of t.text.matchAll(SOURCE)) {
        const folder = resolveFolder(dirnameOf(t.uri), m[1]);
        if (seen.has(folder)) continue;
        seen.add(folder);
        // Unbounded by the scan's root: a module called as `../../modules/x` from a scanned folder is its input.
        for (const f of sourceFiles({ path: folder, names: MODULE_FILE }, new Set(), maxFileSize, undefined)) {
          out.push(f);
          if (LOCAL_CALL_TEXT.test(f.text)) next.push(f);
        }
      }
    }
    level = next;
  }
  return out;
}

/** Files read as context for one file, through the context files' own (a kustomization's base's bases). */
const MAX_CONTEXT_FILES = 500;
/** Nesting of context files followed (an overlay of an overlay of a base...); cycles are cut by `known`. */
const MAX_CONTEXT_DEPTH = 16;

/**
 * The files a file's related locations read from elsewhere (a plan's root and local module folders, a
 * kustomization's bases and patch files: see `contextSourcesOf`) that `known` (file uris) lacks, followed
 * through the context files' own sources; `known` gains them. Only for a file read from disk, and, when `root` is
 * given, only files inside it (after following symbolic links): a `../../` path never reads outside the scan.
 */
export function contextFolderFiles(file: ParsedFile, known: Set<string>, maxFileSize: number, root?: string): CalledFile[] {
  if (!path.isAbsolute(file.uri)) return [];
  const realRoot = root === undefined ? undefined : realPath(root);
  if (root !== undefined && realRoot === undefined) return [];
  const out: CalledFile[] = [];
  let level = [file];
  for (let depth = 0; depth < MAX_CONTEXT_DEPTH && level.length && out.length < MAX_CONTEXT_FILES; depth++) {
    const next: ParsedFile[] = [];
    for (const from of level) {
      for (const source of contextSourcesOf(from)) {
        for (const f of sourceFiles(source, known, maxFileSize, realRoot)) {
          if (out.length >= MAX_CONTEXT_FILES) return out;
          out.push(f);
          const format = detectFormat(f.uri, f.text);
          if (formatDefinition(format).contextFiles) next.push(parseFileSync(f.uri, f.text, format));
        }
      }
    }
    level = next;
  }
  return out;
}

/** `contextFolderFiles` from a file's text, for a cache key: parsed only when its format reads other folders. */
export function contextFilesOfText(uri: string, content: string | Buffer, known: ReadonlySet<string>, maxFileSize: number, root?: string): CalledFile[] {
  if (!mayReadOtherFolders(uri)) return [];
  const text = content.toString();
  const format = detectFormat(uri, text);
  if (!formatDefinition(format).contextFiles) return [];
  return contextFolderFiles(parseFileSync(uri, text, format), new Set(known), maxFileSize, root);
}

function realPath(p: string): string | undefined {
  try {
    return realpathSync(p);
  } catch {
    return undefined;
  }
}

/** The source's files `known` lacks (it gains them): the file, or the folder's files its `names` match. */
function sourceFiles(source: ContextSource, known: Set<string>, maxFileSize: number, realRoot: string | undefined): CalledFile[] {
  const real = realPath(source.path);
  if (real === undefined) return []; // not there (a typo, a module fetched by `terraform init`): nothing to read
  if (realRoot !== undefined) {
    const rel = path.relative(realRoot, real);
    if (rel.startsWith('..') || path.isAbsolute(rel)) return [];
  }
  let uris: string[];
  try {
    uris = statSync(real).isDirectory()
      ? readdirSync(source.path)
          .filter((n) => source.names?.test(n) === true)
          .sort()
          .map((n) => joinUri(source.path, n))
      : [source.path];
  } catch {
    return [];
  }
  const out: CalledFile[] = [];
  for (const uri of uris) {
    if (known.has(uri)) continue;
    known.add(uri);
    const loaded = loadFile(uri, maxFileSize);
    if (loaded.kind === 'text') out.push({ uri, text: loaded.text });
  }
  return out;
}
