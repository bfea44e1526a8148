import { type Node, str } from '../../../core';

/**
 * Which condition keys make a statement that names any principal (`"*"`) non-public, and with which values —
 * AWS's definition of a public policy (S3 Block Public Access, "The meaning of public":
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status,
 * global condition keys: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html).
 * A key pins the request only when every value is concrete: a value that is `*`, or has a wildcard where the
 * account, organisation or network would be (`arn:aws:iam::*:role/x`, `o-*`, `vpce-*`), matches requests from
 * anyone. Values that are not literals (a `${AWS::AccountId}` substitution, a Terraform reference) are the
 * deployment's own and count as concrete. Every policy rule reads this table.
 */

type ValueCheck = (value: string) => boolean;

const noWildcard: ValueCheck = (v) => !/[*?]/.test(v);
/** A 12-digit account id. */
const account: ValueCheck = (v) => /^\d{12}$/.test(v);
/** An ARN whose account field is literal (`arn:aws:iam::123456789012:role/*` pins the account). */
const arnWithAccount: ValueCheck = (v) => {
  const parts = v.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return false;
  // S3 ARNs have no account field: a bucket name is global, so a literal bucket pins it.
  if (parts[2] === 's3' && parts[4] === '') return noWildcard(parts.slice(5).join(':').split('/')[0]);
  return account(parts[4]);
};
/** An organisation id, or a path whose organisation id is literal (`o-a1b2c3/r-ab12/*`). */
const organisation: ValueCheck = (v) => /^o-[a-z0-9]+(?:\/|$)/.test(v);

export interface RestrictingKey {
  key: string;
  /** Whether one value pins the request to identities, accounts, organisations or networks. */
  pins: ValueCheck;
}

export const RESTRICTING_KEYS: readonly RestrictingKey[] = [
  { key: 'aws:SourceVpc', pins: (v) => /^vpc-[0-9a-f]+$/.test(v) },
  { key: 'aws:SourceVpce', pins: (v) => /^vpce-[0-9a-f]+$/.test(v) },
  { key: 'aws:VpceAccount', pins: account },
  { key: 'aws:VpceOrgID', pins: organisation },
  { key: 'aws:VpceOrgPaths', pins: organisation },
  { key: 'aws:VpcSourceIp', pins: (v) => noWildcard(v) && !/^(0\.0\.0\.0|::|0::)\/0$/.test(v) },
  { key: 'aws:SourceAccount', pins: account },
  { key: 'aws:SourceOwner', pins: account },
  { key: 'aws:SourceArn', pins: arnWithAccount },
  { key: 'aws:SourceOrgID', pins: organisation },
  { key: 'aws:SourceOrgPaths', pins: organisation },
  { key: 'aws:PrincipalAccount', pins: account },
  { key: 'aws:PrincipalArn', pins: arnWithAccount },
  { key: 'aws:PrincipalOrgID', pins: organisation },
  { key: 'aws:PrincipalOrgPaths', pins: organisation },
  { key: 'aws:PrincipalServiceName', pins: noWildcard },
  { key: 'aws:userid', pins: (v) => /^[A-Z0-9]{4,}/.test(v) },
  { key: 'aws:username', pins: (v) => v.length > 0 && !v.startsWith('*') },
  { key: 's3:DataAccessPointArn', pins: arnWithAccount },
  { key: 's3:DataAccessPointAccount', pins: account },
  { key: 'elasticfilesystem:AccessPointArn', pins: arnWithAccount },
  { key: 'kms:CallerAccount', pins: account },
];

const BY_KEY = new Map(RESTRICTING_KEYS.map((k) => [k.key.toLowerCase(), k]));

/**
 * Operators that only let matching requests through. Negations do not restrict, nor do `...IfExists` (a request
 * without the key, as from the internet, passes) and `ForAllValues:` (true for a request without the key).
 */
export function isPositiveOperator(operator: string): boolean {
  if (/^ForAllValues:/i.test(operator)) return false;
  const op = operator.replace(/^ForAnyValue:/i, '');
  return /^(String(Equals|Like)(IgnoreCase)?|Arn(Equals|Like)|IpAddress|Bool)$/i.test(op);
}

/** Whether the condition key is one of the table's. */
export function isRestrictingKey(key: string): boolean {
  return BY_KEY.has(key.toLowerCase());
}

/** Whether a condition on a table key pins the request: every value concrete (see the table). */
export function conditionPins(key: string, values: readonly Node[]): boolean {
  const entry = BY_KEY.get(key.toLowerCase());
  if (!entry || values.length === 0) return false;
  return values.every((node) => {
    const v = str(node)?.trim();
    if (v === undefined) return node.kind === 'expr';
    // A `${...}` in the value is the deployment's own account or resource, substituted at deploy time.
    return /^\$\{[^}]+\}$/.test(v) || entry.pins(v.replace(/\$\{[^}]+\}/g, '123456789012'));
  });
}
