import { readFileSync } from 'node:fs';

/** Reading a file once: size limit, binary detection (a NUL byte in the first 8 KB), UTF-8 or (with a byte order mark) UTF-16 decoding. */

export type Loaded = { kind: 'text'; text: string } | { kind: 'skipped'; reason: 'binary' | 'too-large'; size: number } | { kind: 'error'; message: string };

const SNIFF = 8 * 1024;

function isBinary(buf: Uint8Array): boolean {
  return buf.subarray(0, SNIFF).includes(0);
}

/** UTF-16 text with its byte order mark (little or big endian, as some Windows editors save): its NUL bytes are not binary. */
function utf16(buf: Buffer): string | undefined {
  const le = buf[0] === 0xff && buf[1] === 0xfe;
  const be = buf[0] === 0xfe && buf[1] === 0xff;
  if (!le && !be) return undefined;
  const body = Buffer.from(buf.subarray(2, buf.length - (buf.length % 2)));
  if (be) body.swap16();
  return body.toString('utf16le');
}

export function decode(buf: Buffer, maxFileSize: number): Loaded {
  if (buf.length > maxFileSize) return { kind: 'skipped', reason: 'too-large', size: buf.length };
  const wide = utf16(buf);
  if (wide !== undefined) return { kind: 'text', text: wide };
  if (isBinary(buf)) return { kind: 'skipped', reason: 'binary', size: buf.length };
  const text = buf.toString('utf8');
  // Offsets must match what an editor shows: it does not count a byte order mark.
  return { kind: 'text', text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
}

export function loadFile(abs: string, maxFileSize: number): Loaded {
  let buf: Buffer;
  try {
    buf = readFileSync(abs);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    return { kind: 'error', message: err.code ?? err.message };
  }
  return decode(buf, maxFileSize);
}
