import { contentSpan, defineRule, get, isMap, isScalar, mask, str } from '../../../core';
import { isSecretKey, keyWords } from '../lib/keys';
import { decodeBase64Text, isPlaceholder } from '../lib/values';

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
  'project',
  'bucket',
  'path',
  'type',
  'scheme',
  'protocol',
  'domain',
];
const SECRET_WORDS = ['password', 'passwd', 'pwd', 'passphrase', 'secret', 'token', 'key', 'apikey', 'credential', 'credentials'];

function isSecretEntry(key: string): boolean {
  const words = keyWords(key);
  if (words.length === 0 || words.includes('public') || words.includes('publickey')) return false;
  if (isSecretKey(key) || words.some((w) => SECRET_WORDS.includes(w))) return true;
  // `username_in`, and run-together names: `azurestorageaccountname`.
  return !words.some((w) => NOT_SECRET.includes(w) || NOT_SECRET.some((n) => n.length >= 4 && w.length > n.length && w.endsWith(n)));
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
    why: 'Base64 is an encoding, not encryption: anyone who can read the repository can read every value of a committed Secret, and the value stays in git history after it is rotated. Values that decode to placeholders (`changeme`, `<password>`, empty), keys that name a user, host or certificate, and values a Helm template action writes (`{{ .Values.password | b64enc }}`) are not reported.',
    fix: 'Keep Secret values out of the repository: create the Secret at deploy time from your secret store (External Secrets Operator, Secrets Store CSI driver, `kubectl create secret` in the pipeline), or commit it encrypted (Sealed Secrets, SOPS). Rotate the values that were committed.',
    examples: {
      format: 'kubernetes',
      bad: 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  password: UzNjcjN0LVBhc3N3MHJk',
      good: 'apiVersion: external-secrets.io/v1beta1\nkind: ExternalSecret\nmetadata:\n  name: db\nspec:\n  secretStoreRef: { name: vault, kind: ClusterSecretStore }\n  target: { name: db }\n  data:\n    - secretKey: password\n      remoteRef: { key: prod/db, property: password }',
    },
  },
  check({ file, report }) {
    for (const r of file.resources) {
      if (r.type !== 'Secret' || !str(get(r.body, 'apiVersion'))?.startsWith('v1')) continue;
      for (const field of ['data', 'stringData'] as const) {
        const map = get(r.body, field);
        if (!isMap(map)) continue;
        for (const e of map.entries) {
          if (!isScalar(e.value) || typeof e.value.value !== 'string' || !isSecretEntry(e.key)) continue;
          const raw = e.value.value;
          const value = field === 'data' ? (decodeBase64Text(raw) ?? raw) : raw;
          // A whole config file kept in a Secret is read line by line by `hardcoded-password` and `known-token`.
          if (isPlaceholder(value) || value.trim().includes('\n')) continue;
          const how = field === 'data' ? 'base64-encoded, not encrypted' : 'in plain text';
          report({ span: contentSpan(e.value), message: `Secret "${r.name}" commits "${e.key}" ${how} (${mask(value)})` });
        }
      }
    }
  },
});
