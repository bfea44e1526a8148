import {
  basenameOf,
  type Cell,
  contentSpan,
  extensionOf,
  get,
  isScalar,
  items,
  type Entry,
  LineIndex,
  type Node,
  type ParsedFile,
  type Project,
  type RelatedLocation,
  type Resource,
  type Span,
  structuredTextRoots,
  isTerraform,
} from '../../../core';
import { COMMANDS_WITH_CREDENTIALS, commandSites, EXEC_CREDENTIALS, SCRIPT_CREDENTIALS } from './command-sites';
import { dockerfileSites } from './dockerfile-sites';
import { commandsIn, execCommands, scriptCommands, shellCommands } from '../../lib/shell';
import { isAuthPair, isSecretKey, keyWords } from './keys';
import { mayHoldBootKey, textMayHoldSecretKey } from './key-prefilter';
import { lineAssignments } from './lines';
import { referenceDefaults } from './reference-defaults';
import { xmlValues } from './xml-sites';
import { notebookSites } from './python-sites';
import { magicSites, outputSites } from './notebook-sites';
import { STORE_HINT } from './store-values';
import { terraformOutputSites } from './terraform-outputs';
import { cloudFormationBodies, defaultSites, referencesFromModule, terraformBodies } from './bodies';
import { type Defaults, structuredSites } from './structured-sites';
import { workflowSites } from './workflow-sites';
import { hasFatComma, isMakefile, isPipelineScriptFile, textKind } from './text-kind';
import { ciScripts, pipelineStepScripts } from './ci-scripts';
import { accountKeys, hclVariableDefaults, pgpassEntries } from './section-sites';
import { isWordDefault, looksGeneratedKey } from './values';
import { isRealSecret } from './real-secret';
import { Collector } from './collector';

export { Collector };

/**
 * Where a file writes a literal under a name that says secret — one enumeration for every format:
 * - `key`: a map entry (`password = "..."`, `MasterUserPassword: ...`, `api_key: ...`, a notebook's
 *   `openai.api_key = "..."` or `login(token="...")`);
 * - `env`: a `{ name: DB_PASSWORD, value: "..." }` pair of a container environment list;
 * - `line`: a `KEY=value` / `key: value` line of a text file or of a script held in a string (user data);
 * - `encoded`: such a line inside base64-encoded user data (reported on the whole literal);
 * - `default`: the literal default of a Terraform variable or CloudFormation parameter that is secret
 *   by its name, `sensitive`/`NoEcho`, or because a secret attribute references it;
 * - `fallback`: a literal a Terraform value falls back to (`coalesce(var.x, "...")`, `try`, `lookup`'s default);
 * - `flag`: a credential on a command line (`docker login -p ...`, `curl -u user:...`, `-H "Authorization: ..."`);
 * - `output`: a value printed under a secret name into a notebook cell's output (`notebook-sites.ts`);
 * - `magic`: a notebook's `%env NAME=value` line.
 * References (`var.x`, `!Ref`, `{{resolve:...}}`, `secretKeyRef`, `os.environ[...]` reads, `${VAR}`) are
 * not literals and never appear; placeholders are filtered out by `isRealSecret`.
 */

export type SiteKind = 'key' | 'env' | 'line' | 'encoded' | 'default' | 'fallback' | 'flag' | 'output' | 'magic';

export interface SecretSite {
  kind: SiteKind;
  /** The name that says secret (a key, a variable name, a parameter's logical id). */
  key: string;
  /** The literal (for `encoded`: the decoded assignment's value). */
  value: string;
  /** What to underline: the value (for `encoded`: the whole base64 literal). */
  span: Span;
  /** The literal node, for fixes (for `line` and `encoded`: the string holding the line, if any). */
  node?: Node;
  entry?: Entry;
  resource?: Resource;
  /** Notebook sites: the cell. */
  cell?: Cell;
  /** The file a notebook cell writes with `%%writefile`, when the site is in it. */
  written?: string;
  /** The value was quoted (text lines); an unquoted all-digit value is a number, not a secret. */
  quoted?: boolean;
  /** Where the value is written when the site only uses it (a Helm template action: the values.yaml line). */
  related?: RelatedLocation[];
}

