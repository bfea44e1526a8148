import type { ParsedFile } from '../model';
import { loadGrammar } from '../wasm';
import { cloudformation } from './cloudformation';
import { compose } from './compose';
import { extensionOf, type FormatDefinition } from './format';
import { kubernetes } from './kubernetes';
import { kustomize } from './kustomize';
import { notebook } from './notebook';
import { python } from './python';
import { terraform } from './terraform';
import { text } from './text';

/**
 * Every format Airlock reads, in detection order: a file is of the first format that lists its extension
 * (or lists none) and detects it. `text`, the fallback, comes last; Compose and Kustomize files, named or
 * recognised by their keys, come before the Kubernetes and CloudFormation readers of the same extensions. A new format is a folder next to these,
 * imported and listed here.
 */
export const FORMATS = [terraform, notebook, compose, kustomize, cloudformation, kubernetes, python, text] as const;

/** A format's id: `terraform`, `cloudformation`, `kubernetes`, `compose`, `kustomize`, `notebook`, `python`, `text`. */
export type Format = (typeof FORMATS)[number]['id'];

const byId = new Map<string, FormatDefinition<Format>>(FORMATS.map((f) => [f.id, f]));

/** The formats that may claim a file with this extension, in detection order (built once per extension). */
const candidatesByExtension = new Map<string, FormatDefinition<Format>[]>();

function candidates(ext: string): FormatDefinition<Format>[] {
  let list = candidatesByExtension.get(ext);
  if (!list) {
    list = FORMATS.filter((f) => f.extensions.length === 0 || f.extensions.includes(ext));
    candidatesByExtension.set(ext, list);
  }
  return list;
}

export function formatDefinition(id: Format): FormatDefinition<Format> {
  const f = byId.get(id);
  if (!f) throw new Error(`unknown format ${id}`);
  return f;
}

/** Which format reads a file: by extension first, then by content (a template and a manifest share `.yaml`). */
export function detectFormat(uri: string, text: string): Format {
  for (const f of candidates(extensionOf(uri))) if (f.detect(uri, text)) return f.id;
  return 'text';
}

/** Load what a format's parser needs (its tree-sitter grammars), so a YAML-only scan never loads the HCL grammar. */
export async function prepareFormat(format: Format): Promise<void> {
  await Promise.all(formatDefinition(format).grammars.map(loadGrammar));
}

/**
 * Parse a file into the model. Never throws on bad input: syntax errors become `problems` and the model holds
 * whatever the parser recovered. Call `prepareFormat` first (or use `parseFile`).
 * A Terraform result's tree is only to be freed: an edited document is re-parsed with `parseTerraform`.
 */
export function parseFileSync(uri: string, text: string, format: Format = detectFormat(uri, text)): ParsedFile {
  return formatDefinition(format).parse(uri, text);
}

export async function parseFile(uri: string, text: string, format: Format = detectFormat(uri, text)): Promise<ParsedFile> {
  await prepareFormat(format);
  return parseFileSync(uri, text, format);
}

/**
 * Which project a file belongs to: files with the same key are analysed together (a Terraform module folder,
 * a folder of Kubernetes manifests). A file of a format without projects is its own project.
 */
export function projectKeyOf(format: Format, uri: string): string {
  const key = formatDefinition(format).projectKey?.(uri);
  return key === undefined ? `${format}\0${uri}` : `${format}\0\0${key}`;
}

/** Frees what the file's parse holds outside the JavaScript heap; the file must not be analysed again. */
export function releaseFile(file: ParsedFile): void {
  formatDefinition(file.format).release?.(file);
}

/** Whether a parse of the format holds memory `releaseFile` frees (a scan keeps such files to free them). */
export function holdsNativeMemory(format: Format): boolean {
  return formatDefinition(format).release !== undefined;
}

/** Whether files of the format are grouped into projects (see `projectKeyOf`). */
export function formatHasProjects(format: Format): boolean {
  return formatDefinition(format).projectKey !== undefined;
}

/** Whether a file with this path may be of a format grouped into projects (by extension; content decides). */
export function mayBelongToProject(uri: string): boolean {
  const ext = extensionOf(uri);
  return FORMATS.some((f) => f.projectKey !== undefined && f.extensions.includes(ext));
}

/** Editor documents the language server analyses as text: the language ids and file extensions of the formats. */
export function editorDocuments(): { languages: ReadonlySet<string>; extensions: ReadonlySet<string> } {
  const languages = new Set<string>();
  const extensions = new Set<string>();
  for (const { editor } of FORMATS as readonly FormatDefinition<Format>[]) {
    for (const l of editor?.languages ?? []) languages.add(l);
    for (const e of editor?.extensions ?? []) extensions.add(e);
  }
  return { languages, extensions };
}

export { extensionOf, isJsonText, type FormatDefinition } from './format';
