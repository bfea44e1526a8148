import type { ExprNode, Node, ParsedFile } from '../model';
import type { Project } from '../project';
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
   * Whether a file with one of `extensions` is of this format, from its path and text. Cheap: it runs on
   * every file of a scan, and only the head of a large text should be read.
   */
  detect(uri: string, text: string): boolean;
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
   * What a reference of the format (an `ExprNode`) stands for, read from the other files of its project
   * (`evaluate` asks; Helm reads `.Values.x` from the chart's `values.yaml`). Absent or undefined: unresolved.
   */
  resolve?(node: ExprNode, file: ParsedFile, project: Project): { values: Node[]; unresolved: string[] } | undefined;
  /** Frees what a parse holds outside the JavaScript heap (a tree-sitter tree), once a scan is done with the file. */
  release?(file: ParsedFile): void;
  /**
   * The editor documents the language server analyses as text documents of this format: by language id or
   * by file extension. Absent: the format reaches the server another way (notebooks through notebook sync).
   */
  readonly editor?: { readonly languages: readonly string[]; readonly extensions: readonly string[] };
}

/** A format definition whose `id` keeps its literal type (the registry derives the `Format` union from it). */
export function defineFormat<const Id extends string>(definition: FormatDefinition<Id>): FormatDefinition<Id> {
  return definition;
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
