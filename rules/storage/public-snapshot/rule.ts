import { all, contentSpan, defineRule, evaluateItems, get, isBlank, isTerraform, items, type Node, type Resource, type RuleContext, str } from '../../../core';
import { publicIamGrants, via } from '../../lib/gcp-iam';

/**
 * Snapshot and image sharing that reaches every AWS account: the keys down to the list of accounts or groups
 * (each key may hold a list of blocks), the value that means everyone, and what it exposes.
 */
interface Share {
  path: readonly string[];
  /** The value that means every account (`all`, `*`), in any case. */
  everyone: string;
  what: string;
  /** An attribute that, written, narrows `everyone` to an organization. */
  limitedBy?: string;
  /** The value is a list written as one string, split by this. */
  separator?: string;
}

const AMI_PUBLIC = 'AMI is public: anyone can launch it and read its disks';
// `user_groups`: "Set of EC2 launch permission user groups to assign. Use `all` to distribute a public AMI."
// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/imagebuilder_distribution_configuration
const IMAGE_BUILDER_PUBLIC = 'Image Builder distribution makes every AMI it distributes public: anyone can launch them and read their disks';

const LAYER_PUBLIC = 'Lambda layer version is shared with every AWS account: anyone can download its code and files';

const SHARES: Record<string, Share> = {
  aws_db_snapshot: {
    path: ['shared_accounts'],
    everyone: 'all',
    what: 'RDS snapshot is shared with every AWS account: anyone can restore a copy of the database',
  },
  aws_db_cluster_snapshot: {
    path: ['shared_accounts'],
    everyone: 'all',
    what: 'RDS cluster snapshot is shared with every AWS account: anyone can restore a copy of the database',
  },
  // `shared_accounts`: "Use all to make the snapshot public."
  // https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/db_snapshot_copy
  aws_db_snapshot_copy: {
    path: ['shared_accounts'],
    everyone: 'all',
    what: 'RDS snapshot copy is shared with every AWS account: anyone can restore a copy of the database',
  },
  aws_rds_cluster_snapshot_copy: {
    path: ['shared_accounts'],
    everyone: 'all',
    what: 'RDS cluster snapshot copy is shared with every AWS account: anyone can restore a copy of the database',
  },
  aws_ami_launch_permission: { path: ['group'], everyone: 'all', what: AMI_PUBLIC },
  // Principal "*" grants "all AWS accounts (if organizationId is not specified)":
  // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-lambda-layerversionpermission.html
  aws_lambda_layer_version_permission: { path: ['principal'], everyone: '*', limitedBy: 'organization_id', what: LAYER_PUBLIC },
  'AWS::Lambda::LayerVersionPermission': { path: ['Principal'], everyone: '*', limitedBy: 'OrganizationId', what: LAYER_PUBLIC },
  // "If you share a document publicly, you must specify All as the account ID":
  // https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_ModifyDocumentPermission.html
  aws_ssm_document: {
    path: ['permissions', 'account_ids'],
    everyone: 'all',
    separator: ',',
    what: 'SSM document is shared with every AWS account: anyone can read it and run it on their instances',
  },
  aws_imagebuilder_distribution_configuration: {
    path: ['distribution', 'ami_distribution_configuration', 'launch_permission', 'user_groups'],
    everyone: 'all',
    what: IMAGE_BUILDER_PUBLIC,
  },
  // "To make an AMI public, set `userGroups` to the value `all`."
  // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-imagebuilder-distributionconfiguration-launchpermissionconfiguration.html
  'AWS::ImageBuilder::DistributionConfiguration': {
    path: ['Distributions', 'AmiDistributionConfiguration', 'LaunchPermissionConfiguration', 'UserGroups'],
    everyone: 'all',
    what: IMAGE_BUILDER_PUBLIC,
  },
};

/** Region-wide guards that, when unblocked, let snapshots and images be shared publicly: the attribute and what it allows. */
const GUARDS: Record<string, { attr: string; what: string }> = {
  aws_ebs_snapshot_block_public_access: { attr: 'state', what: 'EBS snapshots in this region can be shared publicly' },
  aws_ec2_image_block_public_access: { attr: 'state', what: 'AMIs in this region can be shared publicly' },
  // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-snapshotblockpublicaccess.html
  'AWS::EC2::SnapshotBlockPublicAccess': { attr: 'State', what: 'EBS snapshots in this region can be shared publicly' },
};

/**
 * Compute Engine images, snapshots and disks shared through IAM (`_iam_member`, `_iam_binding`, `_iam_policy`):
 * https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/compute_image_iam
 * https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/compute_snapshot_iam
 * https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/compute_disk_iam
 */
