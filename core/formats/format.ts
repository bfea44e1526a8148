import type { ExprNode, Node, ParsedFile, Span } from '../model';
import type { Project } from '../project';
import type { RelatedLocation } from '../rule';
import type { GrammarName } from '../wasm';

/**
 * One file format Airlock reads: how a file is recognised, how it becomes the model, which files form one
 * project with it, and which editor documents are of it. A format is a folder of `core/formats/` whose
 * `index.ts` exports its definition; the registry (`core/formats/index.ts`) lists the definitions.
 */
export interface FormatDefinition<Id extends string = string> {
  readonly id: Id;
  /**
   * Extensions (lower case, without the dot) a file of the format may have; detection is not tried on
   * other files. Empty: any file (the fallback).
   */
  readonly extensions: readonly string[];
  /**
   * File names (matched in lower case) the format may have whatever their extension (`Dockerfile.prod`):
   * detection is tried on those files too.
   */
  readonly fileNames?: RegExp;
  /**
   * Lower-case endings a file name must have besides its extension (`.tf.json`), when the extension alone is
   * shared with other formats: only such files are tried for detection-time grouping into projects.
   */
  readonly nameSuffixes?: readonly string[];
  /**
   * The model a format shares with other formats (`terraform` for Terraform's JSON syntax and plans): rules
   * read files of one family alike, and files of one family with the same `projectKey` form one project.
   * Absent: the format's own id.
   */
  readonly family?: string;
  /**
   * Whether a file with one of `extensions` is of this format, from its path and text. Cheap: it runs on
   * every file of a scan, and only the head of a large text should be read.
   */
  detect(uri: string, text: string): boolean;
  /**
   * The expression language of the format's values when it is not its family's: `terraform` for HCL files that write
   * Terraform's expressions (`local.x`, templates, Terraform's functions) outside a Terraform module (Terragrunt's):
   * `evaluate` reads them as Terraform's, with the names of the file's own project.
   */
  readonly expressions?: 'terraform';
  /** Tree-sitter grammars `parse` needs, loaded before the first parse (`prepareFormat`). */
  readonly grammars: readonly GrammarName[];
  /** The model of one file. Never throws on bad input: syntax errors become `problems`. */
  parse(uri: string, text: string): ParsedFile;
  /**
   * Which files form one project with this one (rules that look across files see them together): files of
   * the format with the same key. Absent: every file stands alone.
   */
  projectKey?(uri: string): string;
  /**
   * Whether a fix may edit files of the format. False for generated files no one edits (a Terraform plan):
   * their findings are reported without fixes. Absent: true.
   */
  readonly fixable?: boolean;
  /**
   * Whether the same values are written several times in a file (a plan repeats planned values in its
   * changes, prior state and configuration): a finding outside the model's resources that repeats one inside
   * them (same rule, message and text) is not reported. The parse's resources must be sorted by start.
   */
  readonly repeatsValues?: boolean;
  /**
   * Related locations the format adds to each finding on one of its files (a plan names the resource's
   * address and its block in the configuration the scan also reads).
   */
  relate?(file: ParsedFile, span: Span, project: Project): RelatedLocation[];
  /**
   * Other files `relate` (or a rule) reads (a plan's module folders, a kustomization's bases and patch files):
   * a scan reads them from disk as context when it was not given them, whatever it was given.
   */
  contextFiles?(file: ParsedFile): ContextSource[];
  /**
   * What a reference of the format (an `ExprNode`) stands for, read from the other files of its project
   * (`evaluate` asks; Helm reads `.Values.x` from the chart's `values.yaml`). Absent or undefined: unresolved.
   */
  resolve?(node: ExprNode, file: ParsedFile, project: Project): { values: Node[]; unresolved: string[] } | undefined;
  /** Frees what a parse holds outside the JavaScript heap (a tree-sitter tree), once a scan is done with the file. */
  release?(file: ParsedFile): void;
  /**
   * The editor documents the language server analyses as text documents of this format: by language id, by file
   * extension, or by file name (glob patterns of a base name: `.env.*`, for names whose extension says nothing).
   * A buffer without a file name is of the one format listing its language id. Absent: the format reaches the
   * server another way (notebooks through notebook sync).
   */
  readonly editor?: { readonly languages: readonly string[]; readonly extensions: readonly string[]; readonly filenames?: readonly string[] };
}

/** A format definition whose `id` keeps its literal type (the registry derives the `Format` union from it). */
export function defineFormat<const Id extends string>(definition: FormatDefinition<Id>): FormatDefinition<Id> {
  return definition;
}

/**
 * Files a format's findings read from elsewhere (`FormatDefinition.contextFiles`): `path` is a file, or a folder
 * of which the files whose names match `names` are read (none without it). A path that is not there is skipped.
 */
export interface ContextSource {
  path: string;
  names?: RegExp;
}

/** The lower-case extension of a path's last segment, without the dot ('' for none or a dot file). */
export function extensionOf(uri: string): string {
  const base = uri.slice(uri.lastIndexOf('/') + 1).toLowerCase();
  const dot = base.lastIndexOf('.');
  return dot <= 0 ? '' : base.slice(dot + 1);
}

/** JSON or YAML syntax, for the formats that can be written in either. */
export function isJsonText(uri: string, text: string): boolean {
  const ext = extensionOf(uri);
  if (ext === 'json' || ext === 'ipynb') return true;
  if (ext === 'yaml' || ext === 'yml') return false;
  return /^\s*[[{]/.test(text);
}

/** Detection reads only the head of a big file. */
export function headOf(text: string): string {
  return text.length > 200_000 ? text.slice(0, 200_000) : text;
}
