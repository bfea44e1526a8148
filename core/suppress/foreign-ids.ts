/**
 * Other scanners' check ids that mean what an Airlock rule means, and the Airlock rules a marker naming one
 * of them suppresses. A check maps to a rule when it names the same risk on the same kind of resource; where a
 * check is about one case of what the rule reports (SSH open to the world, of all open ingress), it maps to the
 * rule that reports that case. A check id absent from this table suppresses nothing (and is reported as
 * unmapped with the unused suppressions). The README's "Suppressions from other scanners" section lists it.
 */

export type ForeignTool = 'checkov' | 'tfsec' | 'trivy' | 'kics' | 'bandit' | 'ruff' | 'detect-secrets' | 'gitleaks';

export interface ForeignCheck {
  tools: readonly ForeignTool[];
  /** The check's id and the aliases its tools accept (compared without case). */
  ids: readonly string[];
  /** What the check reports, in its tool's words. */
  title: string;
  /** Airlock rule ids (or globs) a marker naming the check suppresses. */
  rules: readonly string[];
}

/** Every secret rule: what a scanner's "this secret is known" marker covers. */
export const SECRET_RULES: readonly string[] = ['secret/*'];

const S3_ACCESS_BLOCK = ['storage/s3-public-access-block-disabled', 'storage/s3-public-access-block-missing'];
const AQUA: readonly ForeignTool[] = ['tfsec', 'trivy'];

