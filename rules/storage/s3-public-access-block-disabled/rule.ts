import {
  blockBody,
  bool,
  contentSpan,
  defineRule,
  entry,
  type EvalContext,
  evaluate,
  get,
  isMap,
  isScalar,
  type MapNode,
  type Node,
  type RelatedLocation,
  type Resource,
  type RuleContext,
  type Span,
  isTerraform,
} from '../../../core';
import { appendEntries, unreadable } from '../../lib/edit';
import { bucketTarget, isS3BucketModule, PAB_FLAGS, S3_PREFILTER, s3ModuleBlocksByDefault } from '../lib/s3';
import { ifBranches } from '../../lib/cfn-if';

interface Block {
  /** The map holding the four settings. */
  map: MapNode;
  /** Where to report settings that are missing. */
  anchor: Span;
  /** `terraform` or `cloudformation` spelling. */
  spelling: 'terraform' | 'cloudformation';
  /** Whether an absent setting counts as off (true everywhere but in recent releases of the S3 module). */
  missingIsOff: boolean;
  what: string;
  related: RelatedLocation[];
  /** The template condition under which this configuration applies (CloudFormation `Fn::If`). */
  when?: string;
}

function blocksOf(r: Resource, ctx: EvalContext): Block[] {
  const { file } = ctx;
  if (isTerraform(file.format)) {
    if (r.kind === 'resource' && r.type === 'aws_s3_bucket_public_access_block') {
      const target = bucketTarget(get(r.body, 'bucket'), ctx);
      const related = target.buckets.map((b) => ({
        span: b.resource.nameSpan,
        message: `the bucket it applies to (aws_s3_bucket.${b.resource.name})`,
        uri: b.file === file ? undefined : b.file.uri,
      }));
      return [{ map: r.body, anchor: r.nameSpan, spelling: 'terraform', missingIsOff: true, what: 'Bucket public access block', related }];
    }
    // Every setting of an access point's block is on unless turned off (provider default `true`):
    // https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_access_point#public_access_block_configuration
    const accessPointBlock =
      r.kind === 'resource' && r.type === 'aws_s3_access_point' ? blockBody(get(r.body, 'public_access_block_configuration')) : undefined;
    if (accessPointBlock) {
      return [
        {
          map: accessPointBlock,
          anchor: r.nameSpan,
          spelling: 'terraform',
          missingIsOff: false,
          what: `Public access block of access point ${r.name}`,
          related: [],
        },
      ];
    }
    if (r.kind === 'resource' && r.type === 'aws_s3_account_public_access_block') {
      return [{ map: r.body, anchor: r.nameSpan, spelling: 'terraform', missingIsOff: true, what: 'Account-level public access block', related: [] }];
    }
    if (isS3BucketModule(r)) {
      return [
        {
          map: r.body,
          anchor: r.nameSpan,
          spelling: 'terraform',
          missingIsOff: !s3ModuleBlocksByDefault(r),
          what: `S3 bucket module "${r.name}"`,
          related: [],
        },
      ];
    }
    return [];
  }
  // S3 turns on every setting of an access point's block that is not turned off when it is created:
  // https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-points-bpa-settings.html
  const accessPoint = r.type === 'AWS::S3::AccessPoint';
  if (file.format === 'cloudformation' && r.kind === 'resource' && (r.type === 'AWS::S3::Bucket' || accessPoint)) {
    const e = entry(r.body, 'PublicAccessBlockConfiguration');
    if (!e) return [];
    // A JSON key's span includes its quotes: point at the name.
    const quoted = file.text.charCodeAt(e.keySpan.start) === 34;
    const key = quoted ? { start: e.keySpan.start + 1, end: e.keySpan.end - 1 } : e.keySpan;
    // `!If [Cond, {...}, {...}]`: each branch is a configuration the template may deploy.
    return ifBranches(e.value).flatMap(({ node, when }): Block[] =>
      isMap(node)
        ? [
            {
              map: node,
              anchor: when ? node.span : key,
              spelling: 'cloudformation',
              missingIsOff: !accessPoint,
              what: `Public access block of ${accessPoint ? 'access point' : 'bucket'} ${r.name}${when ? ` (when ${when})` : ''}`,
              related: [],
              when,
            },
          ]
        : [],
    );
  }
  return [];
}

