import { cellPython, defineRule, type Fix, type Format, isScalar, isTerraform, mask, type RuleContext } from '../../../core';
import { secretSites, textMayHaveSites, type SecretSite } from '../lib/sites';
import { mayHoldSecretKey } from '../lib/key-prefilter';
import { dockerfileMayHaveSites, dockerfileSecretFix } from '../lib/dockerfile-sites';
import { mayHoldUnnamedSite } from '../lib/python-strings';
import { composeEnvFix, dropDefaultFix, environmentFallbackFix, envNameFor, notebookSecretFix, secretToReference } from '../lib/fixes';
import { envMagicFix } from '../lib/notebook-sites';
import { dropReferenceDefault } from '../lib/reference-defaults';
import { clearOutputsFix, snake } from '../../lib/fixes';
import { isStoreValue } from '../lib/store-values';
import { hasGeneratedRun } from '../lib/values';

/**
 * A key as a message shows it. A line the YAML reader joins to the one before (a damaged or half-typed file) makes a
 * key of a value and the next name (`8f3c... SERVICE_TOKEN`): a generated-looking run in a key is masked too.
 */
function shownKey(key: string): string {
  return key.replace(/[A-Za-z0-9+/=_.-]{12,}/g, (run) => (hasGeneratedRun(run) ? mask(run) : run));
}

function message(site: SecretSite, format: string): string {
  const secret = mask(site.value);
  const key = shownKey(site.key);
  switch (site.kind) {
    case 'flag':
      if (format === 'dockerfile') return `Command-line ${key} hard-codes a credential (${secret}): the command is kept in the image's history`;
      if (format === 'compose')
        return `Command-line ${key} hard-codes a credential (${secret}): the command is in the Compose file and in the container's configuration`;
      if (format === 'kubernetes')
        return `Command-line ${key} hard-codes a credential (${secret}): the command is in the Pod spec, readable by anyone who can read the Pod`;
      if (format === 'github-actions')
        return `Command-line ${key} hard-codes a credential (${secret}): the workflow is in every clone, and the job's log prints the command`;
      return `Command-line ${key} hard-codes a credential (${secret}): the command line is visible to other processes and kept in the shell history`;
    case 'encoded':
      return `Base64-encoded user data sets "${key}" to a hard-coded value (${secret})`;
    case 'output':
      return `"${key}" and its value (${secret}) printed in the output of cell ${(site.cell?.index ?? 0) + 1}`;
    case 'magic':
      return `%env sets ${key} to a hard-coded value (${secret})`;
    case 'fallback':
      return `Hard-coded fallback for "${key}" (${secret}): deployed whenever the inputs before it are unset`;
    case 'default':
      if (format === 'github-actions')
        return `Input "${key}" has a hard-coded default (${secret}): every run that does not pass the input uses it, and the file is in every clone`;
      return isTerraform(format as Format)
        ? `Variable "${key}" has a hard-coded default (${secret}): every plan without an override deploys it`
        : `Parameter "${key}" has a hard-coded Default (${secret}): every stack without an override deploys it`;
    default:
      // A plan is generated: what it holds came from the configuration or the variables it was planned with.
      // A provider's arguments are in a plan only as the configuration writes them.
      if (format === 'terraform-plan' && site.resource?.kind === 'provider')
        return `Provider "${site.resource.address}" is configured with a hard-coded "${key}" (${secret}): the plan's configuration holds it as the .tf file writes it`;
      if (format === 'terraform-plan')
        return `The plan holds "${key}" in clear (${secret}): \`terraform show -json\` writes every value it plans, sensitive ones included`;
      if (site.written) return `%%writefile ${site.written} writes a hard-coded value for "${key}" (${secret})`;
      // A Dockerfile's ARG defaults and ENV values stay in the image built from it.
      if (format !== 'dockerfile' || !site.resource) return `Hard-coded value for "${key}" (${secret})`;
      return site.resource.type === 'ENV'
        ? `ENV ${key} has a hard-coded value (${secret}): it is kept in the configuration of every image built from this file`
        : `ARG ${key} has a hard-coded default (${secret}): every build without --build-arg uses it, and the image history shows it`;
  }
}