export const FOREIGN_CHECKS: readonly ForeignCheck[] = [
  // Checkov (Terraform, CloudFormation, Kubernetes)
  { tools: ['checkov'], ids: ['CKV_AWS_20'], title: 'S3 bucket ACL allows public READ access', rules: ['storage/s3-public-acl'] },
  { tools: ['checkov'], ids: ['CKV_AWS_57'], title: 'S3 bucket ACL allows public WRITE access', rules: ['storage/s3-public-acl'] },
  { tools: ['checkov'], ids: ['CKV_AWS_53'], title: 'S3 bucket has block public ACLs enabled', rules: ['storage/s3-public-access-block-disabled'] },
  { tools: ['checkov'], ids: ['CKV_AWS_54'], title: 'S3 bucket has block public policy enabled', rules: ['storage/s3-public-access-block-disabled'] },
  { tools: ['checkov'], ids: ['CKV_AWS_55'], title: 'S3 bucket has ignore public ACLs enabled', rules: ['storage/s3-public-access-block-disabled'] },
  { tools: ['checkov'], ids: ['CKV_AWS_56'], title: 'S3 bucket has restrict public buckets enabled', rules: ['storage/s3-public-access-block-disabled'] },
  { tools: ['checkov'], ids: ['CKV2_AWS_6'], title: 'S3 bucket has a public access block', rules: ['storage/s3-public-access-block-missing'] },
  { tools: ['checkov'], ids: ['CKV_AWS_70'], title: 'S3 bucket does not allow an action with any principal', rules: ['storage/s3-public-policy'] },
  { tools: ['checkov'], ids: ['CKV_AWS_24'], title: 'No security group allows ingress from 0.0.0.0/0 to port 22', rules: ['network/open-ingress'] },
  { tools: ['checkov'], ids: ['CKV_AWS_25'], title: 'No security group allows ingress from 0.0.0.0/0 to port 3389', rules: ['network/open-ingress'] },
  { tools: ['checkov'], ids: ['CKV_AWS_277'], title: 'No security group allows ingress from 0.0.0.0/0 to port -1 (all)', rules: ['network/open-ingress'] },
  { tools: ['checkov'], ids: ['CKV_AWS_260'], title: 'No security group allows ingress from 0.0.0.0/0 to port 80', rules: ['network/open-ingress-port'] },
  { tools: ['checkov'], ids: ['CKV2_AWS_12'], title: 'The default security group of every VPC restricts all traffic', rules: ['network/default-sg-open'] },
  { tools: ['checkov'], ids: ['CKV_AWS_17'], title: 'RDS instance is not publicly accessible', rules: ['storage/database-publicly-accessible'] },
  { tools: ['checkov'], ids: ['CKV_AWS_87'], title: 'Redshift cluster is not publicly accessible', rules: ['storage/database-publicly-accessible'] },
  { tools: ['checkov'], ids: ['CKV_AWS_89'], title: 'DMS replication instance is not publicly accessible', rules: ['storage/database-publicly-accessible'] },
  { tools: ['checkov'], ids: ['CKV_AWS_32'], title: 'ECR repository policy is not public', rules: ['storage/public-resource-policy'] },
  {
    tools: ['checkov'],
    ids: ['CKV_AWS_122'],
    title: 'SageMaker notebook instance has direct internet access disabled',
    rules: ['network/sagemaker-direct-internet'],
  },
  { tools: ['checkov'], ids: ['CKV_AZURE_34'], title: "Blob container 'Public access level' is private", rules: ['storage/azure-container-public'] },
  { tools: ['checkov'], ids: ['CKV_AZURE_190'], title: 'Storage blobs restrict public access', rules: ['storage/azure-blob-public-access'] },
  { tools: ['checkov'], ids: ['CKV_GCP_28'], title: 'Cloud Storage bucket is not anonymously or publicly accessible', rules: ['storage/gcs-public-access'] },
  {
    tools: ['checkov'],
    ids: ['CKV_GCP_114'],
    title: 'Public access prevention is enforced on the Cloud Storage bucket',
    rules: ['storage/gcs-public-access-prevention-off'],
  },
  { tools: ['checkov'], ids: ['CKV_GCP_15'], title: 'BigQuery dataset is not anonymously or publicly accessible', rules: ['storage/bigquery-public-dataset'] },
  { tools: ['checkov'], ids: ['CKV_TF_1'], title: 'Terraform module source uses a commit hash', rules: ['pin/module-unpinned'] },
  { tools: ['checkov'], ids: ['CKV_K8S_19'], title: 'Containers do not share the host network namespace', rules: ['network/host-network'] },
  { tools: ['checkov'], ids: ['CKV_K8S_14'], title: 'Image tag is fixed, not latest or blank', rules: ['pin/image-unpinned'] },
  { tools: ['checkov'], ids: ['CKV_K8S_43'], title: 'Image uses a digest', rules: ['pin/image-not-digest'] },
  { tools: ['checkov'], ids: ['CKV_DOCKER_7'], title: 'The base image uses a non latest version tag', rules: ['pin/image-unpinned'] },
  { tools: ['checkov'], ids: ['CKV_AWS_41'], title: 'No hard-coded AWS access key and secret key in a provider', rules: SECRET_RULES },
  { tools: ['checkov'], ids: ['CKV_AWS_45'], title: 'No hard-coded secrets in a Lambda environment', rules: SECRET_RULES },
  { tools: ['checkov'], ids: ['CKV_AWS_46'], title: 'No hard-coded secrets in EC2 user data', rules: SECRET_RULES },
  // tfsec and Trivy share long ids; Trivy also takes the AVD id and its own id.
  { tools: AQUA, ids: ['AVD-AWS-0086', 'AWS-0086', 'aws-s3-block-public-acls'], title: 'S3 access block should block public ACL', rules: S3_ACCESS_BLOCK },
  { tools: AQUA, ids: ['AVD-AWS-0087', 'AWS-0087', 'aws-s3-block-public-policy'], title: 'S3 access block should block public policy', rules: S3_ACCESS_BLOCK },
  { tools: AQUA, ids: ['AVD-AWS-0091', 'AWS-0091', 'aws-s3-ignore-public-acls'], title: 'S3 access block should ignore public ACL', rules: S3_ACCESS_BLOCK },
  {
    tools: AQUA,
    ids: ['AVD-AWS-0093', 'AWS-0093', 'aws-s3-no-public-buckets'],
    title: 'S3 access block should restrict public bucket',
    rules: S3_ACCESS_BLOCK,
  },
  {
    tools: AQUA,
    ids: ['AVD-AWS-0094', 'AWS-0094', 'aws-s3-specify-public-access-block'],
    title: 'S3 buckets should each define an aws_s3_bucket_public_access_block',
    rules: ['storage/s3-public-access-block-missing'],
  },
  {
    tools: AQUA,
    ids: ['AVD-AWS-0092', 'AWS-0092', 'aws-s3-no-public-access-with-acl'],
    title: 'S3 buckets not publicly accessible through ACL',
    rules: ['storage/s3-public-acl'],
  },
  {
    tools: AQUA,
    ids: ['AVD-AWS-0107', 'AWS-0107', 'aws-ec2-no-public-ingress-sgr', 'aws-vpc-no-public-ingress-sgr'],
    // tfsec reported any ingress from /0 under this id; Trivy narrowed it to SSH and RDP.
    title: 'Security group rule allows unrestricted ingress from any IP address',
    rules: ['network/open-ingress', 'network/open-ingress-port'],
  },
  {
    tools: AQUA,
    ids: ['AVD-AWS-0104', 'AWS-0104', 'aws-ec2-no-public-egress-sgr', 'aws-vpc-no-public-egress-sgr'],
    title: 'Security group rule allows unrestricted egress to any IP address',
    rules: ['network/open-egress'],
  },
  {
    tools: AQUA,
    ids: ['AVD-AWS-0173', 'AWS-0173', 'aws-ec2-restrict-all-in-default-sg'],
    title: 'Default security group should restrict all traffic',
    rules: ['network/default-sg-open'],
  },
  {
    tools: AQUA,
    ids: ['AVD-AWS-0032', 'AWS-0032', 'aws-ecr-no-public-access'],
    title: 'ECR repository policy must block public access',
    rules: ['storage/public-resource-policy'],
  },
  {
    tools: AQUA,
    ids: ['AVD-AZU-0007', 'AZU-0007', 'azure-storage-no-public-access'],
    title: 'Storage containers in blob storage mode should not have public access',
    rules: ['storage/azure-container-public'],
  },
  {
    tools: AQUA,
    ids: ['AVD-GCP-0001', 'GCP-0001', 'google-storage-no-public-access'],
    title: 'Cloud Storage bucket is not anonymously or publicly accessible',
    rules: ['storage/gcs-public-access'],
  },
  {
    tools: AQUA,
    ids: ['AVD-GCP-0046', 'GCP-0046', 'google-bigquery-no-public-access'],
    title: 'BigQuery datasets should only be accessible within the organisation',
    rules: ['storage/bigquery-public-dataset'],
  },
  { tools: ['trivy'], ids: ['KSV009', 'AVD-KSV-0009', 'KSV-0009'], title: 'Access to host network', rules: ['network/host-network'] },
  { tools: ['trivy'], ids: ['KSV013', 'AVD-KSV-0013', 'KSV-0013'], title: "Image tag ':latest' used", rules: ['pin/image-unpinned'] },
  { tools: ['trivy'], ids: ['DS001', 'AVD-DS-0001', 'DS-0001'], title: "':latest' tag used", rules: ['pin/image-unpinned'] },
  // KICS query ids
  {
    tools: ['kics'],
    ids: ['38c5ee0d-7f22-4260-ab72-5073048df100'],
    title: 'S3 Bucket ACL Allows Read Or Write to All Users',
    rules: ['storage/s3-public-acl'],
  },
  { tools: ['kics'], ids: ['65905cec-d691-4320-b320-2000436cb696'], title: 'Security Group With Unrestricted Access To SSH', rules: ['network/open-ingress'] },
  { tools: ['kics'], ids: ['a88baa34-e2ad-44ea-ad6f-8cac87bc7c71'], title: 'Passwords And Secrets', rules: SECRET_RULES },
  { tools: ['kics'], ids: ['9efb0b2d-89c9-41a3-91ca-dcc0aec911fd'], title: 'Image Version Not Explicit', rules: ['pin/image-unpinned'] },
  { tools: ['kics'], ids: ['f45ea400-6bbe-4501-9fc7-1c3d75c32067'], title: "Image Version Using 'latest'", rules: ['pin/image-unpinned'] },
  { tools: ['kics'], ids: ['02d9c71f-3ee8-4986-9c27-1a20d0d19bfc'], title: 'Unpinned Package Version in Pip Install', rules: ['pin/pip-unpinned'] },
  // Hard-coded password checks of bandit (B105–B107) and of ruff / flake8-bandit (S105–S107)
  { tools: ['bandit'], ids: ['B105'], title: 'hardcoded_password_string', rules: SECRET_RULES },
  { tools: ['bandit'], ids: ['B106'], title: 'hardcoded_password_funcarg', rules: SECRET_RULES },
  { tools: ['bandit'], ids: ['B107'], title: 'hardcoded_password_default', rules: SECRET_RULES },
  { tools: ['ruff'], ids: ['S105'], title: 'hardcoded-password-string', rules: SECRET_RULES },
  { tools: ['ruff'], ids: ['S106'], title: 'hardcoded-password-func-arg', rules: SECRET_RULES },
  { tools: ['ruff'], ids: ['S107'], title: 'hardcoded-password-default', rules: SECRET_RULES },
];

