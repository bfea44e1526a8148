import type { ParsedFile, Span } from '../model';
import type { Project } from '../project';
import type { RelatedLocation } from '../rule';
import { basenameOf } from '../uri';
import { loadGrammar } from '../wasm';
import { cloudformation } from './cloudformation';
import { dockerfile } from './dockerfile';
import { compose } from './compose';
import { extensionOf, type ContextSource, type FormatDefinition } from './format';
import { githubActions } from './github-actions';
import { helm } from './helm';
import { kubernetes } from './kubernetes';
import { kustomize } from './kustomize';
import { modelfile } from './modelfile';
import { notebook } from './notebook';
import { python } from './python';
import { terraform } from './terraform';
import { terraformJson } from './terraform-json';
import { terraformPlan } from './terraform-plan';
import { terragrunt } from './terragrunt';
import { text } from './text';

export { lineCommentOf } from './text';
import { dirnameOf } from '../uri';

/**
 * Every format Airlock reads, in detection order: a file is of the first format that lists its extension
 * (or lists none) and detects it. `text`, the fallback, comes last; Compose and Kustomize files, named or
 * recognised by their keys, come before the Kubernetes and CloudFormation readers of the same extensions. A new format is a folder next to these,
 * imported and listed here.
 */
export const FORMATS = [
  terraform,
  terraformJson,
  terraformPlan,
  terragrunt,
  notebook,
  helm,
  githubActions,
  compose,
  kustomize,
  cloudformation,
  kubernetes,
  python,
  dockerfile,
  modelfile,
  text,
] as const;

/**
 * A format's id: `terraform`, `terraform-json`, `terraform-plan`, `terragrunt`, `helm`, `github-actions`, `compose`, `kustomize`,
 * `cloudformation`, `kubernetes`, `notebook`, `python`, `dockerfile`, `modelfile`, `text`.
 */
export type Format = (typeof FORMATS)[number]['id'];

const byId = new Map<string, FormatDefinition<Format>>(FORMATS.map((f) => [f.id, f]));

/** The formats that may claim a file with this extension, in detection order (built once per extension). */
const candidatesByExtension = new Map<string, FormatDefinition<Format>[]>();

function candidates(ext: string): FormatDefinition<Format>[] {
  let list = candidatesByExtension.get(ext);
  if (!list) {
    list = FORMATS.filter((f) => f.extensions.length === 0 || f.extensions.includes(ext) || f.fileNames !== undefined);
    candidatesByExtension.set(ext, list);
  }
  return list;
}

export function formatDefinition(id: Format): FormatDefinition<Format> {
  const f = byId.get(id);
  if (!f) throw new Error(`unknown format ${id}`);
  return f;
}

/**
 * Which format reads a file: by extension (or file name) first, then by content (a template and a manifest share
 * `.yaml`). An editor buffer without a file name (`untitled:` URI) has neither: its `languageId` says what it is
 * (see `formatOfLanguage`); a file's name always decides over its language, as in a CLI scan.
 */
export function detectFormat(uri: string, text: string, languageId?: string): Format {
  if (languageId !== undefined && uri.startsWith('untitled:')) return formatOfLanguage(languageId, uri, text);
  const ext = extensionOf(uri);
  const name = basenameOf(uri).toLowerCase();
  for (const f of candidates(ext)) {
    const byName = f.extensions.length === 0 || f.extensions.includes(ext) || f.fileNames?.test(name) === true;
    if (byName && f.detect(uri, text)) return f.id;
  }
  return 'text';
}

/**
 * The format of a buffer from its language id: the one format (other than the `text` fallback) that lists the
 * language, or, when several do (`yaml`: Kubernetes, CloudFormation, GitHub Actions), the first that detects the
 * text; else `text`.
 */
export function formatOfLanguage(languageId: string, uri: string, text: string): Format {
  const listing = FORMATS.filter((f) => f.extensions.length > 0 && (f.editor?.languages ?? []).includes(languageId));
  if (listing.length === 1) return listing[0].id;
  for (const f of listing) if (f.detect(uri, text)) return f.id;
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
  return key === undefined ? `${format}\0${uri}` : `${formatFamily(format)}\0\0${key}`;
}

/** The model a format's files share with other formats (`terraform` for `.tf`, `.tf.json` and plans). */
export function formatFamily(format: Format): string {
  return formatDefinition(format).family ?? format;
}

/** Whether files of the format are read into the Terraform model (`.tf`, `.tf.json`, plans). */
export function isTerraform(format: Format): boolean {
  return formatFamily(format) === 'terraform';
}

/** Whether the format's values are Terraform expressions (its own family's, or declared by `expressions`). */
export function hasTerraformExpressions(format: Format): boolean {
  return isTerraform(format) || formatDefinition(format).expressions === 'terraform';
}

