import {
  cellPython,
  contentSpan,
  defineRule,
  entry,
  evaluateStrings,
  type Fix,
  isJsonText,
  isList,
  isMap,
  isScalar,
  type Node,
  type PyCall,
  type Resource,
  type RuleContext,
  str,
  isTerraform,
} from '../../../core';
import { calleeName, kwarg } from '../../lib/python-calls';
import { appendEntries } from '../../lib/edit';
import { setting, supplier } from '../../lib/provider-defaults';
import { switchSpan } from '../lib/public-access';

/**
 * SageMaker resources that reach the internet outside your VPC. For all of them, AWS's default (the attribute
 * left out) is the open setting, so a missing attribute is reported too.
 */
interface Setting {
  /** Keys from the resource body to the attribute, per format. */
  path: { terraform: readonly string[]; cloudformation: readonly string[] };
  /**
   * How many leading keys must be written for the setting to exist at all: a monitoring schedule that names a
   * job definition instead of defining its job inline has no network settings of its own.
   */
  within?: number;
  open: string;
  closed: string;
  what: string;
  noun: string;
  /** The closed value is a boolean, written unquoted. */
  boolean?: boolean;
}

const NOTEBOOK: Setting = {
  path: { terraform: ['direct_internet_access'], cloudformation: ['DirectInternetAccess'] },
  open: 'Enabled',
  closed: 'Disabled',
  what: 'direct internet access',
  noun: 'notebook instance',
};

const DOMAIN: Setting = {
  path: { terraform: ['app_network_access_type'], cloudformation: ['AppNetworkAccessType'] },
  open: 'PublicInternetOnly',
  closed: 'VpcOnly',
  what: 'public internet access for its apps',
  noun: 'domain',
};

const ISOLATION = { open: 'false', closed: 'true', what: 'network access from its containers', boolean: true };

const MODEL: Setting = {
  ...ISOLATION,
  path: { terraform: ['enable_network_isolation'], cloudformation: ['EnableNetworkIsolation'] },
  noun: 'model',
};

/** Model monitoring job definitions: data quality, model quality, bias and explainability. */
const JOB_DEFINITION: Setting = {
  ...ISOLATION,
  path: { terraform: ['network_config', 'enable_network_isolation'], cloudformation: ['NetworkConfig', 'EnableNetworkIsolation'] },
  noun: 'monitoring job definition',
};

/** A monitoring schedule that defines its job inline. */
const MONITORING_SCHEDULE: Setting = {
  ...ISOLATION,
  path: {
    terraform: ['monitoring_schedule_config', 'monitoring_job_definition', 'network_config', 'enable_network_isolation'],
    cloudformation: ['MonitoringScheduleConfig', 'MonitoringJobDefinition', 'NetworkConfig', 'EnableNetworkIsolation'],
  },
  within: 2,
  noun: 'monitoring schedule',
};

const TYPES: Record<string, Setting> = {
  aws_sagemaker_model: MODEL,
  'AWS::SageMaker::Model': MODEL,
  aws_sagemaker_notebook_instance: NOTEBOOK,
  'AWS::SageMaker::NotebookInstance': NOTEBOOK,
  aws_sagemaker_domain: DOMAIN,
  'AWS::SageMaker::Domain': DOMAIN,
  aws_sagemaker_data_quality_job_definition: JOB_DEFINITION,
  'AWS::SageMaker::DataQualityJobDefinition': JOB_DEFINITION,
  'AWS::SageMaker::ModelQualityJobDefinition': JOB_DEFINITION,
  'AWS::SageMaker::ModelBiasJobDefinition': JOB_DEFINITION,
  'AWS::SageMaker::ModelExplainabilityJobDefinition': JOB_DEFINITION,
  aws_sagemaker_monitoring_schedule: MONITORING_SCHEDULE,
  'AWS::SageMaker::MonitoringSchedule': MONITORING_SCHEDULE,
};

/**
 * The node at `path` under `body`, if every key on the way is written. Terraform JSON may write a nested block
 * as a list of objects (`"network_config": [{…}]`): these blocks are single, so the first object is the block.
 */
function nodeAt(body: Node, path: readonly string[]): Node | undefined {
  let node: Node | undefined = body;
  for (const k of path) {
    node = isMap(node) ? entry(node, k)?.value : undefined;
    if (isList(node) && isMap(node.items[0])) node = node.items[0];
  }
  return node;
}

