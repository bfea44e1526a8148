import { defineRule, type FindingInput } from '../../../core/rule';
import { mask } from '../../../core/mask';
import { scanTokens } from '../../../core/tokens';
import { clearOutputsFix, envNameFor, notebookEnvFix, secretToReference, siteAt } from '../../lib/secret-fixes';

function message(kind: string, secret: string): string {
  return `Hard-coded ${kind} (${mask(secret)})`;
}

export default defineRule({
  id: 'secret/known-token',
  family: 'secret',
  severity: 'error',
  formats: ['terraform', 'cloudformation', 'kubernetes', 'notebook', 'text'],
  supersedes: ['secret/hardcoded-password'],
  docs: {
    summary: 'A credential with a recognisable provider format: AWS, GitHub, GitLab, Slack, OpenAI, Anthropic, Hugging Face, Stripe, private keys, connection strings and more.',
    why: 'A committed key is a leaked key: git history keeps it after the line is deleted, forks and clones copy it, and bots scan public pushes for these formats within seconds. In notebooks, keys also leak through cell outputs that get committed with the notebook.',
    fix: 'Revoke and rotate the key first — it is compromised. Then read it at run time from a secret store or an environment variable (a sensitive Terraform variable, a Kubernetes Secret, `{{resolve:secretsmanager:...}}`, `os.environ[...]`), and clear notebook outputs that printed it.',
    fixSafety: 'Unsafe: replaces the literal with a reference (a sensitive variable, an environment variable) that you must then provide; "Clear this cell\'s outputs" is safe. Rotating the key is still on you.',
    examples: { format: 'notebook', bad: 'login(token="hf_...")', good: 'login(token=os.environ["HF_TOKEN"])' },
  },
  async check({ file, project, report }) {
    if (file.format !== 'notebook') {
      for (const hit of await scanTokens(file.text, file.uri)) {
        const secret = file.text.slice(hit.start, hit.end);
        const site = siteAt(file, hit.start, hit.end);
        const fix = site && secretToReference({ file, project, ...site }, hit.start, hit.end);
        report({ span: { start: hit.start, end: hit.end }, message: message(hit.kind, secret), fixes: fix ? [fix] : [] });
      }
      return;
    }
    for (const cell of file.cells ?? []) {
      for (const hit of await scanTokens(cell.source, file.uri)) {
        const secret = cell.source.slice(hit.start, hit.end);
        const finding: FindingInput = { span: { start: hit.start, end: hit.end, cell: cell.index }, message: message(hit.kind, secret) };
        const literal = cell.python?.strings.find((s) => s.contentSpan && s.contentSpan.start <= hit.start && hit.end <= s.contentSpan.end);
        if (literal && typeof literal.value === 'string' && literal.value.trim() === secret.trim()) {
          finding.fixes = [notebookEnvFix(file, cell, literal, envNameFor(cell, literal, hit.kind))];
        }
        report(finding);
      }
      for (const output of cell.outputs) {
        for (const hit of await scanTokens(output.text, file.uri)) {
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
