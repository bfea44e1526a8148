import { contentSpan, defineRule, entry, type Fix, isJsonText, isScalar, type Resource, type RuleContext, str, isTerraform } from '../../../core';
import { appendEntries } from '../../lib/edit';
import { providerDefault, supplier } from '../../lib/provider-defaults';

/**
 * SageMaker resources that reach the internet outside your VPC. For both, AWS's default (the attribute
 * left out) is the open setting, so a missing attribute is reported too.
 */
interface Setting {
  /** Attribute per format. */
  key: { terraform: string; cloudformation: string };
  open: string;
  closed: string;
  what: string;
  noun: string;
  /** The closed value is a boolean, written unquoted. */
  boolean?: boolean;
}

const NOTEBOOK: Setting = {
  key: { terraform: 'direct_internet_access', cloudformation: 'DirectInternetAccess' },
  open: 'Enabled',
  closed: 'Disabled',
  what: 'direct internet access',
  noun: 'notebook instance',
};

const DOMAIN: Setting = {
  key: { terraform: 'app_network_access_type', cloudformation: 'AppNetworkAccessType' },
  open: 'PublicInternetOnly',
  closed: 'VpcOnly',
  what: 'public internet access for its apps',
  noun: 'domain',
};

const MODEL: Setting = {
  key: { terraform: 'enable_network_isolation', cloudformation: 'EnableNetworkIsolation' },
  open: 'false',
  closed: 'true',
  what: 'network access from its containers',
  noun: 'model',
  boolean: true,
};

const TYPES: Record<string, Setting> = {
  aws_sagemaker_model: MODEL,
  'AWS::SageMaker::Model': MODEL,
  aws_sagemaker_notebook_instance: NOTEBOOK,
  'AWS::SageMaker::NotebookInstance': NOTEBOOK,
  aws_sagemaker_domain: DOMAIN,
  'AWS::SageMaker::Domain': DOMAIN,
};

function check(ctx: RuleContext<'disable-direct-internet'>, r: Resource, s: Setting) {
  const { file } = ctx;
  const format = isTerraform(file.format) ? 'terraform' : 'cloudformation';
  const key = s.key[format];
  const e = entry(r.body, key);
  const label = `${s.noun} "${r.name}"`;
  if (!e) {
    const d = providerDefault(r.type, [key]);
    if (!d || d.value !== s.open) return;
    const quoted = !s.boolean && (format === 'terraform' || isJsonText(file.uri, file.text)) ? `"${s.closed}"` : s.closed;
    const edit = r.body.entries.length ? appendEntries(file, r.body, [[key, quoted]]) : undefined;
    const fixes: Fix<'disable-direct-internet'>[] = edit
      ? [{ title: `Set ${key} to ${s.closed}`, kind: 'disable-direct-internet', safety: 'unsafe', edits: [edit] }]
      : [];
    ctx.report({ span: r.nameSpan, message: `SageMaker ${label} has ${s.what}: ${key} is not set, which ${supplier(d)} reads as ${d.value}`, fixes });
    return;
  }
  const value = str(e.value);
  if (value === undefined || value.trim() !== s.open) return;
  const span = contentSpan(e.value);
  ctx.report({
    span,
    message: `SageMaker ${label} has ${s.what} (${key} = ${s.open}): traffic bypasses your VPC's controls`,
    fixes: isScalar(e.value)
      ? [{ title: `Set ${key} to ${s.closed}`, kind: 'disable-direct-internet', safety: 'unsafe', edits: [{ span, newText: s.closed }] }]
      : [],
  });
}

export default defineRule({
  id: 'network/sagemaker-direct-internet',
  family: 'network',
  severity: 'warning',
  formats: ['terraform', 'terraform-json', 'terraform-plan', 'cloudformation'],
  prefilter: { terraform: ['aws_sagemaker_'], cloudformation: ['AWS::SageMaker::'] },
  fixes: { 'disable-direct-internet': 'unsafe' },
  docs: {
    summary:
      "SageMaker notebook instance with direct internet access, SageMaker domain with public internet access, or SageMaker model without network isolation (all three are AWS's defaults when the attribute is left out; see docs/provider-defaults.md).",
    why: "A notebook holds credentials, data and model weights, and runs whatever code is pasted into it. With direct internet access its traffic goes out through SageMaker's own network, around your VPC's security groups, NACLs, proxies and flow logs, so an exfiltration leaves no trace you control. A model without network isolation runs a container (often a third-party image) that can call out to anywhere with the data it serves.",
    fix: 'Run notebooks in your VPC: set `direct_internet_access = "Disabled"` (`DirectInternetAccess: Disabled`) with a `subnet_id` and security groups, `app_network_access_type = "VpcOnly"` (`AppNetworkAccessType: VpcOnly`) for a domain, or `enable_network_isolation = true` (`EnableNetworkIsolation: true`) for a model whose container needs no network; give the VPC the endpoints or NAT route the notebooks need.',
    fixes: {
      'disable-direct-internet':
        'Sets the value to Disabled / VpcOnly / true. The resource then needs a VPC subnet with a route to what it uses (VPC endpoints or a NAT gateway), and changing it replaces a notebook instance.',
    },
    examples: {
      format: 'terraform',
      bad: 'resource "aws_sagemaker_notebook_instance" "lab" {\n  name          = "lab"\n  role_arn      = aws_iam_role.sm.arn\n  instance_type = "ml.t3.medium"\n}',
      good: 'resource "aws_sagemaker_notebook_instance" "lab" {\n  name                   = "lab"\n  role_arn               = aws_iam_role.sm.arn\n  instance_type          = "ml.t3.medium"\n  subnet_id              = aws_subnet.private.id\n  security_groups        = [aws_security_group.notebook.id]\n  direct_internet_access = "Disabled"\n}',
    },
  },
  check(ctx) {
    for (const r of ctx.file.resources) {
      if (r.kind !== 'resource') continue;
      const s = TYPES[r.type];
      if (s) check(ctx, r, s);
    }
  },
});
