/**
 * The text documents Airlock analyses, for the client's document selector and the server's text document sync
 * registration: one list, derived from the format registry (`editor` of each `core/formats/<name>`), written here
 * because the extension may import nothing of the engine. `test/server/editor-parity.test.ts` fails when it
 * and the registry disagree.
 */

/** Language ids: documents of these languages are analysed whatever their name, saved or untitled. */
export const DOCUMENT_LANGUAGES: readonly string[] = [
  'terraform',
  'terraform-vars',
  'terraform-json',
  'tf',
  'hcl',
  'opentofu',
  'opentofu-vars',
  'github-actions-workflow',
  'yaml',
  'json',
  'jsonc',
  'cloudformation',
  'cloudformation-json',
  'python',
  'dockercompose',
  'helm',
  'dotenv',
  'shellscript',
  'properties',
  'ini',
  'plaintext',
  'dockerfile',
  'makefile',
  'javascript',
  'javascriptreact',
  'typescript',
  'typescriptreact',
  'go',
  'java',
  'php',
  'ruby',
  'csharp',
  'c',
  'cpp',
  'objective-c',
  'rust',
  'swift',
  'powershell',
  'groovy',
  'xml',
  'perl',
  'r',
];

/** File extensions (without the dot): saved files with these are analysed whatever their language id. */
export const DOCUMENT_EXTENSIONS: readonly string[] = [
  'tf',
  'tofu',
  'tfvars',
  'yml',
  'yaml',
  'json',
  'template',
  'tpl',
  'dockerfile',
  'modelfile',
  'env',
  'sh',
  'bash',
  'zsh',
  'properties',
  'ini',
  'cfg',
  'conf',
  'txt',
  'mk',
  'service',
  'js',
  'mjs',
  'cjs',
  'jsx',
  'ts',
  'tsx',
  'go',
  'java',
  'kt',
  'kts',
  'php',
  'rb',
  'cs',
  'c',
  'h',
  'cpp',
  'hpp',
  'm',
  'rs',
  'swift',
  'ps1',
  'psm1',
  'gradle',
  'xml',
  'config',
  'toml',
  'pl',
  'pm',
  'r',
  'ex',
  'exs',
  'ino',
  'scala',
  'groovy',
  'jenkinsfile',
];

/** File names (glob patterns of a base name) whose extension says nothing: dot files, Dockerfiles, Modelfiles, `Kustomization`, Terragrunt units. */
export const DOCUMENT_FILENAMES: readonly string[] = [
  '.env',
  '.env.*',
  '.npmrc',
  '.pypirc',
  '.netrc',
  'Dockerfile',
  'Dockerfile.*',
  '*.dockerfile',
  'Containerfile',
  'Makefile',
  'makefile',
  'GNUmakefile',
  'Jenkinsfile',
  'Jenkinsfile.*',
  'Vagrantfile',
  '.git-credentials',
  '.pgpass',
  '.s3cfg',
  '.terraformrc',
  'terraform.rc',
  'terragrunt.hcl',
  'terragrunt.stack.hcl',
  'terragrunt.values.hcl',
  'root.hcl',
  'Kustomization',
  'Modelfile',
  'Modelfile.*',
  '*.Modelfile',
];

/** An LSP `TextDocumentFilter` (and a VS Code `DocumentFilter`): by language and scheme, or by path pattern. */
export interface TextDocumentFilter {
  scheme: string;
  language?: string;
  pattern?: string;
}

/**
 * The selector for Airlock's text documents: each language in a saved file and in an untitled buffer (whose format
 * the server takes from the language id), and saved files by extension or name whatever their language.
 */
export function textDocumentSelector(): TextDocumentFilter[] {
  return [
    ...DOCUMENT_LANGUAGES.flatMap((language) => [
      { scheme: 'file', language },
      { scheme: 'untitled', language },
    ]),
    { scheme: 'file', pattern: `**/*.{${DOCUMENT_EXTENSIONS.join(',')}}` },
    { scheme: 'file', pattern: `**/{${DOCUMENT_FILENAMES.join(',')}}` },
  ];
}