function textSites(file: ParsedFile, project: Project, out: Collector): void {
  const kind = textKind(file);
  if (kind === 'document') return;
  // The default of a reference (`@Value("${jwt.secret:...}")`, `password: ${DB_PASSWORD:...}`), whatever else the file is.
  for (const a of referenceDefaults(file.text))
    if (isSecretKey(a.key) && !isWordDefault(a.value))
      out.add({ kind: 'line', key: a.key, value: a.value, span: { start: a.start, end: a.end }, quoted: true });
  const roots = kind === 'config' ? structuredTextRoots(file) : null;
  if (roots) {
    structuredSites(
      file,
      project,
      roots.map((node) => ({ node })),
      { byNode: new Map(), referenced: new Set() },
      out,
    );
    // The scripts of CI/CD jobs and Ansible tasks: `docker login -p ...` in a GitLab `script:` list.
    if (COMMANDS_WITH_CREDENTIALS.test(file.text)) {
      const scripts = ciScripts(roots, file.text);
      scriptSites(scripts.text, scripts.spans, out);
    }
    return;
  }
  for (const a of kind === 'markup'
    ? xmlValues(file.text)
    : lineAssignments(file.text, { quotedOnly: kind === 'code', bareArrowKeys: hasFatComma(file.uri), laterPairs: kind === 'config' })) {
    // `auth: 'user:password'` (a dev server's proxy, an HTTP client's option), as in structured files; a name ending
    // in `key` or `salt` whose value is generated from the whole printable alphabet (`define('NONCE_KEY', '...')`).
    if (isSecretKey(a.key) || isAuthPair(a.key, a.value) || isGeneratedKey(a.key, a.value))
      out.add({ kind: 'line', key: a.key, value: a.value, span: { start: a.start, end: a.end }, quoted: a.quoted });
  }
  if (kind === 'config') {
    // A `key` in an INI section beside the account it belongs to (rclone's `account` / `key`).
    if (/\bkey[ \t]*[=:]/i.test(file.text))
      for (const a of accountKeys(file.text)) out.add({ kind: 'line', key: a.key, value: a.value, span: { start: a.start, end: a.end }, quoted: false });
  }
  if (kind === 'config' && (basenameOf(file.uri) === '.pgpass' || file.text.includes('pgpass'))) {
    // A `.pgpass` entry, in the file or written into it by a script.
    for (const e of pgpassEntries(file.text)) out.add({ kind: 'line', key: e.key, value: e.value, span: { start: e.start, end: e.end }, quoted: false });
  }
  if (extensionOf(file.uri) === 'hcl') {
    // A Packer variable's default, named by its variable.
    for (const d of hclVariableDefaults(file.text))
      if (d.sensitive || isSecretKey(d.key)) out.add({ kind: 'line', key: d.key, value: d.value, span: { start: d.start, end: d.end }, quoted: true });
  }
  if (!COMMANDS_WITH_CREDENTIALS.test(file.text)) return;
  // A shell script's or a makefile's commands: `wandb login KEY`, `docker login -p ...`, `mysql -p...`.
  if (isShellScript(file) || isMakefile(file.uri)) for (const words of shellCommands(file.text)) commandSites(file.text, words, out);
  // The `sh '...'` steps of a Jenkins pipeline.
  else if (isPipelineScriptFile(file.uri)) scriptSites(file.text, pipelineStepScripts(file.text), out);
}

/** The credentials on the command lines of scripts held in a file's strings. */
function scriptSites(text: string, scripts: readonly Span[], out: Collector): void {
  for (const { words } of commandsIn(text, scripts, COMMANDS_WITH_CREDENTIALS)) commandSites(text, words, out);
}

/**
 * A name ending in `key` (not a public one) or `salt` whose value is generated from the whole printable alphabet:
 * WordPress's keys and salts (`define('SECURE_AUTH_SALT', '...')`) sign its cookies alike.
 */
