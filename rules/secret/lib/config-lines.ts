import { type LineAssignment, PREFIX_ONLY } from './lines';

/**
 * Assignments that configuration and operations files write inside a line rather than at its start: options and
 * `NAME=value` pairs after other words, a systemd unit’s `Environment=` list, server directives that set a credential
 * (nginx, Apache, HAProxy, preseed, kickstart), `"NAME=value"` strings in code and Ruby `set :name`. Read by
 * `lineAssignments` (`lines.ts`), one line at a time.
 */

/**
 * Options written after other words of a command line: `java -Ddb.password=... -jar app.jar`, `JAVA_OPTS=-Xmx1g
 * -Dspring.datasource.password=...`, `exporter --log=info --db-pass=...`. Each follows a blank; quoted values keep
 * their quotes out. An unquoted value ends before a `)` or a backtick, which close the command substitution the
 * option is written in (`$(gcloud secrets versions access latest --secret=db-password)`): a shell word cannot hold
 * them unquoted.
 */
const LATER_OPTION = /(?<=[ \t])--?D?([A-Za-z][\w.-]{0,127})=(?:"([^"\r\n]*)"|'([^'\r\n]*)'|([^\s"'`)]+))/g;

/**
 * `NAME=value` after a blank, not first on its line: host variables of an Ansible INI inventory
 * (https://docs.ansible.com/ansible/latest/inventory_guide/intro_inventory.html#adding-variables-to-inventory), variables
 * set for one command. The pair after an option (`-e NAME=value`, `--build-arg NAME=value`) is the option's value, read
 * with the command; the first word of the line, and the one after `export` / `local` / `ENV`, are the line's own
 * assignment.
 */
const LATER_PAIR = /(?<=[ \t])([A-Za-z_][\w.-]{0,127})=(?![=~])(?:"([^"\r\n]*)"|'([^'\r\n]*)'|([^\s"'`()[\]{},;]+)[,;]?(?=[ \t\r\n]|$))/g;

const PLAIN_WORD = /^(?:[\w.@:/]+|[A-Za-z_][\w.-]*=\S*)$/;

export function* laterPairs(line: string, base: number): Generator<LineAssignment> {
  const first = line.search(/\S/);
  LATER_PAIR.lastIndex = 0;
  for (let m = LATER_PAIR.exec(line); m; m = LATER_PAIR.exec(line)) {
    if (m.index <= first) continue;
    // The word before the pair (scanned back over the blanks between them, each once).
    let end = m.index;
    while (end > 0 && (line[end - 1] === ' ' || line[end - 1] === '\t')) end--;
    let start = end;
    while (start > 0 && line[start - 1] !== ' ' && line[start - 1] !== '\t') start--;
    const previous = line.slice(start, end);
    // After a word of a command or an inventory line (a host, `env`, `sudo`, another pair); not after punctuation, a
    // quote or an option.
    if (!PLAIN_WORD.test(previous) || (start === first && PREFIX_ONLY.test(previous))) continue;
    const quoted = m[2] !== undefined || m[3] !== undefined;
    const value = quoted ? (m[2] ?? m[3]) : m[4];
    if (/["'`]/.test(value)) continue;
    const at = m.index + m[1].length + 1 + (quoted ? 1 : 0);
    yield { key: m[1], value, start: base + at, end: base + at + value.length, keyStart: base + m.index, quoted };
  }
}

/**
 * A systemd unit's `Environment=` (and `DefaultEnvironment=` of `system.conf`): a list of assignments separated by
 * blanks, each quoted whole or not (`Environment="DB_PASSWORD=..." LOG_LEVEL=info`,
 * https://www.freedesktop.org/software/systemd/man/latest/systemd.exec.html#Environment=).
 */
const UNIT_ENVIRONMENT = /^(?:Default)?Environment[ \t]*=[ \t]*/;
const UNIT_ASSIGNMENT = /(?:"([A-Za-z_]\w{0,127})=([^"\r\n]*)"|'([A-Za-z_]\w{0,127})=([^'\r\n]*)'|([A-Za-z_]\w{0,127})=([^\s"']*))(?=\s|$)/g;

export function* unitEnvironment(rest: string, at: number): Generator<LineAssignment> {
  const head = UNIT_ENVIRONMENT.exec(rest);
  if (!head) return;
  UNIT_ASSIGNMENT.lastIndex = head[0].length;
  for (let m = UNIT_ASSIGNMENT.exec(rest); m; m = UNIT_ASSIGNMENT.exec(rest)) {
    const quoted = m[1] !== undefined || m[3] !== undefined;
    const key = m[1] ?? m[3] ?? m[5];
    const value = m[2] ?? m[4] ?? m[6];
    // A specifier (`%d/api-token`, the unit's credentials directory) is expanded by systemd: the value is a path or a name.
    if (/%[A-Za-z]/.test(value)) continue;
    const start = m.index + (quoted ? 1 : 0) + key.length + 1;
    yield { key, value, start: at + start, end: at + start + value.length, keyStart: at + m.index + (quoted ? 1 : 0), quoted };
  }
}

/**
 * Server directives that set a named variable to a value: Apache's `SetEnv NAME value`
 * (https://httpd.apache.org/docs/2.4/mod/mod_env.html#setenv), nginx's `fastcgi_param NAME value;` (and `uwsgi_param`,
 * `scgi_param`: https://nginx.org/en/docs/http/ngx_http_fastcgi_module.html#fastcgi_param) and a PHP-FPM pool's
 * `env[NAME] = value` (https://www.php.net/manual/en/install.fpm.configuration.php).
 */
const DIRECTIVE =
  /^(?:(?:SetEnv|(?:fastcgi|uwsgi|scgi)_param)[ \t]+([A-Za-z_][\w.-]{0,127})[ \t]+|env\[([A-Za-z_]\w{0,127})\][ \t]*=[ \t]*)(?:"([^"\r\n]*)"|'([^'\r\n]*)'|([^\s"';]+))/;

