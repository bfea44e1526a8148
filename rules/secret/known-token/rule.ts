import {
  cellPython,
  contentSpan,
  defineRule,
  detachedCopy,
  spanInCell,
  type FindingInput,
  isScalar,
  mask,
  type Node,
  type RuleContext,
  structuredTextRoots,
  type TokenHit,
  walk,
} from '../../../core';
import { findTokens, mayHoldToken } from '../lib/tokens';
import { decodeBase64Text } from '../lib/values';
import { ASSEMBLING, assembledLiteral } from '../lib/assembled';
import { isBootScriptKey } from '../lib/keys';
import { mayHoldBootKey } from '../lib/key-prefilter';
import { clearOutputsFix, envNameFor, notebookSecretFix, secretToReference, siteAt } from '../lib/fixes';

/** Formats whose values are assembled by functions (`join`, `format`, `Fn::Join`, `Fn::Sub`). */
const ASSEMBLED_IN = new Set(['terraform', 'terraform-json', 'terragrunt', 'cloudformation']);

function message(kind: string, secret: string): string {
  return `Hard-coded ${kind} (${mask(secret)})`;
}

function rootsOf(ctx: RuleContext): Node[] {
  return ctx.file.format === 'text' ? (structuredTextRoots(ctx.file) ?? []) : ctx.file.roots;
}

/** Tokens in the text, or base64 user data that may hide one (the same tests `check` starts with). */
function mayReport(text: string): boolean {
  return mayHoldToken(text) || text.includes('\\') || mayHoldBootKey(text);
}

/**
 * Token hits of assembled values, by text: a template assembles the same ARNs and names again on every keystroke,
 * and a token search per value (each resetting the token tests' memory of the file's text) adds up.
 */
const ASSEMBLED_HITS = new Map<string, TokenHit[]>();
const MAX_ASSEMBLED_HITS = 4096;

async function assembledHits(text: string): Promise<TokenHit[]> {
  let hits = ASSEMBLED_HITS.get(text);
  if (hits === undefined) {
    hits = await findTokens(text);
    if (ASSEMBLED_HITS.size >= MAX_ASSEMBLED_HITS) ASSEMBLED_HITS.clear();
    ASSEMBLED_HITS.set(detachedCopy(text), hits);
  }
  return hits;
}

/**
 * Tokens that only exist once a value is assembled: `join("/", ["https://hooks.slack.com/services", "T0...", ...])`,
 * `format("...;Password=%s", local.host, "...")`, `Fn::Join` / `Fn::Sub` of literals. Reported on the expression;
 * a token the file's own text shows inside the expression (`reported`), written whole in one piece, is not reported again.
 */
async function assembledTokens(ctx: RuleContext, reported: readonly TokenHit[]): Promise<void> {
  for (const root of rootsOf(ctx)) {
    for (const v of walk(root)) {
      if (v.node.kind !== 'expr' || !v.node.fn || !ASSEMBLING.has(v.node.fn)) continue;
      const text = assembledLiteral(v.node, true);
      if (text === undefined) continue;
      const { start, end } = v.node.span;
      for (const hit of await assembledHits(text)) {
        if (reported.some((r) => r.kind === hit.kind && start <= r.start && r.end <= end)) continue;
        ctx.report({ span: v.node.span, message: `${message(hit.kind, text.slice(hit.start, hit.end))} assembled by ${v.node.fn}` });
      }
    }
  }
}

/** Base64 user data / custom data: decode it and look for tokens and private keys inside. */
async function encodedUserData(ctx: RuleContext): Promise<void> {
  const text = ctx.file.text;
  if (!text.includes('\\') && !mayHoldBootKey(text)) return;
  for (const root of rootsOf(ctx)) {
    for (const v of walk(root)) {
      if (!v.entry || v.entry.value !== v.node || !isScalar(v.node) || typeof v.node.value !== 'string' || !isBootScriptKey(v.entry.key)) continue;
      const decoded = decodeBase64Text(v.node.value);
      if (decoded === undefined) continue;
      const hit = (await findTokens(decoded, { headerOnlyKeys: true }))[0];
      if (!hit) continue;
      ctx.report({
        span: contentSpan(v.node),
        message: `Base64-encoded ${v.entry.key} holds a ${hit.kind} (${mask(decoded.slice(hit.start, hit.end))})`,
      });
    }
  }
}

