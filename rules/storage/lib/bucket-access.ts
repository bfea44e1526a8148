/**
 * How the object stores of the Terraform providers other than AWS, Google Cloud and Azure say that a bucket (or
 * an object) is open to everyone, and what each public value means. Every entry names the provider page it was
 * read from; a value left out of a table is private or not public (a log delivery ACL, an owner-only ACL).
 * Leaving the setting out is private for every entry: the default is stated with each one.
 */

/** One attribute whose value says who may read or write a bucket or an object. */
export interface AccessSetting {
  /** The service, for messages: "Alibaba Cloud OSS". */
  service: string;
  what: 'bucket' | 'object';
  attribute: string;
  /** How messages name the attribute: "ACL", "access type". */
  label: string;
  /** Public values (exact spelling, as the provider validates them) and what each lets anyone do. */
  public: Record<string, string>;
  /** The value the fix writes: the provider's private value, which is also what leaving the attribute out means. */
  privateValue: string;
  /** An attribute that replaces this one when it is set (Tencent's `acl_body` overwrites `acl`). */
  overriddenBy?: string;
}

const READ = 'anyone on the internet can read the objects';
const READ_WRITE = 'anyone on the internet can read, overwrite and delete the objects';

// https://registry.terraform.io/providers/aliyun/alicloud/latest/docs/resources/oss_bucket (`acl`: private,
// public-read, public-read-write) and .../oss_bucket_acl; private is the default:
// https://www.alibabacloud.com/help/en/oss/user-guide/bucket-acl
const ALIBABA: Omit<AccessSetting, 'what'> = {
  service: 'Alibaba Cloud OSS',
  attribute: 'acl',
  label: 'ACL',
  public: { 'public-read': READ, 'public-read-write': READ_WRITE },
  privateValue: 'private',
};

// https://registry.terraform.io/providers/tencentcloudstack/tencentcloud/latest/docs/resources/cos_bucket
// (`acl`: private, public-read, public-read-write, defaults to private; `acl_body` overwrites `acl`).
const TENCENT: Omit<AccessSetting, 'what'> = {
  service: 'Tencent Cloud COS',
  attribute: 'acl',
  label: 'ACL',
  public: { 'public-read': READ, 'public-read-write': READ_WRITE },
  privateValue: 'private',
  overriddenBy: 'acl_body',
};

// https://registry.terraform.io/providers/huaweicloud/huaweicloud/latest/docs/resources/obs_bucket (`acl`: private,
// public-read, public-read-write, log-delivery-write, defaults to private). On a bucket, public-read opens the object
// list and public-read-write also uploads and deletes: https://support.huaweicloud.com/intl/en-us/sdk-c-devg-obs/obs_20_0089.html
const HUAWEI: Omit<AccessSetting, 'what'> = {
  service: 'Huawei Cloud OBS',
  attribute: 'acl',
  label: 'ACL',
  public: {
    'public-read': 'anyone on the internet can list the objects and their versions',
    'public-read-write': 'anyone on the internet can list, upload and delete objects',
  },
  privateValue: 'private',
};

// https://registry.terraform.io/providers/yandex-cloud/yandex/latest/docs/resources/storage_bucket (`acl` defaults
// to private; the provider accepts private, public-read, public-read-write, authenticated-read and
// bucket-owner-full-control, authenticated-read granting every authenticated Yandex Cloud user).
const YANDEX: Omit<AccessSetting, 'what'> = {
  service: 'Yandex Object Storage',
  attribute: 'acl',
  label: 'ACL',
  public: {
    'public-read': READ,
    'public-read-write': READ_WRITE,
    'authenticated-read': 'every Yandex Cloud account in the world can read the objects',
  },
  privateValue: 'private',
};

// https://registry.terraform.io/providers/digitalocean/digitalocean/latest/docs/resources/spaces_bucket and
// .../spaces_bucket_object (`acl`: private or public-read; `Default: "private"` in the provider's schema).
const DIGITALOCEAN: Omit<AccessSetting, 'what'> = {
  service: 'DigitalOcean Spaces',
  attribute: 'acl',
  label: 'ACL',
  public: { 'public-read': READ },
  privateValue: 'private',
};

// https://registry.terraform.io/providers/linode/linode/latest/docs/resources/object_storage_bucket and
// .../object_storage_object (`acl`: private, public-read, authenticated-read, public-read-write, custom; defaults to
// private). authenticated-read is any Object Storage user with keys, not only the account's.
const LINODE: Omit<AccessSetting, 'what'> = {
  service: 'Linode Object Storage',
  attribute: 'acl',
  label: 'ACL',
  public: {
    'public-read': READ,
    'public-read-write': READ_WRITE,
    'authenticated-read': 'any Object Storage user, not only this account, can read the objects',
  },
  privateValue: 'private',
};

/**
 * The same provider's object resource: the same canned ACL names on one object. Each object page documents its `acl`
 * and its private default: .../aliyun/alicloud/latest/docs/resources/oss_bucket_object, .../tencentcloudstack/
 * tencentcloud/latest/docs/resources/cos_bucket_object, .../yandex-cloud/yandex/latest/docs/resources/storage_object,
 * .../digitalocean/digitalocean/latest/docs/resources/spaces_bucket_object, .../linode/linode/latest/docs/resources/
 * object_storage_object (all under https://registry.terraform.io/providers/).
 */
function objectOf(setting: Omit<AccessSetting, 'what'>): AccessSetting {
  const meanings = Object.entries(setting.public).map(([v, meaning]) => [v, meaning.replace(/the objects$/, 'the object')] as const);
  const { overriddenBy: _, ...rest } = setting;
  return { ...rest, what: 'object', public: Object.fromEntries(meanings) };
}

