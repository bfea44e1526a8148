import { type Cell, type Span, spanInCell } from '../../../core';
import { programName, shellCommands, type Word } from '../../lib/shell';
import { isSecretKey } from './keys';
import { looksRandom } from './values';
import { Collector } from './collector';

/**
 * Credentials written on a command line, in any shell text Airlock reads (Dockerfile `RUN`, workflow `run:`
 * steps, shell scripts, notebook `!` lines and `%%bash` cells, machine boot scripts — `boot-scripts.ts`):
 * - a login command's `-p`, `--password`, `--token`, `--pass` (`docker login -p ...`, `helm registry login`,
 *   `huggingface-cli login --token ...`) and the key `wandb login` takes as its argument;
 * - the ngrok agent's authtoken: `ngrok config add-authtoken TOKEN` (`ngrok authtoken TOKEN` before v3) and
 *   `--authtoken TOKEN` on any ngrok command (https://ngrok.com/docs/agent/cli/);
 * - the MySQL clients' `-p<password>` and `--password=` (`mysql -p` alone prompts: the next word is the database);
 * - `sshpass -p`, `redis-cli -a`, `mongosh` / `mongo` `-p` / `--password`, SQL Server's `sqlcmd -P` and `bcp -P`;
 * - `redis-server --requirepass` and `--masterauth`: configuration directives given as options
 *   (https://redis.io/docs/latest/operate/oss_and_stack/management/config/#passing-arguments-using-the-command-line);
 * - `helm repo add --password` (https://helm.sh/docs/helm/helm_repo_add/);
 * - a secret-named variable given to a container: `docker run -e DB_PASSWORD=…`, `--env`, also `docker create` /
 *   `exec` and `podman` (https://docs.docker.com/reference/cli/docker/container/run/#env);
 * - a secret-named setting of `aws configure set <name> <value>` (`aws_secret_access_key`, `aws_session_token`, also
 *   qualified as `profile.dev.aws_secret_access_key`; https://docs.aws.amazon.com/cli/latest/reference/configure/set.html);
 * - a Kubernetes Secret made on the command line: a secret-named key of `kubectl create secret generic
 *   --from-literal=password=…` (https://kubernetes.io/docs/reference/kubectl/generated/kubectl_create/kubectl_create_secret_generic/)
 *   and `kubectl create secret docker-registry --docker-password` (https://kubernetes.io/docs/reference/kubectl/generated/kubectl_create/kubectl_create_secret_docker-registry/).
 * - a secret-named variable assigned before a command or after `&&`, `;` or `|` (`cd app && SECRET_KEY=… ./manage.py
 *   test`), which a reader of lines sees only at the start of a line;
 * - in the scripts a format declares, any other command's long option named as a secret, with a generated-looking
 *   value as the next word:
 *   `firebase deploy --token 1//0g…`, `vercel deploy --token …`, `kubeadm join --token …` (the `--name=value` form is
 *   read as an assignment with the lines of any text); a value that reads as a word or a path (`--secret id=npmrc`,
 *   `--password-stdin registry.example.com`) is no credential.
 * - what `echo` / `printf` pipes into `chpasswd` (`user:password` lines) or `passwd --stdin` (the password itself),
 *   the non-interactive way boot and provisioning scripts set a login's password
 *   (https://man7.org/linux/man-pages/man8/chpasswd.8.html);
 * - a Java system property named as a secret, `-Dspring.datasource.password=…`
 *   (https://docs.oracle.com/en/java/javase/21/docs/specs/man/java.html#standard-options-for-java), on any command line;
 * - the same options in a variable whose value is a list of options (`JAVA_OPTS="-Xmx1g -D…password=…"`,
 *   `REDIS_ARGS="--requirepass …"`, which an image's entrypoint appends to its server's command line): `optionListSites`.
 * HTTP credentials (`curl -u`, `wget --password=`, `Authorization:` and API-key headers) are token formats
 * `secret/known-token` finds in any text, commands included.
 * A word with `$`, a backtick or `{...}` (a variable, `${{ secrets.X }}`) is known only at run time: never a site.
 */

/** Commands that may take a credential on their command line: the prefilter of `commandSites`. */
export const COMMANDS_WITH_CREDENTIALS =
  /login|mysql|mariadb|sshpass|redis-(?:cli|server)|mongo|sqlcmd|\bbcp\b|\s(?:-e|--env)[\s=]|helm\s+repo\s+add|authtoken|--from-literal|--docker-password|configure\s+set|chpasswd|passwd[ \t]+--stdin/;