/**
 * Other configuration lines that give a password after a keyword, by their own syntax, each with the name the finding
 * shows: an HAProxy user's `insecure-password` and the `stats auth user:password` of its statistics page
 * (https://docs.haproxy.org/2.8/configuration.html#3.4-user), a Debian preseed answer of type `password`
 * (`d-i passwd/user-password password ...`, https://www.debian.org/releases/stable/amd64/apbs03.en.html) and a
 * kickstart's `rootpw` in clear text (https://pykickstart.readthedocs.io/en/latest/kickstart-docs.html#rootpw; an
 * `--iscrypted` hash or `--lock` aside), and Redis's `requirepass`.
 */
const KEYWORD_PASSWORDS: readonly { re: RegExp; key: string }[] = [
  { re: /^user[ \t]+\S{1,128}[ \t]+(?:groups[ \t]+\S{1,256}[ \t]+)?insecure-password[ \t]+(\S{1,256})/, key: 'insecure-password' },
  { re: /^stats[ \t]+auth[ \t]+([^\s:]{1,128}:\S{1,256})/, key: 'stats auth' },
  { re: /^[a-z][\w-]{0,63}[ \t]+[\w.+-]{1,128}\/[\w./+-]{1,256}[ \t]+password[ \t]+(\S{1,256})/, key: 'password' },
  { re: /^rootpw(?:[ \t]+--plaintext)?[ \t]+([^\s-]\S{0,255})/, key: 'root password' },
  // Redis's and Valkey's `redis.conf` directive (https://redis.io/docs/latest/operate/oss_and_stack/management/config-file/).
  { re: /^requirepass[ \t]+(\S{1,256})/, key: 'requirepass' },
];

/** A text that may hold Redis's password directive, which has neither `=` nor `: ` (`requirepass …`). */
export const REDIS_DIRECTIVE = /requirepass[ \t]/;

export function directive(rest: string, at: number): LineAssignment | undefined {
  const m = DIRECTIVE.exec(rest);
  if (m) {
    const quoted = m[3] !== undefined || m[4] !== undefined;
    const key = m[1] ?? m[2];
    const value = m[3] ?? m[4] ?? m[5];
    const start = m[0].length - value.length - (quoted ? 1 : 0);
    return { key, value, start: at + start, end: at + start + value.length, keyStart: at + m[0].indexOf(key), quoted };
  }
  for (const { re, key } of KEYWORD_PASSWORDS) {
    const k = re.exec(rest);
    if (!k) continue;
    const start = k[0].length - k[1].length;
    return { key, value: k[1], start: at + start, end: at + start + k[1].length, keyStart: at, quoted: false };
  }
  return undefined;
}

/**
 * A string literal that is an environment assignment, `"DB_PASSWORD=..."`: a Jenkins pipeline's `withEnv([...])`
 * (https://www.jenkins.io/doc/pipeline/steps/workflow-basic-steps/#withenv-set-environment-variables), a process's
 * environment in code (`cmd.Env = append(os.Environ(), "API_TOKEN=...")`). The name is an environment variable's, in
 * capitals.
 */
const ENV_STRING = /(["'])([A-Z][A-Z0-9_]{0,127})=([^"'\s\\]{1,256})\1/g;

export function* environmentStrings(line: string, base: number): Generator<LineAssignment> {
  ENV_STRING.lastIndex = 0;
  for (let m = ENV_STRING.exec(line); m; m = ENV_STRING.exec(line)) {
    const start = m.index + 1 + m[2].length + 1;
    yield { key: m[2], value: m[3], start: base + start, end: base + start + m[3].length, keyStart: base + m.index + 1, quoted: true };
  }
}

/**
 * Ruby's `set :name, "value"` (Capistrano and Sinatra settings, https://capistranorb.com/documentation/getting-started/configuration/,
 * https://sinatrarb.com/configuration.html): the symbol names the setting.
 */
export const RUBY_SET = /^set[ \t]*\(?[ \t]*:([A-Za-z_]\w{0,127})[ \t]*,[ \t]*(["'])([^"'\r\n]*)\2/;

export function* laterOptions(line: string, base: number): Generator<LineAssignment> {
  LATER_OPTION.lastIndex = 0;
  for (let m = LATER_OPTION.exec(line); m; m = LATER_OPTION.exec(line)) {
    const quoted = m[2] !== undefined || m[3] !== undefined;
    const value = m[2] ?? m[3] ?? m[4];
    const start = m.index + m[0].length - value.length - (quoted ? 1 : 0);
    yield { key: m[1], value, start: base + start, end: base + start + value.length, keyStart: base + m[0].indexOf(m[1]) + m.index, quoted };
  }
}
