import { defineRule } from '../../../core/rule';
import { contentSpan } from '../../../core/nodes';
import { describePorts, networkRules, SENSITIVE_PORTS, sensitivePortIn } from '../../lib/network';
import { replaceWithReference } from '../../lib/fixes';

export default defineRule({
  id: 'network/open-ingress',
  family: 'network',
  severity: 'error',
  formats: ['terraform', 'cloudformation'],
  docs: {
    summary: 'Ingress open to the whole internet (0.0.0.0/0 or ::/0) on all ports or on a sensitive port.',
    why: 'Scanners find an SSH, RDP, database or admin port open to the world within minutes of it opening; one weak password or unpatched service is then enough. Public web ports (80, 443) on their own are not reported.',
    fix: 'Allow only the address ranges that need access (a VPN, an office range, a load balancer security group), or put the service behind a bastion, SSM Session Manager or a private endpoint.',
    fixSafety: 'Suggestion: replaces the open range with a variable or parameter reference for you to name and define.',
    examples: {
      format: 'terraform',
      bad: 'ingress {\n  from_port   = 22\n  to_port     = 22\n  protocol    = "tcp"\n  cidr_blocks = ["0.0.0.0/0"]\n}',
      good: 'ingress {\n  from_port   = 22\n  to_port     = 22\n  protocol    = "tcp"\n  cidr_blocks = [var.admin_cidr]\n}',
    },
  },
  check({ file, report }) {
    for (const rule of networkRules(file)) {
      if (rule.direction !== 'ingress') continue;
      let message: string;
      let severity: 'info' | undefined;
      if (rule.ports === 'all') message = 'Ingress is open to the world on all ports';
      else if (rule.ports === 'unknown') {
        const what = rule.portsNode?.kind === 'expr' ? rule.portsNode.text : 'a value';
        message = `Ingress is open to the world; its ports come from ${what}, which cannot be resolved here — check that it excludes sensitive ports`;
        severity = 'info';
      } else {
        const port = sensitivePortIn(rule.ports);
        if (port === undefined) continue;
        message = `Ingress is open to the world on port ${describePorts(rule.ports)} (${SENSITIVE_PORTS[port]})`;
      }
      for (const node of rule.open) {
        const fix = replaceWithReference(file, node, 'allowed_ingress_cidr', 'Replace the open range with a variable');
        report({ span: contentSpan(node), message, severity, fixes: fix ? [fix] : [] });
      }
    }
  },
});
