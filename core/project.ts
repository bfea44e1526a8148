import { projectKeyOf as groupKey } from './formats';
import type { Format, ParsedFile } from './model';
import { hasSpellingEscape } from './prefilter';

/** What the project knows of a file before parsing it. */
export type ProjectText = Pick<ParsedFile, 'uri' | 'format' | 'text'>;

/** A file of the project that is parsed only when a rule looks at it (see `Project.addLazy`). */
class Pending {
  constructor(
    readonly uri: string,
    readonly format: Format,
    readonly text: string,
    readonly parse: () => ParsedFile,
  ) {}
}

/**
 * Files analysed together. A Terraform module is a folder of `.tf` files: a rule that looks across
 * files (a bucket in `main.tf`, its public access block in `s3.tf`) asks for the module of a file. Which
 * files form a module is the format's business (`projectKeyOf`).
 */
export class Project {
  private readonly files = new Map<string, ParsedFile | Pending>();
  /** Files every project of their format reads, in order (extra Helm values files). */
  private readonly sharedFiles: ParsedFile[] = [];
  /** Files by project key, built on the first `module` after a change (rules ask for modules often). */
  private groups: Map<string, (ParsedFile | Pending)[]> | undefined;
  /** See `derived`; emptied on every change. */
  private readonly memo = new Map<string, unknown>();

  constructor(files: Iterable<ParsedFile> = []) {
    for (const f of files) this.add(f);
  }

  add(file: ParsedFile): void {
    this.files.set(file.uri, file);
    this.changed();
  }

  /**
   * A file no rule reports on but whose neighbours' rules may read (a module's `variables.tf`): parsed on
   * the first `module` or `get` that includes it, then kept.
   */
  addLazy(uri: string, format: Format, text: string, parse: () => ParsedFile): void {
    this.files.set(uri, new Pending(uri, format, text, parse));
    this.changed();
  }

  /** A file every project of its format reads after its own (an extra Helm values file, as `helm -f` passes one). */
  addShared(file: ParsedFile): void {
    this.sharedFiles.push(file);
  }

  /** The shared files of a format, in the order they were added. */
  shared(format: Format): ParsedFile[] {
    return this.sharedFiles.filter((f) => f.format === format);
  }

  remove(uri: string): void {
    this.files.delete(uri);
    this.changed();
  }

  private changed(): void {
    this.groups = undefined;
    this.memo.clear();
  }

  get(uri: string): ParsedFile | undefined {
    const f = this.files.get(uri);
    return f && this.parsed(f);
  }

  /**
   * Every file of the same format and project, `file` itself included (first). `mayMatter`, when given,
   * tells from a file's text whether it can matter to the caller (a variable's name, a resource type): a file
   * not parsed yet for which it is false is left out, and stays unparsed. Text with escapes that could spell
   * what the test looks for always matters.
   */
  module(file: ParsedFile, mayMatter?: (text: string) => boolean): ParsedFile[] {
    const group = this.groupsByKey().get(groupKey(file.format, file.uri)) ?? [];
    const out = [file];
    for (let i = 0; i < group.length; i++) {
      const f = group[i];
      if (f === file || f.uri === file.uri) continue;
      if (mayMatter && f instanceof Pending && !mayMatter(f.text) && !hasSpellingEscape(f.text)) continue;
      const parsed = this.parsed(f);
      group[i] = parsed;
      out.push(parsed);
    }
    return out;
  }

  /**
   * Every file of the project a file of `format` at `uri` would belong to (the uri need not exist: a plan
   * asks for the module folder its configuration names).
   */
  filesAt(format: Format, uri: string): ParsedFile[];
  /**
   * With `mayMatter`: a file not parsed yet whose text it rejects is left out and stays unparsed (unlike
   * `module`, with no exception for escapes: callers whose test escapes could defeat say so in their test).
   */
  filesAt(format: Format, uri: string, mayMatter: (file: ProjectText) => boolean): ParsedFile[];
  filesAt(format: Format, uri: string, mayMatter?: (file: ProjectText) => boolean): ParsedFile[] {
    const group = this.groupsByKey().get(groupKey(format, uri)) ?? [];
    if (!mayMatter) {
      for (let i = 0; i < group.length; i++) group[i] = this.parsed(group[i]);
      return group as ParsedFile[];
    }
    const out: ParsedFile[] = [];
    for (let i = 0; i < group.length; i++) {
      const f = group[i];
      if (f instanceof Pending && !mayMatter(f)) continue;
      const parsed = this.parsed(f);
      group[i] = parsed;
      out.push(parsed);
    }
    return out;
  }

  /**
   * A value computed from the project's files, kept until the next change of the project (`add`, `addLazy`,
   * `remove`): what many rules would otherwise each work out again from the same texts.
   */
  derived<T>(key: string, compute: () => T): T {
    if (this.memo.has(key)) return this.memo.get(key) as T;
    const value = compute();
    this.memo.set(key, value);
    return value;
  }

  /** The texts of the module's other files, parsed or not (for `Rule.prefilter`). */
  moduleTexts(file: Omit<ProjectText, 'text'>): string[] {
    const group = this.groupsByKey().get(groupKey(file.format, file.uri)) ?? [];
    return group.filter((f) => f !== file && f.uri !== file.uri).map((f) => f.text);
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
