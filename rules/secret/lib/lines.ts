import { isWordDefault } from './values';
import { RUBY_SET, directive, environmentStrings, laterOptions, laterPairs, unitEnvironment } from './config-lines';

/**
 * `KEY=value` and `key: value` assignments in line-oriented text: dotenv files, Dockerfile `ARG`/`ENV`,
 * shell scripts (`export KEY=value`, user data), `.properties`/INI files, docker-compose environment
 * lists (`- KEY=value`) and YAML that did not parse. One line at a time, so every regex is linear.
 */

export interface LineAssignment {
  key: string;
  /** The value without quotes, trailing comments or a trailing comma. */
  value: string;
  /** Offsets of `value` in the scanned text (plus the base offset). */
  start: number;
  end: number;
  keyStart: number;
  /** The value was written in quotes. */
  quoted: boolean;
}

export interface LineScanOptions {
  /** Offset added to every position (the text is a slice of a larger text). */
  base?: number;
  /** Source code: only quoted values count (an unquoted value is an expression). */
  quotedOnly?: boolean;
  /** Treat a literal `\n` (backslash, n) as a line break: a JSON or HCL string holding a script. */
  escapedNewlines?: boolean;
  /** A bare word before `=>` is an entry's key (Perl's fat comma quotes it), not an arrow function's parameter. */
  bareArrowKeys?: boolean;
  /**
   * `NAME=value` pairs after other words of a line count too: an Ansible inventory's host line
   * (`db01 ansible_host=10.0.0.5 ansible_become_pass=...`), variables before a command (`env A=1 TOKEN=... cmd`).
   */
  laterPairs?: boolean;
}

const PREFIX = /^(?:export|declare(?:\s+-[A-Za-z]+)*|local|readonly|set|setx|ARG|ENV|LABEL)\s+/;
/** A line holding only such a word so far: the pair after it is the line's own assignment. */
export const PREFIX_ONLY = /^(?:export|declare(?:\s+-[A-Za-z]+)*|local|readonly|set|setx|ARG|ENV|LABEL)$/;
const KEY = /^(["']?)([A-Za-z_][A-Za-z0-9_.-]{0,127})\1/;
/** The registry an `.npmrc` setting is scoped to, up to the `/:` before the key (https://docs.npmjs.com/cli/v10/configuring-npm/npmrc#auth-related-configuration). */
const NPM_REGISTRY_SCOPE = /^\/\/[^\s/=]+(?:\/[^\s=]*)?\/:(?=[A-Za-z_])/;
/** `echo "KEY=value" >> app.env`, `echo KEY=value | tee -a .env`: a script writing an assignment into a file. */
const ECHO = /^echo(?:[ \t]+-[neE]+)*[ \t]+/;

/** Offsets where each line starts (real line breaks, and `\n` escapes when asked). */
function lineBreaks(text: string, escaped: boolean): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      out.push({ start, end: i > start && text.charCodeAt(i - 1) === 13 ? i - 1 : i });
      start = i + 1;
    } else if (escaped && c === 92 /* \ */ && (text[i + 1] === 'n' || text[i + 1] === 'r')) {
      out.push({ start, end: i });
      start = i + 2;
      i++;
    }
  }
  out.push({ start, end: text.length });
  return out;
}

/** Where an unquoted value ends: whitespace before a `#` comment, or (for `=` forms) any whitespace. */
function unquotedEnd(s: string, stopAtSpace: boolean): number {
  // `KEY=<your key>`: a placeholder in angle brackets holds its blanks.
  if (stopAtSpace && s[0] === '<') {
    const close = s.indexOf('>');
    if (close > 0 && /[ \t]/.test(s.slice(0, close))) return close + 1;
  }
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === ' ' || c === '\t') {
      if (stopAtSpace) return i;
      if (s[i + 1] === '#') return i;
    }
  }
  return s.length;
}

/** Type names written after a declared name (`var apiSecret string`, `val secret: String`). */
const TYPE_NAMES = new Set(['string', 'String', 'str', 'char', 'CharSequence', 'Any', 'any', 'const', 'var', 'let', 'val', 'auto']);

/**
 * A type alias (TypeScript `type RequestCredentials = "include" | "omit"`, Python 3.12 `type Token = str`): the literals
 * after its `=` are the type's values, not a value given to a name.
 */
const TYPE_ALIAS = /^\s*(?:export\s+)?(?:declare\s+)?type\s+[A-Za-z_$][\w$]*\s*(?:<[^=]*>\s*)?=/;

