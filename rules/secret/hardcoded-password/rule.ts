import { defineRule, type RuleContext } from '../../../core/rule';
import type { Entry, Node } from '../../../core/model';
import { contentSpan, get, isMap, isScalar, str, walk } from '../../../core/nodes';
import { mask } from '../../../core/mask';
import { isPlaceholder, isSecretKey } from '../../lib/secret-values';
import { secretToReference } from '../../lib/secret-fixes';

/** Keys naming the variable in `{ name: DB_PASSWORD, value: "..." }` pairs (Kubernetes and ECS env, CloudFormation Environment). */
const NAME_KEYS = ['name', 'Name'];
const VALUE_KEYS = new Set(['value', 'Value']);

function literalSecret(node: Node): string | undefined {
  if (!isScalar(node) || typeof node.value !== 'string') return undefined;
  return isPlaceholder(node.value) ? undefined : node.value;
}

export default defineRule({
  id: 'secret/hardcoded-password',
  family: 'secret',
  severity: 'error',
  formats: ['terraform', 'cloudformation', 'kubernetes'],
  docs: {
    summary: 'A literal value under a password, secret, token or credential key (`password`, `master_password`, `MasterUserPassword`, `DB_PASSWORD` env values, ...).',
    why: 'Whatever its format, a password written into infrastructure code is in every clone, every CI log that echoes the plan, and the state file — and it cannot be rotated without a commit. References (`var.x`, `!Ref`, `{{resolve:...}}`, `secretKeyRef`) and placeholders (`changeme`, `<password>`, `${VAR}`) are not reported.',
    fix: 'Read the value from a secret store: a `sensitive` Terraform variable fed by your pipeline or `aws_secretsmanager_secret_version`, `{{resolve:secretsmanager:...}}` in CloudFormation, `valueFrom.secretKeyRef` in Kubernetes. Rotate the password: it has been committed.',
    fixSafety: 'Unsafe or suggestion: replaces the literal with a reference (a sensitive variable, a Secret reference, a dynamic reference) that you then provide.',
    examples: { format: 'terraform', bad: 'resource "aws_db_instance" "db" {\n  password = "Sup3rS3cret!"\n}', good: 'resource "aws_db_instance" "db" {\n  password = var.db_password\n}' },
  },
  check(ctx: RuleContext) {
    const { file, project, report } = ctx;
    const seen = new Set<Node>();
    const flag = (node: Node, keyName: string, entry: Entry) => {
      const secret = literalSecret(node);
      if (secret === undefined || seen.has(node)) return;
      seen.add(node);
      const resource = file.resources.find((r) => r.span.start <= node.span.start && node.span.end <= r.span.end);
      const fix = secretToReference({ file, project, node, entry, resource });
      report({ span: contentSpan(node), message: `Hard-coded value for "${keyName}" (${mask(secret)})`, fixes: fix ? [fix] : [] });
    };
    const bodies = file.format === 'kubernetes' ? file.roots : file.resources.filter((r) => r.kind !== 'variable' && r.kind !== 'output').map((r) => r.body);
    for (const body of bodies) {
      for (const v of walk(body)) {
        if (v.entry && isSecretKey(v.entry.key) && isScalar(v.node)) flag(v.node, v.entry.key, v.entry);
        if (!isMap(v.node)) continue;
        // { name: DB_PASSWORD, value: "..." }
        const nameKey = NAME_KEYS.find((k) => get(v.node, k) !== undefined);
        const name = nameKey ? str(get(v.node, nameKey)) : undefined;
        if (!name || !isSecretKey(name)) continue;
        for (const e of v.node.entries) if (VALUE_KEYS.has(e.key)) flag(e.value, name, e);
      }
    }
  },
});
