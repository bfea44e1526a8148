import {
  basenameOf,
  type Cell,
  cellPython,
  contentSpan,
  dirnameOf,
  type Entry,
  type Fix,
  inFileStyle,
  isJsonText,
  isList,
  isTerraform,
  isScalar,
  joinUri,
  lineIndexOf,
  type MapNode,
  type Node,
  type ParsedFile,
  type Project,
  type Resource,
  type ScalarNode,
  type Span,
  spanInCell,
  walk,
} from '../../../core';
import { snake } from '../../lib/fixes';
import { PLATFORM_PATTERNS } from './platform-tokens';
import { isEnvironmentRead, targetName } from './python-sites';
import { cloudFormationFix } from './cloudformation-fixes';
import { terragruntEnvFix } from './terragrunt-fixes';

/**
 * "Move this secret out of the file": one fix per format, each replacing the literal with a reference
 * to where secrets belong — a sensitive Terraform variable, a Kubernetes Secret, Secrets Manager, a GitHub
 * Actions repository secret, an environment variable in a notebook.
 */

export interface SecretSite {
  file: ParsedFile;
  project: Project;
  node: Node;
  entry?: Entry;
  resource?: Resource;
  /** The name that says secret, when it is not the entry's key (an env pair's `name`). */
  name?: string;
}

/** The scalar value (and its map entry and resource) whose content holds an offset range. */
export function siteAt(file: ParsedFile, start: number, end: number): { node: ScalarNode; entry?: Entry; resource?: Resource } | undefined {
  const resource = file.resources.find((r) => r.span.start <= start && end <= r.span.end);
  for (const root of resource ? [resource.body] : file.roots) {
    for (const v of walk(root)) {
      if (isScalar(v.node) && v.node.span.start <= start && end <= v.node.span.end) return { node: v.node, entry: v.entry, resource };
    }
  }
  return undefined;
}

/** Only a value that is the secret and nothing else can be replaced by a reference. */
function wholeValue(node: Node, secretStart?: number, secretEnd?: number): boolean {
  if (!isScalar(node) || typeof node.value !== 'string') return false;
  if (secretStart === undefined || secretEnd === undefined) return true;
  const c = contentSpan(node);
  const content = node.value;
  return secretStart - c.start <= content.length - content.trimStart().length && c.end - secretEnd <= content.length - content.trimEnd().length;
}

function terraformFix(site: SecretSite): Fix<'move-to-variable'> | undefined {
  const key = site.name ?? site.entry?.key ?? 'secret';
  const name = snake(site.resource && site.resource.kind !== 'provider' ? `${site.resource.name}_${key}` : key) || 'secret';
  const block = `variable "${name}" {\n\ttype      = string\n\tsensitive = true\n}\n`;
  const dir = dirnameOf(site.file.uri);
  const variablesTf = site.project.get(joinUri(dir, 'variables.tf'));
  const edits: Fix['edits'] = [{ span: site.node.span, newText: `var.${name}` }];
  if (variablesTf && basenameOf(site.file.uri) !== 'variables.tf') {
    const end = variablesTf.text.length;
    const sep = variablesTf.text.endsWith('\n') || end === 0 ? '\n' : '\n\n';
    edits.push({ uri: variablesTf.uri, span: { start: end, end }, newText: inFileStyle(variablesTf, sep + block) });
  } else {
    const end = site.file.text.length;
    edits.push({ span: { start: end, end }, newText: inFileStyle(site.file, (site.file.text.endsWith('\n') ? '\n' : '\n\n') + block) });
  }
  return { title: `Move the secret to a sensitive variable "${name}"`, kind: 'move-to-variable', safety: 'unsafe', edits };
}