/**
 * The prefilter of the commands of the scripts a format declares (workflow steps, the scripts of containers):
 * `COMMANDS_WITH_CREDENTIALS`, a long option named as a secret, or a variable assigned after `&&`, `;` or `|`. Scripts
 * are short; whole files are tested with `COMMANDS_WITH_CREDENTIALS` alone.
 */
export const SCRIPT_CREDENTIALS = new RegExp(
  `${COMMANDS_WITH_CREDENTIALS.source}|\\s--[a-z-]{0,40}(?:token|auth|key|secret|pass)|[;&|][ \\t]*[A-Za-z_]\\w{0,60}=`,
);

/**
 * The prefilter of the commands a file runs without a shell (exec-form instructions, a container's argument list):
 * `COMMANDS_WITH_CREDENTIALS`, or a long option or a Java property named as a secret, which may follow a quote there.
 */
export const EXEC_CREDENTIALS = new RegExp(`${COMMANDS_WITH_CREDENTIALS.source}|(?:--|-D)[\\w.-]{0,60}(?:token|auth|key|secret|pass)`);

const LOGIN_FLAGS = new Set(['--password', '-p', '--token', '--pass']);
const MYSQL = /^(?:mysql|mysqladmin|mysqldump|mariadb|mariadb-admin|mariadb-dump)$/;

/** What a command's options carry: a credential, as the next word or `=value`, or attached (`sshpass -pSECRET`). */
interface CredentialOptions {
  value: ReadonlySet<string>;
  attached?: string;
}

const OPTIONS: Record<string, CredentialOptions> = {
  sshpass: { value: new Set(['-p']), attached: '-p' },
  'redis-cli': { value: new Set(['-a', '--pass']) },
  'redis-server': { value: new Set(['--requirepass', '--masterauth']) },
  mongosh: { value: new Set(['-p', '--password']) },
  mongo: { value: new Set(['-p', '--password']) },
  // SQL Server's clients: `-P` is the SQL login's password (https://learn.microsoft.com/sql/tools/sqlcmd/sqlcmd-utility,
  // https://learn.microsoft.com/sql/tools/bcp-utility).
  sqlcmd: { value: new Set(['-P']) },
  bcp: { value: new Set(['-P']) },
  kubectl: { value: new Set(['--docker-password']) },
};

/** Options that take `NAME=value`: a container's environment variables, the literal keys of a kubectl-made Secret. */
const CONTAINER_ENV = new Set(['-e', '--env']);
const KUBECTL_LITERAL = new Set(['--from-literal']);

/** Options of `wandb login` that take a value (the key is the first other word). */
const WANDB_LOGIN_VALUE_OPTIONS = new Set(['--host', '--cloud-host']);

/**
 * A command's credentials, reported on the value (without its quotes). `text` is what the words' offsets index
 * (a file or a cell source); `cell` places the sites in a notebook cell.
 */
