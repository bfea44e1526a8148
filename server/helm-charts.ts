import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_MAX_FILE_SIZE } from '../core/config';
import { parseFileSync } from '../core/formats';
import type { ParsedFile } from '../core/model';
import { dirnameOf, joinUri } from '../core/uri';
import { uriToPath } from './uri';

/**
 * The chart of a Helm file open in the editor: `Chart.yaml` and `values.yaml` of the nearest folder above it
 * that holds a `Chart.yaml` (the document itself may be unsaved), read from disk and read again when their
 * size or modification time changes, so a template's `.Values` resolve as it is typed.
 */

/** How far above a template its chart folder may be (`templates/` and one level of subfolders, with room). */
const MAX_LEVELS = 4;
const CHART_FILES = ['Chart.yaml', 'values.yaml'];

interface Cached {
  mtimeMs: number;
  size: number;
  model: ParsedFile | null;
}

export class HelmCharts {
  private readonly cache = new Map<string, Cached>();

  /** The chart's other files for `file` (none when it is in no chart folder on disk). */
  filesFor(file: ParsedFile): ParsedFile[] {
    const p = uriToPath(file.uri);
    if (!p) return [];
    let dir = path.dirname(p);
    let dirUri = dirnameOf(file.uri);
    for (let level = 0; level < MAX_LEVELS && !existsSync(path.join(dir, 'Chart.yaml')); level++) {
      const up = path.dirname(dir);
      if (up === dir) return [];
      dir = up;
      dirUri = dirnameOf(dirUri);
    }
    if (!existsSync(path.join(dir, 'Chart.yaml'))) return [];
    const out: ParsedFile[] = [];
    for (const name of CHART_FILES) {
      const filePath = path.join(dir, name);
      if (filePath === p) continue;
      const model = this.read(filePath);
      // Spelled like the document's URI, so the chart's files share its project key.
      if (model) out.push({ ...model, uri: joinUri(dirUri, name) });
    }
    return out;
  }

  private read(filePath: string): ParsedFile | null {
    let stat: { mtimeMs: number; size: number };
    try {
      stat = statSync(filePath);
    } catch {
      this.cache.delete(filePath);
      return null;
    }
    const cached = this.cache.get(filePath);
    if (cached && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) return cached.model;
    let model: ParsedFile | null = null;
    if (stat.size <= DEFAULT_MAX_FILE_SIZE) {
      try {
        const raw = readFileSync(filePath, 'utf8');
        model = parseFileSync(filePath, raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw, 'helm');
      } catch {
        model = null;
      }
    }
    this.cache.set(filePath, { mtimeMs: stat.mtimeMs, size: stat.size, model });
    return model;
  }
}
