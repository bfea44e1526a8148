import { defineRule } from '../../../core';
import { closeSwitch, describeSwitch, readSwitch, switchSpan } from '../lib/public-access';

/** Per resource type: the switch that keeps public IP addresses off the machines, and its closed value. */
const COMPUTE: Record<string, { noun: string; path: readonly string[]; closed: string }> = {
  azurerm_machine_learning_compute_instance: { noun: 'Azure ML compute instance', path: ['node_public_ip_enabled'], closed: 'false' },
  azurerm_machine_learning_compute_cluster: { noun: 'Azure ML compute cluster', path: ['node_public_ip_enabled'], closed: 'false' },
  google_workbench_instance: { noun: 'Vertex AI Workbench instance', path: ['gce_setup', 'disable_public_ip'], closed: 'true' },
  google_notebooks_instance: { noun: 'Vertex AI notebook instance', path: ['no_public_ip'], closed: 'true' },
  // Secure cluster connectivity off: the cluster nodes get public IPs. Left out, the default changed across provider
  // releases (false in the 2.x docs, true in the Azure API), so only a written false is reported.
  // https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/databricks_workspace
  azurerm_databricks_workspace: { noun: 'Azure Databricks workspace', path: ['custom_parameters', 'no_public_ip'], closed: 'true' },
};

export default defineRule({
  id: 'network/ml-compute-public-ip',
  family: 'network',
  severity: 'warning',
  formats: ['terraform', 'terraform-json', 'terraform-plan'],
  prefilter: { terraform: Object.keys(COMPUTE) },
  fixes: { 'remove-public-ip': 'unsafe' },
  docs: {
    summary:
      'Machine learning compute with public IP addresses: Azure Machine Learning compute instances and clusters (`node_public_ip_enabled`, true when left out), Vertex AI Workbench instances (`gce_setup.disable_public_ip`, false when left out) and user-managed notebooks (`no_public_ip`, false when left out), and Azure Databricks workspaces whose clusters get public IPs (`custom_parameters.no_public_ip = false` written out: its default differs across provider releases).',
    why: 'A notebook or training machine holds credentials, data and model weights and runs whatever code it is given. With a public IP it is one firewall rule or one exposed Jupyter port away from the internet, and its traffic leaves without passing your network controls.',
    fix: 'Put the machines in a subnet without public IPs (`node_public_ip_enabled = false` with a `subnet_resource_id`; `disable_public_ip = true` / `no_public_ip = true`, secure cluster connectivity for Databricks) and give them Cloud NAT, a NAT gateway or private endpoints for what they need.',
    fixes: {
      'remove-public-ip':
        'Turns the public IP off (or adds the setting). The machines then need a subnet with a route to what they use, and the change recreates them.',
    },
    examples: {
      format: 'terraform',
      bad: 'resource "google_workbench_instance" "lab" {\n  name     = "lab"\n  location = "us-central1-a"\n  gce_setup {\n    machine_type = "n1-standard-4"\n  }\n}',
      good: 'resource "google_workbench_instance" "lab" {\n  name     = "lab"\n  location = "us-central1-a"\n  gce_setup {\n    machine_type      = "n1-standard-4"\n    disable_public_ip = true\n  }\n}',
    },
  },
  check(ctx) {
    for (const r of ctx.file.resources) {
      if (r.kind !== 'resource') continue;
      const c = COMPUTE[r.type];
      if (!c) continue;
      const s = readSwitch(ctx, r, c.path, c.closed);
      if (s.kind !== 'open' && s.kind !== 'default') continue;
      ctx.report({
        span: switchSpan(r, c.path, s),
        message: `${c.noun} "${r.name}" gets public IP addresses (${describeSwitch(c.path, s)})`,
        fixes: closeSwitch(ctx, r, c.path, s, c.closed, 'remove-public-ip'),
      });
    }
  },
});
