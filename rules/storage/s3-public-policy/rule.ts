import { defineRule, type Format, get, isTerraform, type Node, type Resource } from '../../../core';
import { openPolicyFindings } from '../lib/resource-policy';
import { isS3BucketModule, S3_PREFILTER } from '../lib/s3';

/** Where a bucket (or access point) policy lives, per resource type. */
function policyOf(r: Resource, format: Format): Node | undefined {
  if (isTerraform(format)) {
    if (
      r.kind === 'resource' &&
      (r.type === 'aws_s3_bucket_policy' ||
        r.type === 'aws_s3_bucket' ||
        r.type === 'aws_s3_access_point' ||
        r.type === 'aws_s3control_access_point_policy' ||
        r.type === 'aws_s3control_bucket_policy')
    ) {
      return get(r.body, 'policy');
    }
    if (isS3BucketModule(r)) return get(r.body, 'policy');
    return undefined;
  }
  if (r.kind !== 'resource') return undefined;
  if (r.type === 'AWS::S3::BucketPolicy') return get(r.body, 'PolicyDocument');
  if (r.type === 'AWS::S3::AccessPoint') return get(r.body, 'Policy');
  return undefined;
}

export default defineRule({
  id: 'storage/s3-public-policy',
  family: 'storage',
  severity: 'error',
  formats: ['terraform', 'terraform-json', 'terraform-plan', 'cloudformation'],
  // Buckets, their access blocks and policies, access points, and the terraform-aws-modules S3 module.
  prefilter: S3_PREFILTER,
  docs: {
    summary:
      'S3 bucket or access point policy that allows any principal (`"*"`, `{"AWS": "*"}`, or everyone outside a `NotPrincipal`) with no condition tying it to your accounts, organisation or network.',
    why: 'A policy statement with Principal "*" and Effect Allow is public: anyone on the internet can call the allowed actions without credentials — read the training data, overwrite model artifacts, delete backups. A condition that pins the request makes it private again — aws:PrincipalOrgID, aws:PrincipalAccount, aws:SourceAccount, aws:SourceVpc, aws:SourceVpce, aws:VpceAccount and similar keys with a literal account, organisation, VPC or endpoint (an ARN with a literal account); a wildcard where the account or organisation goes (arn:aws:iam::*:role/x, o-*), a negated operator, ...IfExists and ForAllValues: (true for a request without the key) do not, nor do aws:Referer and aws:SecureTransport. A statement limited only by aws:SourceIp is reported as a warning: it still lets anyone behind those addresses in, signed in or not. One held to private ranges only (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, loopback, link-local, IPv6 unique local fc00::/7) is not reported: aws:SourceIp is the public address of a request from the internet and is absent from one through a VPC endpoint, so no request matches it. Policies are read wherever they are written: CloudFormation PolicyDocument, jsonencode(), heredoc JSON, a data "aws_iam_policy_document" (across the files of the module), locals and variable defaults; so are principals given by a Terraform reference (`Principal = local.everyone`, `identifiers = var.readers`) that can be "*", reported where the statement uses them.',
    fix: "Name the principals that need access (account or role ARNs), or add a condition on aws:PrincipalOrgID, aws:SourceVpce or aws:SourceArn (for CloudFront, use origin access control with the distribution ARN). Keep the bucket's public access block on so S3 rejects public policies.",
    examples: {
      format: 'terraform',
      bad: 'resource "aws_s3_bucket_policy" "data" {\n  bucket = aws_s3_bucket.data.id\n  policy = jsonencode({\n    Version = "2012-10-17"\n    Statement = [{\n      Effect    = "Allow"\n      Principal = "*"\n      Action    = "s3:GetObject"\n      Resource  = "${aws_s3_bucket.data.arn}/*"\n    }]\n  })\n}',
      good: 'resource "aws_s3_bucket_policy" "data" {\n  bucket = aws_s3_bucket.data.id\n  policy = jsonencode({\n    Version = "2012-10-17"\n    Statement = [{\n      Effect    = "Allow"\n      Principal = "*"\n      Action    = "s3:GetObject"\n      Resource  = "${aws_s3_bucket.data.arn}/*"\n      Condition = { StringEquals = { "aws:PrincipalOrgID" = var.org_id } }\n    }]\n  })\n}',
    },
  },
  check(ctx) {
    for (const r of ctx.file.resources) {
      const policy = policyOf(r, ctx.file.format);
      const what = r.type.includes('access_point') || r.type === 'AWS::S3::AccessPoint' ? 'Access point policy' : 'Bucket policy';
      for (const f of openPolicyFindings(policy, ctx, what)) ctx.report(f);
    }
  },
});
