import { contentSpan, defineRule, isExpr, type Node, type Severity } from '../../../core';
import { describeExposure, exposure, networkRules, placement, NETWORK_PREFILTER } from '../lib/firewall';
import { describeVia } from '../lib/addresses';
import { sensitiveLoadBalancerPorts } from '../lib/k8s-load-balancers';

export default defineRule({
  id: 'network/open-ingress',
  family: 'network',
  severity: 'error',
  formats: ['terraform', 'terraform-json', 'terraform-plan', 'cloudformation', 'kubernetes', 'helm'],
  // A chart's template may take `type: LoadBalancer` from values.yaml: any Service is read there.
  prefilter: { ...NETWORK_PREFILTER, kubernetes: ['LoadBalancer'], helm: ['Service'] },
  fixes: { 'replace-with-variable': 'suggestion', 'replace-with-trusted-range': 'suggestion' },
  docs: {
    summary:
      'Ingress open to the whole internet (0.0.0.0/0, ::/0, any /0, `*`, `Internet`) on all ports, on a sensitive port, or to a database or Kubernetes API endpoint; and a Kubernetes LoadBalancer Service that puts a sensitive port on the internet.',
    why: "Scanners find an SSH, RDP, database or admin port open to the world within minutes of it opening; one weak password or unpatched service is then enough. The same goes for a database firewall or a Kubernetes API allow-list that admits every address. Addresses are read through variables (the last `terraform.tfvars` / `*.auto.tfvars` value in the order Terraform loads them, else the default; a `-var-file` is chosen outside the code and not read), locals, parameters (their defaults), both results of a conditional (`var.public ? [\"0.0.0.0/0\"] : [var.office]` is reported: either result is a value the rule can have) and `Fn::If` branches, `Fn::FindInMap` entries (a key given by a parameter can be any key of its level, or any of the parameter's `AllowedValues`: its `Default` is only the key used when none is given), keys computed from other values (`local.by_env[var.env]`), the functions that pass values on (`concat`, `flatten`, `compact`, `coalesce`, `try`, `merge`, `lookup`, `setproduct`, ...), templates (`\"${var.ip}/0\"`), for-expressions (a filter is applied when it can be read, else the expression is not guessed), `dynamic`/`for_each` items (each item with its own port and addresses, iterators renamed or not), the arguments of local module calls (a call with `for_each` one instance at a time) and the outputs of local modules. Ranges of one rule or allow-list that only together span every IPv4 address (`0.0.0.0/1` and `128.0.0.0/1`, the pair VPN clients write for the default route) count as every address, reported at the first of them. A resource that is never created (`count = 0`, a `for_each` known to be empty) opens nothing; one whose `count` depends on a condition may be created, and is read, unless the code itself fixes the condition (a literal, a local, a call's argument, a called module's default: a module called with `create = false` creates nothing), where a variable of the module analysed at the top fixes nothing (its tfvars or the command line may set it). Registry modules are read where their inputs are documented: the terraform-aws-modules security-group and VPC modules, the EKS module (a public endpoint written `true` with its CIDRs left out takes the module default, every address), the terraform-google-modules network module's firewall rules (`rules`, `firewall_rules`, `ingress_rules`, `egress_rules`: an item is read as the firewall the module makes of it) and the kubernetes-engine module's `master_authorized_networks`; a module of another source is not guessed. a managed Kubernetes cluster that leaves its API endpoint public and its allowed ranges out gets the provider default, every address (docs/provider-defaults.md): EKS without `public_access_cidrs`, AKS without `private_cluster_enabled` or authorized IP ranges (an empty set of ranges restricts nothing either), GKE without a private endpoint or `master_authorized_networks_config` (a block without `cidr_blocks` admits no external address). A Google Cloud ingress firewall rule that names no source (no `source_ranges`, `source_tags` or `source_service_accounts`) admits 0.0.0.0/0, the API default. Google Cloud firewall policy rules (hierarchical, global and regional network policies) count when their action is `allow` and `match.src_ip_ranges` is open, on the ports of each `layer4_configs` block (`deny`, `goto_next` and disabled rules open nothing); an Azure Firewall DNAT rule (`azurerm_firewall_nat_rule_collection`, the `nat_rule_collection` of a firewall policy) from source `*` publishes the private host it translates to, while network rules only filter what the firewall routes; AWS Lightsail instance ports (`aws_lightsail_instance_public_ports`, `AWS::Lightsail::Instance` `Networking.Ports`) count by their `cidrs` / `ipv6_cidrs`. The security groups and firewalls of other Terraform providers are read the same way: Alibaba Cloud, Oracle Cloud (security lists and network security group rules), OpenStack (Neutron rules, where `port_range_min` and `port_range_max` of 0 are the whole range, compute security groups, and FWaaS rules by the `source_ip_address` they write; a disabled one enforces nothing), Huawei Cloud, Tencent Cloud (rules, rule sets and `ACCEPT#0.0.0.0/0#22#TCP` lite rules), Yandex Cloud, DigitalOcean, Hetzner, Linode, IBM VPC and Nifcloud; drop and deny rules open nothing. A Huawei Cloud rule that names no remote (no `remote_ip_prefix`, `remote_group_id` or `remote_address_group_id`) admits every address, as the provider documents; OpenStack documents no such default, so the same rule there is not reported. A Linode firewall whose `inbound_policy` is `ACCEPT` admits from everywhere whatever its rules do not drop: it is reported at the policy, on the ports left open; a disabled Linode firewall enforces nothing and is not read. A Terraform override file (`override.tf`, `*_override.tf`) changes a resource written elsewhere, so what it leaves out is not a default. At information level: rules whose ports cannot be read here, variables or parameters with no value that decide who reaches a sensitive port, and port ranges AWS does not read as written (`0`-`0`, inverted). A network ACL entry that allows every protocol from everywhere (what the default network ACL of a VPC does) is a warning: the security groups still decide. Azure network security rules and database firewall rules written as `azapi_resource` ARM bodies (`securityRules` of a network security group, a `securityRules` resource, `firewallRules` of SQL, PostgreSQL and MySQL servers, in an HCL object or `jsonencode`) are read like their azurerm forms. Azure database firewall rules count when they span every IPv4 address (`0.0.0.0`-`255.255.255.255`); `0.0.0.0`-`0.0.0.0` is the Azure switch \"allow Azure services\", which admits only Azure-hosted addresses (those of other tenants included): a narrower, different risk that is not reported here. A security group rule that names no source at all (no CIDR, security group, prefix list or `self`) is not reported either: AWS requires one, and CloudFormation documents that such a rule is not added. Public web ports are reported separately (`network/open-ingress-port`); HTTPS (443) alone is not reported, nor NACL entries for the ephemeral reply ports (1024-65535). In Kubernetes manifests and Helm templates, a Service of type LoadBalancer gets an address on the internet unless an annotation makes the load balancer internal (AWS `aws-load-balancer-scheme: internal` or `aws-load-balancer-internal`, GKE and Google Cloud `load-balancer-type: Internal`, AKS and Oracle Cloud `*-load-balancer-internal: \"true\"`) or `loadBalancerSourceRanges` lists who may connect (https://kubernetes.io/docs/concepts/services-networking/service/#loadbalancer): each of its ports that listens on, or hands connections to (a numeric `targetPort`), a remote-access, database or admin port is reported, the `type` line related; a chart's `type` and ports are read through values.yaml. Its web ports, and the sensitive ports that are web interfaces (dashboards on 3000, a registry on 5000, Kibana, Jupyter, consoles on 9000, Prometheus, RabbitMQ management: on a Service these are as often an application's own HTTP port), are what a load balancer is for and are not reported; a NodePort is not either (whether a node's port is reachable depends on the nodes' own firewall, which the manifest does not show), nor source ranges a template writes from values with `toYaml` (the template's reading cannot tell whether the list is empty).",
    fix: 'Allow only the address ranges that need access (a VPN, an office range, a load balancer security group), or put the service behind a bastion, SSM Session Manager or a private endpoint.',
    fixes: {
      'replace-with-variable': 'Replaces the open range with a variable or parameter reference for you to name and define.',
      'replace-with-trusted-range': 'Replaces an open range written as a variable or parameter default with a placeholder for a trusted range.',
    },
    examples: {
      format: 'terraform',
      bad: 'ingress {\n  from_port   = 22\n  to_port     = 22\n  protocol    = "tcp"\n  cidr_blocks = ["0.0.0.0/0"]\n}',
      good: 'ingress {\n  from_port   = 22\n  to_port     = 22\n  protocol    = "tcp"\n  cidr_blocks = [var.admin_cidr]\n}',
    },
  },
  check(ctx) {
    const { report } = ctx;
    if (ctx.file.format === 'kubernetes' || ctx.file.format === 'helm') {
      for (const p of sensitiveLoadBalancerPorts(ctx.file, ctx.project))
        report({ span: p.span, message: `${p.service[0].toUpperCase()}${p.service.slice(1)} puts ${p.what} on the internet: ${p.why}`, related: p.related });
      return;
    }
    // One information finding per variable or parameter, listing the other places it opens.
    const inputs = new Map<string, { node: Node; what: string; others: Node[] }>();
    for (const rule of networkRules(ctx)) {
      if (rule.direction !== 'ingress') continue;
      const e = exposure(rule);
      let message: string;
      let severity: Severity | undefined;
      switch (e.kind) {
        case 'all':
        case 'sensitive':
          message = `Ingress is open to the whole internet on ${describeExposure(e)}`;
          // Every protocol from everywhere in a network ACL is what AWS's default ACL allows: the subnet is left to
          // its security groups, which is weaker than an open security group but not the same exposure.
          if (rule.stateless && rule.ports.kind === 'all') {
            message += ", as a VPC's default network ACL allows: the subnet is left to its security groups";
            severity = 'warning';
          }
          break;
        case 'service':
          message = `${e.name[0].toUpperCase()}${e.name.slice(1)} accepts connections from the whole internet`;
          break;
        case 'unknown': {
          const what = isExpr(e.node) ? describeVia(e.node) : 'a value that cannot be read here';
          message = `Ingress is open to the whole internet; its ports come from ${what} — make sure they exclude remote-access and database ports`;
          severity = 'info';
          break;
        }
        case 'odd':
          message = `Ingress is open to the whole internet, and the ${e.why}`;
          severity = 'info';
          break;
        default:
          continue;
      }
      for (const peer of rule.peers.open) {
        const at = placement(ctx, rule, peer, e, 'allowed_ingress_cidr');
        const via = peer.implicit ? ` (${peer.implicit})` : peer.label ? ` (through ${peer.label})` : '';
        report({ span: at.span, message: message + via, severity, related: at.related, fixes: at.fixes });
      }
      // Addresses from variables or parameters with no value here: say what to check, never guess.
      if (e.kind === 'all' || e.kind === 'sensitive' || e.kind === 'service') {
        for (const input of rule.peers.inputs) {
          const key = input.names.join(', ');
          const seen = inputs.get(key);
          if (seen) seen.others.push(input.node);
          else inputs.set(key, { node: input.node, what: describeExposure(e), others: [] });
        }
      }
    }
    for (const [names, { node, what, others }] of inputs) {
      const who = names.replace(/!Ref (\S+)/g, 'parameter $1');
      const more = others.length ? ` (and ${others.length} more rule${others.length > 1 ? 's' : ''})` : '';
      report({
        span: contentSpan(node),
        message: `${who.replace(/^parameter/, 'Parameter')} decides who reaches ${what}${more}; it has no value here — make sure it never includes 0.0.0.0/0 or ::/0`,
        severity: 'info',
        related: others.map((o) => ({ span: contentSpan(o), message: "also decides this rule's sources" })),
      });
    }
  },
});