function check(ctx: RuleContext<'disable-direct-internet'>, r: Resource, s: Setting) {
  const { file } = ctx;
  const format = isTerraform(file.format) ? 'terraform' : 'cloudformation';
  const path = s.path[format];
  const key = path[path.length - 1];
  if (s.within && !isMap(nodeAt(r.body, path.slice(0, s.within)))) return;
  const written = nodeAt(r.body, path);
  const found = written !== undefined ? { written } : setting(ctx, r, path);
  if (!found) return;
  const label = `${s.noun} "${r.name}"`;
  if (found.default) {
    const d = found.default;
    if (d.value !== s.open) return;
    const quoted = !s.boolean && (format === 'terraform' || isJsonText(file.uri, file.text)) ? `"${s.closed}"` : s.closed;
    // The attribute goes into the block that leaves it out, when that block is written.
    const block = nodeAt(r.body, path.slice(0, -1));
    const edit = isMap(block) && block.entries.length ? appendEntries(file, block, [[key, quoted]]) : undefined;
    const fixes: Fix<'disable-direct-internet'>[] = edit
      ? [{ title: `Set ${key} to ${s.closed}`, kind: 'disable-direct-internet', safety: 'unsafe', edits: [edit] }]
      : [];
    ctx.report({
      span: switchSpan(r, path, { kind: 'default', default: d }),
      message: `SageMaker ${label} has ${s.what}: ${path.join('.')} is not set, which ${supplier(d)} reads as ${d.value}`,
      fixes,
    });
    return;
  }
  // A value written through references is read as they resolve: a CloudFormation parameter's `Default`, both branches
  // of `Fn::If`, a Terraform variable's default.
  const literal = str(found.written);
  const values = literal !== undefined ? [literal] : evaluateStrings(found.written, ctx).strings;
  if (!values.some((v) => v.trim() === s.open)) return;
  const span = contentSpan(found.written);
  const source = ctx.file.text.slice(span.start, span.end).replace(/\s+/g, ' ');
  const how = literal !== undefined ? '' : `, as ${source.length > 60 ? `${source.slice(0, 59)}…` : source} can resolve`;
  ctx.report({
    span,
    message: `SageMaker ${label} has ${s.what} (${key} = ${s.open}${how}): traffic bypasses your VPC's controls`,
    fixes: isScalar(found.written)
      ? [{ title: `Set ${key} to ${s.closed}`, kind: 'disable-direct-internet', safety: 'unsafe', edits: [{ span, newText: s.closed }] }]
      : [],
  });
}

const SDK_ISOLATION = 'enable_network_isolation';

/**
 * The SageMaker API through boto3 (`client.create_notebook_instance(...)`, `create_domain(...)`): the same API as
 * CloudFormation's, with the same default when the parameter is left out. A call that passes `**params` may set it.
 */
const API_CALLS: Record<string, Setting> = { create_notebook_instance: NOTEBOOK, create_domain: DOMAIN };

/**
 * What goes before a keyword argument added after the call's last one: on the last argument's line `, `; when the
 * arguments stand one per line, a line break and that line's indentation.
 */
function argumentSeparator(call: PyCall, source: string): string {
  const starts = [...call.args.map((a) => a.span.start), ...call.kwargs.map((k) => k.keySpan.start)];
  const lineStart = source.lastIndexOf('\n', Math.max(call.calleeSpan.start, ...starts) - 1) + 1;
  if (source.lastIndexOf('\n', call.calleeSpan.start - 1) + 1 === lineStart) return ', ';
  const indent = /^[ \t]*/.exec(source.slice(lineStart))?.[0] ?? '';
  return `,${source.includes('\r\n') ? '\r\n' : '\n'}${indent}`;
}

function checkApiCall(ctx: RuleContext<'disable-direct-internet'>, call: PyCall, source: string) {
  const s = API_CALLS[calleeName(call)];
  if (!s || !call.callee.includes('.') || call.kwargs.some((k) => k.key === '**')) return;
  const key = s.path.cloudformation[0];
  const value = kwarg(call, key);
  if (value === undefined) {
    const insert = `${argumentSeparator(call, source)}${key}="${s.closed}"`;
    ctx.report({
      span: call.calleeSpan,
      message: `SageMaker ${s.noun} is created without ${key}, which AWS defaults to ${s.open}: it has ${s.what}, and traffic bypasses your VPC's controls`,
      fixes: [{ title: `Pass ${key}="${s.closed}"`, kind: 'disable-direct-internet', safety: 'unsafe', edits: [{ span: call.insertAt, newText: insert }] }],
    });
  } else if (isScalar(value) && value.value === s.open) {
    ctx.report({
      span: value.span,
      message: `SageMaker ${s.noun} has ${s.what} (${key} = ${s.open}): traffic bypasses your VPC's controls`,
      fixes: [
        { title: `Set ${key} to ${s.closed}`, kind: 'disable-direct-internet', safety: 'unsafe', edits: [{ span: contentSpan(value), newText: s.closed }] },
      ],
    });
  }
}

/**
 * The SageMaker Python SDK: an estimator, processor, model or `NetworkConfig` created with
 * `enable_network_isolation=False` written out. Only the written `False` counts: it is also the SDK's default,
 * and a notebook creates estimators by the dozen without naming it. Code that never names `sagemaker` is
 * not SageMaker's.
 */