function kubernetesFix(site: SecretSite): Fix<'read-from-secret'> | undefined {
  const { file, entry, node } = site;
  if (entry?.key !== 'value' || isJsonText(file.uri, file.text)) return undefined;
  const map = parentOf(file, entry);
  const envName = map && nameIn(map);
  const secretKey = (envName ?? 'password').toLowerCase().replace(/_/g, '-');
  // In a flow mapping (`env: [{ name: X, value: y }]`) the reference must be written in flow style too.
  const flow = map !== undefined && file.text.charCodeAt(map.span.start) === 123;
  const indent = ' '.repeat(lineIndexOf(file.text).position(entry.keySpan.start).character);
  const text = flow
    ? `valueFrom: { secretKeyRef: { name: \${1:app-secrets}, key: ${secretKey} } }`
    : inFileStyle(file, `valueFrom:\n${indent}\tsecretKeyRef:\n${indent}\t\tname: \${1:app-secrets}\n${indent}\t\tkey: ${secretKey}`);
  return {
    title: 'Read the value from a Kubernetes Secret (valueFrom.secretKeyRef)',
    kind: 'read-from-secret',
    safety: 'suggestion',
    snippet: true,
    edits: [{ span: { start: entry.keySpan.start, end: node.span.end }, newText: text }],
  };
}

/** Each map entry's map, per file: built once, so fixes for many findings of one file stay linear. */
const entryParents = new WeakMap<ParsedFile, Map<Entry, MapNode>>();

/** The map an entry belongs to. */
function parentOf(file: ParsedFile, entry: Entry): MapNode | undefined {
  let parents = entryParents.get(file);
  if (!parents) {
    parents = new Map();
    for (const root of file.roots) for (const v of walk(root)) if (v.node.kind === 'map') for (const e of v.node.entries) parents.set(e, v.node);
    entryParents.set(file, parents);
  }
  return parents.get(entry);
}

/** The `name` next to a `value` in an env entry. */
function nameIn(map: MapNode): string | undefined {
  const n = map.entries.find((e) => e.key === 'name');
  return n && isScalar(n.value) ? String(n.value.value) : undefined;
}

/**
 * GitHub Actions: `${{ secrets.NAME }}` in place of the literal, NAME from the key in upper snake case. Inside quotes
 * the quotes stay; a plain value is written plain where the line ends after it, and quoted in a flow collection
 * (where `{` and `}` would end it).
 */
function workflowSecretFix(site: SecretSite): Fix<'read-from-repository-secret'> | undefined {
  const { file, node } = site;
  if (!isScalar(node)) return undefined;
  const name = snake(site.name ?? site.entry?.key ?? '').toUpperCase();
  if (!name) return undefined;
  const reference = `\${{ secrets.${name} }}`;
  const title = `Read the value from the repository secret ${name}`;
  const content = contentSpan(node);
  if (content.start !== node.span.start) {
    return { title, kind: 'read-from-repository-secret', safety: 'unsafe', edits: [{ span: content, newText: reference }] };
  }
  const lines = lineIndexOf(file.text);
  const rest = file.text.slice(node.span.end, lines.lineEnd(lines.position(node.span.end).line)).trim();
  const text = rest === '' || rest.startsWith('#') ? reference : `"${reference}"`;
  return { title, kind: 'read-from-repository-secret', safety: 'unsafe', edits: [{ span: node.span, newText: text }] };
}

/**
 * Compose: the literal becomes `${NAME}` interpolation, which Compose fills from the shell or the `.env` file
 * next to the compose file. Unsafe: until the variable is set, the service gets an empty value.
 */
export function composeEnvFix(name: string, span: Span): Fix<'read-from-environment'> | undefined {
  const env = /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : snake(name).toUpperCase();
  if (!env) return undefined;
  return {
    title: `Read the value from the environment variable ${env} (\${${env}})`,
    kind: 'read-from-environment',
    safety: 'unsafe',
    edits: [{ span, newText: `\${${env}}` }],
  };
}

/** Compose: a whole value under its key, or the value of a `- KEY=value` item, becomes `${KEY}`. */
function composeReference(site: SecretSite, secretStart?: number, secretEnd?: number): Fix<'read-from-environment'> | undefined {
  const name = site.name ?? site.entry?.key;
  if (name && wholeValue(site.node, secretStart, secretEnd)) return composeEnvFix(name, site.node.span);
  if (name || !isScalar(site.node) || typeof site.node.value !== 'string' || secretStart === undefined || secretEnd === undefined) return undefined;
  const item = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(site.node.value);
  const c = contentSpan(site.node);
  const written = site.file.text.slice(c.start, c.end) === site.node.value;
  return item && written && secretStart === c.start + item[0].length && secretEnd === c.end
    ? composeEnvFix(item[1], { start: secretStart, end: secretEnd })
    : undefined;
}

