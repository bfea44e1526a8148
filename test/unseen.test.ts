/**
 * Detection quality on the unseen sets, hand-written and kept apart from the rules' own fixtures, each case written
 * before the rules that read it changed:
 * - fixtures/unseen/secrets: tricky positives and hard negatives per class of secret site, placeholder and policy
 *   condition;
 * - fixtures/unseen/terraform: positives and near misses per Terraform/CloudFormation class (local module calls,
 *   provider defaults, AI platforms, firewalls, severity);
 * - fixtures/unseen/round4: network, storage and secret cases in every format, written the way other scanners'
 *   samples and provider documentation write them (attributes left out, policy conditions, firewalls, secrets
 *   assembled by intrinsics and templates, HTTP Authorization headers).
 * - fixtures/unseen/pin: unpinned images, modules, actions, Hugging Face loads and pip installs in every format the
 *   pin family reads, with pinned look-alikes; its bar is the score the set was last measured at.
 * - fixtures/unseen/round6: secrets written into secret stores and service settings, resource policies of queues,
 *   topics and secrets, Azure and parameter-fed firewalls.
 * - fixtures/unseen/providers-network: security groups and firewalls of the Terraform providers beyond AWS, Azure and
 *   Google Cloud, with near misses (drop and deny rules, ICMP, 443, egress on one port, private ranges, a disabled
 *   firewall); its bar is the score the set was last measured at.
 * - fixtures/unseen/tokens: token formats of cloud, AI and developer platforms in every format, with placeholders,
 *   documentation prose, public keys and near misses in those formats.
 * - fixtures/unseen/providers-storage: buckets and objects of the providers beyond AWS, Azure and Google Cloud made
 *   public by canned ACLs, access types, anonymous flags, grants and IAM members, with private look-alikes.
 * - fixtures/unseen/round9: values that describe what to put there (`random_token`) and boot scripts written as one
 *   double-quoted string with escapes.
 * - fixtures/unseen/round7: network, storage and secret cases in Terraform, `.tf.json` and CloudFormation written in the
 *   shapes of Trivy/tfsec check examples (rule resources, inline blocks, port lists, Properties before Type), with the
 *   good examples' shapes as hard negatives; its bar is the score the set was last measured at.
 * - fixtures/unseen/round8: Dockerfiles, Compose, workflows and composite actions, Helm, kustomize, Kubernetes, Python,
 *   notebooks and a plan, written the way other scanners' tests and the formats' references write them; its bar is the
 *   score the set was last measured at (all 87 found since Compose publishes of search stores are network findings).
 * - fixtures/unseen/round10: the AI estate — SageMaker, Vertex AI, Azure Machine Learning and OpenAI, Databricks,
 *   Bedrock knowledge bases, vector stores and model and notebook servers — with private look-alikes.
 * - fixtures/unseen/round11: CloudFormation, SAM and CDK-synthesised templates in the shapes of cfn_nag's test templates
 *   and AWS samples (storage, network, secret, pin); its bar is the score the set was last measured at (secret recall
 *   0.97: a password under `REDIS_AUTH`).
 * - fixtures/unseen/round14: firewalls, cluster endpoints and buckets written through registry modules (the Google
 *   network, kubernetes-engine and cloud-storage modules, the EKS module), with look-alikes of other sources.
 * - fixtures/unseen/round13: Kubernetes (CronJob, DaemonSet, ephemeral, Knative, List, PodTemplate), Helm, kustomize,
 *   Compose, Dockerfile and workflow shapes of other scanners' examples, with near misses (secretKeyRef, `${{ secrets }}`,
 *   digests, local stages and actions, source ranges).
 * - fixtures/unseen/round12: secrets in source code (Go, Java, JavaScript/TypeScript, PHP, Ruby, C#, Python SDK logins)
 *   and configuration files (properties, INI, TOML, dotenv, .npmrc, .pypirc, .netrc, Docker and kube configs, HTTP
 *   files), with placeholders, environment reads and type annotations as hard negatives.
 * - fixtures/unseen/round15: Jupyter notebooks and Python ML source — keys in cells, shell lines and outputs (echoes,
 *   reprs, request dumps, tracebacks, JSON and HTML displays), Hub loads in every loader, installs, Gradio, Streamlit
 *   and tunnels; its bar is the score the set was last measured at (secret recall 0.97: a password in a malformed URL
 *   that a traceback echoes).
 * - fixtures/unseen/round16: labels, messages and types in the code and data files of real packages (parser symbol
 *   tables, translated messages, TypeScript unions, Google's P12 password) beside real secrets in the same files.
 * - fixtures/unseen/round18: Azure (azurerm, azapi) and Google Cloud (google, google-beta) storage, network and secret
 *   cases in registry-example shapes, with near misses (Deny network rules, the Azure-services firewall rule, service
 *   tags, IAP and health-check ranges, Key Vault references); its bar is the score the set was last measured at
 *   (1.00 since a policy document of the same file is reported at its public member).
 * - fixtures/unseen/secret-names: names of Kubernetes Secrets and of the keys inside them (image pull secrets,
 *   `secretName` + `secretKey`, an operator's `passwordKey`) beside literal secrets in the same files.
 * - fixtures/unseen/round19: regulated data in notebook outputs — card numbers of seven schemes, IBANs of twenty
 *   registry countries and personal-data tables in every rendering notebooks print (pandas text and HTML, Stylers,
 *   JSON displays, `%%sql` results, polars, markdown, tracebacks), with secrets printed beside them and hard
 *   negatives (ids, timestamps, token arrays, masked values, documented test numbers, schemas).
 * - fixtures/unseen/round21: secrets in the CI/CD and operations files kept beside infrastructure code (GitLab CI,
 *   CircleCI, Azure Pipelines, Bitbucket, Travis, Jenkins, Drone, Buildkite, Ansible, Packer, Vagrant, makefiles, shell,
 *   systemd, nginx, Apache, HAProxy, preseed and kickstart files, credential files), with references, masked and
 *   encrypted values and password hashes as hard negatives.
 * - fixtures/unseen/round20: how Terraform values reach network, storage and secret attributes — tfvars precedence
 *   (and `-var-file` values that are not read), locals, for_each and dynamic blocks (renamed iterators, template keys,
 *   setproduct), count, conditionals, functions, for-expressions, splats, module outputs and module calls with
 *   for_each, ephemeral and write-only values — with near misses (values overridden to private ranges, empty
 *   defaults, filters that drop the open range, references, prefix lists, routes).
 * - fixtures/unseen/serverless: Serverless Framework files — secrets in provider and function environments, `custom`,
 *   stage `params`, API Gateway key values and variable fallbacks; CloudFormation under `resources.Resources`; a
 *   chart's values with `service` and `provider` keys as a negative.
 * - fixtures/unseen/round22: Dockerfiles and Compose files written the way their references and real repositories
 *   write them — images through ARG and interpolation defaults, `COPY --from` and `RUN --mount` images, pip spellings,
 *   secrets in ENV pairs, login commands, healthchecks and service commands, build args and anchors, published ports
 *   and network modes — with near misses.
 * - fixtures/unseen/round25: the AI estate outside notebooks — AI Foundry hubs, OpenAI and AI services accounts (also as
 *   azapi resources), Azure ML, Vertex AI, SageMaker (through Fn::If and parameter defaults too), OpenSearch Serverless
 *   vector collections, vector stores in Compose and Kubernetes, Hub loads across loaders and in Compose, Ollama pulls,
 *   AI SDK keys — with private, pinned and environment-fed look-alikes; its bar is the score the set was last measured
 *   at (1.00 since `python -c` programs of a Dockerfile `RUN` are read).
 * - fixtures/unseen/round24: Helm charts (Bitnami-style values, umbrella charts and subcharts, Airflow's images map,
 *   zero-to-jupyterhub, DaemonSet agents, operator hard negatives) and kustomize trees (generators, components,
 *   strategic-merge and JSON 6902 patch files, legacy fields, `helmCharts` with `valuesInline`).
 * - fixtures/unseen/round23: GitHub Actions workflows and action metadata — actions and reusable workflows by tag,
 *   branch, short and full SHA, quoted and flow-mapping steps, YAML anchors, job, service and `docker://` images, pip
 *   installs in `run:` blocks, and secrets in `env`, `with:` inputs, input defaults and command lines — with pinned and
 *   referenced look-alikes; its bar is the score the set was last measured at (secret recall 0.97: a database URL whose
 *   password repeats its user name, `postgres:postgres@`, left unreported by choice).
 * - fixtures/unseen/round26: Terragrunt live trees (`root.hcl`, units' `terragrunt.hcl` with `include`, `dependency`,
 *   `generate`, `remote_state`): module sources without a ref or version and secrets in inputs, locals, backends and
 *   generated provider blocks, with pinned, local and referenced look-alikes.
 * - fixtures/unseen/round28: resources made public by sharing, grants and invoker bindings — snapshots and images shared
 *   with every account, IAM grants to allUsers / allAuthenticatedUsers on images, disks, topics, datasets, buckets
 *   (through policy documents too), public Lambda function URLs and permissions, Cloud Run and Cloud Functions
 *   invokers, exportable Azure disks and public function apps — in Terraform, `.tf.json`, plans and CloudFormation,
 *   with named accounts, organizations, service accounts and source-bound permissions as look-alikes.
 * - fixtures/unseen/round29: the AI estate in Python source and notebooks — SDK clients of current AI libraries
 *   (google-genai, Azure OpenAI, LangChain, LlamaIndex, LiteLLM, hosted inference APIs, vector stores, the Hub, W&B)
 *   with literal keys, keys echoed into outputs, Hub loads across loaders, installs, servers and tunnels — with
 *   environment-fed, placeholder, local and pinned look-alikes; its bar is the score the set was last measured at.
 * - fixtures/unseen/round27: secrets and pins in Dockerfiles, Compose, Kubernetes and workflow files — exec-form
 *   credentials, command lists, pip behind shells, credential variables in documented formats (NEO4J_AUTH, DSNs,
 *   REDIS_ARGS), workflow container credentials and action references — with referenced and pinned look-alikes; its
 *   bar is the score the set was last measured at.
 * The real CLI writes SARIF and the labeled corpus's scorer (../shared/corpus/score.mjs) scores it against the
 * set's manifest, in the same format as the corpus's.
 * - fixtures/unseen/round30: secrets in the attributes providers give them — AWS, Azure and Google Cloud databases,
 *   caches, brokers and directories, provider blocks, Kubernetes and Helm resources, CI variables, boot scripts, Lambda
 *   and container environments, tfvars, `.tf.json` and CloudFormation — with generated, referenced and write-only
 *   look-alikes; its bar is the score the set was last measured at.
 * - fixtures/unseen/round31: Terragrunt stacks (`terragrunt.stack.hcl` units and nested stacks from catalogs, local and
 *   assembled sources, values) and a JSON-serialized unit (`terragrunt.hcl.json`); its bar is the score the set was
 *   last measured at.
 * - fixtures/unseen/round32: precision — high-entropy and secret-named values that are not secrets (integrity and
 *   checksum values, lock files, public keys and certificates, identifiers, public browser keys, lengths, TTLs, names,
 *   headers, URLs, schemas, password hashes, SOPS, Ansible Vault and sealed ciphertext) in every format, beside real
 *   secrets under the same names; its bar is the score the set was last measured at.
 * - fixtures/unseen/round33: model serving on Kubernetes, Helm, kustomize and Compose — vLLM, TGI,
 *   text-embeddings-inference, KServe, Ollama, KubeRay, Triton and NIM: Hub loads with and without a commit, server
 *   images, Hub and OpenAI keys, host networks and publishes; its bar is the score the set was last measured at.
 * - fixtures/unseen/round39: secrets in Terraform written through functions (`join`, `format`, `coalesce`, `try`,
 *   `lookup`, `sensitive`, `base64encode`), documents (`jsonencode`, `yamlencode`, YAML heredocs, `templatefile`
 *   variables), provisioners and connections, backends and remote state, provider blocks, Kubernetes secrets and
 *   customer-supplied encryption keys, with generated, referenced and write-only look-alikes; its bar is the score
 *   the set was last measured at.
 * - fixtures/unseen/round40: Kubernetes Services and Helm charts that put remote-access and database ports on the
 *   internet through a LoadBalancer, beside internal load balancers, source ranges, ClusterIP, NodePort and public
 *   web ports; its bar is the score the set was last measured at.
 * - fixtures/unseen/round38: unpinned artifacts and model pins declared in Terraform, CloudFormation and managed ML
 *   platforms — ECS, Lambda, Batch, App Runner, Kubernetes and Helm provider resources, Cloud Run, Container Apps,
 *   SageMaker, Vertex AI and Azure ML model servers, registry and git modules, providers — with pinned look-alikes; its
 *   bar is the score the set was last measured at.
 * - fixtures/unseen/round35: Azure and Google Cloud Terraform laid out as policy test data (valid and invalid resources
 *   side by side) with values through variable defaults, locals, dynamic blocks and for_each — NSG rules, database,
 *   Redis and storage firewalls, AKS and GKE authorized ranges, firewalls, Cloud SQL, bucket and BigQuery grants,
 *   passwords, secrets and service-account keys — with deny, outbound, service-tag, private and referenced look-alikes;
 *   its bar is the score the set was last measured at.
 * - fixtures/unseen/round37: secrets in the credential and configuration files beside infrastructure code (`.npmrc`,
 *   `.pypirc`, `.netrc`, `.git-credentials`, Docker and kube configs, AWS credentials, `.terraformrc`, dotenv, Java,
 *   Maven, Gradle, .NET, Rails, WordPress, constants in code, tfvars) and provider token formats checked against the
 *   providers' documented formats, with placeholders, references, identifiers and public keys as hard negatives; its
 * - fixtures/unseen/round34: AWS Terraform (`.tf`, `.tf.json`, plans) written as policy-as-code rule test inputs write it,
 *   invalid and valid resources side by side — security groups, rule resources, NACLs, the default group, canned ACLs,
 *   grants, bucket and resource policies with and without restrictive conditions, public access blocks, shared
 *   snapshots and images, database and provider credentials, Lambda environments and secret stores; its bar is the
 *   score the set was last measured at.
 * - fixtures/unseen/round36: CloudFormation YAML and JSON in the shapes of the Guard Rules Registry's tests, cfn-lint
 *   snapshots, Serverless Application Repository applications and CDK synth output — secrets assembled by intrinsics,
 *   inside JSON strings, container environments, user data and parameter defaults; buckets, bucket and resource
 *   policies with and without restricting conditions; security groups, ACLs and sources through parameters,
 *   mappings and conditions; SAM endpoints — with referenced, generated and private look-alikes; its bar is the score
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '..');
const SETS = [
  { name: 'unseen secret and policy set', folder: 'secrets', minRecall: 1, minPrecision: 0.99 },
  { name: 'unseen Terraform and CloudFormation set', folder: 'terraform', minRecall: 0.96, minPrecision: 1 },
  { name: 'unseen round 4 set', folder: 'round4', minRecall: 1, minPrecision: 1 },
  { name: 'unseen pin set', folder: 'pin', minRecall: 1, minPrecision: 1 },
  { name: 'unseen round 6 set', folder: 'round6', minRecall: 0.9, minPrecision: 1 },
  { name: "unseen set of other providers' firewalls", folder: 'providers-network', minRecall: 1, minPrecision: 1 },
  { name: 'unseen provider token set', folder: 'tokens', minRecall: 1, minPrecision: 0.98 },
  { name: 'unseen object storage of other providers set', folder: 'providers-storage', minRecall: 1, minPrecision: 1 },
  { name: 'unseen round 9 set', folder: 'round9', minRecall: 1, minPrecision: 1 },
  { name: 'unseen round 7 set', folder: 'round7', minRecall: 0.98, minPrecision: 1 },
  { name: 'unseen round 8 set', folder: 'round8', minRecall: 1, minPrecision: 1 },
  { name: 'unseen round 10 set', folder: 'round10', minRecall: 1, minPrecision: 1 },
  { name: 'unseen round 14 set', folder: 'round14', minRecall: 1, minPrecision: 1 },
  { name: 'unseen round 11 set', folder: 'round11', minRecall: 0.96, minPrecision: 1 },
  { name: 'unseen round 13 set', folder: 'round13', minRecall: 0.98, minPrecision: 1 },
  { name: 'unseen round 12 set', folder: 'round12', minRecall: 1, minPrecision: 1 },
  { name: 'unseen round 15 set', folder: 'round15', minRecall: 0.97, minPrecision: 1 },
  { name: 'unseen round 16 set', folder: 'round16', minRecall: 1, minPrecision: 1 },
  { name: 'unseen round 17 set', folder: 'round17', minRecall: 1, minPrecision: 1 },
  { name: 'unseen round 18 set', folder: 'round18', minRecall: 1, minPrecision: 1 },
  { name: 'unseen Secret names set', folder: 'secret-names', minRecall: 1, minPrecision: 1 },
  { name: 'unseen round 19 set', folder: 'round19', minRecall: 1, minPrecision: 1 },
  { name: 'unseen round 21 set', folder: 'round21', minRecall: 1, minPrecision: 1 },
  { name: 'unseen round 20 set', folder: 'round20', minRecall: 1, minPrecision: 1 },
  { name: 'unseen Serverless Framework set', folder: 'serverless', minRecall: 1, minPrecision: 1 },
  { name: 'unseen round 22 set', folder: 'round22', minRecall: 1, minPrecision: 1 },
  { name: 'unseen round 25 set', folder: 'round25', minRecall: 1, minPrecision: 1 },
  { name: 'unseen round 24 set', folder: 'round24', minRecall: 1, minPrecision: 1 },
  { name: 'unseen round 23 set', folder: 'round23', minRecall: 0.97, minPrecision: 1 },
  { name: 'unseen round 26 set', folder: 'round26', minRecall: 1, minPrecision: 1 },
  { name: 'unseen round 30 set', folder: 'round30', minRecall: 1, minPrecision: 1 },
  { name: 'unseen round 31 set', folder: 'round31', minRecall: 1, minPrecision: 1 },
  { name: 'unseen round 32 set', folder: 'round32', minRecall: 1, minPrecision: 1 },
  { name: 'unseen round 28 set', folder: 'round28', minRecall: 1, minPrecision: 1 },
  { name: 'unseen round 29 set', folder: 'round29', minRecall: 1, minPrecision: 1 },
  { name: 'unseen round 27 set', folder: 'round27', minRecall: 1, minPrecision: 1 },
  { name: 'unseen round 33 set', folder: 'round33', minRecall: 0.96, minPrecision: 1 },
  { name: 'unseen round 39 set', folder: 'round39', minRecall: 1, minPrecision: 1 },
  { name: 'unseen round 40 set', folder: 'round40', minRecall: 0.8, minPrecision: 1 },
  { name: 'unseen round 38 set', folder: 'round38', minRecall: 0.92, minPrecision: 1 },
  { name: 'unseen round 35 set', folder: 'round35', minRecall: 1, minPrecision: 1 },
  { name: 'unseen round 37 set', folder: 'round37', minRecall: 1, minPrecision: 0.96 },
  { name: 'unseen round 34 set', folder: 'round34', minRecall: 1, minPrecision: 1 },
  { name: 'unseen round 36 set', folder: 'round36', minRecall: 1, minPrecision: 1 },
];
const SCORER = path.resolve(ROOT, '..', 'shared', 'corpus', 'score.mjs');

interface Counts {
  tp: number;
  fn: number;
  fp: number;
}

/**
 * The scorer counts the families of its own list and drops results of any other; a set whose manifest labels
 * another family (`data`) is scored by a copy of the scorer whose list adds the manifest's.
 */
