import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { maskParserMessage } from '../../core/mask';

const SECRET = 'Xk9mQ2vL8pR4tZ7wQ3';

/** Whether any 8 characters in a row of the secret survive in `message`. */
function leaks(message: string, secret = SECRET): boolean {
  for (let i = 0; i + 8 <= secret.length; i++) if (message.includes(secret.slice(i, i + 8))) return true;
  return false;
}

/** The `yaml` parser's messages (errors and warnings) on `text`, masked as an adapter would. */
function yamlMessages(text: string): string[] {
  const out: string[] = [];
  for (const doc of parseAllDocuments(text) as ReturnType<typeof parseAllDocuments> & unknown[]) {
    for (const e of [...doc.errors, ...doc.warnings]) out.push(maskParserMessage(e.message, text, e.pos[0], e.pos[1]));
  }
  return out;
}

describe('parser messages never print source text back in full', () => {
  it.each([
    ['an unknown tag', `value: !${SECRET} abc\n`],
    ['an unknown tag in the yaml.org namespace', `value: !!${SECRET} abc\n`],
    ['a bad \\U escape', `value: "\\U${SECRET}"\n`],
    ['extra characters after a block scalar header', `value: |${SECRET}\n  x\n`],
    ['an unknown directive', `%${SECRET} x\n---\na: 1\n`],
    ['a quoted key without a value', `a: b\n"password: ${SECRET}" c\n`],
  ])('%s', (_, text) => {
    const messages = yamlMessages(text);
    expect(messages.length).toBeGreaterThan(0);
    for (const m of messages) expect(leaks(m), m).toBe(false);
  });

  it('masks an alias the way a secret is shown elsewhere, keeping the words', () => {
    const text = `value: *${SECRET}\n`;
    expect(maskParserMessage(`YAML: Unresolved alias *${SECRET}`, text, 7, 7 + SECRET.length + 1)).toBe('YAML: Unresolved alias *Xk9…7wQ3');
  });

  it('masks whatever a message quotes, even with no source at hand', () => {
    expect(maskParserMessage(`Unexpected scalar token in YAML stream: "password: ${SECRET}"`, '')).toBe('Unexpected scalar token in YAML stream: "pass…7wQ3"');
  });

  it('leaves messages without source text alone', () => {
    const text = 'a:\n  - b\n c: d\n';
    expect(maskParserMessage('All mapping items must start at the same column', text, 9, 10)).toBe('All mapping items must start at the same column');
    expect(maskParserMessage('JSON: unexpected end of file', '{"a": ', 6, 6)).toBe('JSON: unexpected end of file');
  });

  it('looks only near the span: the same word far away in the file is not an echo', () => {
    const text = `${'x'.repeat(10_000)} foo-bar-baz ${'y'.repeat(10_000)}`;
    expect(maskParserMessage('Unknown foo-bar-baz', text, 0, 1)).toBe('Unknown foo-bar-baz');
    expect(maskParserMessage('Unknown foo-bar-baz', text, 10_001, 10_012)).toBe('Unknown fo…az');
  });
});
