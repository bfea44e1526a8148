import { contentSpan, defineRule, evaluateItems, get, items, type Node, str } from '../../../core';

/** Snapshot and image sharing that reaches every AWS account: where the setting is and what it exposes. */
const SHARES: Record<string, { attr: string; all: string; what: string }> = {
  aws_db_snapshot: { attr: 'shared_accounts', all: 'all', what: 'RDS snapshot is shared with every AWS account: anyone can restore a copy of the database' },
  aws_db_cluster_snapshot: {
    attr: 'shared_accounts',
    all: 'all',
    what: 'RDS cluster snapshot is shared with every AWS account: anyone can restore a copy of the database',
  },
  aws_ami_launch_permission: { attr: 'group', all: 'all', what: 'AMI is public: anyone can launch it and read its disks' },
};

/** Region-wide guards that, when unblocked, let snapshots and images be shared publicly. */
const GUARDS: Record<string, string> = {
  aws_ebs_snapshot_block_public_access: 'EBS snapshots in this region can be shared publicly',
  aws_ec2_image_block_public_access: 'AMIs in this region can be shared publicly',
};

export default defineRule({
  id: 'storage/public-snapshot',
  family: 'storage',
  severity: 'error',
  formats: ['terraform', 'terraform-json', 'terraform-plan'],
  prefilter: { terraform: [...Object.keys(SHARES), ...Object.keys(GUARDS)] },
  docs: {
    summary:
      'RDS snapshot shared with `"all"` accounts, AMI launch permission for group `"all"`, or the region-wide block on public EBS snapshots / AMIs set to `"unblocked"`.',
    why: 'A public snapshot or image is a full copy of the disk or database: anyone with an AWS account can restore it and read every table, file, credential and model weight it holds. Public snapshots are a recurring source of large data leaks.',
    fix: 'Share with specific account ids (or an organization ARN) instead of "all", and keep the region-wide public-sharing blocks on (state = "block-all-sharing" for EBS, "block-new-sharing" for AMIs).',
    examples: {
      format: 'terraform',
      bad: 'resource "aws_ami_launch_permission" "share" {\n  image_id = aws_ami.model_server.id\n  group    = "all"\n}',
      good: 'resource "aws_ami_launch_permission" "share" {\n  image_id   = aws_ami.model_server.id\n  account_id = var.partner_account_id\n}',
    },
  },
  check(ctx) {
    for (const r of ctx.file.resources) {
      if (r.kind !== 'resource') continue;
      const share = SHARES[r.type];
      if (share) {
        const value = get(r.body, share.attr);
        const hits: Node[] = [];
        for (const item of items(value)) {
          if (str(item) !== undefined) {
            if (str(item)!.trim().toLowerCase() === share.all) hits.push(item);
          } else if (evaluateItems(item, ctx).values.some((v) => str(v)?.trim().toLowerCase() === share.all)) hits.push(item);
        }
        for (const hit of hits) ctx.report({ span: contentSpan(hit), message: `The ${share.what}` });
        continue;
      }
      const guard = GUARDS[r.type];
      const state = guard ? get(r.body, 'state') : undefined;
      if (guard && state && str(state)?.trim().toLowerCase() === 'unblocked') {
        ctx.report({ span: contentSpan(state), severity: 'warning', message: `Public sharing block is "unblocked": ${guard}` });
      }
    }
  },
});
