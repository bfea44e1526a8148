import { at, get, isBlank, type Node, type Resource, type RuleContext, str } from '../../../core';
import { publicIamGrants, via } from '../../lib/gcp-iam';
import { openApiEvents } from './sam-api-events';
import { writtenValues } from './written-values';

/**
 * Serverless endpoints that anyone can call: Lambda function URLs without authentication, Lambda permissions for
 * every principal, and Cloud Run services and Cloud Functions whose invoker is everyone.
 */

const NONE = (v: string) => v.trim().toUpperCase() === 'NONE';
const EVERYONE = (v: string) => v.trim() === '*';
const TRUE = (v: string) => v.trim().toLowerCase() === 'true';

/**
 * A function URL whose auth type is NONE: "Lambda doesn't perform authentication before invoking your function",
 * and the provider adds the public `lambda:InvokeFunctionUrl` permission with it.
 * https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html
 */
function functionUrl(ctx: RuleContext<never>, r: Resource, attr: Node | undefined, key: string, what: string) {
  for (const v of writtenValues(ctx, r, attr, NONE)) {
    ctx.report({
      span: v.span,
      message: `${what} "${r.name}" has ${key} = NONE${v.via}: anyone on the internet can call the function, without signing the request`,
      related: v.related,
    });
  }
}

/**
 * A permission for principal "*": every AWS account (and, for `lambda:InvokeFunctionUrl` with auth type NONE,
 * anyone on the internet) may call the function. A source ARN, source account or organization id is a condition
 * that a caller from elsewhere does not meet, so any of them makes the statement private.
 * https://docs.aws.amazon.com/lambda/latest/dg/permissions-function-services.html
 */
function permission(ctx: RuleContext<never>, r: Resource, keys: { principal: string; action: string; urlAuth: string; limits: readonly string[] }) {
  // Written with a value, a limit counts (a reference too: its value is not for this rule to guess).
  if (keys.limits.some((k) => !isBlank(get(r.body, k)))) return;
  const action = str(get(r.body, keys.action)) ?? 'lambda:InvokeFunction';
  const urlAuth = str(get(r.body, keys.urlAuth));
  const who = urlAuth !== undefined && NONE(urlAuth) ? 'anyone on the internet can call its function URL' : `any AWS account can call ${action} on it`;
  for (const v of writtenValues(ctx, r, get(r.body, keys.principal), EVERYONE)) {
    ctx.report({
      span: v.span,
      message: `Lambda permission "${r.name}" is for any principal ("*")${v.via}, with no ${keys.limits.slice(0, -1).join(', ')} or ${keys.limits.at(-1)} to limit it: ${who}`,
      related: v.related,
    });
  }
}

/** Cloud Run and Cloud Functions whose IAM (`_iam_member`, `_iam_binding`, `_iam_policy`) names allUsers or allAuthenticatedUsers. */
const GOOGLE_IAM: Record<string, string> = {
  google_cloud_run_service: 'Cloud Run service',
  google_cloud_run_v2_service: 'Cloud Run service',
  google_cloud_run_v2_job: 'Cloud Run job',
  google_cloudfunctions_function: 'Cloud Function',
  google_cloudfunctions2_function: 'Cloud Function',
};

function googleIam(ctx: RuleContext<never>, r: Resource) {
  const iam = publicIamGrants(r, ctx, GOOGLE_IAM);
  if (!iam) return;
  const { what, role } = iam;
  const does = role === undefined ? 'can use it' : /invoker/i.test(role) ? 'can call it' : `gets ${role} on it`;
  const grants = role === undefined ? 'IAM policy grants a role' : `IAM grants ${role}`;
  for (const { span, member, related } of iam.grants) {
    ctx.report({ span, message: `${what} ${grants} to ${member.member}${via(member)}: ${member.who} ${does}`, related });
  }
}

/**
 * `invoker_iam_disabled = true` turns off Cloud Run's invoker check: the documented way to make a service public.
 * https://cloud.google.com/run/docs/authenticating/public
 */
function invokerCheckOff(ctx: RuleContext<never>, r: Resource) {
  for (const v of writtenValues(ctx, r, get(r.body, 'invoker_iam_disabled'), TRUE)) {
    ctx.report({
      span: v.span,
      message: `Cloud Run service "${r.name}" has invoker_iam_disabled = true${v.via}: Cloud Run does not check who calls it, so anyone who reaches its URL can`,
      related: v.related,
    });
  }
}

/**
 * The terraform-aws-modules Lambda module makes a function URL when `create_lambda_function_url` is true, and its
 * `authorization_type` defaults to "NONE" (the module's variables.tf):
 * https://registry.terraform.io/modules/terraform-aws-modules/lambda/aws/latest
 */
const LAMBDA_MODULE = /terraform-aws-modules\/lambda\/aws|terraform-aws-modules\/terraform-aws-lambda/;

function lambdaModule(ctx: RuleContext<never>, m: Resource) {
  if (!LAMBDA_MODULE.test(str(get(m.body, 'source')) ?? '')) return;
  const makesUrl = writtenValues(ctx, m, get(m.body, 'create_lambda_function_url'), TRUE)[0];
  if (!makesUrl || writtenValues(ctx, m, get(m.body, 'create'), (v) => v.trim().toLowerCase() === 'false').length > 0) return;
  const auth = get(m.body, 'authorization_type');
  if (auth !== undefined) {
    functionUrl(ctx, m, auth, 'authorization_type', 'Lambda module');
    return;
  }
  ctx.report({
    span: makesUrl.span,
    message: `Lambda module "${m.name}" makes a function URL and leaves authorization_type out, which the module reads as NONE: anyone on the internet can call the function, without signing the request`,
    related: makesUrl.related,
  });
}

export const TERRAFORM_TYPES = ['aws_lambda_function_url', 'aws_lambda_permission', 'google_cloud_run_', 'google_cloudfunctions', 'create_lambda_function_url'];
export const CLOUDFORMATION_TYPES = ['AWS::Lambda::Url', 'AWS::Lambda::Permission', 'FunctionUrlConfig', 'AWS::Serverless::Function'];

export function checkTerraform(ctx: RuleContext<never>, r: Resource) {
  if (r.kind === 'module') lambdaModule(ctx, r);
  if (r.kind !== 'resource') return;
  if (r.type === 'aws_lambda_function_url') functionUrl(ctx, r, get(r.body, 'authorization_type'), 'authorization_type', 'Lambda function URL');
  else if (r.type === 'aws_lambda_permission') {
    permission(ctx, r, {
      principal: 'principal',
      action: 'action',
      urlAuth: 'function_url_auth_type',
      limits: ['source_arn', 'source_account', 'principal_org_id'],
    });
  } else if (r.type === 'google_cloud_run_v2_service') invokerCheckOff(ctx, r);
  else googleIam(ctx, r);
}

export function checkCloudFormation(ctx: RuleContext<never>, r: Resource) {
  if (r.type === 'AWS::Lambda::Url') functionUrl(ctx, r, get(r.body, 'AuthType'), 'AuthType', 'Lambda function URL');
  else if (r.type === 'AWS::Serverless::Function') {
    functionUrl(ctx, r, at(r.body, 'FunctionUrlConfig', 'AuthType'), 'FunctionUrlConfig.AuthType', 'Function');
    openApiEvents(ctx, r);
  } else if (r.type === 'AWS::Lambda::Permission') {
    permission(ctx, r, { principal: 'Principal', action: 'Action', urlAuth: 'FunctionUrlAuthType', limits: ['SourceArn', 'SourceAccount', 'PrincipalOrgID'] });
  }
}