export function commandSites(text: string, words: Word[], out: Collector, cell?: Cell): void {
  const login = words.some((w) => w.value === 'login') || isHelmRepoAdd(words);
  const mysql = words.some((w) => MYSQL.test(programName(w)));
  const program = words.find((w) => OPTIONS[programName(w)] !== undefined);
  const options = program ? OPTIONS[programName(program)] : undefined;
  const container = startsContainer(words);
  const ngrok = words.findIndex((w) => programName(w) === 'ngrok');
  const awsSet = words.findIndex((w, k) => programName(w) === 'aws' && words[k + 1]?.value === 'configure' && words[k + 2]?.value === 'set');
  const named = words.some(isSecretOption) || words.some(isSecretProperty);
  const assigned = leadingAssignments(words);
  const piped = passwordPipe(text, words);
  if (!login && !mysql && !options && !container && ngrok < 0 && awsSet < 0 && !named && assigned.length === 0 && !piped) return;
  const add = (key: string, w: Word, from: number, to = w.value.length) => {
    const at = located(text, w, from, to);
    if (at && to > from)
      out.add({ kind: 'flag', key, value: w.value.slice(from, to), span: cell ? spanInCell(cell, at.start, at.end) : at, quoted: at.quoted, cell });
  };
  if (container) assignmentSites(words, CONTAINER_ENV, add);
  // Reported as the assignment it is, as the readers of lines report one at the start of a line.
  for (const { name, word, eq } of assigned) {
    const at = located(text, word, eq + 1, word.value.length);
    if (at && word.value.length > eq + 1)
      out.add({ kind: 'line', key: name, value: word.value.slice(eq + 1), span: cell ? spanInCell(cell, at.start, at.end) : at, quoted: at.quoted, cell });
  }
  if (program && programName(program) === 'kubectl') assignmentSites(words, KUBECTL_LITERAL, add);
  if (piped) add(piped.program, piped.word, piped.from);
  const wandb = words.findIndex((w, k) => programName(w) === 'wandb' && words[k + 1]?.value === 'login');
  if (wandb >= 0) {
    for (let k = wandb + 2; k < words.length; k++) {
      const w = words[k];
      if (WANDB_LOGIN_VALUE_OPTIONS.has(w.value)) k++;
      else if (!w.value.startsWith('-')) {
        if (!w.dynamic) add('wandb login key', w, 0);
        break;
      }
    }
  }
  if (awsSet >= 0) awsConfigureSetSite(words.slice(awsSet + 3), add);
  if (ngrok >= 0) {
    const command = words.findIndex((w, k) => k > ngrok && (w.value === 'add-authtoken' || w.value === 'authtoken'));
    const token = command >= 0 ? words[command + 1] : undefined;
    if (token && !token.dynamic && !token.value.startsWith('-')) add('ngrok authtoken', token, 0);
  }
  const takesValue = (flag: string) => (login && LOGIN_FLAGS.has(flag)) || options?.value.has(flag) || (ngrok >= 0 && flag === '--authtoken');
  for (let k = 0; k < words.length; k++) {
    const w = words[k];
    if (w.dynamic || !w.value.startsWith('-')) continue;
    const eq = w.value.indexOf('=');
    const flag = eq < 0 ? w.value : w.value.slice(0, eq);
    if (eq > 0 && flag === '--password' && (login || mysql)) add(flag, w, eq + 1);
    else if (isSecretProperty(w)) add(flag, w, eq + 1);
    else if (mysql && /^-p./.test(w.value)) add('-p', w, 2);
    else if (options?.attached && w.value.startsWith(options.attached) && w.value.length > options.attached.length && eq < 0)
      add(options.attached, w, options.attached.length);
    else if (takesValue(flag)) {
      // `--option=value`, or the value as the next word.
      const next = words[k + 1];
      if (eq > 0) add(flag, w, eq + 1);
      else if (next && !next.dynamic && !next.value.startsWith('-')) {
        add(flag, next, 0);
        k++;
      }
    } else if (named && isSecretOption(w)) {
      const next = words[k + 1];
      if (next && !next.dynamic && !next.value.startsWith('-') && looksRandom(next.value)) {
        add(flag, next, 0);
        k++;
      }
    }
  }
}

/** The `NAME=value` words a command starts with (the shell's assignments for that command), secret-named and literal. */
function leadingAssignments(words: Word[]): { name: string; word: Word; eq: number }[] {
  const out: { name: string; word: Word; eq: number }[] = [];
  for (const word of words) {
    const m = /^([A-Za-z_]\w*)=/.exec(word.value);
    if (!m) break;
    if (!word.dynamic && isSecretKey(m[1])) out.push({ name: m[1], word, eq: m[1].length });
  }
  return out;
}

/** `-Dspring.datasource.password=…`: a Java system property whose name is a secret's. */
function isSecretProperty(w: Word): boolean {
  const eq = w.value.indexOf('=');
  return !w.dynamic && eq > 2 && /^-D[A-Za-z][\w.-]*$/.test(w.value.slice(0, eq)) && isSecretKey(w.value.slice(2, eq));
}

/**
 * The credentials in a variable whose value is a list of command-line options (it starts with `-`): an image's
 * entrypoint hands it to its program (`REDIS_ARGS` to `redis-server` in redis-stack, `JAVA_OPTS` to `java`), so
 * its options are read as a command line's. `span` is where the value is written, offset for offset.
 */
export function optionListSites(text: string, span: Span, out: Collector): void {
  const value = text.slice(span.start, span.end);
  if (!/^\s*-/.test(value) || !EXEC_CREDENTIALS.test(value)) return;
  const found = new Collector();
  for (const words of shellCommands(value))
    commandSites(
      text,
      words.map((w) => ({ ...w, start: w.start + span.start, end: w.end + span.start })),
      found,
    );
  // Reported as the setting each option is (`requirepass`, `spring.datasource.password`), not as a command line.
  for (const site of found.sites) out.add({ ...site, kind: 'line', key: site.key.replace(/^-D|^--?/, '') });
}

/** `| chpasswd`, `| sudo chpasswd`, `| passwd --stdin user` right after a command. */
const INTO_PASSWORD = /[ \t]*\|[ \t]*(?:sudo[ \t]+(?:-\S+[ \t]+)*)?(chpasswd|passwd[ \t]+--stdin)\b/y;

/**
 * The password an `echo` or `printf` command pipes into `chpasswd` (after the `user:` of its `user:password` line)
 * or `passwd --stdin`: its last word, when literal.
 */
