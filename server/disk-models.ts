import { readFileSync, statSync } from 'node:fs';
import { DEFAULT_MAX_FILE_SIZE } from '../core/config';
import { detectFormat, type Format, parseFileSync } from '../core/formats';
import type { ParsedFile } from '../core/model';

/** An open editor document, by path: its text is read instead of the file's. */
export interface OpenText {
  text: string;
  version: number;
}

interface Cached {
  /** Disk: modification time and size; open document: its version (size -1). */
  mtimeMs: number;
  size: number;
  model: ParsedFile | null;
  /** The length of the text parsed (what the budget counts). */
  chars: number;
}

/**
 * The text the models kept may total (UTF-16 code units): a parsed model takes several times its text, and a
 * kustomization naming a folder of large CustomResourceDefinitions would otherwise hold them all for as long as
 * the server runs. Past it, the models used longest ago are dropped (read again when next needed).
 */
export const KEPT_CHARS = 500_000;

/**
 * Models of files a document's analysis reads besides it (a chart's values.yaml, a kustomization's bases): an
 * open document's text as typed, else the file on disk, parsed again only when its version, size or
 * modification time changes.
 */
export class DiskModels {
  /** In order of last use (oldest first). */
  private readonly cache = new Map<string, Cached>();
  private keptChars = 0;

  constructor(private readonly openAt: (filePath: string) => OpenText | undefined = () => undefined) {}

  /** Whether a file exists on disk or is open. */
  has(filePath: string): boolean {
    if (this.openAt(filePath)) return true;
    try {
      return statSync(filePath).isFile();
    } catch {
      return false;
    }
  }

  /** The model of a file (null: missing, unreadable or too large), read as `format` or as detected. */
  read(filePath: string, format?: Format): ParsedFile | null {
    const open = this.openAt(filePath);
    let stat: { mtimeMs: number; size: number };
    if (open) stat = { mtimeMs: open.version, size: -1 };
    else {
      try {
        const s = statSync(filePath);
        if (!s.isFile()) throw new Error('not a file');
        stat = s;
      } catch {
        this.drop(filePath);
        return null;
      }
    }
    const cached = this.drop(filePath);
    if (cached && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) {
      this.keep(filePath, cached);
      return cached.model;
    }
    let model: ParsedFile | null = null;
    let chars = 0;
    try {
      const raw = open ? open.text : stat.size <= DEFAULT_MAX_FILE_SIZE ? readFileSync(filePath, 'utf8') : undefined;
      if (raw !== undefined && raw.length <= DEFAULT_MAX_FILE_SIZE) {
        const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
        chars = text.length;
        model = parseFileSync(filePath, text, format ?? detectFormat(filePath, text));
      }
    } catch {
      model = null;
    }
    this.keep(filePath, { mtimeMs: stat.mtimeMs, size: stat.size, model, chars });
    return model;
  }

  /** How many models are kept. */
  get size(): number {
    return this.cache.size;
  }

  private drop(filePath: string): Cached | undefined {
    const cached = this.cache.get(filePath);
    if (cached) {
      this.cache.delete(filePath);
      this.keptChars -= cached.chars;
    }
    return cached;
  }

  /** Keep a model as the one used last, dropping the oldest past the budget (never the one just kept). */
  private keep(filePath: string, entry: Cached): void {
    this.cache.set(filePath, entry);
    this.keptChars += entry.chars;
    for (const [oldest] of this.cache) {
      if (this.keptChars <= KEPT_CHARS || oldest === filePath) break;
      this.drop(oldest);
    }
  }
}
