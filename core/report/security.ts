import type { Family } from '../rule';

/**
 * What code scanning ranks and filters results by, per rule: `security-severity` (0.0–10.0, given as a
 * string; GitHub shows ≥ 9.0 as critical, 7.0–8.9 high, 4.0–6.9 medium, below that low), `precision` (how
 * often a finding is a true positive) and the CWE weaknesses the rule finds. docs/sarif.md lists the table (`renderSecurityTable`; a test keeps it current).
 */

export type Precision = 'very-high' | 'high' | 'medium' | 'low';

export interface SecurityMeta {
  securitySeverity: string;
  precision: Precision;
  /** CWE ids: `798` is CWE-798. */
  cwe: readonly number[];
}

/**
 * CWE-798 Use of Hard-coded Credentials (with CWE-259 Use of Hard-coded Password, CWE-312 Cleartext Storage of
 * Sensitive Information where they fit). CWE-306 Missing Authentication for Critical Function: a database
 * reachable without credentials.
 */
const HARD_CODED = [798];
/** CWE-732 Incorrect Permission Assignment for Critical Resource; CWE-200 Exposure of Sensitive Information to an Unauthorized Actor. */
const PUBLIC_DATA = [732, 200];
/** CWE-284 Improper Access Control; CWE-668 Exposure of Resource to Wrong Sphere. */
const OPEN_NETWORK = [284, 668];
/** CWE-494 Download of Code Without Integrity Check; CWE-829 Inclusion of Functionality from Untrusted Control Sphere. */
const UNPINNED = [494, 829];
/** CWE-359 Exposure of Private Personal Information to an Unauthorized Actor; CWE-532 Insertion of Sensitive Information into Log File (a notebook output is the log of a run). */
const PERSONAL_DATA = [359, 532];

const meta = (securitySeverity: string, precision: Precision, cwe: readonly number[]): SecurityMeta => ({ securitySeverity, precision, cwe });

