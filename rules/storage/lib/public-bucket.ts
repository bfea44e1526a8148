import {
  contentSpan,
  type EvalContext,
  evaluateStrings,
  get,
  isExpr,
  items,
  type Node,
  type ParsedFile,
  type RelatedLocation,
  type Resource,
  str,
} from '../../../core';
import { openPolicyFindings } from './resource-policy';
import { bucketTarget, mayNameBuckets, PUBLIC_ACLS } from './s3';

/**
 * Why a bucket of the module or template is public, if it is: a public canned ACL on the bucket or an ACL
 * resource for it, or a bucket policy that lets anyone in. For rules about what reads from a bucket (a
 * knowledge base's data source): the bucket's own findings are the S3 rules'.
 */
export interface PublicBucket {
  why: string;
  where: RelatedLocation;
}

function publicAcl(node: Node | undefined, ctx: EvalContext): string | undefined {
  if (!node) return undefined;
  const literal = str(node);
  const values = literal !== undefined ? [literal] : evaluateStrings(node, ctx).strings;
  return values.find((v) => v in PUBLIC_ACLS);
}

/** An `aws_s3_bucket` of the module: its `acl`, `aws_s3_bucket_acl` and `aws_s3_bucket_policy` resources for it. */
export function terraformPublicBucket(ctx: EvalContext, file: ParsedFile, bucket: Resource): PublicBucket | undefined {
  const place = (f: ParsedFile, node: Node, message: string): RelatedLocation => ({
    span: contentSpan(node),
    message,
    uri: f === ctx.file ? undefined : f.uri,
  });
  const own = publicAcl(get(bucket.body, 'acl'), { ...ctx, file });
  if (own) return { why: `its ACL is "${own}"`, where: place(file, get(bucket.body, 'acl')!, `the bucket's ACL "${own}"`) };
  for (const f of ctx.project.module(ctx.file, mayNameBuckets)) {
    const fctx = { ...ctx, file: f };
    for (const r of f.resources) {
      if (r.kind !== 'resource' || (r.type !== 'aws_s3_bucket_acl' && r.type !== 'aws_s3_bucket_policy')) continue;
      if (!bucketTarget(get(r.body, 'bucket'), fctx).buckets.some((b) => b.resource === bucket)) continue;
      if (r.type === 'aws_s3_bucket_acl') {
        const acl = publicAcl(get(r.body, 'acl'), fctx);
        if (acl) return { why: `its ACL is "${acl}"`, where: place(f, get(r.body, 'acl')!, `the bucket's ACL "${acl}"`) };
      } else if (openPolicyFindings(get(r.body, 'policy'), fctx, 'Bucket policy').some((x) => x.severity !== 'info')) {
        return { why: 'its bucket policy lets anyone in', where: place(f, get(r.body, 'policy')!, 'the bucket policy that lets anyone in') };
      }
    }
  }
  return undefined;
}

/** The logical id a `!Ref X` / `!GetAtt X.Arn` names. */
export function logicalIdOf(node: Node | undefined): string | undefined {
  if (!isExpr(node) || !node.args?.length) return undefined;
  if (node.fn === 'Ref') return str(node.args[0]);
  if (node.fn === 'Fn::GetAtt') return str(items(node.args[0])[0])?.split('.')[0];
  return undefined;
}

/** An `AWS::S3::Bucket` of the template: its `AccessControl`, and `AWS::S3::BucketPolicy` resources for it. */
export function cloudFormationPublicBucket(ctx: EvalContext, bucket: Resource): PublicBucket | undefined {
  const acl = get(bucket.body, 'AccessControl');
  const canned = publicAcl(acl, ctx);
  if (canned) return { why: `its AccessControl is ${canned}`, where: { span: contentSpan(acl!), message: `the bucket's AccessControl ${canned}` } };
  for (const r of ctx.file.resources) {
    if (r.type !== 'AWS::S3::BucketPolicy' || logicalIdOf(get(r.body, 'Bucket')) !== bucket.name) continue;
    const doc = get(r.body, 'PolicyDocument');
    if (openPolicyFindings(doc, ctx, 'Bucket policy').some((x) => x.severity !== 'info'))
      return { why: 'its bucket policy lets anyone in', where: { span: contentSpan(doc!), message: 'the bucket policy that lets anyone in' } };
  }
  return undefined;
}
