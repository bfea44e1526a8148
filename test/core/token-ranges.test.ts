/**
 * Secretlint's npm and AWS rules report a setting's value from the setting's name on, with the value's length
 * (`_authToken=<token>` as `_authTo`): the hit is moved onto the value, so that placeholders are judged and secrets
 * masked by what is written after the `=`. Hits that cover the name and the whole value stay as they are.
 */
import { describe, expect, it } from 'vitest';
import { scanTokens } from '../../core/tokens';
import { findTokens } from '../../rules/secret/lib/tokens';

const NPM_VALUE = `Zq81Lm2Xv9Rt4Kp0${'Wn3aQ7Bc'}`;
const AWS_SECRET = `${'Zq3rT8vW1xY5aB7cD9eF/'}${'gH2jK4mN6pQ8sU0wXyZ'}`;

function texts(text: string, hits: { start: number; end: number }[]): string[] {
  return hits.map((h) => text.slice(h.start, h.end));
}

describe('preset hits reported from a setting name', () => {
  it("puts npm's _authToken hit on the value", async () => {
    const text = `//registry.example.com/npm/:_authToken=${NPM_VALUE}\n`;
    expect(texts(text, await scanTokens(text, '.npmrc'))).toEqual([NPM_VALUE]);
  });

  it("puts the AWS secret access key's hit on the value, not on what follows it in a JSON string", async () => {
    const text = `{"user_data": "AWS_SECRET_ACCESS_KEY=${AWS_SECRET}\\nexport REGION=eu-west-1"}\n`;
    expect(texts(text, await scanTokens(text, 'plan.json'))).toEqual([AWS_SECRET]);
  });

  it('judges the value alone as a placeholder', async () => {
    for (const value of ['<token>', 'REDACTED', '${NPM_TOKEN}']) {
      const text = `//registry.npmjs.org/:_authToken=${value}\n`;
      expect(await findTokens(text, { filePath: '.npmrc' }), value).toEqual([]);
    }
  });

  it('leaves a hit that covers its whole text, base64 padding included', async () => {
    const token = `glc_${Buffer.from('{"o":"123456","n":"deploy-ci","k":"Zq81Lm2Xv9Rt4Kp0Wn3aQ7Bc","m":{"r":"eu"}}').toString('base64')}`;
    const text = `${token}\n`;
    expect(texts(text, await scanTokens(text, 'input.txt'))).toEqual([token]);
  });
});

describe('preset hits that start a URL', () => {
  it('leaves a password in a URL on the URL', async () => {
    const url = `https://deploy:${NPM_VALUE}@git.example.com`;
    const text = `${url}/acme/app.git\n`;
    expect(texts(text, await findTokens(text))).toEqual([url]);
  });
});