const GOOGLE_IAM: Record<string, string> = {
  google_compute_image: 'Compute Engine image',
  google_compute_machine_image: 'Compute Engine machine image',
  google_compute_snapshot: 'Compute Engine snapshot',
  google_compute_disk: 'Compute Engine disk',
  google_compute_region_disk: 'Compute Engine regional disk',
};

/** The nodes at `path` under `body`, through every block of a list of blocks on the way. */
function nodesAt(body: Node, path: readonly string[]): Node[] {
  if (path.length === 0) return [body];
  const [key, ...rest] = path;
  return rest.length === 0 ? [get(body, key)].filter((n): n is Node => n !== undefined) : all(body, key).flatMap((b) => nodesAt(b, rest));
}

/** Items of a list value (written, or read through references) that mean every account, at the item that holds them. */
function everyoneItems(value: Node, share: Share, ctx: RuleContext<never>): Node[] {
  const is = (n: Node) => (str(n) ?? '').split(share.separator ?? /$^/).some((v) => v.trim().toLowerCase() === share.everyone);
  return items(value).filter((item) => (str(item) !== undefined ? is(item) : evaluateItems(item, ctx).values.some(is)));
}

function googleIam(r: Resource, ctx: RuleContext<never>) {
  const iam = publicIamGrants(r, ctx, GOOGLE_IAM);
  for (const { span, member, related } of iam?.grants ?? []) {
    ctx.report({
      span,
      message: `${iam!.what} IAM grants ${iam!.role ?? 'a role'} to ${member.member}${via(member)}: ${member.who} can use or copy it`,
      related,
    });
  }
}

export default defineRule({
  id: 'storage/public-snapshot',
  family: 'storage',
  severity: 'error',
  formats: ['terraform', 'terraform-json', 'terraform-plan', 'cloudformation'],
  prefilter: {
    terraform: [...Object.keys(SHARES), ...Object.keys(GUARDS), ...Object.keys(GOOGLE_IAM).map((t) => `${t}_iam_`)].filter((t) => !t.includes('::')),
    cloudformation: [...Object.keys(SHARES), ...Object.keys(GUARDS)].filter((t) => t.includes('::')),
  },
  docs: {
    summary:
      'RDS snapshot or snapshot copy shared with `"all"` accounts, AMI launch permission for group `"all"`, an EC2 Image Builder distribution whose launch permission names the `all` user group, a Lambda layer version shared with principal `"*"` and no organization, an SSM document shared with `All`, the region-wide block on public EBS snapshots / AMIs set to `"unblocked"`, or a Compute Engine image, snapshot or disk whose IAM member, binding or policy names `allUsers` or `allAuthenticatedUsers`.',
    why: 'A public snapshot or image is a full copy of the disk or database: anyone with an AWS account can restore it and read every table, file, credential and model weight it holds. Public snapshots are a recurring source of large data leaks. An Image Builder distribution shares every AMI the pipeline builds; a public Lambda layer hands out its code and files (often vendored dependencies with their configuration), and a public SSM document its commands and scripts; on Google Cloud, an image, snapshot or disk granted to allUsers (anyone) or allAuthenticatedUsers (anyone with a Google account) can be copied into any project.',
    fix: 'Share with specific account ids (or an organization ARN) instead of "all", and keep the region-wide public-sharing blocks on (state = "block-all-sharing" for EBS, "block-new-sharing" for AMIs). On Google Cloud, grant image and snapshot roles to the service accounts, groups or domain that need them.',
    examples: {
      format: 'terraform',
      bad: 'resource "aws_ami_launch_permission" "share" {\n  image_id = aws_ami.model_server.id\n  group    = "all"\n}',
      good: 'resource "aws_ami_launch_permission" "share" {\n  image_id   = aws_ami.model_server.id\n  account_id = var.partner_account_id\n}',
    },
  },
  check(ctx) {
    for (const r of ctx.file.resources) {
      if (r.kind !== 'resource') continue;
      if (isTerraform(ctx.file.format)) googleIam(r, ctx);
      const share = SHARES[r.type];
      if (share) {
        if (share.limitedBy && !isBlank(get(r.body, share.limitedBy))) continue;
        for (const value of nodesAt(r.body, share.path)) {
          for (const hit of everyoneItems(value, share, ctx)) ctx.report({ span: contentSpan(hit), message: `The ${share.what}` });
        }
        continue;
      }
      const guard = GUARDS[r.type];
      const state = guard ? get(r.body, guard.attr) : undefined;
      if (guard && state && str(state)?.trim().toLowerCase() === 'unblocked') {
        ctx.report({ span: contentSpan(state), severity: 'warning', message: `Public sharing block is "unblocked": ${guard.what}` });
      }
    }
  },
});