type PasswordFix = Fix<
  | 'drop-default'
  | 'move-to-variable'
  | 'read-from-secret'
  | 'resolve-from-secrets-manager'
  | 'read-from-repository-secret'
  | 'read-from-environment'
  | 'remove-environment-assignment'
  | 'clear-outputs'
>;

function fixFor(ctx: RuleContext, site: SecretSite): PasswordFix | undefined {
  const { file, project } = ctx;
  if (file.format === 'dockerfile') return dockerfileSecretFix(file, site);
  // A plan is generated from the configuration: the fix belongs there (and the plan file out of the repository).
  if (file.format === 'terraform-plan') return undefined;
  if (site.kind === 'output' && site.cell) return clearOutputsFix(site.cell.index);
  if (site.kind === 'magic') return envMagicFix(site);
  const dropped = dropReferenceDefault(file, site);
  if (dropped) return dropped;
  if (!site.node || !isScalar(site.node)) return undefined;
  if (site.kind === 'default') return site.resource && site.entry ? dropDefaultFix(file, site.resource, site.entry) : undefined;
  // Compose: the value (of a map entry, or of a `- KEY=value` item) becomes `${KEY}`.
  if (file.format === 'compose')
    return site.kind === 'line' ? composeEnvFix(site.key, site.span) : site.kind === 'key' ? composeEnvFix(site.key, site.node.span) : undefined;
  if (site.kind !== 'key' && site.kind !== 'env') return undefined;
  if (site.cell) {
    // A dict entry is named by its key; an assignment or keyword argument by where it is used.
    const dictEntry = site.entry && !cellPython(site.cell)?.calls.some((c) => c.kwargs.includes(site.entry!));
    const env = dictEntry ? snake(site.key).toUpperCase() : envNameFor(site.cell, site.node, '');
    return environmentFallbackFix(site.cell, site.node) ?? notebookSecretFix(file, site.cell, site.node, env);
  }
  // The value of a Secrets Manager secret itself cannot be resolved from Secrets Manager: no reference replaces it.
  if (file.format === 'cloudformation' && site.entry && isStoreValue(site.resource, site.entry.key, true)) return undefined;
  return secretToReference({ file, project, node: site.node, entry: site.entry, resource: site.resource, name: site.kind === 'env' ? site.key : undefined });
}

