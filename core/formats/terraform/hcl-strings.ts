/** HCL string literals: quoted-string escapes, template text, heredoc indentation. */

/** Escapes of a quoted HCL string: `\n \r \t \" \\ \uNNNN \UNNNNNNNN`, and `$${` / `%%{` for literal `${` / `%{`. */
export function unescapeQuoted(raw: string): string {
  if (!raw.includes('\\') && !raw.includes('$${') && !raw.includes('%%{')) return raw;
  let out = '';
  const n = raw.length;
  for (let i = 0; i < n; i++) {
    const ch = raw[i];
    if (ch === '\\' && i + 1 < n) {
      const e = raw[i + 1];
      switch (e) {
        case 'n':
          out += '\n';
          i++;
          continue;
        case 'r':
          out += '\r';
          i++;
          continue;
        case 't':
          out += '\t';
          i++;
          continue;
        case '"':
        case '\\':
          out += e;
          i++;
          continue;
        case 'u':
        case 'U': {
          const len = e === 'u' ? 4 : 8;
          const hex = raw.slice(i + 2, i + 2 + len);
          if (hex.length === len && /^[0-9a-fA-F]+$/.test(hex)) {
            const cp = parseInt(hex, 16);
            if (cp <= 0x10ffff) {
              out += String.fromCodePoint(cp);
              i += 1 + len;
              continue;
            }
          }
          break;
        }
        default:
          break;
      }
      out += ch;
      continue;
    }
    if ((ch === '$' || ch === '%') && raw[i + 1] === ch && raw[i + 2] === '{') {
      out += `${ch}{`;
      i += 2;
      continue;
    }
    out += ch;
  }
  return out;
}

/** Heredocs take no backslash escapes; only `$${` and `%%{`. */
export function unescapeTemplateOnly(raw: string): string {
  if (!raw.includes('$${') && !raw.includes('%%{')) return raw;
  return raw.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{');
}

/** `<<-` heredoc: remove the indentation common to all non-blank lines. */
export function dedent(raw: string): string {
  const indent = commonIndent(raw);
  return unescapeTemplateOnly(indent > 0 ? stripIndent(raw, indent, true) : raw);
}

/** The smallest indentation (spaces/tabs) of the non-blank lines of a heredoc body. */
export function commonIndent(raw: string): number {
  let min = Infinity;
  let i = 0;
  const n = raw.length;
  while (i < n) {
    let j = i;
    while (j < n && (raw.charCodeAt(j) === 32 || raw.charCodeAt(j) === 9)) j++;
    const c = raw.charCodeAt(j);
    if (j < n && c !== 10 && c !== 13 && j - i < min) min = j - i;
    const nl = raw.indexOf('\n', j);
    if (nl < 0) break;
    i = nl + 1;
  }
  return min === Infinity ? 0 : min;
}

/** Remove up to `indent` blanks after each line break (and at the start when `atLineStart`). */
export function stripIndent(raw: string, indent: number, atLineStart: boolean): string {
  let out = '';
  let i = 0;
  const n = raw.length;
  let lineStart = atLineStart;
  while (i < n) {
    if (lineStart) {
      let k = 0;
      while (k < indent && i < n && (raw.charCodeAt(i) === 32 || raw.charCodeAt(i) === 9)) {
        i++;
        k++;
      }
    }
    const nl = raw.indexOf('\n', i);
    if (nl < 0) {
      out += raw.slice(i);
      break;
    }
    out += raw.slice(i, nl + 1);
    i = nl + 1;
    lineStart = true;
  }
  return out;
}
