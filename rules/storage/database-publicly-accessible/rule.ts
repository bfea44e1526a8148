import { bool, contentSpan, defineRule, entry, isTerraform } from '../../../core';

/** Managed databases with a "publicly accessible" switch, per format. */
const TERRAFORM = new Set(['aws_db_instance', 'aws_rds_cluster_instance', 'aws_redshift_cluster', 'aws_dms_replication_instance']);
const CLOUDFORMATION = new Set(['AWS::RDS::DBInstance', 'AWS::Redshift::Cluster', 'AWS::DMS::ReplicationInstance']);

export default defineRule({
  id: 'storage/database-publicly-accessible',
  family: 'storage',
  severity: 'warning',
  formats: ['terraform', 'terraform-json', 'terraform-plan', 'cloudformation'],
  prefilter: { terraform: [...TERRAFORM], cloudformation: [...CLOUDFORMATION] },
  defaultOff: true,
  fixes: { 'set-false': 'unsafe' },
  docs: {
    summary:
      'RDS instance, Redshift cluster or DMS replication instance with `publicly_accessible` / `PubliclyAccessible` set to true (off by default: enable it in `.airlock.yaml`).',
    why: 'A publicly accessible database gets a public IP and a DNS name that resolves to it from the internet; only its security groups stand between the data and every scanner. Off by default because the exposure also depends on the security groups, which network/open-ingress checks.',
    fix: 'Set publicly_accessible = false and reach the database from inside the VPC (a bastion, SSM port forwarding, a VPN or a private endpoint).',
    fixes: {
      'set-false': 'Sets the flag to false. Clients outside the VPC lose access; check who connects before applying.',
    },
    examples: {
      format: 'terraform',
      bad: 'resource "aws_db_instance" "features" {\n  engine              = "postgres"\n  instance_class      = "db.t3.medium"\n  publicly_accessible = true\n}',
      good: 'resource "aws_db_instance" "features" {\n  engine              = "postgres"\n  instance_class      = "db.t3.medium"\n  publicly_accessible = false\n}',
    },
  },
  check(ctx) {
    const tf = isTerraform(ctx.file.format);
    for (const r of ctx.file.resources) {
      if (r.kind !== 'resource' || !(tf ? TERRAFORM : CLOUDFORMATION).has(r.type)) continue;
      const e = entry(r.body, tf ? 'publicly_accessible' : 'PubliclyAccessible');
      if (!e || bool(e.value) !== true) continue;
      ctx.report({
        span: contentSpan(e.value),
        message: `${r.type} "${r.name}" is publicly accessible: it gets an address reachable from the internet`,
        fixes: [{ title: `Set ${e.key} to false`, kind: 'set-false', safety: 'unsafe', edits: [{ span: contentSpan(e.value), newText: 'false' }] }],
      });
    }
  },
});
