import { contentSpan, defineRule, get, isMap, isScalar, jsonFromString, mask, type Node, str, walk } from '../../../core';
import { isSecretKey, keyWords } from '../lib/keys';
import { findTokens } from '../lib/tokens';
import { decodeBase64Text, isBasicAuth, isEncrypted, isPlaceholder } from '../lib/values';

/**
 * Keys of a Secret that name where or who, not the secret: `username`, `host`, `ca.crt`, `tls.crt`,
 * `azurestorageaccountname`. A key that also says secret (`password_in`, `tls.key`) is reported, and
 * so is any other key — holding secrets is what the object is for.
 */
const NOT_SECRET = [
  'user',
  'username',
  'login',
  'email',
  'host',
  'hostname',
  'server',
  'port',
  'database',
  'db',
  'dbname',
  'url',
  'uri',
  'endpoint',
  'region',
  'namespace',
  'name',
  'crt',
  'cert',
  'certificate',
  'ca',
  'pub',
  'id',
  // An account names who: a storage account, a cloud account number, a Stripe account id (`acct_…`, sent beside
  // the secret key: https://docs.stripe.com/connect/authentication). `account-key` still says key.
  'account',
  'project',
  'bucket',
  'path',
  'type',
  'scheme',
  'protocol',
  'domain',
  'hosts',
];
const SECRET_WORDS = ['password', 'passwd', 'pwd', 'passphrase', 'secret', 'token', 'key', 'apikey', 'credential', 'credentials'];

function isSecretEntry(key: string): boolean {
  const words = keyWords(key);
  if (words.length === 0 || words.includes('public') || words.includes('publickey')) return false;
  if (isSecretKey(key) || words.some((w) => SECRET_WORDS.includes(w))) return true;
  // `username_in`, and run-together names: `azurestorageaccountname`.
  return !words.some((w) => NOT_SECRET.includes(w) || NOT_SECRET.some((n) => n.length >= 4 && w.length > n.length && w.endsWith(n)));
}

/** Whether a JSON document holds a credential that is not a placeholder. */
function holdsSecret(json: Node): boolean {
  for (const v of walk(json)) {
    if (!v.entry || v.entry.value !== v.node || !isScalar(v.node) || typeof v.node.value !== 'string' || isPlaceholder(v.node.value)) continue;
    if (isSecretKey(v.entry.key) || (v.entry.key === 'auth' && isBasicAuth(v.node.value))) return true;
  }
  return false;
}

export default defineRule({
  id: 'secret/kubernetes-secret-manifest',
  family: 'secret',
  severity: 'error',
  formats: ['kubernetes', 'helm'],
  prefilter: { kubernetes: ['Secret'], helm: ['Secret'] },
  supersedes: ['secret/hardcoded-password'],
  docs: {
    summary: 'A Kubernetes `Secret` manifest committed with its values in `data` (base64) or `stringData`.',
    why: 'Base64 is an encoding, not encryption: anyone who can read the repository can read every value of a committed Secret, and the value stays in git history after it is rotated. Values that decode to placeholders (`changeme`, `<password>`, empty) and keys that name a user, account, host or certificate are not reported, nor are values a Helm template action writes (`{{ .Values.password | b64enc }}`) or values encrypted in place (a Secret encrypted by SOPS, `ENC[AES256_GCM,data:…]`). A one-line JSON value (`.dockerconfigjson`, a credentials file) is reported when it holds a credential, whatever its key; a file in `data` is decoded and reported when it holds a private key or a token, whatever its key (`id_rsa`, `ssh-privatekey`).',
    fix: 'Keep Secret values out of the repository: create the Secret at deploy time from your secret store (External Secrets Operator, Secrets Store CSI driver, `kubectl create secret` in the pipeline), or commit it encrypted (Sealed Secrets, SOPS). Rotate the values that were committed.',
    examples: {
      format: 'kubernetes',
      bad: 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  password: UzNjcjN0LVBhc3N3MHJk',
      good: 'apiVersion: external-secrets.io/v1beta1\nkind: ExternalSecret\nmetadata:\n  name: db\nspec:\n  secretStoreRef: { name: vault, kind: ClusterSecretStore }\n  target: { name: db }\n  data:\n    - secretKey: password\n      remoteRef: { key: prod/db, property: password }',
    },
  },
  async check({ file, report }) {
    for (const r of file.resources) {
      if (r.type !== 'Secret' || !str(get(r.body, 'apiVersion'))?.startsWith('v1')) continue;
      for (const field of ['data', 'stringData'] as const) {
        const map = get(r.body, field);
        if (!isMap(map)) continue;
        for (const e of map.entries) {
          if (!isScalar(e.value) || typeof e.value.value !== 'string') continue;
          const raw = e.value.value;
          const value = field === 'data' ? (decodeBase64Text(raw) ?? raw) : raw;
          // A Secret encrypted in place by SOPS (`ENC[AES256_GCM,data:…]`) or an Ansible Vault value is ciphertext.
          if (isEncrypted(value)) continue;
          if (value.trim().includes('\n')) {
            // A file in `data` (an SSH or TLS key under any name, `id_rsa` included) is searched for tokens and
            // private keys once decoded; a plain-text file is read line by line by `hardcoded-password` and `known-token`.
            const hit = field === 'data' && value !== raw ? (await findTokens(value, { headerOnlyKeys: true }))[0] : undefined;
            if (hit) {
              const secret = value.slice(hit.start, hit.end);
              report({
                span: contentSpan(e.value),
                message: `Secret "${r.name}" commits "${e.key}" base64-encoded, not encrypted: a ${hit.kind} (${mask(secret)})`,
              });
            }
            continue;
          }
          // A one-line JSON document (`.dockerconfigjson`, a credentials file such as `service-account.json`) is
          // judged by the secrets it holds, whatever its key.
          const json = /^\s*[[{]/.test(value) ? jsonFromString(value, contentSpan(e.value)) : undefined;
          if (json ? !holdsSecret(json) : !isSecretEntry(e.key) || isPlaceholder(value)) continue;
          const how = field === 'data' ? 'base64-encoded, not encrypted' : 'in plain text';
          report({ span: contentSpan(e.value), message: `Secret "${r.name}" commits "${e.key}" ${how} (${mask(value)})` });
        }
      }
    }
  },
});
