import {
  defineRule,
  type EvalContext,
  type Fix,
  get,
  inFileStyle,
  isExpr,
  isJsonText,
  type Node,
  type ParsedFile,
  type Resource,
  isTerraform,
  str,
} from '../../../core';
import { appendEntries } from '../../lib/edit';
import { ifBranches } from '../../lib/cfn-if';
import { bucketsPassedToModules, bucketTarget, mayNameBuckets, PAB_FLAGS, S3_PREFILTER } from '../lib/s3';

/** What the module's access blocks cover, read once per file (not once per bucket). */
interface Coverage {
  /** An account-wide block, or a block whose bucket cannot be read here. */
  all: boolean;
  buckets: Set<Resource>;
  /** Buckets handed to module calls, by name. */
  passed: Set<string>;
}

function coverage(ctx: EvalContext): Coverage {
  const files = ctx.project.module(ctx.file, mayNameBuckets);
  const out: Coverage = { all: false, buckets: new Set(), passed: bucketsPassedToModules(files) };
  for (const f of files) {
    for (const r of f.resources) {
      if (r.kind !== 'resource') continue;
      if (r.type === 'aws_s3_account_public_access_block') out.all = true;
      if (r.type !== 'aws_s3_bucket_public_access_block') continue;
      const target = bucketTarget(get(r.body, 'bucket'), { ...ctx, file: f });
      if (target.unknown) out.all = true;
      for (const b of target.buckets) out.buckets.add(b.resource);
    }
  }
  return out;
}

/**
 * Whether the Terraform module gives this bucket a public access block, or cannot tell: an account-level
 * block, a block whose bucket is a variable or another module's output, or a module call handed the bucket
 * may all cover it, and a guess would be a false positive.
 */
function covered(bucket: Resource, c: Coverage): boolean {
  return c.all || c.buckets.has(bucket) || c.passed.has(bucket.name);
}

function terraformFix(file: ParsedFile, bucket: Resource): Fix<'add-access-block'> | undefined {
  if (get(bucket.body, 'count') !== undefined || get(bucket.body, 'for_each') !== undefined) return undefined;
  const text =
    `\n\nresource "aws_s3_bucket_public_access_block" "${bucket.name}" {\n` +
    `\tbucket = aws_s3_bucket.${bucket.name}.id\n\n` +
    PAB_FLAGS.map((f) => `\t${f.terraform.padEnd(23)} = true\n`).join('') +
    '}';
  return {
    title: 'Add a public access block for this bucket',
    kind: 'add-access-block',
    safety: 'safe',
    edits: [{ span: { start: bucket.span.end, end: bucket.span.end }, newText: inFileStyle(file, text) }],
  };
}

function cloudFormationFix(file: ParsedFile, bucket: Resource): Fix<'add-access-block'> | undefined {
  const json = isJsonText(file.uri, file.text);
  const key = (name: string) => (json ? `"${name}"` : name);
  const edit = appendEntries(file, bucket.body, [
    [
      'PublicAccessBlockConfiguration',
      ({ indent, inline }) =>
        inline
          ? `{ ${PAB_FLAGS.map((f) => `${key(f.cloudformation)}: true`).join(', ')} }`
          : json
            ? `{\n${PAB_FLAGS.map((f) => `${indent}\t"${f.cloudformation}": true`).join(',\n')}\n${indent}}`
            : PAB_FLAGS.map((f) => `\n${indent}\t${f.cloudformation}: true`).join(''),
    ],
  ]);
  return edit ? { title: 'Add PublicAccessBlockConfiguration with every setting on', kind: 'add-access-block', safety: 'safe', edits: [edit] } : undefined;
}

/** `Ref: AWS::NoValue`, which removes the property it is the value of. */
function isNoValue(node: Node): boolean {
  return isExpr(node) && node.fn === 'Ref' && str(node.args?.[0]) === 'AWS::NoValue';
}

export default defineRule({
  id: 'storage/s3-public-access-block-missing',
  family: 'storage',
  severity: 'info',
  formats: ['terraform', 'terraform-json', 'terraform-plan', 'cloudformation'],
  // Buckets, their access blocks and policies, access points, and the terraform-aws-modules S3 module.
  prefilter: S3_PREFILTER,
  fixes: { 'add-access-block': 'safe' },
  docs: {
    summary:
      'S3 bucket with no public access block: no `aws_s3_bucket_public_access_block` for it in the Terraform module (and no account-level block), or no `PublicAccessBlockConfiguration` in CloudFormation (also in the branch of an `Fn::If` that is `AWS::NoValue`).',
    why: 'Without a declared public access block the bucket depends on settings outside the code: S3 turns the block on for buckets created since April 2023, but a bucket created earlier, or one whose block someone removes, accepts public ACLs and policies. Declaring the block keeps the guard rail in version control. Reported as information: the bucket is not public by itself.',
    fix: 'Add an aws_s3_bucket_public_access_block (Terraform) or PublicAccessBlockConfiguration (CloudFormation) with all four settings true, or an aws_s3_account_public_access_block for the whole account.',
    fixes: {
      'add-access-block': 'Adds the block with every setting on, next to the bucket. Not offered for buckets created with count or for_each.',
    },
    examples: {
      format: 'terraform',
      bad: 'resource "aws_s3_bucket" "data" {\n  bucket = "training-data"\n}',
      good: 'resource "aws_s3_bucket" "data" {\n  bucket = "training-data"\n}\n\nresource "aws_s3_bucket_public_access_block" "data" {\n  bucket = aws_s3_bucket.data.id\n\n  block_public_acls       = true\n  block_public_policy     = true\n  ignore_public_acls      = true\n  restrict_public_buckets = true\n}',
    },
  },
  check(ctx) {
    const { file, report } = ctx;
    if (!file.resources.some((r) => r.kind === 'resource' && (r.type === 'aws_s3_bucket' || r.type === 'AWS::S3::Bucket'))) return;
    // An access block may sit in a part of the module the parser could not read. (Asked only for a file with
    // buckets: the module's other files are parsed when first asked for.)
    const files = isTerraform(file.format) ? ctx.project.module(file, mayNameBuckets) : [file];
    if (files.some((f) => f.problems.length > 0)) return;
    let cov: Coverage | undefined;
    for (const r of file.resources) {
      if (r.kind !== 'resource') continue;
      if (isTerraform(file.format) && r.type === 'aws_s3_bucket') {
        cov ??= coverage(ctx);
        if (covered(r, cov)) continue;
        const fix = file.format === 'terraform' ? terraformFix(file, r) : undefined;
        report({
          span: r.nameSpan,
          message: `S3 bucket "${r.name}" has no public access block in this module: whether it can be made public depends on settings outside the code`,
          fixes: fix ? [fix] : [],
        });
      } else if (file.format === 'cloudformation' && r.type === 'AWS::S3::Bucket') {
        const block = get(r.body, 'PublicAccessBlockConfiguration');
        if (block === undefined) {
          const fix = cloudFormationFix(file, r);
          report({
            span: r.nameSpan,
            message: `S3 bucket ${r.name} has no PublicAccessBlockConfiguration: whether it can be made public depends on settings outside the template`,
            fixes: fix ? [fix] : [],
          });
          continue;
        }
        // `!If [Cond, {...}, !Ref AWS::NoValue]`: the block is left out of the template when that branch is taken.
        for (const { node, when } of ifBranches(block)) {
          if (!when || !isNoValue(node)) continue;
          report({
            span: node.span,
            message: `S3 bucket ${r.name} has no PublicAccessBlockConfiguration when ${when}: whether it can be made public then depends on settings outside the template`,
          });
        }
      }
    }
  },
});
