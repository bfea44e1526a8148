import type { Rule } from '../core/rule';
import networkOpenEgress from './network/open-egress/rule';
import networkOpenIngress from './network/open-ingress/rule';
import pinHfUnpinnedRevision from './pin/hf-unpinned-revision/rule';
import pinImageUnpinned from './pin/image-unpinned/rule';
import pinModuleUnpinned from './pin/module-unpinned/rule';
import pinModuleVersionRange from './pin/module-version-range/rule';
import secretHardcodedPassword from './secret/hardcoded-password/rule';
import secretKnownToken from './secret/known-token/rule';
import storageS3PublicAcl from './storage/s3-public-acl/rule';

const LIST: Rule[] = [
  networkOpenEgress,
  networkOpenIngress,
  pinHfUnpinnedRevision,
  pinImageUnpinned,
  pinModuleUnpinned,
  pinModuleVersionRange,
  secretHardcodedPassword,
  secretKnownToken,
  storageS3PublicAcl,
];

/** Every rule, sorted by id. A rule ships only when it is listed here. */
export const RULES: readonly Rule[] = LIST.sort((a, b) => a.id.localeCompare(b.id));

export function ruleById(id: string): Rule | undefined {
  return RULES.find((r) => r.id === id);
}
