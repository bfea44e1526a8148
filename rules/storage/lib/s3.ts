import { type EvalContext, get, isExpr, type Node, type ParsedFile, type Resource, str } from '../../../core';
import { newestBelow, type Version } from '../../lib/versions';

/**
 * S3 structure shared by the storage rules: the community bucket module that stands in for `aws_s3_bucket`,
 * and which bucket a `bucket = ...` argument points at across the files of a Terraform module.
 */

/**
 * What a file that has an S3 bucket, policy, ACL or public access block contains: an `aws_s3_*` resource or
 * the community bucket module in Terraform, an `AWS::S3::*` resource in CloudFormation.
 */
export const S3_PREFILTER = { terraform: ['aws_s3', 'terraform-aws-modules'], cloudformation: ['AWS::S3::'] } as const;

/** `terraform-aws-modules/s3-bucket/aws` from the registry or its GitHub repository (root module only). */
const S3_MODULE =
  /^(?:(?:registry\.terraform\.io\/)?terraform-aws-modules\/s3-bucket\/aws|(?:git::)?(?:https:\/\/|ssh:\/\/git@|git@)?github\.com[/:]terraform-aws-modules\/terraform-aws-s3-bucket(?:\.git)?(?:\?ref=[^/]*)?)$/;

export function isS3BucketModule(r: Resource): boolean {
  if (r.kind !== 'module') return false;
  const source = str(get(r.body, 'source'))?.trim();
  return source !== undefined && S3_MODULE.test(source);
}

/**
 * The module's public access block inputs default to `false` before release 3.9.0 (April 2023) and to
 * `true` since. A git source pins its version with `?ref=`.
 */
export function s3ModuleBlocksByDefault(r: Resource): boolean {
  const threshold: Version = [3, 9, 0];
  const version = str(get(r.body, 'version'));
  if (version !== undefined) return !newestBelow(version, threshold);
  const ref = /[?&]ref=([^&]+)/.exec(str(get(r.body, 'source')) ?? '');
  if (ref && /^v?\d/.test(ref[1])) return !newestBelow(ref[1], threshold);
  return true;
}

export interface BucketTarget {
  /** `aws_s3_bucket` resources the value names (by reference or by their literal bucket name). */
  buckets: Array<{ file: ParsedFile; resource: Resource }>;
  /** The value names something that cannot be tied to a bucket of this module (a variable, another module's output, a literal name no bucket here has). */
  unknown: boolean;
}

/** Text that can declare or name an `aws_s3_bucket` (a bucket, an access block, a module given a bucket). */
export function mayNameBuckets(text: string): boolean {
  return text.includes('aws_s3_bucket');
}

const BUCKET_REF = /^aws_s3_bucket\.([\w-]+)(?:\[[^\]]*\])?\.(?:id|bucket|arn)$/;

/** A file's `aws_s3_bucket` resources by resource name and by literal bucket name, in file order. */
interface BucketIndex {
  byName: Map<string, Resource[]>;
  byBucketName: Map<string, Resource[]>;
}

const bucketIndexes = new WeakMap<ParsedFile, BucketIndex>();

/** Built once per file: a module with thousands of access blocks looks each one up, not every bucket for each. */
function bucketIndex(file: ParsedFile): BucketIndex {
  let index = bucketIndexes.get(file);
  if (index) return index;
  index = { byName: new Map(), byBucketName: new Map() };
  const add = (map: Map<string, Resource[]>, key: string, r: Resource) => {
    const list = map.get(key);
    if (list) list.push(r);
    else map.set(key, [r]);
  };
  for (const r of file.resources) {
    if (r.kind !== 'resource' || r.type !== 'aws_s3_bucket') continue;
    add(index.byName, r.name, r);
    const bucketName = str(get(r.body, 'bucket'));
    if (bucketName !== undefined) add(index.byBucketName, bucketName, r);
  }
  bucketIndexes.set(file, index);
  return index;
}

/** Which buckets of the module a `bucket = ...` argument names. */
export function bucketTarget(value: Node | undefined, ctx: EvalContext): BucketTarget {
  if (value === undefined) return { buckets: [], unknown: true };
  const files = ctx.project.module(ctx.file, mayNameBuckets);
  const named = (key: string, which: keyof BucketIndex) =>
    files.flatMap((file) => (bucketIndex(file)[which].get(key) ?? []).map((resource) => ({ file, resource })));
  if (isExpr(value)) {
    const m = BUCKET_REF.exec(value.text.trim());
    // A reference to `aws_s3_bucket.x` can only mean a bucket of this module: if there is none, it names nothing.
    if (m) return { buckets: named(m[1], 'byName'), unknown: false };
    return { buckets: [], unknown: true };
  }
  const name = str(value);
  const buckets = name === undefined ? [] : named(name, 'byBucketName');
  return { buckets, unknown: buckets.length === 0 };
}

/** The four public access block settings, in Terraform and CloudFormation spelling, and what leaving each off allows. */
export const PAB_FLAGS: ReadonlyArray<{ terraform: string; cloudformation: string; off: string }> = [
  { terraform: 'block_public_acls', cloudformation: 'BlockPublicAcls', off: 'new public ACLs are accepted' },
  { terraform: 'block_public_policy', cloudformation: 'BlockPublicPolicy', off: 'public bucket policies are accepted' },
  { terraform: 'ignore_public_acls', cloudformation: 'IgnorePublicAcls', off: 'existing public ACLs keep granting access' },
  { terraform: 'restrict_public_buckets', cloudformation: 'RestrictPublicBuckets', off: 'a public policy keeps granting access to anyone' },
];

/** `aws_s3_bucket.NAME` resources a module call passes in any argument (a wrapper that may configure the bucket). */
export function bucketsPassedToModules(files: ParsedFile[]): Set<string> {
  const out = new Set<string>();
  for (const f of files) {
    for (const r of f.resources) {
      if (r.kind !== 'module') continue;
      const text = f.text.slice(r.span.start, r.span.end);
      for (const m of text.matchAll(/\baws_s3_bucket\.([\w-]+)/g)) out.add(m[1]);
    }
  }
  return out;
}

/** Canned ACLs that grant access beyond the bucket owner's account, in Terraform and CloudFormation spelling. */
export const PUBLIC_ACLS: Record<string, string> = {
  'public-read': 'anyone on the internet can list and read objects',
  'public-read-write': 'anyone on the internet can read, write and delete objects',
  'authenticated-read': 'every AWS account in the world can read objects',
  PublicRead: 'anyone on the internet can list and read objects',
  PublicReadWrite: 'anyone on the internet can read, write and delete objects',
  AuthenticatedRead: 'every AWS account in the world can read objects',
};
