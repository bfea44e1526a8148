import { defineRule } from '../../../core/rule';
import { contentSpan } from '../../../core/nodes';
import { networkRules } from '../../lib/network';
import { replaceWithReference } from '../../lib/fixes';

export default defineRule({
  id: 'network/open-egress',
  family: 'network',
  severity: 'warning',
  formats: ['terraform', 'cloudformation'],
  docs: {
    summary: 'Egress to the whole internet (0.0.0.0/0 or ::/0) on all ports and protocols.',
    why: 'Unrestricted egress is how stolen data, credentials and model weights leave: malware and compromised dependencies call home over any port. Restricting egress to the endpoints a workload needs turns exfiltration into a visible, blocked connection.',
    fix: 'Allow only the destinations and ports the workload needs (HTTPS to specific prefix lists or VPC endpoints); route the rest through a proxy or NAT with filtering.',
    fixSafety: 'Suggestion: replaces the open range with a variable or parameter reference for you to name and define.',
    examples: {
      format: 'terraform',
      bad: 'egress {\n  from_port   = 0\n  to_port     = 0\n  protocol    = "-1"\n  cidr_blocks = ["0.0.0.0/0"]\n}',
      good: 'egress {\n  from_port       = 443\n  to_port         = 443\n  protocol        = "tcp"\n  prefix_list_ids = [aws_vpc_endpoint.s3.prefix_list_id]\n}',
    },
  },
  check({ file, report }) {
    for (const rule of networkRules(file)) {
      if (rule.direction !== 'egress' || rule.ports !== 'all') continue;
      for (const node of rule.open) {
        const fix = replaceWithReference(file, node, 'allowed_egress_cidr', 'Replace the open range with a variable');
        report({ span: contentSpan(node), message: 'Egress is open to the world on all ports', fixes: fix ? [fix] : [] });
      }
    }
  },
});
