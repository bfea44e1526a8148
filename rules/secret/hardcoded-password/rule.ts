import { cellPython, defineRule, type Fix, isScalar, mask, type RuleContext } from '../../../core';
import { secretSites, textMayHaveSites, type SecretSite } from '../lib/sites';
import { mayHoldSecretKey } from '../lib/key-prefilter';
import { dropDefaultFix, envNameFor, notebookSecretFix, secretToReference } from '../lib/fixes';
import { snake } from '../../lib/fixes';

function message(site: SecretSite, format: string): string {
  const secret = mask(site.value);
  switch (site.kind) {
    case 'encoded':
      return `Base64-encoded user data sets "${site.key}" to a hard-coded value (${secret})`;
    case 'default':
      return format === 'terraform'
        ? `Variable "${site.key}" has a hard-coded default (${secret}): every plan without an override deploys it`
        : `Parameter "${site.key}" has a hard-coded Default (${secret}): every stack without an override deploys it`;
    default:
      return `Hard-coded value for "${site.key}" (${secret})`;
  }
}

type PasswordFix = Fix<
  | 'drop-default'
  | 'move-to-variable'
  | 'read-from-secret'
  | 'resolve-from-secrets-manager'
  | 'read-from-repository-secret'
  | 'read-from-environment'
  | 'remove-environment-assignment'
>;

function fixFor(ctx: RuleContext, site: SecretSite): PasswordFix | undefined {
  const { file, project } = ctx;
  if (!site.node || !isScalar(site.node)) return undefined;
  if (site.kind === 'default') return site.resource && site.entry ? dropDefaultFix(file, site.resource, site.entry) : undefined;
  if (site.kind !== 'key' && site.kind !== 'env') return undefined;
  if (site.cell) {
    // A dict entry is named by its key; an assignment or keyword argument by where it is used.
    const dictEntry = site.entry && !cellPython(site.cell)?.calls.some((c) => c.kwargs.includes(site.entry!));
    const env = dictEntry ? snake(site.key).toUpperCase() : envNameFor(site.cell, site.node, '');
    return notebookSecretFix(file, site.cell, site.node, env);
  }
  return secretToReference({ file, project, node: site.node, entry: site.entry, resource: site.resource, name: site.kind === 'env' ? site.key : undefined });
}

export default defineRule({
  id: 'secret/hardcoded-password',
  family: 'secret',
  severity: 'error',
  formats: ['terraform', 'cloudformation', 'kubernetes', 'github-actions', 'notebook', 'python', 'text'],
  prefilter: {
    terraform: (text, neighbours) => textMayHaveSites(text, 'terraform', neighbours),
    cloudformation: (text) => textMayHaveSites(text, 'cloudformation'),
    kubernetes: (text) => textMayHaveSites(text, 'kubernetes'),
    'github-actions': (text) => textMayHaveSites(text, 'github-actions'),
    // Python is read like a notebook cell, whose sites are all named by a key this test accepts.
    python: mayHoldSecretKey,
    text: (text) => textMayHaveSites(text, 'text'),
  },
  fixes: {
    'move-to-variable': 'unsafe',
    'read-from-secret': 'suggestion',
    'resolve-from-secrets-manager': 'suggestion',
    'read-from-repository-secret': 'unsafe',
    'drop-default': 'unsafe',
    'read-from-environment': 'unsafe',
    'remove-environment-assignment': 'unsafe',
  },
  docs: {
    summary:
      'A literal value under a password, secret, token or key name: IaC attributes (`password`, `master_password`, `MasterUserPassword`, `*_api_key`), container and Lambda environment variables, GitHub Actions `env:` and `with:` values, `KEY=value` lines of dotenv files, Dockerfiles and user-data scripts (base64-encoded ones too), literal defaults of secret variables and parameters, and assignments in notebooks and Python files such as `openai.api_key = "..."` or `login(token="...")`.',
    why: "Whatever its format, a password written into code is in every clone, every CI log that echoes the plan, and the state file — and it cannot be rotated without a commit. References (`var.x`, `!Ref`, `{{resolve:...}}`, `secretKeyRef`, `os.environ[...]`, `${VAR}`, `${{ secrets.X }}`) and placeholders (`changeme`, `<password>`, `xxxx`, a comment saying to replace the value) are not reported, nor are a container image's documented single-word defaults in an environment list (`MYSQL_PASSWORD=mysql`). A workflow runs as committed, so there a password written as `password` is reported.",
    fix: 'Read the value from a secret store: a `sensitive` Terraform variable fed by your pipeline or `aws_secretsmanager_secret_version`, `{{resolve:secretsmanager:...}}` or a `NoEcho` parameter without a default in CloudFormation, `valueFrom.secretKeyRef` in Kubernetes, `os.environ[...]` in a notebook, `${{ secrets.NAME }}` in a GitHub Actions workflow, an untracked `.env` file or build secrets (`RUN --mount=type=secret`) elsewhere. Rotate the password: it has been committed.',
    fixes: {
      'move-to-variable': 'Terraform: replaces the literal with a new sensitive variable, declared in `variables.tf` or the same file, that you then provide.',
      'read-from-secret': 'Kubernetes: replaces `value` with `valueFrom.secretKeyRef`, with a placeholder for the Secret name.',
      'resolve-from-secrets-manager':
        'CloudFormation: replaces the literal with a `{{resolve:secretsmanager:...}}` dynamic reference, with a placeholder for the secret.',
      'read-from-repository-secret':
        'GitHub Actions: replaces the literal with `${{ secrets.NAME }}`, NAME being the key in upper snake case. Create that secret in the repository (or organisation) settings before the next run: until then the value is empty.',
      'drop-default':
        'For a variable or parameter default: removes the default and marks the input `sensitive` / `NoEcho`, so every deployment must pass the value.',
      'read-from-environment': 'Notebooks: replaces the literal with `os.environ["NAME"]` (adding `import os`); you then set the variable.',
      'remove-environment-assignment': 'Notebooks: removes an `os.environ["NAME"] = "..."` line; you then set the variable outside the notebook.',
    },
    examples: {
      format: 'terraform',
      bad: 'resource "aws_db_instance" "db" {\n  password = "Sup3rS3cret!"\n}',
      good: 'resource "aws_db_instance" "db" {\n  password = var.db_password\n}',
    },
  },
  check(ctx) {
    for (const site of secretSites(ctx.file, ctx.project)) {
      const fix = fixFor(ctx, site);
      ctx.report({ span: site.span, message: message(site, ctx.file.format), fixes: fix ? [fix] : [] });
    }
  },
});
