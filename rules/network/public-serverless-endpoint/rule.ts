import { defineRule, isTerraform } from '../../../core';
import { CLOUDFORMATION_TYPES, checkCloudFormation, checkTerraform, TERRAFORM_TYPES } from '../lib/serverless-endpoints';

export default defineRule({
  id: 'network/public-serverless-endpoint',
  family: 'network',
  severity: 'warning',
  formats: ['terraform', 'terraform-json', 'terraform-plan', 'cloudformation'],
  prefilter: { terraform: TERRAFORM_TYPES, cloudformation: CLOUDFORMATION_TYPES },
  docs: {
    summary:
      'Serverless endpoint that anyone can call: a Lambda function URL with auth type `NONE` (also made by the terraform-aws-modules Lambda module, whose default it is), a Lambda permission for principal `"*"` with no source or organization condition, a SAM function\'s `Api` or `HttpApi` event that no authorizer or API key protects, a Cloud Run service with its invoker check disabled, or a Cloud Run service or job or a Cloud Function whose IAM names `allUsers` or `allAuthenticatedUsers`.',
    reads:
      'Lambda function URLs (`aws_lambda_function_url` `authorization_type`, `AWS::Lambda::Url` `AuthType`, a SAM function\'s `FunctionUrlConfig.AuthType`) set to `NONE`: Lambda then authenticates no request, and the public `lambda:InvokeFunctionUrl` permission comes with it. The terraform-aws-modules Lambda module makes such a URL when `create_lambda_function_url = true` and `authorization_type` is `NONE` or left out (the module\'s default). Lambda permissions (`aws_lambda_permission`, `AWS::Lambda::Permission`) whose principal is `"*"` and that write no `source_arn` / `SourceArn`, `source_account` / `SourceAccount` or `principal_org_id` / `PrincipalOrgID` (each a condition a caller from elsewhere does not meet). SAM functions\' `Api` and `HttpApi` events that anyone can call: an event whose `Auth.Authorizer` is `NONE`, or that names no authorizer (and, for a REST API, requires no API key) on an API with no `Auth.DefaultAuthorizer` and no required API key — the `AWS::Serverless::Api` / `AWS::Serverless::HttpApi` its `RestApiId` / `ApiId` names, or the implicit API that `Globals` configures; an API the template does not define, a `PRIVATE` endpoint and an API with a `ResourcePolicy` are not judged. Cloud Run v2 services with `invoker_iam_disabled = true`, and the `_iam_member`, `_iam_binding` and `_iam_policy` resources of Cloud Run services and jobs and Cloud Functions (1st and 2nd gen) that name `allUsers` or `allAuthenticatedUsers` (a `google_iam_policy` document of the same file is reported at the member, with the resource that applies it as a related location). Values are read through variables, locals and parameter defaults; a value written in this file is reported where it is written. A service principal such as `s3.amazonaws.com` is not `"*"`, and the confused-deputy risk of one without a source is not this rule\'s.',
    why: 'A function or service that answers anyone runs code, spends money and reads whatever its role can reach for every caller on the internet: a model endpoint, a webhook or an internal tool exposed this way is found and called by scanners, and a prompt or payload there can reach the data behind it. A public website or webhook may be meant to be public: then its own authentication (a signature check, a token) is the only barrier, and this finding asks to confirm it.',
    fix: "Use `AWS_IAM` for function URLs (put CloudFront with origin access control in front for public sites), name the account, service principal with `source_arn`, or organization in Lambda permissions; give SAM APIs a `DefaultAuthorizer` (Cognito, a Lambda authorizer or `AWS_IAM`) and events no `Authorizer: NONE`; grant `roles/run.invoker` / `roles/cloudfunctions.invoker` to service accounts or groups and keep Cloud Run's invoker check on, with an authenticating front end (IAP, API Gateway) where people must reach it.",
    examples: {
      format: 'terraform',
      bad: 'resource "aws_lambda_function_url" "chat" {\n  function_name      = aws_lambda_function.chat.function_name\n  authorization_type = "NONE"\n}',
      good: 'resource "aws_lambda_function_url" "chat" {\n  function_name      = aws_lambda_function.chat.function_name\n  authorization_type = "AWS_IAM"\n}',
    },
  },
  check(ctx) {
    for (const r of ctx.file.resources) {
      if (isTerraform(ctx.file.format)) checkTerraform(ctx, r);
      else if (ctx.file.format === 'cloudformation' && r.kind === 'resource') checkCloudFormation(ctx, r);
    }
  },
});
