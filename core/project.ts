import type { ParsedFile } from './model';
import { dirnameOf } from './uri';

/**
 * Files analysed together. A Terraform module is a folder of `.tf` files: a rule that looks across
 * files (a bucket in `main.tf`, its public access block in `s3.tf`) asks for the module of a file.
 */
export class Project {
  private readonly files = new Map<string, ParsedFile>();

  constructor(files: Iterable<ParsedFile> = []) {
    for (const f of files) this.add(f);
  }

  add(file: ParsedFile): void {
    this.files.set(file.uri, file);
  }

  remove(uri: string): void {
    this.files.delete(uri);
  }

  get(uri: string): ParsedFile | undefined {
    return this.files.get(uri);
  }

  /** Every file of the same format in the same folder, `file` itself included (first). */
  module(file: ParsedFile): ParsedFile[] {
    const dir = dirnameOf(file.uri);
    const out = [file];
    for (const f of this.files.values()) {
      if (f !== file && f.uri !== file.uri && f.format === file.format && dirnameOf(f.uri) === dir) out.push(f);
    }
    return out;
  }
}
