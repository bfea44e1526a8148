import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_MAX_FILE_SIZE } from '../core/config';
import { parseFileSync } from '../core/formats';
import type { ParsedFile } from '../core/model';
import { dirnameOf, joinUri } from '../core/uri';
import { uriToPath } from './uri';

/**
 * The chart of a Helm file open in the editor: `Chart.yaml` and `values.yaml` of the nearest folder above it
 * that holds a `Chart.yaml`. An open document wins over the disk (an unsaved `values.yaml` is what a template
 * resolves from); a file on disk is read again when its size or modification time changes, so a template's
 * `.Values` resolve as it is typed.
 */

/** How far above a template its chart folder may be (`templates/` and one level of subfolders, with room). */
const MAX_LEVELS = 4;
/** The files of a chart folder a template reads (its context). */
export const CHART_CONTEXT_FILES = ['Chart.yaml', 'values.yaml'];

/** An open editor document, by path. */
export interface OpenChartDocument {
  text: string;
  version: number;
}

interface Cached {
  /** Disk: modification time and size; open document: its version (size -1). */
  mtimeMs: number;
  size: number;
  model: ParsedFile | null;
}

export class HelmCharts {
  private readonly cache = new Map<string, Cached>();

  constructor(
    /** The open document at a path, if any: its text is read instead of the file's. */
    private readonly openAt: (filePath: string) => OpenChartDocument | undefined = () => undefined,
  ) {}

  /** The chart folder of a file: the nearest folder above it holding a `Chart.yaml` (on disk or open). */
  chartDirOf(filePath: string): string | undefined {
    let dir = path.dirname(filePath);
    for (let level = 0; level <= MAX_LEVELS; level++) {
      const chart = path.join(dir, 'Chart.yaml');
      if (this.openAt(chart) || existsSync(chart)) return dir;
      const up = path.dirname(dir);
      if (up === dir) return undefined;
      dir = up;
    }
    return undefined;
  }

  /** The chart's other files for `file` (none when it is in no chart folder). */
  filesFor(file: ParsedFile): ParsedFile[] {
    const p = uriToPath(file.uri);
    if (!p) return [];
    const dir = this.chartDirOf(p);
    if (!dir) return [];
    let dirUri = dirnameOf(file.uri);
    for (let d = path.dirname(p); d !== dir; d = path.dirname(d)) dirUri = dirnameOf(dirUri);
    const out: ParsedFile[] = [];
    for (const name of CHART_CONTEXT_FILES) {
      const filePath = path.join(dir, name);
      if (filePath === p) continue;
      const model = this.read(filePath);
      // Spelled like the document's URI, so the chart's files share its project key.
      if (model) out.push({ ...model, uri: joinUri(dirUri, name) });
    }
    return out;
  }

  private read(filePath: string): ParsedFile | null {
    const open = this.openAt(filePath);
    let stat: { mtimeMs: number; size: number };
    if (open) stat = { mtimeMs: open.version, size: -1 };
    else {
      try {
        stat = statSync(filePath);
      } catch {
        this.cache.delete(filePath);
        return null;
      }
    }
    const cached = this.cache.get(filePath);
    if (cached && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) return cached.model;
    let model: ParsedFile | null = null;
    try {
      const raw = open ? open.text : stat.size <= DEFAULT_MAX_FILE_SIZE ? readFileSync(filePath, 'utf8') : undefined;
      if (raw !== undefined && raw.length <= DEFAULT_MAX_FILE_SIZE) model = parseFileSync(filePath, raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw, 'helm');
    } catch {
      model = null;
    }
    this.cache.set(filePath, { mtimeMs: stat.mtimeMs, size: stat.size, model });
    return model;
  }
}
