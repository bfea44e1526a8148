/** Python string literals: escape sequences, and `{{`/`}}` in f-strings. */

const SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};

/** Decode the content of a Python string literal (escape sequences; `{{`/`}}` in f-strings). */
export function decodePythonString(raw: string, prefix: string): string {
  const isRaw = prefix.includes('r');
  const isF = prefix.includes('f') || prefix.includes('t');
  const isBytes = prefix.includes('b');
  if (isRaw) return isF ? raw.replace(/\{\{/g, '{').replace(/\}\}/g, '}') : raw;
  if (!raw.includes('\\') && !(isF && /\{\{|\}\}/.test(raw))) return raw;
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (isF && (c === '{' || c === '}') && raw[i + 1] === c) {
      out += c;
      i++;
      continue;
    }
    if (c !== '\\' || i + 1 >= raw.length) {
      out += c;
      continue;
    }
    const e = raw[i + 1];
    if (e === '\n') {
      i++;
      continue;
    }
    if (e === '\r') {
      i += raw[i + 2] === '\n' ? 2 : 1;
      continue;
    }
    if (e in SIMPLE_ESCAPES) {
      out += SIMPLE_ESCAPES[e];
      i++;
      continue;
    }
    let m: RegExpExecArray | null;
    const rest = raw.slice(i + 1, i + 10);
    if ((m = /^[0-7]{1,3}/.exec(rest))) {
      out += String.fromCharCode(parseInt(m[0], 8));
      i += m[0].length;
      continue;
    }
    if ((m = /^x([0-9a-fA-F]{2})/.exec(rest))) {
      out += String.fromCharCode(parseInt(m[1], 16));
      i += m[0].length;
      continue;
    }
    if (!isBytes && (m = /^u([0-9a-fA-F]{4})|^U([0-9a-fA-F]{8})/.exec(rest))) {
      const cp = parseInt(m[1] ?? m[2], 16);
      out += cp <= 0x10ffff ? String.fromCodePoint(cp) : m[0];
      i += m[0].length;
      continue;
    }
    // Unknown escape (and `\N{...}`): kept as written, like Python does for unknown escapes.
    out += c;
  }
  return out;
}
