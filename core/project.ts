import type { Format, ParsedFile } from './model';
import { dirnameOf } from './uri';

/** A file of the project that is parsed only when a rule looks at it (see `Project.addLazy`). */
class Pending {
  constructor(
    readonly uri: string,
    readonly format: Format,
    readonly parse: () => ParsedFile,
  ) {}
}

/**
 * Files analysed together. A Terraform module is a folder of `.tf` files: a rule that looks across
 * files (a bucket in `main.tf`, its public access block in `s3.tf`) asks for the module of a file.
 */
export class Project {
  private readonly files = new Map<string, ParsedFile | Pending>();

  constructor(files: Iterable<ParsedFile> = []) {
    for (const f of files) this.add(f);
  }

  add(file: ParsedFile): void {
    this.files.set(file.uri, file);
  }

  /**
   * A file no rule reports on but whose neighbours' rules may read (a module's `variables.tf`): parsed on
   * the first `module` or `get` that includes it, then kept.
   */
  addLazy(uri: string, format: Format, parse: () => ParsedFile): void {
    this.files.set(uri, new Pending(uri, format, parse));
  }

  remove(uri: string): void {
    this.files.delete(uri);
  }

  get(uri: string): ParsedFile | undefined {
    const f = this.files.get(uri);
    return f && this.parsed(f);
  }

  /** Every file of the same format in the same folder, `file` itself included (first). */
  module(file: ParsedFile): ParsedFile[] {
    const dir = dirnameOf(file.uri);
    const out = [file];
    for (const f of this.files.values()) {
      if (f !== file && f.uri !== file.uri && f.format === file.format && dirnameOf(f.uri) === dir) out.push(this.parsed(f));
    }
    return out;
  }

  private parsed(f: ParsedFile | Pending): ParsedFile {
    if (!(f instanceof Pending)) return f;
    const file = f.parse();
    this.files.set(f.uri, file);
    return file;
  }
}
