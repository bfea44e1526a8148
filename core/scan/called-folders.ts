import { readdirSync } from 'node:fs';
import path from 'node:path';
import {
  contextFoldersOf,
  detectFormat,
  formatDefinition,
  LOCAL_CALL_TEXT,
  MAX_CALL_DEPTH,
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
 * sees its module (see `core/called-modules.ts`). So are the module folders a plan's findings relate to. Only
 * for files read from disk: a buffer or the git index has no folder.
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
        for (const f of terraformFiles(folder, maxFileSize)) {
          out.push(f);
          if (LOCAL_CALL_TEXT.test(f.text)) next.push(f);
        }
      }
    }
    level = next;
  }
  return out;
}

/**
 * The Terraform files of the folders a file's related locations read (a plan's root and local modules: see
 * `contextFoldersOf`) that `known` lacks; `known` gains them. Only for a file read from disk.
 */
export function contextFolderFiles(file: ParsedFile, known: Set<string>, maxFileSize: number): CalledFile[] {
  if (!path.isAbsolute(file.uri)) return [];
  const out: CalledFile[] = [];
  for (const folder of contextFoldersOf(file)) {
    if (known.has(folder)) continue;
    known.add(folder);
    for (const f of terraformFiles(folder, maxFileSize)) out.push(f);
  }
  return out;
}

/** `contextFolderFiles` from a file's text, for a cache key: parsed only when its format reads other folders. */
export function contextFilesOfText(uri: string, content: string | Buffer, known: ReadonlySet<string>, maxFileSize: number): CalledFile[] {
  if (!mayReadOtherFolders(uri)) return [];
  const text = content.toString();
  const format = detectFormat(uri, text);
  if (!formatDefinition(format).contextFolders) return [];
  return contextFolderFiles(parseFileSync(uri, text, format), new Set(known), maxFileSize);
}

/** The folder's `.tf` and `.tf.json` files (a module may be written in either syntax). */
function terraformFiles(folder: string, maxFileSize: number): CalledFile[] {
  let names: string[];
  try {
    names = readdirSync(folder).filter((n) => /\.tf(?:\.json)?$/i.test(n));
  } catch {
    return []; // not there (a module fetched by `terraform init`, a typo): nothing to follow
  }
  const out: CalledFile[] = [];
  for (const name of names.sort()) {
    const uri = joinUri(folder, name);
    const loaded = loadFile(uri, maxFileSize);
    if (loaded.kind === 'text') out.push({ uri, text: loaded.text });
  }
  return out;
}