/** Whether fixes may edit files of the format (not a generated Terraform plan). */
export function isFixableFormat(format: Format): boolean {
  return formatDefinition(format).fixable !== false;
}

/** Whether files of the format write the same values several times (see `FormatDefinition.repeatsValues`). */
export function repeatsValues(format: Format): boolean {
  return formatDefinition(format).repeatsValues === true;
}

/** Related locations the file's format adds to a finding at `span` (see `FormatDefinition.relate`). */
export function formatRelated(file: ParsedFile, span: Span, project: Project): RelatedLocation[] {
  return formatDefinition(file.format).relate?.(file, span, project) ?? [];
}

/** Files the file's related locations read from elsewhere (see `FormatDefinition.contextFiles`). */
export function contextSourcesOf(file: ParsedFile): ContextSource[] {
  return formatDefinition(file.format).contextFiles?.(file) ?? [];
}

/** Whether a file with this path may be of a format that reads other folders' files (`contextSourcesOf`). */
export function mayReadOtherFolders(uri: string): boolean {
  const ext = extensionOf(uri);
  const name = basenameOf(uri).toLowerCase();
  return (FORMATS as readonly FormatDefinition<Format>[]).some(
    (f) => f.contextFiles !== undefined && (f.extensions.includes(ext) || f.fileNames?.test(name) === true),
  );
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
  const lower = uri.toLowerCase();
  const name = basenameOf(lower);
  return (FORMATS as readonly FormatDefinition<Format>[]).some(
    (f) =>
      f.projectKey !== undefined &&
      (f.extensions.includes(ext) || f.fileNames?.test(name) === true) &&
      (f.nameSuffixes?.some((s) => lower.endsWith(s)) ?? true),
  );
}

/**
 * Whether a file (a path or a bare name) belongs to a Terraform module folder, by the extensions of the `terraform`
 * format (`.tf`, `.tofu`, `.tfvars`) and the name endings of `terraform-json` (`.tf.json`, `.tofu.json`,
 * `.tfvars.json`): what a scan of one named file brings along, and what the editor reads and watches of a folder.
 */
export function isTerraformModuleFile(name: string): boolean {
  const base = name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
  const lower = base.toLowerCase();
  return terraform.extensions.includes(extensionOf(base)) || (terraformJson.nameSuffixes ?? []).some((s) => lower.endsWith(s));
}

/**
 * The folder whose files must be scanned together for the file's project to be whole: the widest project
 * key a format of its extension may give it by path (a Helm template's chart folder is above `templates/`),
 * else its own folder. Work split by this folder never splits a project.
 */
export function projectFolderOf(uri: string): string {
  const ext = extensionOf(uri);
  let folder = dirnameOf(uri);
  for (const f of FORMATS) {
    if (f.projectKey === undefined || !f.extensions.includes(ext)) continue;
    const key = f.projectKey(uri);
    if (key.length < folder.length && folder.startsWith(key)) folder = key;
  }
  return folder;
}

/**
 * Editor documents the language server analyses as text: the language ids, file extensions and file names of the
 * formats, each once in registry order (`protocol/documents.ts` holds the same lists for the client).
 */
export function editorDocuments(): { languages: ReadonlySet<string>; extensions: ReadonlySet<string>; filenames: ReadonlySet<string> } {
  const languages = new Set<string>();
  const extensions = new Set<string>();
  const filenames = new Set<string>();
  for (const { editor } of FORMATS as readonly FormatDefinition<Format>[]) {
    for (const l of editor?.languages ?? []) languages.add(l);
    for (const e of editor?.extensions ?? []) extensions.add(e);
    for (const n of editor?.filenames ?? []) filenames.add(n);
  }
  return { languages, extensions, filenames };
}

export { extensionOf, isJsonText, type ContextSource, type FormatDefinition } from './format';

/** Parts of Terraform expressions kept as text, which the evaluator reads on demand (see `core/evaluate-terraform.ts`). */
export { conditionalParts, forParts, partFile, partNode, skipBrackets, templateHoles, topLevel, type Part } from './terraform/expression-parts';

/** Terraform's local module calls, which the engine follows (see `core/called-modules.ts`). */
export {
  decidingArgument,
  LOCAL_CALL_TEXT,
  localCalls,
  MAX_CALL_DEPTH,
  MODULE_FILE,
  resolveFolder,
  type ArgumentUse,
  type ModuleCall,
} from './terraform/module-calls';

/** Serverless Framework files read as CloudFormation: the sections besides the template (see `cloudformation/serverless.ts`). */
export { serverlessSettings } from './cloudformation/serverless';

/** Python code held in another file's strings (see `python/index.ts`). */
export { pythonSnippet } from './python';