function checkPython(ctx: RuleContext<'disable-direct-internet'>) {
  const code = (ctx.file.cells ?? []).filter((c) => c.kind === 'code');
  if (!code.some((c) => c.source.includes('sagemaker'))) return;
  for (const cell of code) {
    for (const call of cellPython(cell)?.calls ?? []) checkApiCall(ctx, call, cell.source);
    if (!cell.source.includes(SDK_ISOLATION)) continue;
    for (const call of cellPython(cell)?.calls ?? []) {
      const value = kwarg(call, SDK_ISOLATION);
      if (!isScalar(value) || value.value !== false) continue;
      ctx.report({
        span: value.span,
        message: `SageMaker ${calleeName(call)} is created with ${SDK_ISOLATION}=False: its containers can make network calls to anywhere, with the data they are given`,
        fixes: [
          {
            title: `Set ${SDK_ISOLATION} to True`,
            kind: 'disable-direct-internet',
            safety: 'unsafe',
            edits: [{ span: value.span, newText: 'True' }],
          },
        ],
      });
    }
  }
}

export default defineRule({
  id: 'network/sagemaker-direct-internet',
  family: 'network',
  severity: 'warning',
  formats: ['terraform', 'terraform-json', 'terraform-plan', 'cloudformation', 'python', 'notebook'],
  prefilter: {
    terraform: ['aws_sagemaker_'],
    cloudformation: ['AWS::SageMaker::'],
    python: [SDK_ISOLATION, ...Object.keys(API_CALLS)],
    notebook: [SDK_ISOLATION, ...Object.keys(API_CALLS)],
  },
  fixes: { 'disable-direct-internet': 'unsafe' },
  docs: {
    summary:
      "SageMaker notebook instance or domain with direct internet access, or SageMaker model or monitoring job without network isolation, in Terraform, CloudFormation, boto3 and the SageMaker SDK (AWS's defaults when the setting is left out count).",
    reads:
      "SageMaker notebook instance with direct internet access, SageMaker domain with public internet access, or SageMaker model, model monitoring job definition (data quality, model quality, bias, explainability) or monitoring schedule with an inline job, without network isolation (each is AWS's default when the attribute is left out; see docs/provider-defaults.md; a value written through references counts as they can resolve: a CloudFormation parameter's `Default`, either branch of `Fn::If`, a Terraform variable's default); in Python and notebooks, a notebook instance or domain created through boto3 (`create_notebook_instance`, `create_domain`) that leaves `DirectInternetAccess` / `AppNetworkAccessType` out or opens it (the API's default, as in CloudFormation), and a SageMaker SDK estimator, processor, model or `NetworkConfig` created with `enable_network_isolation=False` written out.",
    why: "A notebook holds credentials, data and model weights, and runs whatever code is pasted into it. With direct internet access its traffic goes out through SageMaker's own network, around your VPC's security groups, NACLs, proxies and flow logs, so an exfiltration leaves no trace you control. A model without network isolation runs a container (often a third-party image) that can call out to anywhere with the data it serves; a monitoring job reads the endpoint's captured requests and responses, with the same reach. The SageMaker Python SDK also defaults to no isolation, but there only an explicit `enable_network_isolation=False` is reported: every estimator of every training notebook leaves it out, and a finding on each would bury the code that turns isolation off on purpose.",
    fix: 'Run notebooks in your VPC: set `direct_internet_access = "Disabled"` (`DirectInternetAccess: Disabled`) with a `subnet_id` and security groups, `app_network_access_type = "VpcOnly"` (`AppNetworkAccessType: VpcOnly`) for a domain, or `enable_network_isolation = true` (`EnableNetworkIsolation: true`) for a model whose container needs no network, and in the `network_config` (`NetworkConfig`) of a monitoring job; in the SageMaker Python SDK, pass `enable_network_isolation=True` to the estimator, processor or model (training then reads its code and data only from the channels SageMaker mounts); give the VPC the endpoints or NAT route the notebooks need.',
    fixes: {
      'disable-direct-internet':
        'Sets the value to Disabled / VpcOnly / true (True in Python). The resource then needs a VPC subnet with a route to what it uses (VPC endpoints or a NAT gateway), and changing it replaces a notebook instance.',
    },
    examples: {
      format: 'terraform',
      bad: 'resource "aws_sagemaker_notebook_instance" "lab" {\n  name          = "lab"\n  role_arn      = aws_iam_role.sm.arn\n  instance_type = "ml.t3.medium"\n}',
      good: 'resource "aws_sagemaker_notebook_instance" "lab" {\n  name                   = "lab"\n  role_arn               = aws_iam_role.sm.arn\n  instance_type          = "ml.t3.medium"\n  subnet_id              = aws_subnet.private.id\n  security_groups        = [aws_security_group.notebook.id]\n  direct_internet_access = "Disabled"\n}',
    },
  },
  check(ctx) {
    if (ctx.file.format === 'python' || ctx.file.format === 'notebook') {
      checkPython(ctx);
      return;
    }
    for (const r of ctx.file.resources) {
      if (r.kind !== 'resource') continue;
      const s = TYPES[r.type];
      if (s) check(ctx, r, s);
    }
  },
});
