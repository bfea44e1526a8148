import { describe, expect, it } from 'vitest';
import { notebook, scan } from './helpers';

const SECRET = ['secret/hardcoded-password'];
const PASSWORD = 'password = "Sup3rS3cretPassw0rd!"';

describe('notebooks (Python code cells)', () => {
  it('#nosec, # nosec B105 and # noqa: S105 on the line of the secret', async () => {
    for (const marker of ['#nosec', '# nosec B105', '# noqa: S105', '# noqa: E501, S106', '# gitleaks:allow', '# pragma: allowlist secret']) {
      expect((await scan('/p/n.ipynb', notebook(`${PASSWORD}  ${marker}`), SECRET)).lines, marker).toEqual([]);
    }
  });

  it('on the line above, or naming another check, they do not apply', async () => {
    expect((await scan('/p/n.ipynb', notebook(`# nosec\n${PASSWORD}`), SECRET)).lines).toEqual([2]);
    expect((await scan('/p/n.ipynb', notebook(`${PASSWORD}  # nosec B602`), SECRET)).lines).toEqual([1]);
    expect((await scan('/p/n.ipynb', notebook(`${PASSWORD}  # noqa: E501`), SECRET)).lines).toEqual([1]);
  });

  it('a marker covers its own cell only', async () => {
    const r = await scan('/p/n.ipynb', notebook(`${PASSWORD}  # nosec`, PASSWORD), SECRET);
    expect(r.lines).toEqual([1]);
    expect(r.suppressed).toBe(1);
  });

  it('a bandit code that maps to nothing is reported as unmapped; other linters’ noqa codes are not reported', async () => {
    const r = await scan('/p/n.ipynb', notebook(`${PASSWORD}  # nosec B602\nx = 1  # noqa: E501`), SECRET);
    expect(r.unused).toEqual([expect.objectContaining({ tool: 'bandit', ids: ['B602'], kind: 'unmapped' })]);
  });
});

describe('text files (dotenv, scripts)', () => {
  const env = (...lines: string[]) => lines.join('\n');
  const TOKEN = 'API_KEY=ghp_Z8q3Lx7Vb2Nm4Kp9Rt6Wy1Hs5Dc0Fg3Jk8Qa';
  const RULES = ['secret/known-token', 'secret/hardcoded-password'];

  it('gitleaks:allow, pragma: allowlist secret and checkov:skip=CKV_SECRET_* on the line', async () => {
    for (const marker of ['# gitleaks:allow', '# pragma: allowlist secret', '# checkov:skip=CKV_SECRET_2 test key']) {
      expect((await scan('/p/.env', env(`${TOKEN} ${marker}`, 'DEBUG=1', 'DB_PASSWORD=Sup3rS3cretPassw0rd!'), RULES)).lines, marker).toEqual([3]);
    }
  });

  it('pragma: allowlist nextline secret covers the next line only', async () => {
    const text = env('# pragma: allowlist nextline secret', TOKEN, 'DB_PASSWORD=Sup3rS3cretPassw0rd!');
    expect((await scan('/p/.env', text, RULES)).lines).toEqual([3]);
  });

  it('IaC markers mean nothing in a text file', async () => {
    expect((await scan('/p/.env', env('# kics-scan ignore', TOKEN), RULES)).lines).toEqual([2]);
    expect((await scan('/p/.env', env(`${TOKEN} # tfsec:ignore:aws-s3-*`), RULES)).lines).toEqual([1]);
  });
});