export function secretToReference(
  site: SecretSite,
  secretStart?: number,
  secretEnd?: number,
): Fix<'move-to-variable' | 'read-from-secret' | 'resolve-from-secrets-manager' | 'read-from-repository-secret' | 'read-from-environment'> | undefined {
  if (site.file.format === 'compose') return composeReference(site, secretStart, secretEnd);
  if (!wholeValue(site.node, secretStart, secretEnd)) return undefined;
  switch (site.file.format) {
    case 'terraform':
      return site.file.uri.endsWith('.tfvars') ? undefined : terraformFix(site);
    case 'kubernetes':
      return kubernetesFix(site);
    case 'helm':
      // A template's env pair takes the same secretKeyRef; a values file has no place for one.
      return site.resource?.kind === 'object' ? kubernetesFix(site) : undefined;
    case 'cloudformation':
      return cloudFormationFix(site);
    case 'github-actions':
      return workflowSecretFix(site);
    case 'terragrunt':
      return terragruntEnvFix(site);
    default:
      return undefined;
  }
}

/** Notebook: replace a string literal with `os.environ["NAME"]`, adding `import os` when no cell imports it. */
export function notebookEnvFix(file: ParsedFile, cell: Cell, literal: ScalarNode, envName: string): Fix<'read-from-environment'> {
  const edits: Fix['edits'] = [{ span: literal.span, newText: `os.environ["${envName}"]` }];
  const imported = (file.cells ?? []).some((c) => cellPython(c)?.imports.some((i) => i.module === 'os' && i.names.length === 0));
  if (!imported) {
    // A Python file takes it after its docstring, in its line endings; a notebook cell at its start (cell sources end lines with \n).
    const at = file.format === 'python' ? importOffset(cell) : 0;
    edits.push({ span: spanInCell(cell, at, at), newText: file.format === 'python' ? inFileStyle(file, 'import os\n') : 'import os\n' });
  }
  return { title: `Read the secret from the environment variable ${envName}`, kind: 'read-from-environment', safety: 'unsafe', edits };
}

/**
 * Where a Python file takes a new import: after its module docstring and its `from __future__` imports, which
 * must stay first, or else after a `#!` line. A notebook cell takes it at its start.
 */
function importOffset(cell: Cell): number {
  let at = importOffsets.get(cell);
  if (at === undefined) {
    at = firstImportOffset(cell);
    importOffsets.set(cell, at);
  }
  return at;
}

/** Found once per file: a file with many secrets asks for each. */
const importOffsets = new WeakMap<Cell, number>();