/** Resource type → its access setting. */
export const ACCESS_SETTINGS: Record<string, AccessSetting> = {
  alicloud_oss_bucket: { ...ALIBABA, what: 'bucket' },
  alicloud_oss_bucket_acl: { ...ALIBABA, what: 'bucket' },
  alicloud_oss_bucket_object: objectOf(ALIBABA),
  tencentcloud_cos_bucket: { ...TENCENT, what: 'bucket' },
  tencentcloud_cos_bucket_object: objectOf(TENCENT),
  huaweicloud_obs_bucket: { ...HUAWEI, what: 'bucket' },
  yandex_storage_bucket: { ...YANDEX, what: 'bucket' },
  // https://registry.terraform.io/providers/yandex-cloud/yandex/latest/docs/resources/storage_bucket_grant: the
  // bucket's `acl` and `grant`s as a resource of their own.
  yandex_storage_bucket_grant: { ...YANDEX, what: 'bucket' },
  yandex_storage_object: objectOf(YANDEX),
  digitalocean_spaces_bucket: { ...DIGITALOCEAN, what: 'bucket' },
  digitalocean_spaces_bucket_object: objectOf(DIGITALOCEAN),
  linode_object_storage_bucket: { ...LINODE, what: 'bucket' },
  linode_object_storage_object: objectOf(LINODE),
  // https://registry.terraform.io/providers/oracle/oci/latest/docs/resources/objectstorage_bucket (`access_type`,
  // NoPublicAccess by default; ObjectRead allows GetObject, HeadObject and ListObjects to anyone,
  // ObjectReadWithoutList GetObject and HeadObject).
  oci_objectstorage_bucket: {
    service: 'Oracle Cloud Object Storage',
    what: 'bucket',
    attribute: 'access_type',
    label: 'access type',
    public: {
      ObjectRead: 'anyone on the internet can list and read the objects',
      ObjectReadWithoutList: 'anyone on the internet who knows or guesses an object name can read it',
    },
    privateValue: 'NoPublicAccess',
  },
};

/** The resource types the rule reads, and what a file must contain for it to report. */
export const PUBLIC_BUCKET_TYPES = [...Object.keys(ACCESS_SETTINGS), 'huaweicloud_obs_bucket_acl', 'openstack_objectstorage_container_v1'];

// Yandex `grant { type = "Group", uri = ... }` (documented with the AllUsers URI) and the two public groups:
// https://yandex.cloud/en/docs/storage/concepts/acl#public-groups
const YANDEX_GROUPS: Record<string, string> = {
  allusers: 'anyone on the internet',
  authenticatedusers: 'every Yandex Cloud account in the world',
};

/** Who a Yandex grant URI names, if it is a public group. */
export function yandexPublicGroup(uri: string | undefined): string | undefined {
  const m = /^https?:\/\/acs\.amazonaws\.com\/groups\/global\/(\w+)$/i.exec(uri?.trim() ?? '');
  return m ? YANDEX_GROUPS[m[1].toLowerCase()] : undefined;
}

// Yandex `yandex_storage_bucket_iam_binding` `members`: the system groups of everyone and of every authenticated
// account: https://registry.terraform.io/providers/yandex-cloud/yandex/latest/docs/resources/storage_bucket_iam_binding
const YANDEX_SYSTEM_MEMBERS: Record<string, string> = {
  'system:allusers': 'anyone on the internet, without credentials,',
  'system:allauthenticatedusers': 'every Yandex Cloud account in the world',
};

/** Who a Yandex IAM member names, if it is everyone or every authenticated account. */
export function yandexPublicMember(member: string | undefined): string | undefined {
  return member === undefined ? undefined : YANDEX_SYSTEM_MEMBERS[member.trim().toLowerCase()];
}

// Yandex `anonymous_access_flags { read, list }` (config_read exposes only the bucket's settings):
// https://registry.terraform.io/providers/yandex-cloud/yandex/latest/docs/resources/storage_bucket
export const YANDEX_ANONYMOUS_FLAGS: Record<string, string> = {
  read: 'anyone on the internet can read the objects without credentials',
  list: 'anyone on the internet can list the objects without credentials',
};

// Huawei `huaweicloud_obs_bucket_acl` `public_permission { access_to_bucket = [READ, WRITE] }`:
// https://registry.terraform.io/providers/huaweicloud/huaweicloud/latest/docs/resources/obs_bucket_acl
export const HUAWEI_PUBLIC_PERMISSIONS: Record<string, string> = {
  READ: 'list the objects',
  WRITE: 'upload, overwrite and delete objects',
};

/** Tencent `acl_body` XML: a grant whose grantee is the AllUsers group (documented in the resource's example). */
export function tencentAllUsersGrant(body: string): boolean {
  return /<URI>\s*https?:\/\/cam\.qcloud\.com\/groups\/global\/AllUsers\s*<\/URI>/i.test(body);
}

/**
 * OpenStack Swift `container_read`: a comma-separated V1 ACL where a referrer element `.r:*` (also spelled `.ref`,
 * `.referer`, `.referrer`) lets any referrer, and so anyone, read the objects, and `.rlistings` also lets them list
 * the container: https://registry.terraform.io/providers/terraform-provider-openstack/openstack/latest/docs/resources/objectstorage_container_v1
 * and https://docs.openstack.org/swift/latest/misc.html#acls
 */
export function swiftWorldReadable(acl: string): { listing: boolean } | undefined {
  const elements = acl.split(',').map((e) => e.trim().toLowerCase());
  if (!elements.some((e) => /^\.r(?:ef|eferr?er)?:\*$/.test(e))) return undefined;
  return { listing: elements.includes('.rlistings') };
}