/** Every registered rule has its row (a test checks it). */
export const SECURITY: Readonly<Record<string, SecurityMeta>> = {
  'data/card-number-in-output': meta('8.0', 'high', [359, 532, 312]),
  'data/iban-in-output': meta('5.5', 'high', PERSONAL_DATA),
  'data/personal-data-table': meta('5.0', 'medium', PERSONAL_DATA),
  // CWE-306 Missing Authentication for Critical Function: a notebook, model or tracking server anyone can use.
  'network/ai-service-exposed': meta('7.5', 'high', [306, 668]),
  'network/default-sg-open': meta('7.5', 'high', OPEN_NETWORK),
  'network/host-network': meta('5.5', 'high', [668]),
  'network/ml-compute-public-ip': meta('5.0', 'high', [668]),
  'network/netpol-allow-all-egress': meta('4.0', 'high', OPEN_NETWORK),
  'network/open-egress': meta('4.0', 'high', OPEN_NETWORK),
  'network/open-ingress': meta('8.0', 'high', OPEN_NETWORK),
  'network/open-ingress-port': meta('8.5', 'high', OPEN_NETWORK),
  'network/port-published-all-interfaces': meta('6.5', 'high', OPEN_NETWORK),
  'network/public-network-access': meta('6.5', 'high', OPEN_NETWORK),
  // CWE-306: a function anyone can call without credentials. Medium precision: public sites and webhooks are often meant to be public.
  'network/public-serverless-endpoint': meta('6.0', 'medium', [306, 668]),
  'network/sagemaker-direct-internet': meta('5.5', 'high', [668]),
  'pin/action-unpinned': meta('5.5', 'very-high', UNPINNED),
  'network/storage-account-default-network': meta('5.0', 'medium', OPEN_NETWORK),
  'pin/chart-version-unpinned': meta('4.0', 'very-high', UNPINNED),
  // CWE-94 Improper Control of Generation of Code: the repository's own Python code runs on load.
  'pin/hf-trust-remote-code': meta('8.0', 'high', [94, 494, 829]),
  'pin/hf-unpinned-revision': meta('5.5', 'high', UNPINNED),
  'pin/image-not-digest': meta('3.0', 'very-high', UNPINNED),
  'pin/image-unpinned': meta('5.0', 'very-high', UNPINNED),
  'pin/model-mutable-alias': meta('4.0', 'high', UNPINNED),
  // CWE-319 Cleartext Transmission of Sensitive Information: a model file over plain HTTP.
  'pin/model-url-unpinned': meta('6.0', 'high', [494, 319]),
  'pin/module-unpinned': meta('5.5', 'very-high', UNPINNED),
  'pin/module-version-range': meta('3.0', 'very-high', UNPINNED),
  'pin/pip-unpinned': meta('4.5', 'high', UNPINNED),
  'pin/provider-unversioned': meta('3.0', 'very-high', UNPINNED),
  'secret/hardcoded-password': meta('8.0', 'medium', [798, 259]),
  'secret/known-token': meta('9.5', 'very-high', HARD_CODED),
  'secret/kubernetes-secret-manifest': meta('7.5', 'high', [798, 312]),
  'storage/azure-blob-public-access': meta('6.5', 'high', PUBLIC_DATA),
  'storage/azure-container-public': meta('8.5', 'very-high', PUBLIC_DATA),
  'storage/bedrock-public-data-source': meta('8.5', 'high', PUBLIC_DATA),
  'storage/bigquery-public-dataset': meta('8.5', 'very-high', PUBLIC_DATA),
  'storage/bucket-public-acl': meta('8.5', 'very-high', PUBLIC_DATA),
  'storage/database-publicly-accessible': meta('7.5', 'high', [284, 668]),
  'storage/gcs-public-access': meta('8.5', 'very-high', PUBLIC_DATA),
  'storage/gcs-public-access-prevention-off': meta('4.0', 'high', [732]),
  'storage/public-resource-policy': meta('8.5', 'high', PUBLIC_DATA),
  'storage/public-snapshot': meta('8.5', 'very-high', PUBLIC_DATA),
  'storage/s3-public-access-block-disabled': meta('6.0', 'high', [732]),
  'storage/s3-public-access-block-missing': meta('4.0', 'medium', [732]),
  'storage/s3-public-acl': meta('8.5', 'very-high', PUBLIC_DATA),
  'storage/s3-public-policy': meta('8.5', 'high', PUBLIC_DATA),
  'storage/vector-db-exposed': meta('7.5', 'medium', [306, 668]),
};

/** For a rule without a row (a rule defined outside the registry): its family's usual weakness. */
const FAMILY_DEFAULT: Record<Family, SecurityMeta> = {
  secret: meta('8.0', 'medium', HARD_CODED),
  storage: meta('7.0', 'medium', PUBLIC_DATA),
  network: meta('6.0', 'medium', OPEN_NETWORK),
  pin: meta('4.0', 'medium', UNPINNED),
  data: meta('6.5', 'medium', PERSONAL_DATA),
};

export function securityMeta(id: string, family: Family): SecurityMeta {
  return Object.hasOwn(SECURITY, id) ? SECURITY[id] : FAMILY_DEFAULT[family];
}

/** SARIF / GitHub tags: `security`, the family, and `external/cwe/cwe-<n>` for each weakness. */
export function securityTags(id: string, family: Family): string[] {
  return ['security', family, ...securityMeta(id, family).cwe.map((n) => `external/cwe/cwe-${n}`)];
}

/** The table of docs/sarif.md: every rule's security-severity, precision and CWE ids. */
export function renderSecurityTable(ids: readonly { id: string; family: Family }[]): string {
  const rows = ids.map((r) => {
    const m = securityMeta(r.id, r.family);
    return `| \`${r.id}\` | ${m.securitySeverity} | ${m.precision} | ${m.cwe.map((n) => `CWE-${n}`).join(', ')} |`;
  });
  return ['| rule | security-severity | precision | CWE |', '| --- | --- | --- | --- |', ...rows].join('\n');
}
