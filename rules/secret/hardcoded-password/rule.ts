import { cellPython } from '../../../core';
import { defineRule, type Fix, type RuleContext } from '../../../core/rule';
import { isScalar } from '../../../core/nodes';
import { mask } from '../../../core/mask';
import { secretSites, textMayHaveSites, type SecretSite } from '../../lib/secret-sites';
import { dropDefaultFix, envNameFor, notebookSecretFix, secretToReference } from '../../lib/secret-fixes';
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

function fixFor(ctx: RuleContext, site: SecretSite): Fix | undefined {
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
  formats: ['terraform', 'cloudformation', 'kubernetes', 'notebook', 'text'],
  prefilter: {
    terraform: (text, neighbours) => textMayHaveSites(text, 'terraform', neighbours),
    cloudformation: (text) => textMayHaveSites(text, 'cloudformation'),
    kubernetes: (text) => textMayHaveSites(text, 'kubernetes'),
    text: (text) => textMayHaveSites(text, 'text'),
  },
  docs: {
    summary:
      'A literal value under a password, secret, token or key name: IaC attributes (`password`, `master_password`, `MasterUserPassword`, `*_api_key`), container and Lambda environment variables, `KEY=value` lines of dotenv files, Dockerfiles and user-data scripts (base64-encoded ones too), literal defaults of secret variables and parameters, and notebook assignments such as `openai.api_key = "..."` or `login(token="...")`.',
    why: "Whatever its format, a password written into code is in every clone, every CI log that echoes the plan, and the state file — and it cannot be rotated without a commit. References (`var.x`, `!Ref`, `{{resolve:...}}`, `secretKeyRef`, `os.environ[...]`, `${VAR}`) and placeholders (`changeme`, `<password>`, `xxxx`, a comment saying to replace the value) are not reported, nor are a container image's documented single-word defaults in an environment list (`MYSQL_PASSWORD=mysql`).",
    fix: 'Read the value from a secret store: a `sensitive` Terraform variable fed by your pipeline or `aws_secretsmanager_secret_version`, `{{resolve:secretsmanager:...}}` or a `NoEcho` parameter without a default in CloudFormation, `valueFrom.secretKeyRef` in Kubernetes, `os.environ[...]` in a notebook, an untracked `.env` file or build secrets (`RUN --mount=type=secret`) elsewhere. Rotate the password: it has been committed.',
    fixSafety:
      'Unsafe or suggestion: replaces the literal with a reference (a sensitive variable, a Secret reference, a dynamic reference, an environment variable) that you then provide; for a variable or parameter default, removes the default and marks the input sensitive / NoEcho.',
    examples: {
      format: 'terraform',
      bad: 'resource "aws_db_instance" "db" {\n  password = "Sup3rS3cret!"\n}',
      good: 'resource "aws_db_instance" "db" {\n  password = var.db_password\n}',
    },
  },
  check(ctx: RuleContext) {
    for (const site of secretSites(ctx.file, ctx.project)) {
      const fix = fixFor(ctx, site);
      ctx.report({ span: site.span, message: message(site, ctx.file.format), fixes: fix ? [fix] : [] });
    }
  },
});