export default defineRule({
  id: 'secret/known-token',
  family: 'secret',
  severity: 'error',
  formats: [
    'terraform',
    'terraform-json',
    'terraform-plan',
    'terragrunt',
    'cloudformation',
    'kubernetes',
    'helm',
    'github-actions',
    'compose',
    'kustomize',
    'notebook',
    'python',
    'dockerfile',
    'modelfile',
    'text',
  ],
  prefilter: {
    terraform: mayReport,
    terragrunt: mayReport,
    cloudformation: mayReport,
    kubernetes: mayReport,
    helm: mayReport,
    'github-actions': mayReport,
    python: mayReport,
    dockerfile: mayReport,
    modelfile: mayReport,
    compose: mayReport,
    kustomize: mayReport,
    text: mayReport,
  },
  supersedes: ['secret/hardcoded-password', 'secret/kubernetes-secret-manifest'],
  fixes: {
    'move-to-variable': 'unsafe',
    'read-from-secret': 'suggestion',
    'resolve-from-secrets-manager': 'suggestion',
    'read-from-repository-secret': 'unsafe',
    'read-from-environment': 'unsafe',
    'remove-environment-assignment': 'unsafe',
    'clear-outputs': 'safe',
  },
  docs: {
    summary:
      'A credential with a recognisable format — cloud, AI platform, developer platform and SaaS tokens, signed JSON Web Tokens, private keys, passwords in URLs — in any file Airlock reads.',
    reads:
      "A credential with a recognisable provider format: AWS, GitHub, GitLab, Slack, OpenAI (project and service-account keys too), Anthropic, Hugging Face, Groq, Databricks, Replicate, Pinecone, LangSmith, Perplexity, xAI, SendGrid, Stripe (webhook secrets too), Google, Twilio, Azure storage keys and shared access signatures (`sig=` of a SAS token or URL), Grafana, cloud and infrastructure tokens (Alibaba Cloud and Tencent Cloud key ids, DigitalOcean, HCP Terraform, Heroku, Fly.io, Doppler, Pulumi, PyPI, New Relic, Dynatrace, Sentry, PlanetScale, Supabase, Atlassian, Infracost, OpenShift, `age` secret keys), AI platform keys (NVIDIA, OpenRouter, Tavily, Firecrawl), developer platform tokens (GitLab deploy, runner, trigger, job and agent tokens, SonarQube user and analysis tokens — a project badge token, public by design, aside — RubyGems, Clojars, Postman, Prefect, Telegram bots, Mapbox secret tokens, Brevo, Shippo, Typeform, ReadMe, Discord webhook URLs), signed JSON Web Tokens (a Supabase `anon` key, public by design, aside), private keys (in a string with `\\n` escapes too, and base64-encoded PEM such as a kubeconfig's `client-key-data`), passwords in URLs (a Redis URL's password without a user name too) and in connection strings (ADO.NET and ODBC `Password=`/`Pwd=`, a JDBC URL's `password=`, libpq's `host=... password=...`, StackExchange.Redis's `host:6380,password=...,ssl=True`), in `.netrc` entries (`machine ... login ... password ...`, where `wandb login` writes its key), in HTTP `Authorization` headers (`Bearer` / `token` followed by a generated-looking token, in a command, a header line, a dict or an HCL map, or set by a web server's directive — nginx `proxy_set_header Authorization \"Bearer ...\"`, Apache `RequestHeader set`, HAProxy `http-request set-header`; `Basic` followed by base64 of `user:password`, wherever it is written and in any case, as git's `http.extraheader = AUTHORIZATION: basic …`), API key headers written with their dashes (`X-API-Key`, `X-Auth-Token`, `PRIVATE-TOKEN`, also as such a directive sets them), `curl -u user:password` and `wget --password=...` command lines and more — in files, in values assembled from pieces (Terraform `join()` and `format()`, CloudFormation `Fn::Join` and `Fn::Sub`, reported on the expression when only the assembled value shows the token; a piece that is a reference stays a hole), in base64-encoded user data, in Python files, in notebook cells and in their outputs. Every format is checked against the provider's documented shape (`rules/secret/lib/token-patterns.ts` and `platform-tokens.ts` name the page for each), and token-shaped placeholders are not reported in any format: filler after the prefix (`ghp_xxxx...`, `AKIAXXXXXXXXXXXXXXXX`, `sk_live_0000...`, the Slack documentation webhook `.../T00000000/B00000000/XXXX...`), `<token>`, `your_key_here` (judged on the value alone where the setting's name comes first: an `.npmrc` `_authToken=<token>` or `_authToken=REDACTED`), and in a URL or a connection string a placeholder password (`postgres://app:<password>@db`, `Pwd={password}`). A body of another repeated letter (`sk_live_AAAA...`), an alphabet sequence or the AWS documentation keys (`AKIAIOSFODNN7EXAMPLE`) is reported: it has the provider's exact shape, and secret scanners' test suites count it as a secret.",
    why: 'A committed key is a leaked key: git history keeps it after the line is deleted, forks and clones copy it, and bots scan public pushes for these formats within seconds. In notebooks, keys also leak through cell outputs that get committed with the notebook.',
    fix: 'Revoke and rotate the key first — it is compromised. Then read it at run time from a secret store or an environment variable (a sensitive Terraform variable, a Kubernetes Secret, `{{resolve:secretsmanager:...}}`, `os.environ[...]`), and clear notebook outputs that printed it.',
    fixes: {
      'move-to-variable': 'Terraform: replaces the literal with a new sensitive variable, declared in `variables.tf` or the same file, that you then provide.',
      'read-from-secret': 'Kubernetes: replaces `value` with `valueFrom.secretKeyRef`, with a placeholder for the Secret name.',
      'resolve-from-secrets-manager':
        'CloudFormation: replaces the literal with a `{{resolve:secretsmanager:...}}` dynamic reference, with a placeholder for the secret.',
      'read-from-repository-secret':
        'GitHub Actions: replaces the literal with `${{ secrets.NAME }}`, NAME being the key in upper snake case. Create that secret in the repository (or organisation) settings before the next run: until then the value is empty.',
      'read-from-environment':
        'Notebooks and Python files: replaces the literal with `os.environ["NAME"]` (adding `import os`); Compose: replaces a whole value with `${NAME}`; Terragrunt: replaces it with `get_env("NAME")`. You then set the variable.',
      'remove-environment-assignment': 'Notebooks and Python files: removes an `os.environ["NAME"] = "..."` line; you then set the variable outside the code.',
      'clear-outputs': 'Notebooks: clears the outputs of the cell that printed the token.',
    },
    examples: { format: 'notebook', bad: 'login(token="hf_...")', good: 'login(token=os.environ["HF_TOKEN"])' },
  },
  async check(ctx) {
    const { file, project, report } = ctx;
    // A Python file is read like a notebook's one code cell (its spans stay file offsets).
    if (file.format !== 'notebook' && file.format !== 'python') {
      const reported = await findTokens(file.text, { filePath: file.uri, ranAsWritten: file.format === 'github-actions' });
      for (const hit of reported) {
        const { start, end } = hit;
        const secret = file.text.slice(start, end);
        const site = siteAt(file, start, end);
        const fix = site && secretToReference({ file, project, ...site }, start, end);
        report({ span: { start, end }, message: message(hit.kind, secret), fixes: fix ? [fix] : [] });
      }
      if (ASSEMBLED_IN.has(file.format)) await assembledTokens(ctx, reported);
      await encodedUserData(ctx);
      return;
    }
    for (const cell of file.cells ?? []) {
      for (const hit of await findTokens(cell.source)) {
        const secret = cell.source.slice(hit.start, hit.end);
        const finding: FindingInput<ReturnType<typeof notebookSecretFix>['kind']> = {
          span: spanInCell(cell, hit.start, hit.end),
          message: message(hit.kind, secret),
        };
        const literal = cellPython(cell)?.strings.find((s) => s.contentSpan && s.contentSpan.start <= hit.start && hit.end <= s.contentSpan.end);
        if (literal && typeof literal.value === 'string' && literal.value.trim() === secret.trim()) {
          finding.fixes = [notebookSecretFix(file, cell, literal, envNameFor(cell, literal, hit.kind))];
        }
        report(finding);
      }
      for (const output of cell.outputs) {
        for (const hit of await findTokens(output.text)) {
          report({
            span: { start: hit.start, end: hit.end, cell: cell.index, output: output.index },
            message: `${message(hit.kind, output.text.slice(hit.start, hit.end))} in a cell output`,
            fixes: [clearOutputsFix(cell.index)],
          });
        }
      }
    }
  },
});
