import { defineRule } from '../../../core';
import { exposure, networkRules, placement, NETWORK_PREFILTER } from '../lib/firewall';

export default defineRule({
  id: 'network/open-egress',
  family: 'network',
  severity: 'warning',
  formats: ['terraform', 'terraform-json', 'terraform-plan', 'cloudformation'],
  prefilter: NETWORK_PREFILTER,
  fixes: { 'replace-with-variable': 'suggestion', 'replace-with-trusted-range': 'suggestion' },
  docs: {
    summary: 'Egress to the whole internet (0.0.0.0/0, ::/0, `*`, `Internet`) on all ports and protocols.',
    why: "Unrestricted egress is how stolen data, credentials and model weights leave: malware and compromised dependencies call home over any port. Restricting egress to the endpoints a workload needs turns exfiltration into a visible, blocked connection. Read for AWS, Azure and Google Cloud (firewall rules and firewall policy rules with action `allow`) and for the firewalls of Alibaba Cloud, Oracle Cloud, OpenStack, Huawei Cloud, Tencent Cloud, Yandex Cloud, DigitalOcean, Hetzner, Linode (an `outbound_policy` of `ACCEPT` lets everything out that no rule drops), IBM VPC and Nifcloud in Terraform. Ranges of one rule that only together span every IPv4 address (`0.0.0.0/1` and `128.0.0.0/1`) count as every address. CloudFormation's implicit default egress rule (a security group with no `SecurityGroupEgress`) is the platform default and is not reported, and neither is NACL egress: NACLs keep no connection state, so subnets must let replies out to every client address.",
    fix: 'Allow only the destinations and ports the workload needs (HTTPS to specific prefix lists or VPC endpoints); route the rest through a proxy or NAT with filtering.',
    fixes: {
      'replace-with-variable': 'Replaces the open range with a variable or parameter reference for you to name and define.',
      'replace-with-trusted-range': 'Replaces an open range written as a variable or parameter default with a placeholder for a trusted range.',
    },
    examples: {
      format: 'terraform',
      bad: 'egress {\n  from_port   = 0\n  to_port     = 0\n  protocol    = "-1"\n  cidr_blocks = ["0.0.0.0/0"]\n}',
      good: 'egress {\n  from_port       = 443\n  to_port         = 443\n  protocol        = "tcp"\n  prefix_list_ids = [aws_vpc_endpoint.s3.prefix_list_id]\n}',
    },
  },
  check(ctx) {
    for (const rule of networkRules(ctx)) {
      // NACLs keep no connection state: a subnet that serves the internet must let replies out to every
      // client address, so allow-all NACL egress is the norm; the security groups are the egress control.
      if (rule.direction !== 'egress' || rule.stateless) continue;
      const e = exposure(rule);
      if (e.kind !== 'all') continue;
      for (const peer of rule.peers.open) {
        const at = placement(ctx, rule, peer, e, 'allowed_egress_cidr');
        const via = peer.implicit ? ` (${peer.implicit})` : peer.label ? ` (through ${peer.label})` : '';
        ctx.report({ span: at.span, message: `Egress is open to the whole internet on all ports${via}`, related: at.related, fixes: at.fixes });
      }
    }
  },
});
