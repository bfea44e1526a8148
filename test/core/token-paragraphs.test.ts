/**
 * Large texts are read for token formats paragraph by paragraph (so a keystroke re-reads one paragraph): the hits
 * must be exactly those of the whole text, wherever the cuts fall, and an edit must leave every other
 * paragraph's text as it was.
 */
import { describe, expect, it } from 'vitest';
import { paragraphStarts, scanTokens, tokensByParagraph } from '../../core/tokens';
import { findTokens } from '../../rules/secret/lib/tokens';

const AWS_ID = `AKIA${'2E0A8F3B244C9986'}`;
const AWS_SECRET = `${'Zq3rT8vW1xY5aB7cD9eF/'}${'gH2jK4mN6pQ8sU0wXyZ'}`;
const GITHUB = `ghp_${'ky40UVsWmflzdE1F8ResqEDusTpkr0cStY4q'}`;
const BODY = 'MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\nVTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK\n';

/** A Terraform-like text of `n` blocks, with secrets in some of them, a PEM key with a blank line inside, and an assignment whose value follows a blank line. */
function document(n: number): string {
  const blocks: string[] = [];
  for (let i = 0; i < n; i++) {
    if (i % 7 === 3) blocks.push(`resource "aws_iam_access_key" "k${i}" {\n  id     = "${AWS_ID}"\n  aws_secret_access_key = "${AWS_SECRET}"\n}\n`);
    else if (i % 11 === 5) blocks.push(`locals {\n  key = <<EOT\n-----BEGIN RSA PRIVATE KEY-----\n${BODY}\n${BODY}-----END RSA PRIVATE KEY-----\nEOT\n}\n`);
    else if (i % 13 === 6) blocks.push(`aws_secret_access_key =\n\n  "${AWS_SECRET}"\n`);
    else if (i % 5 === 1) blocks.push(`output "u${i}" {\n  value = "http://bob:Hunt3r-Tw0@backup${i}.example.invalid/dump"\n  token = "${GITHUB}"\n}\n`);
    else blocks.push(`resource "aws_s3_bucket" "b${i}" {\n  bucket = "bucket-${i}"\n  tags   = { Name = "b${i}" }\n}\n`);
  }
  return blocks.join('\n');
}

describe('token scan of a large text by paragraphs', () => {
  it('finds exactly what the whole text gives, with cuts after every blank line or every few blocks', async () => {
    const text = document(120);
    const whole = await scanTokens(text, 'main.tf', { paragraphs: { from: Number.POSITIVE_INFINITY, min: 0 } });
    expect(whole.length).toBeGreaterThan(30);
    expect(new Set(whole.map((h) => h.kind))).toEqual(new Set(['AWS access key id', 'AWS secret access key', 'private key', 'GitHub token']));
    for (const min of [0, 50, 400, 4096]) {
      const byParagraph = await scanTokens(text, 'main.tf', { paragraphs: { from: 0, min } });
      expect(byParagraph, `paragraphs of at least ${min} characters`).toEqual(whole);
    }
  });

  it('never cuts inside a PEM block or after an open assignment', () => {
    const text = document(40);
    const starts = paragraphStarts(text, 0);
    expect(starts.length).toBeGreaterThan(20);
    for (const s of starts) {
      const before = text.slice(0, s);
      expect(before.lastIndexOf('-----BEGIN')).toBeLessThanOrEqual(before.lastIndexOf('-----END'));
      expect(before.trimEnd().endsWith('=')).toBe(false);
    }
  });

  it('leaves every other paragraph unchanged when one character is typed', () => {
    const text = document(200);
    const paragraphs = (t: string) => {
      const starts = paragraphStarts(t, 1024);
      return starts.map((s, i) => t.slice(s, starts[i + 1] ?? t.length));
    };
    const before = paragraphs(text);
    expect(before.length).toBeGreaterThan(10);
    const at = text.indexOf('bucket-100');
    const after = paragraphs(`${text.slice(0, at)}x${text.slice(at)}`);
    expect(after).toHaveLength(before.length);
    expect(after.filter((p, i) => p !== before[i])).toHaveLength(1);
  });
});

describe('every token pattern by paragraphs', () => {
  /** Blocks that only the patterns beside secretlint's preset find: Authorization headers, API key headers, platform keys. */
  function extraDocument(n: number): string {
    const blocks: string[] = [];
    for (let i = 0; i < n; i++) {
      if (i % 6 === 2) blocks.push(`locals {\n  headers = { Authorization = "Bearer ${'k7Qd2LmX9vRt4WzP8nYs3HcB6'}${i}" }\n}\n`);
      else if (i % 6 === 4) blocks.push(`output "p${i}" {\n  value = "${`pcsk_${'4Xy7Zq'}`}_${'Hk3Jd8Ls2Qw7Pm5Nv9Bt4Rc6Gf1Yx8Wz3Kd7Lq2Ms5Nb9Vt4Hp6'}"\n}\n`);
      else blocks.push(`resource "aws_s3_bucket" "b${i}" {\n  bucket = "bucket-${i}"\n}\n`);
    }
    return blocks.join('\n');
  }

  it('finds exactly what the whole text gives', async () => {
    const text = `${extraDocument(90)}\n${document(60)}`;
    const whole = await findTokens(text, { filePath: 'main.tf', paragraphs: { from: Number.POSITIVE_INFINITY, min: 0 } });
    expect(whole.length).toBeGreaterThan(40);
    expect(whole.some((h) => h.source.startsWith('airlock#'))).toBe(true);
    for (const min of [0, 300, 4096]) {
      expect(await findTokens(text, { filePath: 'main.tf', paragraphs: { from: 0, min } }), `paragraphs of at least ${min} characters`).toEqual(whole);
    }
  });

  it('reads again only the paragraph a keystroke changed', async () => {
    const text = document(200);
    let read = 0;
    const scan = (paragraph: string) => {
      read++;
      return paragraph.includes('AKIA') ? [{ start: 0, end: 1, kind: 'k', source: 's' }] : [];
    };
    const sizes = { from: 0, min: 1024 };
    await tokensByParagraph(text, 'main.tf', 'count', scan, sizes);
    const first = read;
    expect(first).toBeGreaterThan(10);
    const at = text.indexOf('bucket-100');
    await tokensByParagraph(`${text.slice(0, at)}x${text.slice(at)}`, 'main.tf', 'count', scan, sizes);
    expect(read - first).toBe(1);
  });
});
