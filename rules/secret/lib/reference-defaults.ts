import type { LineAssignment } from './lines';

/**
 * The default of a reference, written where the reference is: Spring's `${db.password:default}`
 * (https://docs.spring.io/spring-framework/reference/core/beans/annotation-config/value-annotations.html) in
 * `@Value(...)`, `application.yml` or `.properties`, and the shell's `${DB_PASSWORD:-default}`
 * (https://www.gnu.org/software/bash/manual/html_node/Shell-Parameter-Expansion.html). The default is what runs
 * wherever the property or variable is unset: under a secret name it is a hard-coded secret. The shell's `${X:?message}`
 * and `${X:+other}` are no defaults. The name cannot hold the `:` after it and the default stops at the first brace,
 * quote or blank, so the scan is linear.
 */
const DEFAULTED_REFERENCE = /\$\{([A-Za-z_][\w.-]{0,127}):(-?)([^\s{}$"'`?+-][^\s{}$"'`]{0,255})\}/g;

export function* referenceDefaults(text: string): Generator<LineAssignment> {
  if (!text.includes('${')) return;
  DEFAULTED_REFERENCE.lastIndex = 0;
  for (let m = DEFAULTED_REFERENCE.exec(text); m; m = DEFAULTED_REFERENCE.exec(text)) {
    const end = m.index + m[0].length - 1;
    yield { key: m[1], value: m[3], start: end - m[3].length, end, keyStart: m.index + 2, quoted: true };
  }
}