function isGeneratedKey(key: string, value: string): boolean {
  if (!/key|salt/i.test(key)) return false;
  const words = keyWords(key);
  return (words.at(-1) === 'key' || words.at(-1) === 'salt') && !words.includes('public') && looksGeneratedKey(value);
}

const SHELL_EXTENSIONS = new Set(['sh', 'bash', 'zsh', 'ksh']);

function isShellScript(file: ParsedFile): boolean {
  return SHELL_EXTENSIONS.has(extensionOf(file.uri)) || /^#!\S*\/(?:env\s+)?(?:ba|z|k)?sh\b/.test(file.text);
}

/**
 * Whether a Terraform, CloudFormation, Kubernetes or text file can have sites beyond variable and parameter
 * defaults: every `key`, `env` and `line` site is named by a key `isSecretKey` accepts (a reference is noted
 * only under one), and `encoded` ones sit under a boot-script key or in a Kubernetes Secret.
 */
function mayHaveSites(file: ParsedFile): boolean {
  if (textMayHoldSecretKey(file.text) || mayHoldBootKey(file.text) || AUTH_PAIR.test(file.text) || STORE_HINT.test(file.text)) return true;
  if (file.format === 'text') return COMMANDS_WITH_CREDENTIALS.test(file.text);
  return file.resources.some((r) => r.type === 'Secret') || (file.format === 'kubernetes' && EXEC_CREDENTIALS.test(file.text));
}

/**
 * An entry whose key says no secret word but whose value is `user:password` or its base64 (`isAuthPairKey`): a Docker
 * registry `auth`, npm's `_auth=`, Yarn's `npmAuthIdent:`.
 */