function firstImportOffset(cell: Cell): number {
  const source = cell.source;
  const lineAfter = (offset: number) => {
    const nl = source.indexOf('\n', offset);
    return nl < 0 ? source.length : nl + 1;
  };
  const py = cellPython(cell);
  let at = source.startsWith('#!') ? lineAfter(0) : 0;
  const first = /^(?:[ \t]*(?:#[^\n]*)?\r?\n)*[ \t]*/.exec(source)?.[0].length ?? 0;
  const docstring = py?.strings.find((s) => s.span.start === first);
  if (docstring && /^[rRuU]?["']/.test(source.slice(first, first + 2))) at = Math.max(at, lineAfter(docstring.span.end));
  for (const imp of py?.imports ?? []) if (imp.module === '__future__') at = Math.max(at, lineAfter(imp.span.end));
  return at;
}

export { clearOutputsFix } from '../../lib/fixes';

/** Conventional environment variable names, so the fix matches what the provider's SDK reads by itself. */
const ENV_BY_KIND: Record<string, string> = {
  'Hugging Face token': 'HF_TOKEN',
  'OpenAI API key': 'OPENAI_API_KEY',
  'Anthropic API key': 'ANTHROPIC_API_KEY',
  'Groq API key': 'GROQ_API_KEY',
  'GitHub token': 'GITHUB_TOKEN',
  'AWS access key id': 'AWS_ACCESS_KEY_ID',
  'AWS secret access key': 'AWS_SECRET_ACCESS_KEY',
  'Slack token': 'SLACK_TOKEN',
  'Stripe key': 'STRIPE_API_KEY',
  ...Object.fromEntries(PLATFORM_PATTERNS.flatMap((p) => (p.env ? [[p.kind, p.env]] : []))),
};

/** Whether `node` is written where `literal` is (the same literal, as another part of the cell's structure holds it). */
function sameSpan(node: Node | undefined, literal: Node): boolean {
  return node !== undefined && node.span.start === literal.span.start && node.span.end === literal.span.end;
}

/** An environment variable name for a secret found in a notebook: the provider's convention, else from where it is used. */
export function envNameFor(cell: Cell, literal: ScalarNode, kind: string): string {
  if (ENV_BY_KIND[kind]) return ENV_BY_KIND[kind];
  const py = cellPython(cell);
  const inSpan = (s: { start: number; end: number }) => s.start <= literal.span.start && literal.span.end <= s.end;
  const named = (a: { target: string }) => snake(a.target.replace(/^os\.environ\[["']|["']\]$/g, '')).toUpperCase();
  const own = py?.assignments.find((a) => sameSpan(a.value, literal));
  if (own) return named(own);
  // `password == "..."`: the name compared, `request.headers["X-Api-Key"]` → X_API_KEY.
  const compared = py?.comparisons.find((c) => sameSpan(c.value, literal));
  if (compared) return snake(targetName(compared.target)).toUpperCase() || 'SECRET';
  // API_KEYS = ["...", "..."]: one variable per item; `session.auth = ("user", "...")` holds an HTTP client's password.
  for (const a of py?.assignments ?? []) {
    const item = isList(a.value) ? a.value.items.indexOf(literal) : -1;
    if (item >= 0) return targetName(a.target) === 'auth' ? 'HTTP_PASSWORD' : `${named(a)}_${item + 1}`;
  }
  // A keyword argument names the literal better than the assignment of the call's result (`conn = connect(password=...)`).
  for (const call of py?.calls ?? []) {
    const kw = call.kwargs.find((k) => inSpan(k.value.span));
    // wandb.login(key=...) reads WANDB_API_KEY.
    if (kw?.key === 'key' && /\.login$/.test(call.callee)) return `${snake(call.callee.split('.')[0]).toUpperCase()}_API_KEY`;
    // auth=("user", "..."), auth=HTTPBasicAuth("user", "..."): the password of an HTTP client.
    if (kw?.key === 'auth') return 'HTTP_PASSWORD';
    if (kw) return snake(`${call.callee.split('.').pop()}_${kw.key}`).toUpperCase();
  }
  const assign = py?.assignments.find((a) => inSpan(a.value.span));
  return assign ? named(assign) : 'SECRET';
}

/**
 * A Terraform variable's or CloudFormation parameter's literal default: drop it and mark the input
 * sensitive (`sensitive = true`, `NoEcho: true`), so every deployment must pass the value and no
 * output echoes it. Unsafe: a plan or stack update without the value now fails until it is supplied.
 */
export function dropDefaultFix(file: ParsedFile, owner: Resource, entry: Entry): Fix<'drop-default'> | undefined {
  const tf = isTerraform(file.format);
  const flagKey = tf ? 'sensitive' : 'NoEcho';
  const hasFlag = owner.body.entries.some((e) => e.key === flagKey);
  const title = hasFlag ? 'Remove the hard-coded default' : `Remove the hard-coded default and set ${flagKey}`;
  // A JSON object or a YAML flow mapping: the entry and its comma, wherever the lines break.
  if (file.format !== 'terraform' && file.text.charCodeAt(owner.body.span.start) === 123) {
    const entries = owner.body.entries;
    const i = entries.indexOf(entry);
    const flag = file.text.charCodeAt(entry.keySpan.start) === 34 ? `"${flagKey}": true` : `${flagKey}: true`;
    if (!hasFlag)
      return {
        title,
        kind: 'drop-default',
        safety: 'unsafe',
        edits: [{ span: { start: entry.keySpan.start, end: entry.value.span.end }, newText: flag }],
      };
    const span =
      i + 1 < entries.length
        ? { start: entry.keySpan.start, end: entries[i + 1].keySpan.start }
        : i > 0
          ? { start: entries[i - 1].value.span.end, end: entry.value.span.end }
          : undefined;
    return span && { title, kind: 'drop-default', safety: 'unsafe', edits: [{ span, newText: '' }] };
  }
  // YAML and HCL: the entry is a line of its own (key at the line's indent, value ending the line).
  const lines = lineIndexOf(file.text);
  const first = lines.position(entry.keySpan.start);
  const last = lines.position(entry.value.span.end).line;
  const lineStart = lines.lineStart(first.line);
  if (file.text.slice(lineStart, entry.keySpan.start).trim() !== '') return undefined;
  const end = lines.lineEnd(last);
  const tail = file.text.slice(entry.value.span.end, end).trim();
  if (tail !== '' && !tail.startsWith('#')) return undefined;
  const indent = file.text.slice(lineStart, entry.keySpan.start);
  if (!hasFlag) {
    const flag = tf ? `${indent}sensitive = true` : `${indent}NoEcho: true`;
    return { title, kind: 'drop-default', safety: 'unsafe', edits: [{ span: { start: lineStart, end }, newText: flag }] };
  }
  const next = last + 1 < lines.lineCount ? lines.lineStart(last + 1) : end;
  return { title, kind: 'drop-default', safety: 'unsafe', edits: [{ span: { start: lineStart, end: next }, newText: '' }] };
}

/**
 * `os.getenv("DB_PASSWORD", "...")`: the fallback goes (with the comma before it), so a run without the variable gets
 * `None` instead of the secret.
 */
export function environmentFallbackFix(cell: Cell, literal: ScalarNode): Fix<'drop-default'> | undefined {
  const call = cellPython(cell)?.calls.find(
    (c) => isEnvironmentRead(c.callee) && (sameSpan(c.args[1], literal) || c.kwargs.some((k) => k.key === 'default' && sameSpan(k.value, literal))),
  );
  const name = call?.args[0];
  if (!call || !name) return undefined;
  return {
    title: 'Remove the literal fallback: read only the environment',
    kind: 'drop-default',
    safety: 'unsafe',
    edits: [{ span: spanInCell(cell, name.span.end, literal.span.end), newText: '' }],
  };
}

/**
 * Notebook literal under a secret name: read it from the environment instead. `os.environ["X"] = "..."`
 * itself is removed (the variable is then set outside the notebook), anything else reads `os.environ`.
 */
export function notebookSecretFix(
  file: ParsedFile,
  cell: Cell,
  literal: ScalarNode,
  envName: string,
): Fix<'remove-environment-assignment' | 'read-from-environment'> {
  const assignment = cellPython(cell)?.assignments.find((a) => sameSpan(a.value, literal));
  const target = assignment && /^os\.environ\[\s*["']([^"']+)["']\s*\]$/.exec(assignment.target);
  if (assignment && target) {
    const lines = lineIndexOf(cell.source);
    const first = lines.position(assignment.span.start);
    const lastLine = lines.position(assignment.span.end).line;
    const end = lastLine + 1 < lines.lineCount ? lines.lineStart(lastLine + 1) : cell.source.length;
    // Only a statement on lines of its own can go whole.
    if (
      cell.source.slice(lines.lineStart(first.line), assignment.span.start).trim() === '' &&
      cell.source.slice(assignment.span.end, lines.lineEnd(lastLine)).trim().replace(/^#.*/, '') === ''
    ) {
      return {
        title: `Remove the assignment: set ${target[1]} in the environment instead`,
        kind: 'remove-environment-assignment',
        safety: 'unsafe',
        edits: [{ span: spanInCell(cell, lines.lineStart(first.line), end), newText: '' }],
      };
    }
  }
  return notebookEnvFix(file, cell, literal, envName);
}
