import {
  all,
  blockBody,
  contentSpan,
  defineRule,
  evaluateStrings,
  type FindingInput,
  get,
  isExpr,
  isMap,
  type Node,
  type Resource,
  str,
  isTerraform,
} from '../../../core';
import { replaceStringContent } from '../../lib/fixes';
import { isS3BucketModule, PUBLIC_ACLS, S3_PREFILTER } from '../lib/s3';

/** The predefined grantee groups of S3 ACL grants that mean "everyone". */
const PUBLIC_GROUPS: Record<string, string> = {
  allusers: 'anyone on the internet',
  authenticatedusers: 'every AWS account in the world',
};

function publicGroup(uri: string | undefined): string | undefined {
  const m = /^https?:\/\/acs\.amazonaws\.com\/groups\/global\/(\w+)$/i.exec(uri?.trim() ?? '');
  return m ? PUBLIC_GROUPS[m[1].toLowerCase()] : undefined;
}

/** Terraform resources whose `acl` argument is a canned ACL. */
const TF_ACL_TYPES = new Set(['aws_s3_bucket', 'aws_s3_bucket_acl', 'aws_s3_object', 'aws_s3_bucket_object', 'aws_s3_object_copy']);

/** Grant entries, wherever the resource keeps them: `grant {}` blocks, `access_control_policy { grant {} }`, a module's `grant` list. */
function grantsOf(r: Resource): Node[] {
  const direct = all(r.body, 'grant');
  const acp = all(r.body, 'access_control_policy').flatMap((p) => all(p, 'grant'));
  return [...direct, ...acp].filter(isMap);
}

/** The grantee URI of a grant: `uri` on the grant (inline, module) or in its `grantee` block (an object or an array of one in JSON). */
function granteeUri(grant: Node): Node | undefined {
  return get(grant, 'uri') ?? get(blockBody(get(grant, 'grantee')), 'uri');
}

function permissionsOf(grant: Node): string {
  const p = all(grant, 'permissions').concat(all(grant, 'permission')).map(str).filter(Boolean);
  return p.length ? p.join(', ') : 'access';
}

export default defineRule({
  id: 'storage/s3-public-acl',
  family: 'storage',
  severity: 'error',
  formats: ['terraform', 'terraform-json', 'terraform-plan', 'cloudformation'],
  // Buckets, their access blocks and policies, access points, and the terraform-aws-modules S3 module.
  prefilter: S3_PREFILTER,
  fixes: { 'set-private': 'safe' },
  docs: {
    summary:
      'S3 bucket or object ACL that grants access to everyone: a public canned ACL (`public-read`, `public-read-write`, `authenticated-read`) or a grant to the `AllUsers` / `AuthenticatedUsers` group.',
    why: 'A public ACL exposes every object in the bucket — training data, model artifacts, backups, logs — to anyone who guesses the bucket name. "authenticated-read" and the AuthenticatedUsers group are no better: they mean any AWS account, not yours. A grant of READ_ACP or FULL_CONTROL to these groups also lets anyone read or rewrite the ACL itself.',
    fix: 'Use the private ACL (or no ACL with Object Ownership "BucketOwnerEnforced"), remove grants to the AllUsers and AuthenticatedUsers groups, and serve public content through CloudFront with origin access control.',
    fixes: {
      'set-private':
        'Sets a canned ACL to private. Anything that relied on anonymous access stops working, which is the point. Grants to public groups have no automatic fix: remove the grant.',
    },
    examples: {
      format: 'terraform',
      bad: 'resource "aws_s3_bucket_acl" "data" {\n  bucket = aws_s3_bucket.data.id\n  acl    = "public-read"\n}',
      good: 'resource "aws_s3_bucket_acl" "data" {\n  bucket = aws_s3_bucket.data.id\n  acl    = "private"\n}',
    },
  },
  check(ctx) {
    const { file, report } = ctx;
    const cannedAcl = (node: Node | undefined, privateValue: string) => {
      if (!node) return;
      const literal = str(node);
      const resolved = literal !== undefined ? { strings: [literal], unresolved: [] } : evaluateStrings(node, ctx);
      const acl = resolved.strings.find((s) => s in PUBLIC_ACLS);
      if (acl === undefined) return;
      const from = isExpr(node) ? ` (from ${node.text.trim()})` : '';
      const finding: FindingInput<never> = { span: contentSpan(node), message: `S3 ACL "${acl}"${from}: ${PUBLIC_ACLS[acl]}` };
      const fix = literal !== undefined ? replaceStringContent(node, privateValue, `Set the ACL to ${privateValue}`, 'set-private', 'safe') : undefined;
      report({ ...finding, fixes: fix ? [fix] : [] });
    };
    for (const r of file.resources) {
      if (isTerraform(file.format)) {
        const bucketLike = (r.kind === 'resource' && TF_ACL_TYPES.has(r.type)) || isS3BucketModule(r);
        if (!bucketLike) continue;
        cannedAcl(get(r.body, 'acl'), 'private');
        for (const grant of grantsOf(r)) {
          const uri = granteeUri(grant);
          const who = publicGroup(str(uri));
          if (!uri || !who) continue;
          report({ span: contentSpan(uri), message: `S3 ACL grant of ${permissionsOf(grant)} to ${who} (${str(uri)!.replace(/^.*\//, '')} group)` });
        }
      } else if (file.format === 'cloudformation' && r.kind === 'resource' && r.type === 'AWS::S3::Bucket') {
        cannedAcl(get(r.body, 'AccessControl'), 'Private');
      }
    }
  },
});
