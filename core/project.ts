import type { Format, ParsedFile } from './model';
import { dirnameOf } from './uri';

function groupKey(format: Format, uri: string): string {
  return `${format}\0${dirnameOf(uri)}`;
}

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
  /** Files by format and folder, built on the first `module` after a change (rules ask for modules often). */
  private groups: Map<string, (ParsedFile | Pending)[]> | undefined;

  constructor(files: Iterable<ParsedFile> = []) {
    for (const f of files) this.add(f);
  }

  add(file: ParsedFile): void {
    this.files.set(file.uri, file);
    this.groups = undefined;
  }

  /**
   * A file no rule reports on but whose neighbours' rules may read (a module's `variables.tf`): parsed on
   * the first `module` or `get` that includes it, then kept.
   */
  addLazy(uri: string, format: Format, parse: () => ParsedFile): void {
    this.files.set(uri, new Pending(uri, format, parse));
    this.groups = undefined;
  }

  remove(uri: string): void {
    this.files.delete(uri);
    this.groups = undefined;
  }

  get(uri: string): ParsedFile | undefined {
    const f = this.files.get(uri);
    return f && this.parsed(f);
  }

  /** Every file of the same format in the same folder, `file` itself included (first). */
  module(file: ParsedFile): ParsedFile[] {
    const group = this.groupsByKey().get(groupKey(file.format, file.uri)) ?? [];
    const out = [file];
    for (let i = 0; i < group.length; i++) {
      const f = group[i];
      if (f === file || f.uri === file.uri) continue;
      const parsed = this.parsed(f);
      group[i] = parsed;
      out.push(parsed);
    }
    return out;
  }

  private groupsByKey(): Map<string, (ParsedFile | Pending)[]> {
    if (this.groups) return this.groups;
    const groups = new Map<string, (ParsedFile | Pending)[]>();
    for (const f of this.files.values()) {
      const key = groupKey(f.format, f.uri);
      const list = groups.get(key);
      if (list) list.push(f);
      else groups.set(key, [f]);
    }
    return (this.groups = groups);
  }

  private parsed(f: ParsedFile | Pending): ParsedFile {
    if (!(f instanceof Pending)) return f;
    const file = f.parse();
    this.files.set(f.uri, file);
    return file;
  }
}
