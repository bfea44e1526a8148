import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { ParsedFile } from '../core/model';
import { Project } from '../core/project';
import { DEFAULT_MAX_FILE_SIZE } from '../core/config';
import { detectFormat, formatHasProjects, isTerraform, isTerraformModuleFile, parseFileSync } from '../core/formats';
import { terraform } from '../core/formats/terraform';
import { terraformJson } from '../core/formats/terraform-json';
import { dirnameOf, joinUri } from '../core/uri';
import type { TerraformFile } from '../core/formats/terraform/parse';
import { HelmCharts, type OpenChartDocument } from './helm-charts';
import { ContextFiles } from './context-files';
import { KustomizeLayers } from './kustomize-layers';
import { pathToUri, uriToPath } from './uri';

/**
 * The project of a document open in the editor. A Helm file's is its chart (`helm-charts.ts`), a kustomization's
 * what it builds on (`kustomize-layers.ts`). A Terraform folder is one project: rules that look across files see
 * the open buffers (unsaved text included) and the folder's other `.tf` / `.tfvars` / `.tf.json` /
 * `.tfvars.json` files on disk. A folder's files are listed and parsed from disk once, the first time a document
 * of that folder is analysed, and re-read one by one when a watched file changes or a document is saved. Open
 * buffers always win over the disk.
 */

/** Globs of the files a change of which on disk changes a project (`isTerraformModuleFile`, for the client's file watcher). */
export function projectFileGlobs(): string[] {
  return [...terraform.extensions.map((ext) => `**/*.${ext}`), ...(terraformJson.nameSuffixes ?? []).map((s) => `**/*${s}`)];
}

interface Folder {
  /** file path → parsed model (undefined: to be read again), null: unreadable or too large. */
  files: Map<string, ParsedFile | null | undefined>;
  listed: boolean;
}

export interface OpenTerraformDocument {
  uri: string;
  path: string;
  model(): ParsedFile | undefined;
}

/** Percent-encode a file name the way editors write URIs (everything but unreserved characters). */
function encodeName(name: string): string {
  return name.replace(/[^A-Za-z0-9\-._~]/g, (c) => encodeURIComponent(c).replace(/[!'()*]/g, (x) => `%${x.charCodeAt(0).toString(16).toUpperCase()}`));
}

export class TerraformProjects {
  private readonly folders = new Map<string, Folder>();
  private readonly charts: HelmCharts;
  private readonly layers: KustomizeLayers;
  private readonly context: ContextFiles;

  constructor(
    /** The open Terraform documents of a folder (by path). */
    private readonly openIn: (dir: string) => OpenTerraformDocument[],
    /** The open document at a path (a chart's `values.yaml`, a kustomization's base, read as typed). */
    openAt?: (filePath: string) => OpenChartDocument | undefined,
  ) {
    this.charts = new HelmCharts(openAt);
    this.layers = new KustomizeLayers(openAt);
    this.context = new ContextFiles(openAt);
  }

  /** The Helm chart folder a file belongs to (the nearest folder above it with a `Chart.yaml`). */
  chartDirOf(filePath: string): string | undefined {
    return this.charts.chartDirOf(filePath);
  }

  /** The project `file` is analysed in: itself, the folder's other open buffers, then its files on disk. */
  projectFor(file: ParsedFile): Project {
    // A Helm template or values file: with its chart's Chart.yaml and values.yaml.
    if (file.format === 'helm') return new Project([file, ...this.charts.filesFor(file)]);
    // A kustomization: with the bases, components and patch files it names.
    if (file.format === 'kustomize') return new Project([file, ...this.layers.filesFor(file)]);
    // A Compose file: with the Dockerfiles its services build from.
    if (file.format === 'compose') return new Project([file, ...this.context.filesFor(file)]);
    if (!isTerraform(file.format) || !formatHasProjects(file.format)) return new Project([file]);
    const filePath = uriToPath(file.uri);
    if (!filePath) return new Project([file]);
    const dir = path.dirname(filePath);
    const files: ParsedFile[] = [file];
    const taken = new Set<string>([filePath]);
    for (const open of this.openIn(dir)) {
      if (taken.has(open.path)) continue;
      const m = open.model();
      if (!m) continue;
      taken.add(open.path);
      files.push(m);
    }
    const dirUri = dirnameOf(file.uri);
    for (const [p, model] of this.diskFiles(dir, taken)) {
      // Give disk files URIs spelled like the document's own, so `joinUri(dirnameOf(uri), name)` finds them.
      const uri = joinUri(dirUri, encodeName(path.basename(p)));
      files.push(model.uri === uri ? model : { ...model, uri });
    }
    return new Project(files);
  }

  /** A file changed on disk (watched files, or a document saved). */
  fileChanged(filePath: string, kind: 'created' | 'changed' | 'deleted'): void {
    const folder = this.folders.get(path.dirname(filePath));
    if (!folder) return;
    if (kind === 'deleted') folder.files.delete(filePath);
    else if (kind === 'created') folder.listed = false;
    else if (folder.files.has(filePath)) folder.files.set(filePath, undefined);
    else folder.listed = false;
  }

  /** Drop a folder's files (its last open document closed, or a workspace scan is done with it). */
  forget(dir: string): void {
    this.folders.delete(dir);
  }

  /** The folder's files on disk but those in `skip` (open: their buffers win), which are neither read nor kept. */
  private diskFiles(dir: string, skip: ReadonlySet<string>): [string, ParsedFile][] {
    let folder = this.folders.get(dir);
    if (!folder) {
      folder = { files: new Map(), listed: false };
      this.folders.set(dir, folder);
    }
    if (!folder.listed) {
      folder.listed = true;
      const names = listProjectFiles(dir);
      const keep = new Set(names.map((n) => path.join(dir, n)));
      for (const p of [...folder.files.keys()]) if (!keep.has(p)) folder.files.delete(p);
      for (const p of keep) if (!folder.files.has(p)) folder.files.set(p, undefined);
    }
    const out: [string, ParsedFile][] = [];
    for (const [p, m] of folder.files) {
      if (skip.has(p)) {
        // Open in the editor: drop a copy read earlier; it is read again if the document closes.
        if (m) folder.files.set(p, undefined);
        continue;
      }
      let model = m;
      if (model === undefined) {
        model = readProjectFile(p);
        folder.files.set(p, model);
      }
      if (model) out.push([p, model]);
    }
    return out;
  }
}

function listProjectFiles(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isFile() && isTerraformModuleFile(e.name))
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}

/** Parse a Terraform file from disk; its tree is freed at once (the model does not need it). */
export function readProjectFile(p: string): ParsedFile | null {
  try {
    if (statSync(p).size > DEFAULT_MAX_FILE_SIZE) return null;
    const raw = readFileSync(p, 'utf8');
    const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
    const uri = pathToUri(p);
    const file = parseFileSync(uri, text, detectFormat(uri, text)) as Partial<TerraformFile> & ParsedFile;
    try {
      file.tree?.delete();
    } catch {
      // nothing to free
    }
    return file;
  } catch {
    return null;
  }
}
