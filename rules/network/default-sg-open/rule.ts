import { defineRule, type Entry, type Fix, get, isExpr, type Node, type ParsedFile } from '../../../core';
import { networkRules } from '../lib/firewall';
import { blocks } from '../lib/firewall-tf-blocks';

/** Delete an entry with its whole lines (leading indentation and the line break after it). */
function deleteEntry(file: ParsedFile, e: Entry): Fix<'remove-rule'> {
  const text = file.text;
  let start = e.keySpan.start;
  while (start > 0 && (text[start - 1] === ' ' || text[start - 1] === '\t')) start--;
  // Take the blank line above along, so removing every rule does not leave a gap.
  if (text[start - 1] === '\n' && text[start - 2] === '\n') start--;
  else if (text.slice(start - 4, start) === '\r\n\r\n') start -= 2;
  let end = e.value.span.end;
  if (text[end] === '\r') end++;
  if (text[end] === '\n') end++;
  return { title: `Remove this ${e.key} rule`, kind: 'remove-rule', safety: 'unsafe', edits: [{ span: { start, end }, newText: '' }] };
}

/** Whether a rule resource's `security_group_id` is the VPC's default group. */
function targetsDefault(value: Node | undefined): boolean {
  const refs = isExpr(value) ? (value.refs ?? []) : [];
  return refs.some((x) => x.startsWith('aws_default_security_group.') || x.endsWith('.default_security_group_id'));
}

export default defineRule({
  id: 'network/default-sg-open',
  family: 'network',
  severity: 'warning',
  formats: ['terraform', 'terraform-json', 'terraform-plan'],
  // Findings sit on the default group, or on a rule resource that names it (aws_default_security_group.x, vpc.default_security_group_id).
  prefilter: { terraform: ['default_security_group'] },
  fixes: { 'remove-rule': 'unsafe' },
  docs: {
    summary: 'The VPC default security group has a rule open to the whole internet (`aws_default_security_group`, or a rule resource attached to it).',
    why: 'Every instance, endpoint or function launched without an explicit security group lands in the default group, so an internet-wide rule there reaches resources nobody meant to expose. The CIS AWS Foundations Benchmark asks for a default security group that restricts all traffic.',
    fix: "Leave `aws_default_security_group` without `ingress`/`egress` blocks (Terraform then removes AWS's default rules), and give workloads purpose-made security groups with the rules they need.",
    fixes: {
      'remove-rule': 'Removes the rule (in `.tf` files); anything still relying on the default group loses that traffic.',
    },
    examples: {
      format: 'terraform',
      bad: 'resource "aws_default_security_group" "default" {\n  vpc_id = aws_vpc.main.id\n\n  ingress {\n    protocol    = -1\n    from_port   = 0\n    to_port     = 0\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n}',
      good: 'resource "aws_default_security_group" "default" {\n  vpc_id = aws_vpc.main.id\n}',
    },
  },
  check(ctx) {
    const { file, report } = ctx;
    const written = new Map<number, Entry>();
    for (const r of file.resources) {
      if (r.type !== 'aws_default_security_group') continue;
      for (const d of ['ingress', 'egress']) for (const b of blocks(r.body, d, ctx)) if (!b.dynamic) written.set(b.keySpan.start, b.written);
    }
    for (const rule of networkRules(ctx)) {
      if (rule.peers.open.length === 0) continue;
      const from = rule.direction === 'ingress' ? 'admits traffic from' : 'sends traffic to';
      const what = `The VPC default security group ${from} the whole internet: this applies to everything launched without its own security group`;
      if (rule.resource.type === 'aws_default_security_group' && rule.container) {
        const entry = written.get(rule.container.start);
        // Whole lines of HCL; a JSON property would leave its comma behind.
        report({ span: rule.container, message: what, fixes: entry && file.format === 'terraform' ? [deleteEntry(file, entry)] : [] });
      } else if (rule.resource.type !== 'aws_default_security_group' && targetsDefault(get(rule.resource.body, 'security_group_id'))) {
        report({ span: rule.resource.nameSpan, message: what });
      }
    }
  },
});