/** Checkov's secret checks (`CKV_SECRET_<n>`): each is one kind of credential. */
const CHECKOV_SECRET = /^CKV_SECRET_\d+$/i;

const byTool = new Map<ForeignTool, Map<string, ForeignCheck>>();
for (const check of FOREIGN_CHECKS) {
  for (const tool of check.tools) {
    let ids = byTool.get(tool);
    if (!ids) byTool.set(tool, (ids = new Map()));
    for (const id of check.ids) ids.set(id.toLowerCase(), check);
  }
}

/**
 * The Airlock rules a tool's check id maps to (empty when it maps to none). A Trivy id may be a glob
 * (`aws-s3-*`, `*`): it maps to the rules of every check of the table it matches.
 */
export function rulesForCheck(tool: ForeignTool, id: string): string[] {
  if (tool === 'checkov' && CHECKOV_SECRET.test(id)) return [...SECRET_RULES];
  const ids = byTool.get(tool);
  if (!ids) return [];
  const key = id.toLowerCase();
  if (!key.includes('*')) return [...(ids.get(key)?.rules ?? [])];
  const pattern = new RegExp(`^${key.split('*').map(escapeRegExp).join('.*')}$`);
  const rules = new Set<string>();
  for (const [known, check] of ids) if (pattern.test(known)) for (const r of check.rules) rules.add(r);
  return [...rules];
}

function escapeRegExp(s: string): string {
  return s.replace(/[.+?^${}()|[\]\\/]/g, '\\$&');
}