const AUTH_PAIR = /auth(?:ident)?["']?\s*[:=]/i;

/** A variable's literal string default, `default = "..."` or a heredoc (or a comment where it may start). */
const STRING_DEFAULT = /\bdefault\s*=\s*(?:"|<<|\/[*/]|#)/;

/**
 * The text-only form of `mayHaveSites`, for `Rule.prefilter`, with the literal defaults `defaultSites` reports:
 * a default is reported when its variable or parameter has a secret name (a secret key in this text), is
 * `sensitive` / `NoEcho`, or is referenced under a secret key — in this text, or for Terraform in a
 * `neighbours` text of the module (`referencesFromModule`).
 */
export function textMayHaveSites(
  text: string,
  format: 'terraform' | 'terragrunt' | 'cloudformation' | 'kubernetes' | 'helm' | 'github-actions' | 'compose' | 'kustomize' | 'text',
  neighbours: () => readonly string[] = () => [],
): boolean {
  if (textMayHoldSecretKey(text) || mayHoldBootKey(text) || AUTH_PAIR.test(text) || STORE_HINT.test(text)) return true;
  if (format === 'text' || format === 'github-actions' || format === 'compose') return COMMANDS_WITH_CREDENTIALS.test(text);
  if (format === 'kubernetes') return text.includes('Secret') || EXEC_CREDENTIALS.test(text);
  if (format === 'helm') return text.includes('Secret');
  if (format === 'terraform') return STRING_DEFAULT.test(text) && (text.includes('sensitive') || neighbours().some(textMayHoldSecretKey));
  if (format === 'cloudformation') return text.includes('NoEcho');
  return false;
}

/**
 * Kustomize `secretGenerator` / `configMapGenerator` `literals`: `KEY=value` items whose value is always a string
 * (`db-password=12345` is a password, not a number). The files of `envs` and `files` are scanned themselves.
 */
function generatorLiterals(file: ParsedFile, out: Collector): void {
  for (const root of file.roots) {
    for (const generator of [...items(get(root, 'secretGenerator')), ...items(get(root, 'configMapGenerator'))]) {
      for (const literal of items(get(generator, 'literals'))) {
        if (!isScalar(literal) || typeof literal.value !== 'string') continue;
        const eq = literal.value.indexOf('=');
        const key = literal.value.slice(0, eq).trim();
        const content = contentSpan(literal);
        if (eq <= 0 || !isSecretKey(key) || file.text.slice(content.start, content.end) !== literal.value) continue;
        let value = literal.value.slice(eq + 1);
        let span = { start: content.start + eq + 1, end: content.end };
        // Kustomize drops one pair of matching quotes around the value (`password="..."`), as `removeQuotes` in
        // https://github.com/kubernetes-sigs/kustomize/blob/master/api/kv/kv.go does.
        if (value.length >= 2 && value[0] === value[value.length - 1] && (value[0] === '"' || value[0] === "'")) {
          value = value.slice(1, -1);
          span = { start: span.start + 1, end: span.end - 1 };
        }
        out.add({ kind: 'line', key, value, span, node: literal, quoted: true });
      }
    }
  }
}

/** Every literal under a secret name in the file, before placeholder filtering. */
export function secretCandidates(file: ParsedFile, project: Project): SecretSite[] {
  const out = new Collector();
  const defaults: Defaults = { byNode: new Map(), referenced: new Set() };
  const scan = file.format === 'notebook' || mayHaveSites(file);
  switch (isTerraform(file.format) ? 'terraform' : file.format) {
    case 'terraform': {
      const bodies = terraformBodies(file, defaults);
      if (scan) structuredSites(file, project, bodies, defaults, out);
      referencesFromModule(file, project, defaults);
      defaultSites(defaults, out);
      if (scan) terraformOutputSites(file, out);
      break;
    }
    case 'cloudformation': {
      const bodies = cloudFormationBodies(file, defaults);
      if (scan) structuredSites(file, project, bodies, defaults, out);
      defaultSites(defaults, out);
      break;
    }
    case 'compose':
    case 'kustomize':
      // Compose environments and build arguments (maps and `KEY=value` lists), generator literals, inline patches.
      if (scan && file.format === 'kustomize') generatorLiterals(file, out);
      if (scan)
        structuredSites(
          file,
          project,
          [...file.roots.map((node) => ({ node })), ...file.resources.filter((r) => r.kind === 'patch').map((r) => ({ node: r.body, resource: r }))],
          defaults,
          out,
        );
      break;
    case 'kubernetes':
    case 'helm':
    case 'terragrunt':
      // A Helm template's objects, or a values file's root: action-made values are references, never sites. A
      // Terragrunt file's root map holds every block: `inputs`, `locals`, `remote_state { config }`, `extra_arguments`
      // environments, the provider blocks a `generate` block's heredoc writes.
      if (scan)
        structuredSites(
          file,
          project,
          file.roots.map((node) => ({ node, resource: file.resources.find((r) => r.body === node) })),
          defaults,
          out,
        );
      break;
    case 'github-actions':
      // `env:` of the workflow, its jobs and steps, `with:` inputs, service containers and their `options`, input defaults.
      if (scan)
        structuredSites(
          file,
          project,
          file.roots.map((node) => ({ node })),
          defaults,
          out,
        );
      workflowSites(file, out);
      break;
    case 'notebook':
    case 'python':
      notebookSites(file, out);
      if (file.format === 'notebook') {
        magicSites(file, out);
        outputSites(file, out);
      }
      break;
    case 'dockerfile':
      dockerfileSites(file, out);
      break;
    default:
      if (scan) textSites(file, project, out);
  }
  // The command lines of the scripts a format declares: workflow `run:` steps, the scripts Kubernetes containers and
  // Compose services run through a shell (a Dockerfile's are read with its other sites), and what Compose services and
  // Kubernetes containers run without one.
  if (file.format !== 'dockerfile') for (const { words } of scriptCommands(file, SCRIPT_CREDENTIALS)) commandSites(file.text, words, out);
  if ((file.format === 'compose' || file.format === 'kubernetes') && EXEC_CREDENTIALS.test(file.text))
    for (const words of execCommands(file)) commandSites(file.text, words, out);
  return out.sites;
}

/** The sites worth reporting. */
export function secretSites(file: ParsedFile, project: Project): SecretSite[] {
  let index: LineIndex | undefined;
  const lines = () => (index ??= new LineIndex(file.text));
  return secretCandidates(file, project).filter((s) => isRealSecret(file, s, lines));
}
