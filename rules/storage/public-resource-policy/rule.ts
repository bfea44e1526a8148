import { defineRule, type EvalContext, get, isExpr, type Node, type Resource, type RuleContext, isTerraform } from '../../../core';
import { publicIamGrants, via } from '../../lib/gcp-iam';
import { openPolicyFindings } from '../lib/resource-policy';

/** Resource policies of data stores other than S3: where the policy is, and what to call it. */
const TERRAFORM: Record<string, { attr: string; what: string }> = {
  aws_ecr_repository_policy: { attr: 'policy', what: 'ECR repository policy' },
  aws_opensearch_domain: { attr: 'access_policies', what: 'OpenSearch domain access policy' },
  aws_opensearch_domain_policy: { attr: 'access_policies', what: 'OpenSearch domain access policy' },
  aws_elasticsearch_domain: { attr: 'access_policies', what: 'Elasticsearch domain access policy' },
  aws_elasticsearch_domain_policy: { attr: 'access_policies', what: 'Elasticsearch domain access policy' },
  aws_efs_file_system_policy: { attr: 'policy', what: 'EFS file system policy' },
  aws_glacier_vault: { attr: 'access_policy', what: 'Glacier vault access policy' },
  aws_sqs_queue: { attr: 'policy', what: 'SQS queue policy' },
  aws_sqs_queue_policy: { attr: 'policy', what: 'SQS queue policy' },
  aws_sns_topic: { attr: 'policy', what: 'SNS topic policy' },
  aws_sns_topic_policy: { attr: 'policy', what: 'SNS topic policy' },
  aws_secretsmanager_secret: { attr: 'policy', what: 'Secrets Manager secret policy' },
  aws_secretsmanager_secret_policy: { attr: 'policy', what: 'Secrets Manager secret policy' },
  aws_dynamodb_resource_policy: { attr: 'policy', what: 'DynamoDB resource policy' },
  aws_backup_vault_policy: { attr: 'policy', what: 'Backup vault access policy' },
  // https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/kms_key#policy
  aws_kms_key: { attr: 'policy', what: 'KMS key policy' },
  // https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/kms_key_policy
  aws_kms_key_policy: { attr: 'policy', what: 'KMS key policy' },
};

const CLOUDFORMATION: Record<string, { attr: string; what: string }> = {
  'AWS::ECR::Repository': { attr: 'RepositoryPolicyText', what: 'ECR repository policy' },
  'AWS::OpenSearchService::Domain': { attr: 'AccessPolicies', what: 'OpenSearch domain access policy' },
  'AWS::Elasticsearch::Domain': { attr: 'AccessPolicies', what: 'Elasticsearch domain access policy' },
  'AWS::EFS::FileSystem': { attr: 'FileSystemPolicy', what: 'EFS file system policy' },
  'AWS::Glacier::Vault': { attr: 'AccessPolicy', what: 'Glacier vault access policy' },
  'AWS::SQS::QueuePolicy': { attr: 'PolicyDocument', what: 'SQS queue policy' },
  'AWS::SNS::TopicPolicy': { attr: 'PolicyDocument', what: 'SNS topic policy' },
  'AWS::SecretsManager::ResourcePolicy': { attr: 'ResourcePolicy', what: 'Secrets Manager secret policy' },
  'AWS::Backup::BackupVault': { attr: 'AccessPolicy', what: 'Backup vault access policy' },
  // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-kms-key.html#cfn-kms-key-keypolicy; a
  // "*" principal gives every identity in every account use of the key unless a condition limits it:
  // https://docs.aws.amazon.com/kms/latest/developerguide/determining-access-key-policy.html
  'AWS::KMS::Key': { attr: 'KeyPolicy', what: 'KMS key policy' },
};

/**
 * Google Cloud resources of the same kinds, shared through IAM (a `_iam_member`, `_iam_binding` or `_iam_policy`
 * resource) with `allUsers` or `allAuthenticatedUsers`:
 * https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/artifact_registry_repository_iam
 * https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/secret_manager_secret_iam
 * https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/pubsub_topic_iam
 * https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/pubsub_subscription_iam
 */
const GOOGLE_IAM: Record<string, string> = {
  google_artifact_registry_repository: 'Artifact Registry repository',
  google_secret_manager_secret: 'Secret Manager secret',
  google_pubsub_topic: 'Pub/Sub topic',
  google_pubsub_subscription: 'Pub/Sub subscription',
};

function googleIam(r: Resource, ctx: RuleContext<never>) {
  const iam = publicIamGrants(r, ctx, GOOGLE_IAM);
  for (const { span, member, related } of iam?.grants ?? []) {
    ctx.report({ span, message: `${iam!.what} IAM grants ${iam!.role ?? 'a role'} to ${member.member}${via(member)}: ${member.who} can use it`, related });
  }
}

/**
 * A search domain placed in a VPC is reachable only from inside it, whatever its access policy says (an open
 * policy plus security groups is the documented setup). Undefined when the domain is not in the module.
 */
