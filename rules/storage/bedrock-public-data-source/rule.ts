import { at, blockBody, contentSpan, defineRule, get, isTerraform, type Node, type Resource, type RuleContext } from '../../../core';
import { cloudFormationPublicBucket, logicalIdOf, type PublicBucket, terraformPublicBucket } from '../lib/public-bucket';
import { bucketTarget } from '../lib/s3';

/** Where a knowledge base data source names its bucket, per format. */
const TERRAFORM_SOURCE = 'aws_bedrockagent_data_source';
const TERRAFORM_PATH = ['data_source_configuration', 's3_configuration', 'bucket_arn'];
const CLOUDFORMATION_SOURCE = 'AWS::Bedrock::DataSource';
const CLOUDFORMATION_PATH = ['DataSourceConfiguration', 'S3Configuration', 'BucketArn'];

function report(ctx: RuleContext, source: Resource, arn: Node, bucket: string, p: PublicBucket) {
  ctx.report({
    span: contentSpan(arn),
    message: `Bedrock knowledge base data source "${source.name}" reads bucket ${bucket}, which is public (${p.why}): anyone can read the documents it indexes, and with write access plant what the agent answers from`,
    related: [p.where],
  });
}

export default defineRule({
  id: 'storage/bedrock-public-data-source',
  family: 'storage',
  severity: 'error',
  formats: ['terraform', 'terraform-json', 'terraform-plan', 'cloudformation'],
  prefilter: { terraform: [TERRAFORM_SOURCE], cloudformation: [CLOUDFORMATION_SOURCE] },
  docs: {
    summary:
      'Amazon Bedrock knowledge base data source that reads an S3 bucket of the same module or template which is public (a public canned ACL, or a bucket policy that lets anyone in).',
    why: 'A knowledge base indexes whatever is in its bucket and hands it to the model as context. A public bucket publishes those documents, and one that anyone can write to lets anyone plant instructions the agent then follows (indirect prompt injection) or poison its answers.',
    fix: 'Make the bucket private (private ACL, no public principal in its policy, the public access block on) and grant the knowledge base role access by its ARN.',
    examples: {
      format: 'terraform',
      bad: 'resource "aws_s3_bucket_acl" "docs" {\n  bucket = aws_s3_bucket.docs.id\n  acl    = "public-read"\n}\n\nresource "aws_bedrockagent_data_source" "docs" {\n  knowledge_base_id = aws_bedrockagent_knowledge_base.kb.id\n  name              = "docs"\n  data_source_configuration {\n    type = "S3"\n    s3_configuration {\n      bucket_arn = aws_s3_bucket.docs.arn\n    }\n  }\n}',
      good: 'resource "aws_s3_bucket_acl" "docs" {\n  bucket = aws_s3_bucket.docs.id\n  acl    = "private"\n}',
    },
  },
  check(ctx) {
    const { file } = ctx;
    for (const r of file.resources) {
      if (r.kind !== 'resource') continue;
      if (isTerraform(file.format) && r.type === TERRAFORM_SOURCE) {
        // Nested blocks: maps, or lists of maps in Terraform JSON.
        const arn = TERRAFORM_PATH.reduce<Node | undefined>((node, key) => get(blockBody(node), key), r.body);
        if (!arn) continue;
        for (const { file: f, resource: bucket } of bucketTarget(arn, ctx).buckets) {
          const p = terraformPublicBucket(ctx, f, bucket);
          if (p) report(ctx, r, arn, `aws_s3_bucket.${bucket.name}`, p);
        }
      } else if (file.format === 'cloudformation' && r.type === CLOUDFORMATION_SOURCE) {
        const arn = at(r.body, ...CLOUDFORMATION_PATH);
        const id = logicalIdOf(arn);
        const bucket = id ? file.resources.find((b) => b.name === id && b.type === 'AWS::S3::Bucket') : undefined;
        const p = bucket && cloudFormationPublicBucket(ctx, bucket);
        if (arn && bucket && p) report(ctx, r, arn, bucket.name, p);
      }
    }
  },
});
