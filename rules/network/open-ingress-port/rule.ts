import { defineRule, type Severity } from '../../../core';
import { loadBalancerGroups, redirectsHttp } from '../lib/load-balancers';
import { describeExposure, exposure, networkRules, placement, type NetRule, NETWORK_PREFILTER } from '../lib/firewall';

/** The group a rule belongs to, to see whether the same group also serves HTTPS. */
function groupOf(rule: NetRule): string {
  return rule.group ?? `${rule.resource.type}.${rule.resource.name}`;
}

function allowsHttps(rule: NetRule): boolean {
  const p = rule.ports;
  return p.kind === 'ranges' && p.ranges.some(([f, t]) => f <= 443 && t >= 443);
}

export default defineRule({
  id: 'network/open-ingress-port',
  family: 'network',
  severity: 'warning',
  formats: ['terraform', 'terraform-json', 'terraform-plan', 'cloudformation'],
  prefilter: NETWORK_PREFILTER,
  fixes: { 'replace-with-variable': 'suggestion', 'replace-with-trusted-range': 'suggestion' },
  docs: {
    summary:
      'Ingress open to the whole internet on a port that is neither sensitive nor made to face the internet: plain HTTP (80), application and development ports.',
    why: 'Plain HTTP sends sessions and credentials in clear text, and application ports (8080, 8000, custom ranges) usually serve development servers, metrics or admin endpoints that were never meant to face the internet. Each open port is attack surface that scanners index within hours. Sensitive ports (SSH, RDP, databases) are reported by `network/open-ingress`; HTTPS (443) and VPN endpoints (IKE 500/4500, OpenVPN 1194, WireGuard 51820) are not reported. Port 80 next to HTTPS in the same group is reported at information level (it is usually a redirect to HTTPS, which is fine as long as that is all it does), and not at all when the group belongs to a load balancer of the module or template, or the module or template has a listener that turns port 80 into a redirect: there it is the listener that redirects.',
    fix: 'Serve public traffic over HTTPS only (terminate TLS on a load balancer and let port 80 only redirect), and limit other ports to the address ranges or security groups that use them.',
    fixes: {
      'replace-with-variable': 'Replaces the open range with a variable or parameter reference for you to name and define.',
      'replace-with-trusted-range': 'Replaces an open range written as a variable or parameter default with a placeholder for a trusted range.',
    },
    examples: {
      format: 'cloudformation',
      bad: 'SecurityGroupIngress:\n  - IpProtocol: tcp\n    FromPort: 8080\n    ToPort: 8080\n    CidrIp: 0.0.0.0/0',
      good: 'SecurityGroupIngress:\n  - IpProtocol: tcp\n    FromPort: 443\n    ToPort: 443\n    CidrIp: 0.0.0.0/0',
    },
  },
  check(ctx) {
    const rules = networkRules(ctx).filter((r) => r.direction === 'ingress' && r.peers.open.length > 0);
    const https = new Set(rules.filter(allowsHttps).map(groupOf));
    let balanced: Set<string> | undefined;
    let redirecting: boolean | undefined;
    for (const rule of rules) {
      const e = exposure(rule);
      if (e.kind !== 'other') continue;
      const httpOnly = e.extra.length === 1 && e.extra[0][0] === 80 && e.extra[0][1] === 80;
      const redirect = httpOnly && https.has(groupOf(rule));
      // A load balancer's 80 next to its 443, or next to a listener that redirects 80: the redirect to HTTPS.
      if (redirect && ((balanced ??= loadBalancerGroups(ctx)).has(groupOf(rule)) || (redirecting ??= redirectsHttp(ctx)))) continue;
      const severity: Severity | undefined = redirect ? 'info' : undefined;
      const note = redirect ? ' next to HTTPS: make sure it only redirects to HTTPS' : '';
      for (const peer of rule.peers.open) {
        const at = placement(ctx, rule, peer, e, 'allowed_ingress_cidr');
        const via = peer.implicit ? ` (${peer.implicit})` : peer.label ? ` (through ${peer.label})` : '';
        ctx.report({
          span: at.span,
          message: `Ingress is open to the whole internet on ${describeExposure(e)}${via}${note}`,
          severity,
          related: at.related,
          fixes: at.fixes,
        });
      }
    }
  },
});
