import { contextSourcesOf } from '../core/formats';
import type { ParsedFile } from '../core/model';
import { DiskModels, type OpenText } from './disk-models';
import { uriToPath } from './uri';

/**
 * The files a document's format names as context (`FormatDefinition.contextFiles`) when they are single files:
 * the Dockerfiles a Compose file's services build from. Open documents as typed, other files from disk, each
 * under the URI the document names it by. Folders (a plan's module folders) are not read here.
 */
export class ContextFiles {
  private readonly models: DiskModels;

  constructor(openAt?: (filePath: string) => OpenText | undefined) {
    this.models = new DiskModels(openAt);
  }

  filesFor(file: ParsedFile): ParsedFile[] {
    const out: ParsedFile[] = [];
    for (const source of contextSourcesOf(file)) {
      const p = source.names ? undefined : uriToPath(source.path);
      const model = p ? this.models.read(p) : null;
      if (model) out.push({ ...model, uri: source.path });
    }
    return out;
  }
}
