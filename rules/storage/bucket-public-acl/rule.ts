import { all, bool, contentSpan, defineRule, evaluate, evaluateItems, evaluateStrings, get, isExpr, isMap, type Node, str } from '../../../core';
import { replaceStringContent } from '../../lib/fixes';
import {
  ACCESS_SETTINGS,
  type AccessSetting,
  HUAWEI_PUBLIC_PERMISSIONS,
  PUBLIC_BUCKET_TYPES,
  swiftWorldReadable,
  tencentAllUsersGrant,
  YANDEX_ANONYMOUS_FLAGS,
  yandexPublicGroup,
  yandexPublicMember,
} from '../lib/bucket-access';

/** ` (from var.x)` when a value came through a reference. */
function from(node: Node): string {
  return isExpr(node) ? ` (from ${node.text.trim()})` : '';
}

/** The setting is replaced by another attribute that is written (a literal or a reference; a plan's null is not). */
function overridden(body: Node, setting: AccessSetting): boolean {
  const other = setting.overriddenBy ? get(body, setting.overriddenBy) : undefined;
  return str(other) !== undefined || isExpr(other);
}

export default defineRule({
  id: 'storage/bucket-public-acl',
  family: 'storage',
  severity: 'error',
  formats: ['terraform', 'terraform-json', 'terraform-plan'],
  prefilter: { terraform: PUBLIC_BUCKET_TYPES },
  fixes: { 'set-private': 'safe' },
  docs: {
    summary:
      'Object storage bucket or object of Alibaba Cloud, Oracle Cloud, Tencent Cloud, Huawei Cloud, Yandex, DigitalOcean, Linode or OpenStack opened to everyone: a public canned ACL or access type, a grant or IAM binding to a public group, anonymous access flags, or a world-readable Swift container ACL.',
    why: 'A public bucket publishes every object in it (datasets, checkpoints, exports, logs) to anyone who finds its name, and a public-write one lets anyone replace them. The providers spell it differently (table below); each entry is read from the provider documentation, and leaving the setting out is private for every one of them, so only a public value written in the configuration (or resolved from a variable or local) is reported. AWS S3, Cloud Storage and Azure containers have their own rules (storage/s3-public-acl, storage/gcs-public-access, storage/azure-container-public); this rule is the same problem for the other providers, with each provider as data rather than a rule of its own. It is not an extension of storage/s3-public-acl: that id names S3, whose ACLs are judged with the public access block of the account and the S3 module, and a Yandex or Linode finding under it would say the wrong service. Bucket policies of these providers are not read here.\n\n| resource | attribute | public values | what anyone gets |\n| --- | --- | --- | --- |\n| `alicloud_oss_bucket`, `alicloud_oss_bucket_acl`, `alicloud_oss_bucket_object` | `acl` | `public-read`, `public-read-write` | read; read and write |\n| `oci_objectstorage_bucket` | `access_type` | `ObjectRead`, `ObjectReadWithoutList` | list and read; read by object name |\n| `tencentcloud_cos_bucket` (`tencentcloud_cos_bucket_object`: `acl`) | `acl` (unless `acl_body` is set), `acl_body` | `public-read`, `public-read-write`; a grant to `AllUsers` | read; read and write; the grant |\n| `huaweicloud_obs_bucket` | `acl` | `public-read`, `public-read-write` | list; list, upload and delete |\n| `huaweicloud_obs_bucket_acl` | `public_permission.access_to_bucket` | `READ`, `WRITE` | list; upload and delete |\n| `yandex_storage_bucket` (`yandex_storage_bucket_grant`: `acl`, `grant`; `yandex_storage_object`: `acl`) | `acl`, `grant`, `anonymous_access_flags` | `public-read`, `public-read-write`, `authenticated-read`; a grant to `AllUsers` / `AuthenticatedUsers`; `read` / `list` = true | read; read and write; any Yandex Cloud account reads; the grant; read; list |\n| `yandex_storage_bucket_iam_binding` | `members` | `system:allUsers`, `system:allAuthenticatedUsers` | the role; for any Yandex Cloud account |\n| `digitalocean_spaces_bucket`, `digitalocean_spaces_bucket_object` | `acl` | `public-read` | read |\n| `linode_object_storage_bucket`, `linode_object_storage_object` | `acl` | `public-read`, `public-read-write`, `authenticated-read` | read; read and write; any Object Storage user reads |\n| `openstack_objectstorage_container_v1` | `container_read` | `.r:*` (with `.rlistings`) | read (and list) |',
    fix: 'Set the ACL or access type to its private value (or remove it: private is the default), drop grants to public groups and anonymous access flags, and share objects through pre-signed URLs, pre-authenticated requests or a CDN in front of a private bucket.',
    fixes: {
      'set-private':
        'Writes the private value in place of a public canned ACL or access type (`private`, `NoPublicAccess`) and `false` in place of a true anonymous access flag. Anyone who relied on anonymous access loses it, which is the point. Values that come from a variable, grants to public groups, ACL documents and Swift ACLs have no automatic fix: the variable may serve other resources, and which grantees to keep is a decision for a person.',
    },
    examples: {
      format: 'terraform',
      bad: 'resource "alicloud_oss_bucket_acl" "datasets" {\n  bucket = alicloud_oss_bucket.datasets.bucket\n  acl    = "public-read"\n}',
      good: 'resource "alicloud_oss_bucket_acl" "datasets" {\n  bucket = alicloud_oss_bucket.datasets.bucket\n  acl    = "private"\n}',
    },
  },
  check(ctx) {
    const { report } = ctx;
    const strings = (node: Node) => {
      const literal = str(node);
      return literal !== undefined ? [literal] : evaluateStrings(node, ctx).strings;
    };

    const cannedSetting = (body: Node, setting: AccessSetting) => {
      const node = get(body, setting.attribute);
      if (!node || overridden(body, setting)) return;
      const value = strings(node).find((v) => Object.hasOwn(setting.public, v));
      if (value === undefined) return;
      const fix =
        str(node) !== undefined
          ? replaceStringContent(node, setting.privateValue, `Set the ${setting.label} to ${setting.privateValue}`, 'set-private', 'safe')
          : undefined;
      report({
        span: contentSpan(node),
        message: `${setting.service} ${setting.what} ${setting.label} "${value}"${from(node)}: ${setting.public[value]}`,
        fixes: fix ? [fix] : [],
      });
    };

    for (const r of ctx.file.resources) {
      if (r.kind !== 'resource') continue;
      const setting = ACCESS_SETTINGS[r.type];
      if (setting) cannedSetting(r.body, setting);

      if (r.type === 'yandex_storage_bucket' || r.type === 'yandex_storage_bucket_grant') {
        for (const grant of all(r.body, 'grant').filter(isMap)) {
          const uri = get(grant, 'uri');
          const who = uri && strings(uri).map(yandexPublicGroup).find(Boolean);
          if (!uri || !who) continue;
          const permissions = evaluateItems(get(grant, 'permissions'), ctx).values.map(str).filter(Boolean);
          report({
            span: contentSpan(uri),
            message: `Yandex Object Storage bucket grant of ${permissions.join(', ') || 'access'} to ${who} (${strings(uri)[0].replace(/^.*\//, '')} group)`,
          });
        }
        // anonymous_access_flags is the bucket's only (the grant resource has none).
        for (const flags of all(r.body, 'anonymous_access_flags').filter(isMap)) {
          for (const [flag, meaning] of Object.entries(YANDEX_ANONYMOUS_FLAGS)) {
            const node = get(flags, flag);
            if (!node || !evaluate(node, ctx).values.some((v) => bool(v) === true)) continue;
            const fix = bool(node) === true ? replaceStringContent(node, 'false', `Turn off anonymous ${flag}`, 'set-private', 'safe') : undefined;
            report({
              span: contentSpan(node),
              message: `Yandex Object Storage bucket allows anonymous ${flag}${from(node)}: ${meaning}`,
              fixes: fix ? [fix] : [],
            });
          }
        }
      } else if (r.type === 'yandex_storage_bucket_iam_binding') {
        const role = str(get(r.body, 'role')) ?? 'a role';
        for (const item of all(r.body, 'members')) {
          const literal = str(item);
          const members = literal !== undefined ? [literal] : evaluateItems(item, ctx).values.map(str);
          for (const member of members) {
            const who = yandexPublicMember(member);
            if (!who) continue;
            report({
              span: contentSpan(item),
              message: `Yandex Object Storage bucket IAM binding grants ${role} to ${member}${from(item)}: ${who} can use it`,
            });
          }
        }
      } else if (r.type === 'tencentcloud_cos_bucket') {
        const body = get(r.body, 'acl_body');
        if (body && strings(body).some(tencentAllUsersGrant)) {
          report({
            span: contentSpan(body),
            message: 'Tencent Cloud COS bucket acl_body grants access to the AllUsers group: anyone on the internet gets that access',
          });
        }
      } else if (r.type === 'huaweicloud_obs_bucket_acl') {
        for (const permission of all(r.body, 'public_permission').filter(isMap)) {
          const node = get(permission, 'access_to_bucket');
          const granted = evaluateItems(node, ctx)
            .values.map(str)
            .filter((p): p is string => p !== undefined && p in HUAWEI_PUBLIC_PERMISSIONS);
          if (!node || granted.length === 0) continue;
          report({
            span: contentSpan(node),
            message: `Huawei Cloud OBS bucket ACL gives everyone ${granted.join(', ')} on the bucket: anyone on the internet can ${granted.map((p) => HUAWEI_PUBLIC_PERMISSIONS[p]).join(' and ')}`,
          });
        }
      } else if (r.type === 'openstack_objectstorage_container_v1') {
        const node = get(r.body, 'container_read');
        const open = node && strings(node).map(swiftWorldReadable).find(Boolean);
        if (!node || !open) continue;
        report({
          span: contentSpan(node),
          message: `OpenStack Swift container read ACL allows any referrer (.r:*)${from(node)}: anyone on the internet can read the objects${open.listing ? ' and list the container' : ''}`,
        });
      }
    }
  },
});
