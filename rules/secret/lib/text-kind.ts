import { basenameOf, extensionOf, type ParsedFile } from '../../../core';

/** How secret rules read a text file, by its extension: prose, source code, XML markup or configuration. */

/** Prose: a `password: hunter2` line in a README is an example, not configuration. */
const DOCUMENT_EXTENSIONS = new Set([
  'md',
  'markdown',
  'mdx',
  'rst',
  'adoc',
  'asciidoc',
  'html',
  'htm',
  'tex',
  'org',
  'csv',
  'tsv',
  'svg',
  'lock',
  'sum',
  'map',
]);

/** Source code: `password = get_password()` is an expression; only quoted literals count there. */
const CODE_EXTENSIONS = new Set([
  'py',
  'js',
  'mjs',
  'cjs',
  'ts',
  'tsx',
  'jsx',
  'java',
  'kt',
  'kts',
  'scala',
  'go',
  'rb',
  'php',
  'cs',
  'c',
  'h',
  'cc',
  'cpp',
  'hpp',
  'rs',
  'swift',
  'groovy',
  'jenkinsfile',
  'gradle',
  'pl',
  'lua',
  'r',
  'dart',
  'ex',
  'exs',
  'clj',
  'hcl',
  'ps1',
  'psm1',
  'm',
  'mm',
  'ino',
  'pm',
]);

/** XML configuration: `settings.xml`, `NuGet.Config`, `web.config`, project files. */
const MARKUP_EXTENSIONS = new Set(['xml', 'config', 'csproj', 'vbproj', 'fsproj', 'props', 'targets', 'nuspec']);

/**
 * Source code named without an extension: a Jenkins pipeline (Groovy, `Jenkinsfile`, `Jenkinsfile.release`) and the
 * Ruby DSL files of Vagrant, Bundler, Rake, CocoaPods, fastlane, Homebrew bundles, Berkshelf, Guard, Capistrano and
 * Danger. `config.ssh.password = ENV["X"]` there is an expression, and `env: { "API_TOKEN" => "..." }` an entry.
 */
const CODE_NAMES = /^(?:jenkinsfile(?:\..+)?|vagrantfile|gemfile|rakefile|podfile|fastfile|appfile|brewfile|berksfile|guardfile|capfile|dangerfile)$/;

export type TextKind = 'document' | 'code' | 'markup' | 'config';

export function textKind(file: ParsedFile): TextKind {
  return textKindOf(file.uri);
}

/** The same, for a path. */
export function textKindOf(path: string): TextKind {
  const ext = extensionOf(path);
  if (DOCUMENT_EXTENSIONS.has(ext)) return 'document';
  if (CODE_EXTENSIONS.has(ext) || CODE_NAMES.test(basenameOf(path).toLowerCase())) return 'code';
  if (MARKUP_EXTENSIONS.has(ext)) return 'markup';
  return 'config';
}

/** Perl, whose fat comma quotes the bare word before it: `api_key => '...'` is an entry. */
const FAT_COMMA_EXTENSIONS = new Set(['pl', 'pm']);

export function hasFatComma(path: string): boolean {
  return FAT_COMMA_EXTENSIONS.has(extensionOf(path));
}

/**
 * A Jenkins pipeline or shared-library step (`Jenkinsfile`, `*.jenkinsfile`, `*.groovy`): the strings given to its
 * `sh`, `bat`, `powershell` and `pwsh` steps are shell scripts.
 */
export function isPipelineScriptFile(path: string): boolean {
  const ext = extensionOf(path);
  return ext === 'groovy' || ext === 'jenkinsfile' || /^jenkinsfile(?:\.|$)/.test(basenameOf(path).toLowerCase());
}

/**
 * A makefile (`Makefile`, `GNUmakefile`, `makefile`, `*.mk`): its recipe lines are shell commands, and its variables
 * are set with `=`, `:=`, `::=`, `:::=` and `?=` (https://www.gnu.org/software/make/manual/make.html#Setting).
 */
export function isMakefile(path: string): boolean {
  return extensionOf(path) === 'mk' || /^(?:gnu)?makefile$/.test(basenameOf(path).toLowerCase());
}