export default defineRule({
  id: 'storage/s3-public-access-block-disabled',
  family: 'storage',
  severity: 'warning',
  formats: ['terraform', 'terraform-json', 'terraform-plan', 'cloudformation'],
  // Buckets, their access blocks and policies, access points, and the terraform-aws-modules S3 module.
  prefilter: S3_PREFILTER,
  fixes: { 'set-true': 'safe', 'set-true-in-condition': 'unsafe', 'add-missing-settings': 'safe' },
  docs: {
    summary:
      'S3 public access block (bucket, access point or account level: resource, CloudFormation `PublicAccessBlockConfiguration` or S3 bucket module input) with a setting turned off, or left out where that means off.',
    why: 'The public access block is the guard rail that stops a public ACL or bucket policy — written today or by someone else next year — from exposing the data. Each of the four settings closes a different door: block_public_acls and ignore_public_acls for ACLs, block_public_policy and restrict_public_buckets for policies. A setting left out of the block is off, except on an access point, where S3 turns on every setting that is not turned off (a request through an access point must pass the blocks of the access point, of its bucket and of the account). In the terraform-aws-modules S3 module the settings default to off before release 3.9.0.',
    fix: 'Set all four settings to true. For a bucket that must serve public content, keep the block on and serve it through CloudFront with origin access control instead.',
    fixes: {
      'set-true': 'Sets the setting to true. Public ACLs and policies on the bucket stop working, which is the point.',
      'set-true-in-condition': 'Sets a setting chosen in an `Fn::If` branch to true: that branch was written for its case, so it needs a look before applying.',
      'add-missing-settings': 'Adds the missing settings as true. Public ACLs and policies on the bucket stop working, which is the point.',
    },
    examples: {
      format: 'terraform',
      bad: 'resource "aws_s3_bucket_public_access_block" "data" {\n  bucket = aws_s3_bucket.data.id\n\n  block_public_acls   = true\n  block_public_policy = false\n}',
      good: 'resource "aws_s3_bucket_public_access_block" "data" {\n  bucket = aws_s3_bucket.data.id\n\n  block_public_acls       = true\n  block_public_policy     = true\n  ignore_public_acls      = true\n  restrict_public_buckets = true\n}',
    },
  },
  check(ctx) {
    const { file, report } = ctx;
    for (const r of file.resources) {
      for (const block of blocksOf(r, ctx)) {
        const missing: string[] = [];
        const offWhenMissing: string[] = [];
        for (const flag of PAB_FLAGS) {
          const name = flag[block.spelling];
          const value = get(block.map, name);
          if (value === undefined) {
            if (block.missingIsOff) {
              missing.push(name);
              offWhenMissing.push(flag.off);
            }
            continue;
          }
          const literal = bool(value);
          if (literal === true) continue;
          if (literal === false) {
            report({
              span: contentSpan(value),
              message: `${block.what} sets ${name} to false: ${flag.off}`,
              severity: block.when ? 'info' : undefined,
              related: block.related,
              // Inside an `Fn::If` branch the value was chosen for that case: changing it needs a person's look.
              fixes: [
                block.when
                  ? { title: `Set ${name} to true`, kind: 'set-true-in-condition', safety: 'unsafe', edits: [{ span: contentSpan(value), newText: 'true' }] }
                  : { title: `Set ${name} to true`, kind: 'set-true', safety: 'safe', edits: [{ span: contentSpan(value), newText: 'true' }] },
              ],
            });
            continue;
          }
          reportReference(ctx, block, name, flag.off, value);
        }
        if (missing.length === 0 || unreadable(file, block.map.span)) continue;
        const edit = appendEntries(
          file,
          block.map,
          missing.map((m) => [m, 'true']),
        );
        report({
          span: block.anchor,
          message: `${block.what} leaves ${missing.join(', ')} unset, which means off: ${offWhenMissing.join('; ')}`,
          severity: block.when ? 'info' : undefined,
          related: block.related,
          fixes: edit ? [{ title: `Add ${missing.join(', ')} set to true`, kind: 'add-missing-settings', safety: 'safe', edits: [edit] }] : [],
        });
      }
    }
  },
});

/** A setting given by a variable, local or parameter: reported when it resolves to false, named when it cannot be resolved. */
function reportReference(ctx: RuleContext, block: Block, name: string, off: string, value: Node) {
  const e = evaluate(value, ctx);
  const label = value.kind === 'expr' ? value.text.trim() : name;
  if (e.values.some((v) => isScalar(v) && bool(v) === false)) {
    ctx.report({ span: contentSpan(value), message: `${block.what} sets ${name} from ${label}, which resolves to false: ${off}`, related: block.related });
  } else if (e.values.length === 0 && e.unresolved.length) {
    ctx.report({
      span: contentSpan(value),
      severity: 'info',
      message: `${block.what} sets ${name} from ${e.unresolved.join(', ')}, which cannot be resolved here: if it is false, ${off}`,
      related: block.related,
    });
  }
}