function passwordPipe(text: string, words: Word[]): { program: string; word: Word; from: number } | undefined {
  const last = words[words.length - 1];
  const program = programName(words[0]);
  if (words.length < 2 || (program !== 'echo' && program !== 'printf') || last.dynamic || last.value.startsWith('-')) return undefined;
  INTO_PASSWORD.lastIndex = last.end;
  const m = INTO_PASSWORD.exec(text);
  if (!m) return undefined;
  if (m[1] !== 'chpasswd') return { program: 'passwd --stdin', word: last, from: 0 };
  const colon = last.value.indexOf(':');
  return colon > 0 && colon < last.value.length - 1 && !last.value.includes('\n') ? { program: 'chpasswd', word: last, from: colon + 1 } : undefined;
}

/** `--token`, `--api-key`, `--auth`: a long option without `=value` whose name is a secret's. */
function isSecretOption(w: Word): boolean {
  return !w.dynamic && /^--[A-Za-z][\w-]*$/.test(w.value) && isSecretKey(w.value.slice(2));
}

/** The value of `aws configure set <name> <value>` when the setting's name (its last dotted part) is a secret's. */
function awsConfigureSetSite(args: Word[], add: (key: string, w: Word, from: number) => void): void {
  const positional: Word[] = [];
  for (let k = 0; k < args.length && positional.length < 2; k++) {
    // `--profile dev`: an option and its value.
    if (args[k].value.startsWith('--')) k++;
    else positional.push(args[k]);
  }
  const [name, value] = positional;
  if (!name || !value || name.dynamic || value.dynamic) return;
  const setting = name.value.slice(name.value.lastIndexOf('.') + 1);
  if (isSecretKey(setting)) add(setting, value, 0);
}

function isHelmRepoAdd(words: Word[]): boolean {
  const helm = words.findIndex((w) => programName(w) === 'helm');
  return helm >= 0 && words[helm + 1]?.value === 'repo' && words[helm + 2]?.value === 'add';
}

const CONTAINER_CLI = /^(?:docker|podman)$/;
const STARTS = new Set(['run', 'create', 'exec']);

/** `docker run`, `docker container create`, `podman exec`…: a command that passes variables to a container. */
function startsContainer(words: Word[]): boolean {
  const cli = words.findIndex((w) => CONTAINER_CLI.test(programName(w)));
  if (cli < 0) return false;
  const sub = words[cli + 1]?.value === 'container' ? words[cli + 2] : words[cli + 1];
  return sub !== undefined && STARTS.has(sub.value);
}

/**
 * `-e NAME=value`, `--env NAME=value`, `--env=NAME=value` (for `options` `-e` and `--env`) with a secret name and a
 * literal value. Names are variable names or Secret keys (letters, digits, `-`, `_`, `.`).
 */
function assignmentSites(words: Word[], options: ReadonlySet<string>, add: (key: string, w: Word, from: number) => void): void {
  for (let k = 0; k < words.length; k++) {
    const w = words[k];
    // `--env=NAME=value`: the name starts after the option in the same word.
    const eqAt = w.value.startsWith('--') ? w.value.indexOf('=') : -1;
    const from = eqAt > 0 && options.has(w.value.slice(0, eqAt)) ? eqAt + 1 : 0;
    const word = from > 0 ? w : options.has(w.value) ? words[++k] : undefined;
    if (!word || word.dynamic) continue;
    const eq = word.value.indexOf('=', from);
    const name = eq > from ? word.value.slice(from, eq) : '';
    if (/^[A-Za-z_.][\w.-]*$/.test(name) && isSecretKey(name)) add(name, word, eq + 1);
  }
}

/**
 * Where `w.value.slice(from, to)` is written: the word as it reads (`--password=x`), or quoted whole or after a
 * prefix (`--password="x"`) with `from` inside the quotes. Words with escapes or
 * several quoted parts are not located (undefined): a span must cover exactly the value.
 */
function located(text: string, w: Word, from: number, to: number): { start: number; end: number; quoted: boolean } | undefined {
  const raw = text.slice(w.start, w.end);
  if (raw === w.value) return { start: w.start + from, end: w.start + to, quoted: false };
  // A quote, or an escaped one (`\"`) in a script written inside a double-quoted string.
  const q = /\\?["']/.exec(raw);
  if (!q) return undefined;
  const p = q.index;
  const width = q[0].length;
  const closed = raw.length >= p + 2 * width && raw.endsWith(q[0]);
  if (!closed || from < p || raw.slice(0, p) !== w.value.slice(0, p) || raw.slice(p + width, raw.length - width) !== w.value.slice(p)) return undefined;
  return { start: w.start + from + width, end: w.start + to + width, quoted: true };
}
