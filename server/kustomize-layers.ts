import path from 'node:path';
import { KUSTOMIZATION_NAMES } from '../core/formats/kustomize';
import { namedPaths } from '../core/formats/kustomize/layers';
import type { ParsedFile } from '../core/model';
import { joinUri } from '../core/uri';
import { DiskModels, type OpenText } from './disk-models';
import { uriToPath } from './uri';

/**
 * What a kustomization open in the editor builds on, as a scan of the whole tree would hold it: the manifests
 * and kustomizations its resources, bases and components name (folders through their kustomization, followed
 * down), and its patch files — open documents as typed, other files from disk. Local paths only.
 */

/** Files read for one kustomization: bases of real overlays are a few dozen. */
const MAX_FILES = 500;

export class KustomizeLayers {
  private readonly models: DiskModels;

  constructor(openAt?: (filePath: string) => OpenText | undefined) {
    this.models = new DiskModels(openAt);
  }

  /** The files the kustomization reaches (it excluded), each under the URI the kustomization names it by. */
  filesFor(file: ParsedFile): ParsedFile[] {
    const out: ParsedFile[] = [];
    const seen = new Set<string>([file.uri]);
    const queue: ParsedFile[] = [file];
    const take = (uri: string): ParsedFile | undefined => {
      const p = uriToPath(uri);
      if (seen.has(uri) || !p || out.length >= MAX_FILES) return undefined;
      seen.add(uri);
      const model = this.models.read(p);
      if (!model) return undefined;
      const named = { ...model, uri };
      out.push(named);
      return named;
    };
    for (let i = 0; i < queue.length; i++) {
      const { layers, patches } = namedPaths(queue[i]);
      for (const uri of patches) take(uri);
      for (const uri of layers) {
        const p = uriToPath(uri);
        if (!p) continue;
        // A folder: its kustomization, by the names kustomize tries.
        const name = this.models.has(p) ? undefined : KUSTOMIZATION_NAMES.find((n) => this.models.has(path.join(p, n)));
        const f = take(name === undefined ? uri : joinUri(uri, name));
        if (f?.format === 'kustomize') queue.push(f);
      }
    }
    return out;
  }
}