function domainInVpc(r: Resource, ctx: EvalContext): boolean | undefined {
  if (r.type === 'aws_opensearch_domain' || r.type === 'aws_elasticsearch_domain') return get(r.body, 'vpc_options') !== undefined;
  if (r.type === 'AWS::OpenSearchService::Domain' || r.type === 'AWS::Elasticsearch::Domain') return get(r.body, 'VPCOptions') !== undefined;
  if (r.type !== 'aws_opensearch_domain_policy' && r.type !== 'aws_elasticsearch_domain_policy') return false;
  const name = get(r.body, 'domain_name');
  const m = isExpr(name) ? /^(aws_(?:opensearch|elasticsearch)_domain)\.([\w-]+)(?:\[[^\]]*\])?\.domain_name$/.exec(name.text.trim()) : null;
  if (!m) return undefined;
  for (const f of ctx.project.module(ctx.file, (text) => text.includes(m[2]))) {
    const domain = f.resources.find((d) => d.kind === 'resource' && d.type === m[1] && d.name === m[2]);
    if (domain) return get(domain.body, 'vpc_options') !== undefined;
  }
  return undefined;
}

export default defineRule({
  id: 'storage/public-resource-policy',
  family: 'storage',
  severity: 'error',
  formats: ['terraform', 'terraform-json', 'terraform-plan', 'cloudformation'],
  prefilter: { terraform: [...Object.keys(TERRAFORM), ...Object.keys(GOOGLE_IAM).map((t) => `${t}_iam_`)], cloudformation: Object.keys(CLOUDFORMATION) },
  docs: {
    summary:
      'ECR repository, OpenSearch/Elasticsearch domain, EFS file system, Glacier or Backup vault, SQS queue, SNS topic, Secrets Manager secret, DynamoDB table or KMS key policy that allows any principal (`"*"`) with no condition tying it to your accounts, organisation or network; a Google Cloud Artifact Registry repository, Secret Manager secret or Pub/Sub topic or subscription whose IAM member, binding or policy names `allUsers` or `allAuthenticatedUsers`.',
    why: 'These policies guard model images, vector indexes and search data, shared file systems, archives and backups, queued and published messages, secrets, tables and the keys that encrypt them. A statement with Principal "*" and Effect Allow lets anyone call the allowed actions: pull every image, query or delete an index, mount the file system, read a queue, subscribe to a topic, read a secret, decrypt with a key (AWS KMS: an asterisk gives every identity in every AWS account permission to use the key unless a condition limits it; the documented EBS pattern, limited by kms:CallerAccount and kms:ViaService, is private). Search domains inside a VPC are not reported: only clients in the VPC can reach them. Conditions are judged as for S3 bucket policies: a literal account, organisation, VPC or endpoint in aws:PrincipalOrgID, aws:PrincipalAccount, aws:SourceVpce, aws:VpceAccount and similar keys makes a statement private; a wildcard in that place, a negation, ...IfExists or ForAllValues: does not. A statement limited only by aws:SourceIp is reported as a warning. One held to private ranges only (RFC 1918, loopback, link-local, IPv6 unique local) matches no request and is not reported, as for S3. On Google Cloud the same stores are shared through IAM: an Artifact Registry repository, Secret Manager secret or Pub/Sub topic or subscription whose `_iam_member`, `_iam_binding` or `_iam_policy` resource names `allUsers` (anyone) or `allAuthenticatedUsers` (anyone with a Google account).',
    fix: 'Name the accounts or roles that need access, or add a condition on aws:PrincipalOrgID, aws:SourceVpce or aws:SourceArn. Put search domains in a VPC.',
    examples: {
      format: 'terraform',
      bad: 'resource "aws_ecr_repository_policy" "models" {\n  repository = aws_ecr_repository.models.name\n  policy = jsonencode({\n    Version = "2012-10-17"\n    Statement = [{\n      Effect    = "Allow"\n      Principal = "*"\n      Action    = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]\n    }]\n  })\n}',
      good: 'resource "aws_ecr_repository_policy" "models" {\n  repository = aws_ecr_repository.models.name\n  policy = jsonencode({\n    Version = "2012-10-17"\n    Statement = [{\n      Effect    = "Allow"\n      Principal = { AWS = "arn:aws:iam::123456789012:root" }\n      Action    = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]\n    }]\n  })\n}',
    },
  },
  check(ctx) {
    for (const r of ctx.file.resources) {
      if (r.kind !== 'resource') continue;
      if (isTerraform(ctx.file.format)) googleIam(r, ctx);
      const spec = isTerraform(ctx.file.format) ? TERRAFORM[r.type] : ctx.file.format === 'cloudformation' ? CLOUDFORMATION[r.type] : undefined;
      if (!spec) continue;
      const policy: Node | undefined = get(r.body, spec.attr);
      if (!policy) continue;
      const inVpc = domainInVpc(r, ctx);
      if (inVpc === true) continue;
      for (const f of openPolicyFindings(policy, ctx, spec.what)) {
        if (inVpc === undefined) {
          ctx.report({ ...f, severity: 'warning', message: `${f.message} (the domain is not in this module: if it sits in a VPC, only the VPC can reach it)` });
        } else ctx.report(f);
      }
    }
  },
});
