import { defineRule } from '../../../core/rule';
import { contentSpan, get, str } from '../../../core/nodes';
import type { Node } from '../../../core/model';
import { replaceStringContent } from '../../lib/fixes';

/** Canned ACLs that grant access beyond the bucket owner's account, in Terraform and CloudFormation spelling. */
const PUBLIC_ACLS: Record<string, string> = {
  'public-read': 'anyone on the internet can list and read objects',
  'public-read-write': 'anyone on the internet can read, write and delete objects',
  'authenticated-read': 'every AWS account in the world can read objects',
  PublicRead: 'anyone on the internet can list and read objects',
  PublicReadWrite: 'anyone on the internet can read, write and delete objects',
  AuthenticatedRead: 'every AWS account in the world can read objects',
};

export default defineRule({
  id: 'storage/s3-public-acl',
  family: 'storage',
  severity: 'error',
  formats: ['terraform', 'cloudformation'],
  docs: {
    summary: 'S3 bucket with a public canned ACL (public-read, public-read-write, authenticated-read).',
    why: 'A public ACL exposes every object in the bucket — training data, model artifacts, backups, logs — to anyone who guesses the bucket name. "authenticated-read" is no better: it means any AWS account, not yours.',
    fix: 'Use the private ACL (or no ACL with Object Ownership "BucketOwnerEnforced"), and serve public content through CloudFront with origin access control.',
    fixSafety: 'Safe: sets the ACL to private. Anything that relied on anonymous access stops working, which is the point.',
    examples: {
      format: 'terraform',
      bad: 'resource "aws_s3_bucket_acl" "data" {\n  bucket = aws_s3_bucket.data.id\n  acl    = "public-read"\n}',
      good: 'resource "aws_s3_bucket_acl" "data" {\n  bucket = aws_s3_bucket.data.id\n  acl    = "private"\n}',
    },
  },
  check({ file, report }) {
    for (const r of file.resources) {
      if (r.kind !== 'resource') continue;
      let node: Node | undefined;
      let privateValue = 'private';
      if (file.format === 'terraform' && (r.type === 'aws_s3_bucket' || r.type === 'aws_s3_bucket_acl')) {
        node = get(r.body, 'acl');
      } else if (file.format === 'cloudformation' && r.type === 'AWS::S3::Bucket') {
        node = get(r.body, 'AccessControl');
        privateValue = 'Private';
      }
      const acl = str(node);
      if (!node || acl === undefined || !(acl in PUBLIC_ACLS)) continue;
      const fix = replaceStringContent(node, privateValue, `Set the ACL to ${privateValue}`);
      report({ span: contentSpan(node), message: `S3 bucket ACL "${acl}": ${PUBLIC_ACLS[acl]}`, fixes: fix ? [fix] : [] });
    }
  },
});
