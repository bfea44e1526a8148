/**
 * The readers that turn other shapes into the firewalls, rules and provider blocks the Terraform rules judge —
 * registry module inputs (the Google network module's firewall rules, the EKS module's endpoint), Azure ARM
 * bodies of `azapi_resource`, and a plan's `configuration.provider_config` — report one finding per open item
 * and take time linear in the number of items: N vs 4N, through the whole rule set.
 */
import { describe, expect, it } from 'vitest';
import { analyze, type Finding, parseFile, Project } from '../core';
import { RULES } from '../rules';
import { growthFromAsync, LINEAR_GROWTH_LIMIT } from './hostile/scaling';

const CONFIG = { rules: Object.fromEntries(RULES.map((r) => [r.id, 'on' as const])), ignore: [], maxFileSize: 1e9 };

async function findings(uri: string, text: string): Promise<Finding[]> {
  const file = await parseFile(uri, text);
  return (await analyze(file, { rules: RULES, config: CONFIG, project: new Project([file]) })).findings;
}

const times = (n: number, item: (i: number) => string, sep = '') => Array.from({ length: n }, (_, i) => item(i)).join(sep);

/** One Google network module call whose `rules` list holds `n` rules open to the world on SSH. */
const googleFirewallRules = (n: number) => `module "firewall_rules" {
  source       = "terraform-google-modules/network/google//modules/firewall-rules"
  version      = "9.1.0"
  project_id   = "p"
  network_name = "n"
  rules = [${times(
    n,
    (i) => `
    {
      name      = "ssh-${i}"
      direction = "INGRESS"
      ranges    = ["0.0.0.0/0"]
      allow = [{
        protocol = "tcp"
        ports    = ["22"]
      }]
    }`,
    ',',
  )}
  ]
}
`;

/** `n` EKS module calls with a public endpoint and its CIDRs left out (the module's default: every address). */
const eksModules = (n: number) =>
  times(
    n,
    (i) => `module "eks_${i}" {
  source                          = "terraform-aws-modules/eks/aws"
  version                         = "20.8.4"
  cluster_name                    = "c${i}"
  cluster_endpoint_public_access  = true
}
`,
  );

/** One `azapi_resource` network security group whose body holds `n` inbound rules from anywhere on RDP. */
const azapiSecurityRules = (n: number) => `resource "azapi_resource" "nsg" {
  type      = "Microsoft.Network/networkSecurityGroups@2023-04-01"
  name      = "nsg"
  parent_id = "id"
  body = {
    properties = {
      securityRules = [${times(
        n,
        (i) => `
        {
          name = "rdp-${i}"
          properties = {
            priority                 = ${100 + i}
            direction                = "Inbound"
            access                   = "Allow"
            protocol                 = "Tcp"
            sourcePortRange          = "*"
            destinationPortRange     = "3389"
            sourceAddressPrefix      = "*"
            destinationAddressPrefix = "*"
          }
        }`,
        ',',
      )}
      ]
    }
  }
}
`;

/** A plan whose configuration holds `n` aliased AWS provider configurations, each with a literal secret key. */
const planProviders = (n: number) =>
  JSON.stringify({
    format_version: '1.2',
    planned_values: { root_module: {} },
    configuration: {
      provider_config: Object.fromEntries(
        Array.from({ length: n }, (_, i) => [
          `aws.r${i}`,
          {
            name: 'aws',
            alias: `r${i}`,
            expressions: {
              region: { constant_value: 'eu-west-1' },
              secret_key: { constant_value: `pY7sL2qW9nX4vB8mK3tR6zH1cJ5dF0gA2eU7i${String(i).padStart(3, '0')}` },
            },
          },
        ]),
      ),
      root_module: {},
    },
  });

const CASES: [string, string, (n: number) => string, string][] = [
  ['Google network module firewall rules', '/m/main.tf', googleFirewallRules, 'network/open-ingress'],
  ['EKS module endpoints', '/m/main.tf', eksModules, 'network/open-ingress'],
  ['azapi security rules', '/m/main.tf', azapiSecurityRules, 'network/open-ingress'],
  ['plan provider configurations', '/m/tfplan.json', planProviders, 'secret/hardcoded-password'],
];

describe('Terraform shape readers', () => {
  for (const [name, uri, text, rule] of CASES) {
    it(`${name}: one finding per open item, in time linear in the items`, async () => {
      const ids = (await findings(uri, text(12))).map((f) => f.ruleId);
      expect(ids.filter((id) => id === rule)).toHaveLength(12);
      // Each run's text is new: the parser keeps the results of small texts it saw last, which would time a copy.
      let run = 0;
      const ratio = await growthFromAsync(100, async (n) => {
        const t = text(n);
        await findings(uri, uri.endsWith('.json') ? `{"timestamp":"${run++}",${t.slice(1)}` : `# run ${run++}\n${t}`);
      });
      expect(ratio).toBeLessThan(LINEAR_GROWTH_LIMIT);
    });
  }
});