/**
 * A declaration or assignment of a quoted literal in source code, offsets relative to `line`:
 * `const clientSecret = "..."`, `jwtSecret := "..."`, `private static final String CLIENT_SECRET = "...";`,
 * `var apiSecret string = "..."`, `val consumerSecret: String = "..."`. The name is the last identifier before
 * the `=` that is not a type; comparisons (`==`, `!=`, `<=`, `>=`) and arrows are not assignments.
 */
function codeAssignment(line: string): LineAssignment | undefined {
  if (TYPE_ALIAS.test(line)) return undefined;
  let eq = line.indexOf('=');
  while (eq > 0 && ('=!<>'.includes(line[eq - 1]) || line[eq + 1] === '=' || line[eq + 1] === '>')) {
    const next = line.indexOf('=', eq + 2);
    if (next < 0) return undefined;
    eq = next;
  }
  if (eq <= 0) return undefined;
  // A Rust lifetime (`&'static str`) blanked out and PHP's `->` (`$mail->Password`) read as a dot, offsets kept.
  let left = line
    .slice(0, line[eq - 1] === ':' ? eq - 1 : eq)
    .replace(/&'[A-Za-z_]\w*/g, (m) => `&${' '.repeat(m.length - 1)}`)
    .replace(/->/g, '. ');
  // `ENV["API_KEY"] = "..."`, `$config['password'] = '...'`, `settings["token"] = "..."`, a Ruby symbol
  // (`knife[:aws_secret_access_key] = "..."`): the subscript names it.
  const subscript = SUBSCRIPT.exec(left);
  if (subscript) left = left.slice(0, subscript.index);
  if (!/^[\w$.\s:<>[\],?*&]*$/.test(left) || (!subscript && !left.trim())) return undefined;
  let name = subscript ? (subscript[2] ?? subscript[3]) : undefined;
  const names = subscript ? [] : (left.match(/[A-Za-z_$][\w$.]*/g) ?? []);
  for (let i = names.length - 1; i >= 0 && name === undefined; i--) if (!TYPE_NAMES.has(names[i])) name = names[i];
  if (name === undefined) return undefined;
  const after = line.slice(eq + 1);
  let value = after.trimStart();
  const wrapper = LITERAL_WRAPPER.exec(value);
  if (wrapper) value = value.slice(wrapper[0].length);
  const q = value[0];
  if (q !== '"' && q !== "'" && q !== '`') return undefined;
  const close = value.indexOf(q, 1);
  if (close < 0) return undefined;
  const start = line.length - value.length + 1;
  const keyStart = subscript ? subscript.index + subscript[0].indexOf(name) : left.lastIndexOf(name);
  return { key: name, value: value.slice(1, close), start, end: start + close - 1, keyStart, quoted: true };
}

/** A quoted name in brackets at the end of an assignment's left side. */
const SUBSCRIPT = /\[\s*(?:(["'])([A-Za-z_][\w.-]{0,127})\1|:([A-Za-z_]\w{0,127}))\s*\]\s*$/;

/**
 * What may stand between `=` and the literal of a declaration: a conversion of the literal (`[]byte("...")` in Go,
 * `Buffer.from("...")`, a C# verbatim or Objective-C string `@"..."`, PowerShell's `ConvertTo-SecureString "..." -AsPlainText`,
 * https://learn.microsoft.com/powershell/module/microsoft.powershell.security/convertto-securestring), or an
 * environment read with the literal as its fallback (`process.env.X || "..."`, `os.Getenv("X") ?: "..."`): the
 * literal is what runs wherever the variable is unset.
 */
const LITERAL_WRAPPER =
  /^(?:(?:\[\](?:byte|rune)|string|String|str|bytes|Buffer\.from|new\s+String)\(\s*|@(?=")|ConvertTo-SecureString\s+(?:-String\s+)?|(?:process\.env(?:\.[\w$]+|\[[^\]]{1,64}\])|os\.Getenv\([^)]{1,64}\)|System\.getenv\([^)]{1,64}\))\s*(?:\|\||\?\?|\?:)\s*)/;

const INLINE_ENTRY = /[{([,][ \t]*(:?)(["']?)([A-Za-z_$][\w$-]{0,127})\2[ \t]*(:|=>|=(?![=>]))[ \t]*(["'`])/g;

/**
 * Entries and named arguments written inside a line of code: `session({ secret: "...", resave: false })`,
 * `Client.new(api_key: "...")` (Ruby), `connect(url, password = "...")` (Kotlin), `Login(password: "...")` (C#),
 * `{ :password => "..." }` (a Ruby hash rocket), `['password' => '...']` (a PHP array). A bare name before `=>` is an
 * arrow function's parameter (`map(token => "...")`), not an entry.
 */
function* inlineEntries(line: string, base: number, bareArrowKeys: boolean): Generator<LineAssignment> {
  INLINE_ENTRY.lastIndex = 0;
  for (let m = INLINE_ENTRY.exec(line); m; m = INLINE_ENTRY.exec(line)) {
    const start = m.index + m[0].length;
    const close = line.indexOf(m[5], start);
    if (close < 0) return;
    const keyStart = m.index + m[0].indexOf(m[3]);
    if (m[4] !== '=>' || m[1] || m[2] || bareArrowKeys)
      yield { key: m[3], value: line.slice(start, close), start: base + start, end: base + close, keyStart: base + keyStart, quoted: true };
    INLINE_ENTRY.lastIndex = close + 1;
  }
}

/**
 * Calls that set a named value to a literal: PHP's `define('DB_PASSWORD', '...')` (wp-config.php,
 * https://www.php.net/manual/en/function.define.php), C and Ruby `setenv`, and on a receiver Go's
 * `os.Setenv("API_TOKEN", "...")` (https://pkg.go.dev/os#Setenv), Java's `System.setProperty` / `props.setProperty`
 * (https://docs.oracle.com/en/java/javase/21/docs/api/java.base/java/util/Properties.html#setProperty(java.lang.String,java.lang.String)),
 * `map.put`, viper's `SetDefault` (https://pkg.go.dev/github.com/spf13/viper#SetDefault), `localStorage.setItem`,
 * `headers.set` and a `set(section, option, value)` of three strings. A value with blanks is a message
 * (`errors.put("password", "is required")`), and a map's `set` / `put` / `setItem` of one word is a state
 * (`cache.set("session_token", "pending")`), not a secret.
 */
const SETTER_CALL =
  /(?:(?<![\w$.])(?:define|setenv)|(?<=[\w$)\]])\.(?:Setenv|setenv|setProperty|SetDefault|(?<generic>setItem|put|set)))\s*\(\s*(?:(?<sq>["'])[^"'\r\n]{1,128}\k<sq>\s*,\s*)?(?<nq>["'])(?<name>[A-Za-z_][\w.-]{0,127})\k<nq>\s*,\s*(?<q>["'])/g;

/**
 * Android's `buildConfigField "String", "API_KEY", "\"...\""` or `'String', 'API_KEY', '"..."'`: the value is Java
 * source, a string literal in its own quotes
 * (https://developer.android.com/build/gradle-tips#share-custom-fields-and-resource-values-with-your-app-code).
 */
const BUILD_CONFIG_FIELD = /(?<![\w$.])buildConfigField\s*\(?\s*(["'])[^"'\r\n]{1,64}\1\s*,\s*["'](?<name>[A-Za-z_]\w{0,127})["']\s*,\s*["'](?<q>\\"|")/g;

/**
 * Credential constructors whose second argument is the password: .NET `new NetworkCredential("user", "...")`
 * (https://learn.microsoft.com/dotnet/api/system.net.networkcredential.-ctor), Apache HttpClient
 * `new UsernamePasswordCredentials("user", "...")`, OkHttp `Credentials.basic("user", "...")`
 * (https://square.github.io/okhttp/5.x/okhttp/okhttp3/-credentials/basic.html), Go's `req.SetBasicAuth("user", "...")`
 * (https://pkg.go.dev/net/http#Request.SetBasicAuth). The user may be a literal or a variable; the password is a literal.
 */
const CREDENTIAL_CALL =
  /(?:(?<![\w$])(?:NetworkCredential|UsernamePasswordCredentials|Credentials\.basic)|\.SetBasicAuth)\s*\(\s*(?:(["'])[^"'\r\n]{1,128}\1|[\w$.]{1,128})\s*,\s*(?<q>["'])/g;

function* setterCalls(line: string, base: number): Generator<LineAssignment> {
  for (const re of [SETTER_CALL, BUILD_CONFIG_FIELD, CREDENTIAL_CALL]) {
    re.lastIndex = 0;
    for (let m = re.exec(line); m; m = re.exec(line)) {
      const start = m.index + m[0].length;
      const { name, q = '"', generic } = m.groups ?? {};
      const close = line.indexOf(q, start);
      if (close < 0) break;
      re.lastIndex = close + 1;
      const value = line.slice(start, close);
      if (/\s/.test(value) || (generic && isWordDefault(value))) continue;
      const keyStart = name ? m.index + m[0].lastIndexOf(name) : m.index;
      yield { key: name ?? 'password', value, start: base + start, end: base + close, keyStart: base + keyStart, quoted: true };
    }
  }
}

/** A Groovy or Ruby call of a setting with one literal and no parentheses: `storePassword "..."` (a Gradle signing config). */
const COMMAND_FORM = /^([A-Za-z_]\w{0,127})[ \t]+(["'])([^"'\r\n]*)\2[ \t]*;?[ \t]*$/;

/**
 * Declarations in code without `=`: a preprocessor macro, `#define WIFI_PASSWORD "..."` (C, C++, Objective-C, Arduino
 * sketches), and R's `api_key <- "..."` (https://stat.ethz.ch/R-manual/R-devel/library/base/html/assignOps.html).
 */
const MACRO_OR_LEFT_ARROW = /^(?:#[ \t]*define[ \t]+([A-Za-z_]\w{0,127})[ \t]+|([A-Za-z_.][\w.]{0,127})[ \t]*<<?-[ \t]*)(["'])/;

function macroOrLeftArrow(rest: string, at: number): LineAssignment | undefined {
  const m = MACRO_OR_LEFT_ARROW.exec(rest);
  const close = m ? rest.indexOf(m[3], m[0].length) : -1;
  if (!m || close < 0) return undefined;
  const key = m[1] ?? m[2];
  return { key, value: rest.slice(m[0].length, close), start: at + m[0].length, end: at + close, keyStart: at + m[0].indexOf(key), quoted: true };
}

export function* lineAssignments(text: string, opts: LineScanOptions = {}): Generator<LineAssignment> {
  const base = opts.base ?? 0;
  for (const line of lineBreaks(text, opts.escapedNewlines ?? false)) {
    let pos = line.start;
    const raw = text.slice(line.start, line.end);
    if (!opts.quotedOnly && raw.includes('-')) yield* laterOptions(raw, base + line.start);
    let rest = raw.trimStart();
    if (opts.laterPairs && raw.includes('=') && !/^(?:#|\/\/|;)/.test(rest)) yield* laterPairs(raw, base + line.start);
    pos += raw.length - rest.length;
    if (!opts.quotedOnly) {
      const set = directive(rest, base + pos);
      if (set) {
        yield set;
        continue;
      }
      if (rest.startsWith('Environment') || rest.startsWith('DefaultEnvironment')) {
        let listed = false;
        for (const a of unitEnvironment(rest, base + pos)) {
          listed = true;
          yield a;
        }
        if (listed) continue;
      }
    }
    const declared = opts.quotedOnly ? macroOrLeftArrow(rest, base + pos) : undefined;
    if (declared) yield declared;
    // An `.npmrc` setting scoped to a registry (`//registry.example.com/npm/:_password=...`) is no comment: the key
    // follows the registry's `/:`.
    const scoped = opts.quotedOnly || !rest.startsWith('//') ? null : NPM_REGISTRY_SCOPE.exec(rest);
    if (scoped) {
      pos += scoped[0].length;
      rest = rest.slice(scoped[0].length);
    }
    if (declared || rest.startsWith('#') || rest.startsWith('//') || rest.startsWith(';')) continue;
    // A block comment's lines in source code (`/* ...`, ` * ...`).
    if (opts.quotedOnly && (rest.startsWith('/*') || rest.startsWith('*'))) continue;
    // Entries after an opening bracket or a comma: `session({ secret: "..." })`, Elixir's `config :app, Endpoint, secret_key_base: "..."`.
    if (opts.quotedOnly && /[{([,]/.test(rest)) yield* inlineEntries(rest, base + pos, opts.bareArrowKeys ?? false);
    if (opts.quotedOnly && (rest.includes('(') || rest.includes('buildConfigField'))) yield* setterCalls(rest, base + pos);
    if (opts.quotedOnly && rest.includes('=')) yield* environmentStrings(rest, base + pos);
    const rubySet = opts.quotedOnly && rest.startsWith('set') ? RUBY_SET.exec(rest) : null;
    if (rubySet) {
      const start = base + pos + rubySet[0].length - rubySet[3].length;
      yield { key: rubySet[1], value: rubySet[3], start, end: start + rubySet[3].length, keyStart: base + pos + rubySet[0].indexOf(rubySet[1]), quoted: true };
      continue;
    }
    if (rest.startsWith('- ')) {
      const t = rest.slice(2).trimStart();
      pos += rest.length - t.length;
      rest = t;
    }
    // A command-line option: `--db-pass=...` in a container's args or a script, `-password=...` (Flyway's single dash),
    // `-Dspring.datasource.password=...` (a Java system property).
    const dash = /^(?:--|-D(?=[a-z][\w-]*\.)|-)(?=[A-Za-z])/.exec(rest);
    if (dash) {
      pos += dash[0].length;
      rest = rest.slice(dash[0].length);
    }
    const echo = opts.quotedOnly ? null : ECHO.exec(rest);
    if (echo) {
      pos += echo[0].length;
      rest = rest.slice(echo[0].length);
      // The quotes wrap the whole assignment: what they hold is the line written.
      const close = rest[0] === '"' || rest[0] === "'" ? rest.indexOf(rest[0], 1) : -1;
      if (close > 0) {
        rest = rest.slice(1, close);
        pos += 1;
      }
      // `echo 'requirepass …' >> /etc/redis.conf`: a configuration directive written into its file.
      const written = directive(rest, base + pos);
      if (written) {
        yield written;
        continue;
      }
    }
    const prefix = PREFIX.exec(rest);
    const isEnv = prefix !== null && /^ENV\s/.test(prefix[0]);
    if (prefix) {
      pos += prefix[0].length;
      rest = rest.slice(prefix[0].length);
    }
    // A Ruby symbol before a hash rocket (`:password => "..."`).
    const symbol = opts.quotedOnly === true && /^:[A-Za-z_]/.test(rest);
    if (symbol) {
      pos += 1;
      rest = rest.slice(1);
    }
    const key = KEY.exec(rest);
    if (opts.quotedOnly && (!key || !/^\s*(=|:(?=\s|$))/.test(rest.slice(key[0].length)))) {
      const command = COMMAND_FORM.exec(rest);
      if (command) {
        const start = base + pos + command[0].indexOf(command[2]) + 1;
        yield { key: command[1], value: command[3], start, end: start + command[3].length, keyStart: base + pos, quoted: true };
        continue;
      }
      const declared = codeAssignment(rest);
      if (declared) yield { ...declared, start: base + pos + declared.start, end: base + pos + declared.end, keyStart: base + pos + declared.keyStart };
      continue;
    }
    if (!key) continue;
    const keyStart = pos + (key[1] ? 1 : 0);
    let after = rest.slice(key[0].length);
    let offset = pos + key[0].length;
    // The separator: `=`, `:` followed by a space (YAML; a bare `:` is a URL or a port), a space after ENV, or `=>`
    // (a PHP array or Ruby hash entry, a Logstash or Puppet setting), whose value counts only quoted.
    let eqForm = false;
    // Make's `:=`, `::=`, `:::=` and `?=` set a variable too (https://www.gnu.org/software/make/manual/make.html#Setting).
    const sep = /^\s*(=>|:{1,3}=|\?=|=|:(?=\s|$))\s*/.exec(after) ?? (isEnv ? /^\s+/.exec(after) : null);
    if (!sep) continue;
    eqForm = sep[1]?.endsWith('=') === true && sep[1] !== '=>';
    const arrow = sep[1] === '=>';
    // In code, a bare name before `=>` is an arrow function's parameter.
    if (arrow && opts.quotedOnly && !key[1] && !symbol && !opts.bareArrowKeys) continue;
    after = after.slice(sep[0].length);
    offset += sep[0].length;
    if (!after) continue;
    let value: string;
    let quoted = false;
    let start = offset;
    const q = after[0];
    if (q === '"' || q === "'" || q === '`') {
      const close = after.indexOf(q, 1);
      if (close < 0) continue;
      value = after.slice(1, close);
      start = offset + 1;
      quoted = true;
      // In a shell script a backquoted value is a command substitution (`TOKEN=`gcloud secrets versions access …``):
      // the command's output, not a value written here. One that holds a blank is read that way; a word in
      // backquotes may still be a dotenv value.
      if (q === '`' && !opts.quotedOnly && /\s/.test(value)) continue;
    } else {
      if (opts.quotedOnly || arrow) continue;
      value = after.slice(0, unquotedEnd(after, eqForm && !isEnv));
      value = value.replace(/[,;]$/, '');
    }
    if (!value) continue;
    yield { key: key[2], value, start: base + start, end: base + start + value.length, keyStart: base + keyStart, quoted };
  }
}
