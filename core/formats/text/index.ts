import type { ParsedFile } from '../../model';
import { commentsByLine } from '../../parsers/line-comments';
import { basenameOf } from '../../uri';
import { defineFormat, extensionOf } from '../format';

/** Any other text file: no structure, only its text (token-format secret rules read it) and `#` comments. */
export function plainTextFile(uri: string, text: string): ParsedFile {
  return {
    uri,
    format: 'text',
    text,
    resources: [],
    roots: [],
    comments: commentsByLine(text),
    problems: [],
    toFileSpan: (s) => s,
  };
}

/**
 * Source code and configuration files whose declarations the secret rule reads (`const apiKey = "..."`, XML settings,
 * Gradle and PowerShell): VS Code's language ids, and the extensions that name them whatever the language id.
 */
const CODE_LANGUAGES = [
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
/** Their extensions, by how a line comment starts (XML has none: its `<!-- -->` may not hold a reason's `--`). */
const SLASH_COMMENTED = [
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
  'c',
  'h',
  'cpp',
  'hpp',
  'm',
  'cs',
  'rs',
  'swift',
  'scala',
  'php',
  'gradle',
  'ino',
  'groovy',
  'jenkinsfile',
];
const HASH_COMMENTED = ['rb', 'ps1', 'psm1', 'toml', 'pl', 'pm', 'r', 'ex', 'exs'];
const UNCOMMENTED = ['xml', 'config'];
const CODE_EXTENSIONS = [...SLASH_COMMENTED, ...HASH_COMMENTED, ...UNCOMMENTED];

/**
 * How a line comment starts in a text file, by its extension: `//` in C-family and JavaScript sources, none in XML,
 * `#` in every other text file (scripts, dotenv, ini and properties files, plain text).
 */
export function lineCommentOf(uri: string): string | undefined {
  const ext = extensionOf(uri);
  if (UNCOMMENTED.includes(ext)) return undefined;
  return SLASH_COMMENTED.includes(ext) || SLASH_COMMENTED_NAME.test(basenameOf(uri)) ? '//' : '#';
}

/** A Jenkins pipeline named without its extension (`Jenkinsfile`, `Jenkinsfile.release`) is Groovy. */
const SLASH_COMMENTED_NAME = /^Jenkinsfile(?:\.|$)/i;

/**
 * CI/CD and operations files named without an extension that says text: makefiles, Jenkins pipelines, Vagrantfiles,
 * and the credential files of git, PostgreSQL, s3cmd and the Terraform CLI. (Their editors may give them a language
 * Airlock does not list: `makefile`, or one of an extension.)
 */
const OPERATIONS_FILES = [
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
];

/**
 * The fallback, last in detection order: every text file no other format claims. In the editor, the files a
 * pre-commit secret scan covers are checked as text: Compose files and Helm charts, dotenv files, shell scripts,
 * `.npmrc` / `.pypirc` and other ini or properties files, Dockerfiles, source code and its configuration files,
 * makefiles, Jenkins pipelines, Vagrantfiles, systemd units, credential files, plain text.
 */
export const text = defineFormat({
  id: 'text',
  extensions: [],
  detect: () => true,
  grammars: [],
  parse: plainTextFile,
  editor: {
    languages: ['dockercompose', 'helm', 'dotenv', 'shellscript', 'properties', 'ini', 'plaintext', 'dockerfile', 'makefile', ...CODE_LANGUAGES],
    extensions: ['env', 'sh', 'bash', 'zsh', 'properties', 'ini', 'cfg', 'conf', 'txt', 'mk', 'service', ...CODE_EXTENSIONS],
    filenames: ['.env', '.env.*', '.npmrc', '.pypirc', '.netrc', 'Dockerfile', 'Dockerfile.*', '*.dockerfile', 'Containerfile', ...OPERATIONS_FILES],
  },
});