export default defineRule({
  id: 'secret/hardcoded-password',
  family: 'secret',
  severity: 'error',
  formats: [
    'terraform',
    'terraform-json',
    'terraform-plan',
    'terragrunt',
    'cloudformation',
    'kubernetes',
    'helm',
    'github-actions',
    'compose',
    'kustomize',
    'notebook',
    'python',
    'dockerfile',
    'text',
  ],
  prefilter: {
    terraform: (text, neighbours) => textMayHaveSites(text, 'terraform', neighbours),
    'terraform-plan': (text) => textMayHaveSites(text, 'terraform'),
    terragrunt: (text) => textMayHaveSites(text, 'terragrunt'),
    cloudformation: (text) => textMayHaveSites(text, 'cloudformation'),
    kubernetes: (text) => textMayHaveSites(text, 'kubernetes'),
    'github-actions': (text) => textMayHaveSites(text, 'github-actions'),
    helm: (text) => textMayHaveSites(text, 'helm'),
    compose: (text) => textMayHaveSites(text, 'compose'),
    kustomize: (text) => textMayHaveSites(text, 'kustomize'),
    // Python is read like a notebook cell, whose sites these tests see.
    python: (text) => mayHoldSecretKey(text) || mayHoldUnnamedSite(text),
    dockerfile: dockerfileMayHaveSites,
    text: (text) => textMayHaveSites(text, 'text'),
  },
  fixes: {
    'move-to-variable': 'unsafe',
    'read-from-secret': 'suggestion',
    'resolve-from-secrets-manager': 'suggestion',
    'read-from-repository-secret': 'unsafe',
    'drop-default': 'unsafe',
    'read-from-environment': 'unsafe',
    'remove-environment-assignment': 'unsafe',
    'clear-outputs': 'safe',
  },
  docs: {
    summary:
      'A literal value under a password, secret, token or key name (abbreviated, counted and misspelled names included): in IaC attributes and environment variables, command lines and scripts, source code and configuration files, notebooks and their outputs.',
    reads:
      'A literal value under a password, secret, token or key name — abbreviated or counted names included (`*_PASS`, `*_PWD`, `*_PW`, `passwd`, `password2`, `PGPASSWORD`, the Rails `SECRET_KEY_BASE`), and names with `secret` or `password` misspelled by one keystroke (`SUPER_SECERT_VALUE`, `db_pasword`) when the value looks generated: IaC attributes (`password`, `master_password`, `MasterUserPassword`, `*_api_key`, and their Terraform write-only forms `password_wo`, `secret_string_wo`, `secret_data_wo`, `value_wo`, which stay out of the state but are written in the configuration; in a list, as the `passwords` of an ElastiCache or MemoryDB user, the items that look generated), the value of a resource that stores a secret whatever the attribute is called (`azurerm_key_vault_secret.value`, a `SecureString` `aws_ssm_parameter.value`, `google_secret_manager_secret_version.secret_data`, the `value` of a Key Vault secret written as an `azapi_resource` body, `github_actions_secret.plaintext_value`, `databricks_secret.string_value`, `doppler_secret.value`, the `value` of an API Gateway key, a plain `SecretString`), customer-supplied encryption keys (`raw_key`, `disk_encryption_key_raw`, `customer_key`, `SSECustomerKey`, rclone `sse_customer_key_base64`, when the value is key material; a name ending in `_base64`, `_b64` or `_hex` is read without it), container, Lambda and Compose environment variables (in Compose also the literal default of an interpolation, `${DB_PASSWORD:-...}`, used whenever the variable is unset), the `value` beside a `name`, `key` or `OptionName` that names a secret (CodeBuild `Name` / `Type: PLAINTEXT` / `Value` items, `tfe_variable`, `gitlab_project_variable`, `vercel_project_environment_variable`, Elastic Beanstalk `OptionSettings`), GitHub Actions `env:` and `with:` values (and a literal fallback in an expression, `${{ secrets.TOKEN || \'...\' }}`), the literal `default` of a secret-named input of an action (`inputs`) or of a `workflow_dispatch` / `workflow_call` trigger and build arguments (maps and `KEY=value` lists), kustomize generator `literals`, Helm templates and values files (`password:` in `values.yaml`; a template action that renders a literal from `values.yaml`, such as `value: {{ .Values.db.password }}` under `DB_PASSWORD`, is reported at the template with the values line related), Dockerfile `ENV` values (`ONBUILD ENV` triggers too, and the word of `${VAR:-word}`) and `ARG` defaults, assignments a script writes into a file (`echo "DB_PASSWORD=..." >> .env`), credentials on command lines in `RUN`, workflow `run:` steps, the scripts Kubernetes containers and Compose services run through a shell (`["sh", "-c", "…"]` in `command` / `args`, lifecycle hooks and exec probes, `CMD-SHELL` healthchecks), Dockerfile `HEALTHCHECK CMD` in shell form, what Compose services run without a shell (`command` and `entrypoint` lists, strings and folded blocks, `["CMD", …]` healthchecks), shell scripts, notebook `!` lines and machine boot scripts written as heredocs, YAML block scalars or one double-quoted string with `\\n` escapes (`user_data`, `custom_data`, `metadata_startup_script`, CloudFormation `UserData`, and the `commandToExecute` an Azure Custom Script extension runs, in its `settings` or `protected_settings`), Terraform provisioners (a `local-exec` `command` its shell runs, the `inline` lines of `remote-exec`) and the script an `external` data source hands a shell (`--password`, `-p` or `--token` of a login command or of `helm repo add`, in workflow steps and the scripts of containers, any command’s secret-named long option followed by a generated-looking value (`firebase deploy --token …`) and a secret-named variable assigned before a command after `&&`, `;` or `|` (`cd app && SECRET_KEY=… ./manage.py test`), the key of `wandb login KEY`, the token of `ngrok config add-authtoken TOKEN` and `--authtoken`, `mysql -p<password>`, the password `echo` or `printf` pipes into `chpasswd` (`user:password`) or `passwd --stdin`, `sshpass -p`, `redis-cli -a`, `redis-server --requirepass` / `--masterauth`, `mongosh -p`, a secret-named variable given to a container with `docker run -e NAME=…` / `--env`, also in the `options` of workflow job and service containers, a secret-named setting of `aws configure set aws_secret_access_key …`, a secret-named key of `kubectl create secret generic --from-literal=KEY=…` and the `--docker-password` of `kubectl create secret docker-registry`), `KEY=value` lines of dotenv files, the values a Terraform plan (`terraform show -json`) holds in clear and the provider arguments its configuration holds as literals (`provider_config`, the providers of child modules too), user-data scripts (base64-encoded ones too) and `--name=value`, `-name=value` / Java `-Dname=value` options anywhere on a command line (and as one item of a command list), an option and its value written as two items of a command list (`args: ["--api-token", "..."]`), values assembled from literals (`Fn::Join`, `Fn::Sub` without variables, `join()`, `format()`, `base64encode()`, `Fn::Base64`, `sensitive()`, `tostring()` and `trimspace()` of a literal, a literal fallback of `coalesce()`, `try()` or `lookup()`, a Terraform template or `local.x` whose pieces are literals of the module), each branch of a CloudFormation `Fn::If` under a secret name, `KEY=value` lines and command-line credentials that `Fn::Join` assembles across pieces (user data and `cfn-init` files written as AWS samples write them), JSON documents held in strings or joined by `Fn::Join` from pieces (a Secrets Manager `SecretString`, ECS container definitions in a heredoc, a config file in a ConfigMap or a notebook string), Docker `auth` entries and `auth = "user:password"` settings (the basic auth of a provider, the password generated-looking), a template under a secret name whose written piece is generated-looking around its references (`!Sub "whk_${Env}_9f2c..."`, `"${var.env}-Zx81..."`), a `key` next to a user name (`kaggle.json`), literal defaults of secret variables and parameters, a Terraform `output` named as a secret or marked `sensitive` whose `value` is a literal, CloudFormation `Mappings` values under a secret name (what `Fn::FindInMap` reads) and the `Globals` of a SAM template (written into every function), declarations in source code (`const clientSecret = "..."`, `jwtSecret := "..."`, `var hmacSecret = []byte("...")`, a literal fallback `process.env.X || "..."`, an entry of a one-line object `session({ secret: "..." })`, a named argument `Client.new(api_key: "...")`, a PHP array or Ruby hash entry `\'password\' => \'...\'` / `:password => "..."`, a subscript `ENV["API_KEY"] = "..."`, a named value set by a call, `define(\'DB_PASSWORD\', \'...\')`, `os.Setenv("API_TOKEN", "...")`, `props.setProperty("mail.smtp.password", "...")`, viper\'s `SetDefault`, `map.put` / `localStorage.setItem` / `set(section, option, value)` (a message with blanks, and one word set in a map, aside), PHP properties (`$mail->Password = \'...\'`), C# verbatim and Objective-C `@"..."` strings, C preprocessor macros (`#define WIFI_PASSWORD "..."`, Arduino sketches too), R\'s `api_key <- "..."`, Elixir keyword lists after other arguments (`config :app, Endpoint, secret_key_base: "..."`), Perl hash entries after the fat comma (`api_key => \'...\'`), credential constructors (`new NetworkCredential(user, "...")`, `UsernamePasswordCredentials`, OkHttp `Credentials.basic`, Go `req.SetBasicAuth`), Android `buildConfigField` strings, a Gradle setting written as a call (`storePassword "..."`), PowerShell `ConvertTo-SecureString "..." -AsPlainText`, Rust `&\'static str` constants, an `auth: "user:password"` option, and a name ending in `key` or `salt` whose value is generated from the whole printable alphabet, as WordPress\'s `NONCE_KEY` and `SECURE_AUTH_SALT`), the default of a reference under a secret name (Spring `${jwt.secret:...}` in `@Value` or a properties file, the shell\'s `${DB_PASSWORD:-...}`; a word default such as `guest` aside), XML configuration (`<password>` elements of a Maven `settings.xml`, `<add key="ClearTextPassword" value="..." />` of a `NuGet.Config` or `appSettings`, Spring `<property name="password" value="..." />`, secret-named attributes; commented-out samples aside), `user:password` under npm\'s `_auth` and Yarn\'s `npmAuthIdent`, `.npmrc` settings scoped to a registry (`//registry.example.com/:_password=...`), ngrok\'s `authtoken`, a secret-named value written with its HTTP scheme (Cargo\'s `token = "Bearer …"`), `session.auth = ("user", "...")` in Python, and assignments, parameter defaults (`def connect(password="...")`), comparisons outside `assert` (`if password == "..."`), environment fallbacks (`os.getenv("DB_PASSWORD", "...")`), keyword arguments and positional credentials in notebooks and Python files such as `openai.api_key = "..."`, `login(token="...")`, `ftp.login(user, "...")`, `cohere.Client("...")`, `DeepgramClient("...")`, a literal kept by `str(...)` or pydantic\'s `SecretStr(...)` (`api_key=SecretStr("...")`), a dict merged into `os.environ` (`os.environ |= {...}`), the commands Python runs through `subprocess` (`subprocess.run(["wandb", "login", "..."])`), Weaviate `Auth.api_key("...")`, `ngrok.set_auth_token("...")`, HTTP client passwords (`auth=("user", "...")`, `HTTPBasicAuth("user", "...")`, httpx and aiohttp `BasicAuth` / `DigestAuth`) and `user:password` literals encoded for a Basic header (`base64.b64encode(b"user:...")`). In CI/CD and operations files: the command lines of CI jobs and Ansible tasks held in YAML or JSON (GitLab `script`, `before_script` and `after_script`, CircleCI `run` / `command`, Azure Pipelines `script` / `bash` / `pwsh`, Bitbucket `script`, Travis CI\'s phases, Drone and Buildkite `commands`, Ansible `shell`, `command` and `raw`, a Packer shell provisioner\'s `inline`; folded `>` blocks and plain scalars over several lines too), a Jenkins pipeline\'s `sh`, `bat` and `powershell` steps and the `"NAME=value"` items of its `withEnv` (an environment-assignment string in any code), makefile recipes and variables set with `:=`, `::=` or `?=`, SQL Server\'s `sqlcmd -P` and `bcp -P`, `NAME=value` pairs after other words of a line (the host variables of an Ansible INI inventory, `ansible_password=...`), the assignments of a systemd `Environment=` line (quoted or not), Apache `SetEnv`, nginx `fastcgi_param` and PHP-FPM `env[NAME] = ...`, an HAProxy user\'s `insecure-password` and `stats auth user:password`, a Debian preseed answer of type `password` and a kickstart\'s `rootpw --plaintext`, Redis\'s `requirepass` directive in a `redis.conf` (also as a line a script writes into one, `echo \'requirepass ...\' >> /etc/redis.conf`, in user data and `Fn::Join` pieces too), Capistrano and Sinatra `set :name, "..."` and Ruby symbol subscripts (`knife[:aws_secret_access_key] = "..."`), a `key` beside an account in an INI section (rclone\'s Backblaze B2 remote), the default of a Packer variable (`*.pkr.hcl`) named by its variable or marked `sensitive`, and `.pgpass` entries (`host:port:database:user:password`) in the file or written into it by a script. Jenkinsfiles, Vagrantfiles and the other Ruby DSL files (`Gemfile`, `Podfile`, `Fastfile`...) are read as source code. In Terragrunt files: `inputs` (nested maps and lists of objects too), `locals`, the backend settings of `remote_state { config }`, `extra_arguments` `env_vars`, and the `KEY = "value"` lines of the provider blocks a `generate` block writes (`get_env(...)`, `dependency.x.outputs.y`, `sops_decrypt_file(...)` and `run_cmd(...)` are references). In notebooks also `%env NAME=value` lines, shell commands that set one (`!export NAME=value`, `!NAME=value cmd`, `export` and heredoc lines in `%%bash` cells), credential files a cell writes with `%%writefile` (`kaggle.json`, `.netrc`, `~/.aws/credentials`, `.env`), and secret-named values a cell printed into its outputs: `KEY=value` and `key: value` lines (`cat .env`, `env`, a config dump, the `env: NAME=value` line `%env` prints), dicts and JSON (also a JSON display such as `display(JSON(cfg))`, whose `text/plain` is only a placeholder for the object), `os.environ` dumps, the reprs of credential and settings objects (`ReadOnlyCredentials(access_key=..., secret_key=...)`), and printed credential files (`cat kaggle.json`, `~/.netrc`, `~/.docker/config.json`).',
    why: "Whatever its format, a password written into code is in every clone, every CI log that echoes the plan, and the state file — and it cannot be rotated without a commit. References (`var.x`, `!Ref`, `{{resolve:...}}`, `secretKeyRef`, `os.environ[...]`, `${VAR}`, `${{ secrets.X }}`, release-pipeline and Ruby tokens (`#{ClientSecret}#`), the client secret of an installed application's Google OAuth client (gcloud's application default credentials, `installed` in a `client_secrets.json`: Google ships it in the application and documents it as not secret; the refresh token beside it is reported), Serverless Framework variables (`${ssm:...}`, `${env:X}`, `${self:custom.x}`, `${param:x}`; a quoted literal fallback, `${env:X, '...'}`, is reported), an App Service Key Vault reference `@Microsoft.KeyVault(...)`, a Secret Manager secret's name `projects/p/secrets/name`, LiteLLM's `os.environ/NAME` in a model list or proxy config, values from `random_password` and `ephemeral` resources, Drone's `from_secret: name`, a systemd specifier such as `%d/api-token`), names of Kubernetes Secrets and of the keys inside them (`imagePullSecrets`, `existingSecret: db-credentials`, a `secretKey` or `passwordKey` beside a non-empty `secretName` or `existingSecret`; beside an empty one the chart makes the Secret from the values, which are reported) and placeholders (`changeme`, `<password>`, `<your key>`, `fake`, `xxxx`, `your_key_here`, a prefix then filler such as `AKIAXXXXXXXXXXXXXXXX`, blocks of one repeated character such as `aaaa1111`, phrases that describe the value to put there such as `random_token` or `strong-password`, a comment saying to replace the value), labels that spell their own name (`REFRESH_TOKEN = \"RefreshToken\"`) or end with it (a test's `access_token => 'foo token'`) validation rules (Laravel's `'password' => 'required|min:12|confirmed'`) sentences (`\"secret must be a string\"`), ciphertext (Ansible Vault `!vault |` values and vault files, SOPS, Travis CI `secure:` values) password hashes (the bcrypt, APR1-MD5 and SHA-1 entries of an `.htpasswd`, a `$6$...` crypt answer of a preseed or kickstart: a hash checks a password, it does not log in), names a caller picks so that a retried request creates nothing twice (an EFS `creation_token`, an `idempotency_token`), units and durations (Cognito's `TokenValidityUnits: { AccessToken: minutes }`, `REFRESH_TOKEN: 720h`) and digests of a secret (a chart's `checksum/secret` pod annotation) are not reported, nor are a container image's documented single-word defaults in an environment list (`MYSQL_PASSWORD=mysql`). Nor is a single word given as the key of a client whose `base_url` (`url`, `host`, or one of them after a provider's name, as LangChain's `openai_api_base`) is this machine (`OpenAI(base_url=\"http://localhost:11434/v1\", api_key=\"ollama\")`): OpenAI-compatible clients need a key to start, and a local server without one accepts any. A workflow runs as committed, so there a password written as `password` is reported. In cell outputs, masked or empty values (`password=****`, `token: <redacted>`, `SecretStr('**********')`, `password: None`), `getpass` prompts, a tokenizer's special tokens (`pad_token='</s>'`), and one-word values and phrases (`'masked_token': 'capital'`, `POSTGRES_PASSWORD=postgres`), which outputs print far more often than credentials, are not reported either. Text scanners (detect-secrets, gitleaks) read a `.ipynb` as JSON text: they see cells and outputs through its escapes (a `\\\"` before a quote hides `password=\"...\"` from their patterns), flag images and hashes, and name no cell; and `nbstripout` removes every output whether it leaks or not: an output that printed a secret is reported here with its cell, on the value itself.",
    fix: 'Read the value from a secret store: a `sensitive` Terraform variable fed by your pipeline or `aws_secretsmanager_secret_version`, `{{resolve:secretsmanager:...}}` or a `NoEcho` parameter without a default in CloudFormation, `valueFrom.secretKeyRef` in Kubernetes, `os.environ[...]` in a notebook (and no cell that prints it or the environment), `${{ secrets.NAME }}` in a GitHub Actions workflow, an untracked `.env` file or build secrets (`RUN --mount=type=secret`) elsewhere. Rotate the password: it has been committed.',
    fixes: {
      'move-to-variable': 'Terraform: replaces the literal with a new sensitive variable, declared in `variables.tf` or the same file, that you then provide.',
      'read-from-secret': 'Kubernetes: replaces `value` with `valueFrom.secretKeyRef`, with a placeholder for the Secret name.',
      'resolve-from-secrets-manager':
        'CloudFormation: replaces the literal with a `{resolve:secretsmanager:...}` dynamic reference, with a placeholder for the secret; in the settings of a Serverless Framework file (`provider`, `functions`, `custom`, `params`), with the `${ssm:/aws/reference/secretsmanager/...}` variable the framework resolves when it deploys.',
      'read-from-repository-secret':
        'GitHub Actions: replaces the literal with `${secrets.NAME }`, NAME being the key in upper snake case. Create that secret in the repository (or organisation) settings before the next run: until then the value is empty.',
      'drop-default':
        "For a variable or parameter default: removes the default and marks the input `sensitive` / `NoEcho`, so every deployment must pass the value. For a Dockerfile `ARG`: removes its default, so each build passes it (prefer a build secret, `RUN --mount=type=secret`, which stays out of the image history). Python: removes the literal fallback of `os.getenv(...)` / `os.environ.get(...)`, so a run without the variable gets `None` instead of the secret. A Serverless Framework variable: removes the literal fallback of `${env:X, '...'}`, so the value comes from the variable's source only.",
      'read-from-environment':
        'Notebooks: replaces the literal with `os.environ["NAME"]` (adding `import os`); Compose: replaces it with `${NAME}`, which Compose reads from the shell or the `.env` file; Terragrunt: replaces it with `get_env("NAME")`. You then set the variable.',
      'remove-environment-assignment':
        'Notebooks: removes an `os.environ["NAME"] = "..."` line; you then set the variable outside the notebook. Dockerfiles: removes the `ENV` assignment (the instruction when it is its only one); the container then gets the value at run time (`docker run -e`, an orchestrator secret). Notebooks: removes a `%env NAME=value` line the same way.',
      'clear-outputs': 'Notebooks: clears the outputs of the cell that printed the value (they come back when the cell is run again, so stop printing it too).',
    },
    examples: {
      format: 'terraform',
      bad: 'resource "aws_db_instance" "db" {\n  password = "Sup3rS3cret!"\n}',
      good: 'resource "aws_db_instance" "db" {\n  password = var.db_password\n}',
    },
  },
  check(ctx) {
    for (const site of secretSites(ctx.file, ctx.project)) {
      const fix = fixFor(ctx, site);
      ctx.report({ span: site.span, message: message(site, ctx.file.format), related: site.related, fixes: fix ? [fix] : [] });
    }
  },
});
