import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { extensionOf } from '../core/formats';
import { helmRole } from '../core/formats/helm';
import type { ParsedFile } from '../core/model';
import { dirnameOf, joinUri } from '../core/uri';
import { DiskModels, type OpenText } from './disk-models';
import { uriToPath } from './uri';

/**
 * The chart of a Helm file open in the editor: `Chart.yaml` and `values.yaml` of the nearest folder above it
 * that holds a `Chart.yaml`. An open document wins over the disk (an unsaved `values.yaml` is what a template
 * resolves from); a file on disk is read again when its size or modification time changes, so a template's
 * `.Values` resolve as it is typed. A values file also gets the chart's templates, whose findings its lines
 * decide.
 */

/** How far above a template its chart folder may be (`templates/` and one level of subfolders, with room). */
const MAX_LEVELS = 4;
/** The files of a chart folder a template reads (its context). */
export const CHART_CONTEXT_FILES = ['Chart.yaml', 'values.yaml'];

/** Templates read for a values file: deeper folders and more files than real charts have are left out. */
const TEMPLATE_DEPTH = 3;
const MAX_TEMPLATES = 300;
const TEMPLATE_EXTENSIONS = new Set(['yaml', 'yml', 'tpl']);

/** An open editor document, by path. */
export type OpenChartDocument = OpenText;

export class HelmCharts {
  private readonly models: DiskModels;

  constructor(
    /** The open document at a path, if any: its text is read instead of the file's. */
    private readonly openAt: (filePath: string) => OpenChartDocument | undefined = () => undefined,
  ) {
    this.models = new DiskModels(openAt);
  }

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
    // The chart's own values.yaml decides what its templates render: it reads them (other values files do not).
    if (helmRole(file) !== 'values' || p !== path.join(dir, 'values.yaml')) return out;
    for (const rel of templatePaths(path.join(dir, 'templates'))) {
      const model = this.read(path.join(dir, 'templates', ...rel));
      if (model?.format === 'helm') out.push({ ...model, uri: joinUri(dirUri, ['templates', ...rel].map(encodeURIComponent).join('/')) });
    }
    return out;
  }

  private read(filePath: string): ParsedFile | null {
    return this.models.read(filePath, 'helm');
  }
}

/** The template files under a chart's `templates/` folder, as path segments below it, sorted. */
function templatePaths(root: string): string[][] {
  const out: string[][] = [];
  const walk = (dir: string, rel: string[]) => {
    let entries: import('node:fs').Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (out.length >= MAX_TEMPLATES) return;
      if (e.isDirectory() && rel.length + 1 < TEMPLATE_DEPTH) walk(path.join(dir, e.name), [...rel, e.name]);
      else if (e.isFile() && TEMPLATE_EXTENSIONS.has(extensionOf(e.name))) out.push([...rel, e.name]);
    }
  };
  walk(root, []);
  return out;
}