function scorerFor(set: string, tmp: string): string {
  const families: string[] = JSON.parse(readFileSync(path.join(set, 'manifest.json'), 'utf8')).families;
  const source = readFileSync(SCORER, 'utf8');
  const declared = /^const FAMILIES = \[([^\]]*)\];$/m.exec(source);
  if (!declared) throw new Error('the scorer no longer declares its families as `const FAMILIES = [...]`');
  const known = [...declared[1].matchAll(/'([^']+)'/g)].map((m) => m[1]);
  if (families.every((f) => known.includes(f))) return SCORER;
  const copy = path.join(tmp, 'score.mjs');
  writeFileSync(copy, source.replace(declared[0], `const FAMILIES = ${JSON.stringify([...new Set([...known, ...families])])};`));
  return copy;
}

const recall = (c: Counts) => (c.tp + c.fn === 0 ? 1 : c.tp / (c.tp + c.fn));
const precision = (c: Counts) => (c.tp + c.fp === 0 ? 1 : c.tp / (c.tp + c.fp));

for (const { name, folder, minRecall, minPrecision } of SETS) {
  const SET = path.join(__dirname, 'fixtures', 'unseen', folder);

  describe.runIf(existsSync(SCORER))(name, () => {
    it(`scores recall ≥ ${minRecall} and precision ≥ ${minPrecision} in every family`, () => {
      const tmp = mkdtempSync(path.join(os.tmpdir(), `airlock-unseen-${folder}-`));
      const sarif = path.join(tmp, 'results.sarif');
      const scoreJson = path.join(tmp, 'score.json');
      const scan = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), 'scan', '--format', 'sarif', '--output', sarif, '.'], {
        cwd: SET,
        encoding: 'utf8',
      });
      expect(scan.status, scan.stderr).toBe(1);
      const scorer = scorerFor(SET, tmp);
      const out = execFileSync(process.execPath, [scorer, path.join(SET, 'manifest.json'), sarif, '--json', scoreJson], { encoding: 'utf8' });
      const score = JSON.parse(readFileSync(scoreJson, 'utf8')) as { byFamily: Record<string, Counts> };
      const below = Object.entries(score.byFamily)
        .filter(([, c]) => c.tp + c.fn + c.fp > 0 && (recall(c) < minRecall || precision(c) < minPrecision))
        .map(([family, c]) => `${family}: recall ${recall(c).toFixed(2)} precision ${precision(c).toFixed(2)}`);
      expect(below, out).toEqual([]);
    });
  });

  describe.skipIf(existsSync(SCORER))(`${name} (scorer absent)`, () => {
    it.skip('../shared/corpus/score.mjs is not present on this machine', () => {});
  });
}
