import type { Rule } from '../core';
import dataCardNumberInOutput from './data/card-number-in-output/rule';
import dataIbanInOutput from './data/iban-in-output/rule';
import dataPersonalDataTable from './data/personal-data-table/rule';
import networkAiServiceExposed from './network/ai-service-exposed/rule';
import networkDefaultSgOpen from './network/default-sg-open/rule';
import networkHostNetwork from './network/host-network/rule';
import networkMlComputePublicIp from './network/ml-compute-public-ip/rule';
import networkNetpolAllowAllEgress from './network/netpol-allow-all-egress/rule';
import networkOpenEgress from './network/open-egress/rule';
import networkOpenIngress from './network/open-ingress/rule';
import networkOpenIngressPort from './network/open-ingress-port/rule';
import networkPublicNetworkAccess from './network/public-network-access/rule';
import networkPublicServerlessEndpoint from './network/public-serverless-endpoint/rule';
import networkSagemakerDirectInternet from './network/sagemaker-direct-internet/rule';
import pinActionUnpinned from './pin/action-unpinned/rule';
import networkStorageAccountDefaultNetwork from './network/storage-account-default-network/rule';
import networkPortPublishedAllInterfaces from './network/port-published-all-interfaces/rule';
import pinChartVersionUnpinned from './pin/chart-version-unpinned/rule';
import pinHfTrustRemoteCode from './pin/hf-trust-remote-code/rule';
import pinHfUnpinnedRevision from './pin/hf-unpinned-revision/rule';
import pinImageNotDigest from './pin/image-not-digest/rule';
import pinImageUnpinned from './pin/image-unpinned/rule';
import pinModelMutableAlias from './pin/model-mutable-alias/rule';
import pinModelUrlUnpinned from './pin/model-url-unpinned/rule';
import pinModuleUnpinned from './pin/module-unpinned/rule';
import pinModuleVersionRange from './pin/module-version-range/rule';
import pinPipUnpinned from './pin/pip-unpinned/rule';
import pinProviderUnversioned from './pin/provider-unversioned/rule';
import secretHardcodedPassword from './secret/hardcoded-password/rule';
import secretKnownToken from './secret/known-token/rule';
import secretKubernetesSecretManifest from './secret/kubernetes-secret-manifest/rule';
import storageAzureBlobPublicAccess from './storage/azure-blob-public-access/rule';
import storageAzureContainerPublic from './storage/azure-container-public/rule';
import storageBedrockPublicDataSource from './storage/bedrock-public-data-source/rule';
import storageBigqueryPublicDataset from './storage/bigquery-public-dataset/rule';
import storageBucketPublicAcl from './storage/bucket-public-acl/rule';
import storageDatabasePubliclyAccessible from './storage/database-publicly-accessible/rule';
import storageGcsPublicAccess from './storage/gcs-public-access/rule';
import storageGcsPublicAccessPreventionOff from './storage/gcs-public-access-prevention-off/rule';
import storagePublicResourcePolicy from './storage/public-resource-policy/rule';
import storagePublicSnapshot from './storage/public-snapshot/rule';
import storageS3PublicAccessBlockDisabled from './storage/s3-public-access-block-disabled/rule';
import storageS3PublicAccessBlockMissing from './storage/s3-public-access-block-missing/rule';
import storageS3PublicAcl from './storage/s3-public-acl/rule';
import storageS3PublicPolicy from './storage/s3-public-policy/rule';
import storageVectorDbExposed from './storage/vector-db-exposed/rule';

const LIST: Rule[] = [
  dataCardNumberInOutput,
  dataIbanInOutput,
  dataPersonalDataTable,
  networkAiServiceExposed,
  networkDefaultSgOpen,
  networkHostNetwork,
  networkMlComputePublicIp,
  networkNetpolAllowAllEgress,
  networkOpenEgress,
  networkOpenIngress,
  networkOpenIngressPort,
  networkPublicNetworkAccess,
  networkPublicServerlessEndpoint,
  networkSagemakerDirectInternet,
  pinActionUnpinned,
  networkStorageAccountDefaultNetwork,
  networkPortPublishedAllInterfaces,
  pinChartVersionUnpinned,
  pinHfTrustRemoteCode,
  pinHfUnpinnedRevision,
  pinImageNotDigest,
  pinImageUnpinned,
  pinModelMutableAlias,
  pinModelUrlUnpinned,
  pinModuleUnpinned,
  pinModuleVersionRange,
  pinPipUnpinned,
  pinProviderUnversioned,
  secretHardcodedPassword,
  secretKnownToken,
  secretKubernetesSecretManifest,
  storageAzureBlobPublicAccess,
  storageAzureContainerPublic,
  storageBedrockPublicDataSource,
  storageBigqueryPublicDataset,
  storageBucketPublicAcl,
  storageDatabasePubliclyAccessible,
  storageGcsPublicAccess,
  storageGcsPublicAccessPreventionOff,
  storagePublicResourcePolicy,
  storagePublicSnapshot,
  storageS3PublicAccessBlockDisabled,
  storageS3PublicAccessBlockMissing,
  storageS3PublicAcl,
  storageS3PublicPolicy,
  storageVectorDbExposed,
];

/** Every rule, sorted by id. A rule ships only when it is listed here. */
export const RULES: readonly Rule[] = LIST.sort((a, b) => a.id.localeCompare(b.id));

export function ruleById(id: string): Rule | undefined {
  return RULES.find((r) => r.id === id);
}
