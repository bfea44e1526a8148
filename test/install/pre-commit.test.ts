/**
 * The hooks with the real pre-commit framework (Debian: `apt-get install -y pre-commit`; bookworm ships
 * 3.0.4): a user repository's `.pre-commit-config.yaml` points at a fresh clone of this repository (path and
 * commit), pre-commit builds the hook from it (`npm install`, `npm pack`, `npm install -g`: the registry is
 * needed once), and real commits go through both hooks. Without pre-commit the test is skipped locally and
 * fails in CI.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshClone, git, tempDir } from './clone';

function preCommitVersion(): string | undefined {
  try {
    return execFileSync('pre-commit', ['--version'], { encoding: 'utf8', timeout: 30_000 }).trim();
  } catch {
    return undefined;
  }
}

const version = preCommitVersion();
if (!version) {
  const message = 'pre-commit is not installed (Debian: apt-get install -y pre-commit): the hook test cannot run';
  if (process.env.CI) throw new Error(message);
  console.warn(`${message}; skipping it`);
}

const AWS_KEY_ID = 'AKIA' + '2E0A8F3B244C9986';
const SECURITY_GROUP = `resource "aws_security_group" "ssh" {
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = var.ssh_cidrs
  }
}
`;
const vars = (cidr: string) => `variable "ssh_cidrs" {\n  default = ["${cidr}"]\n}\n`;

const temps: string[] = [];
let repo: string;
let env: NodeJS.ProcessEnv;

function write(rel: string, text: string): void {
  writeFileSync(path.join(repo, rel), text);
}

/** A command in the user's repository: exit code and both streams together, as a terminal shows them. */
function sh(cmd: string, args: string[]): { code: number | null; out: string } {
  const r = spawnSync(cmd, args, { cwd: repo, env, encoding: 'utf8', timeout: 240_000 });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

function head(): string {
  return git(['rev-parse', 'HEAD'], repo).trim();
}

describe.skipIf(!version)(`pre-commit hooks (${version})`, () => {
  beforeAll(() => {
    const clone = freshClone(false);
    repo = tempDir('airlock-hook-repo-');
    const home = tempDir('airlock-pre-commit-home-');
    temps.push(clone.dir, repo, home);
    env = {
      ...process.env,
      PRE_COMMIT_HOME: home,
      // pre-commit's npm install of the hook takes what the npm cache holds rather than asking the registry.
      npm_config_prefer_offline: 'true',
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@example.com',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@example.com',
    };
    git(['init', '-q', '-b', 'main'], repo);
    write('.pre-commit-config.yaml', `repos:\n  - repo: ${clone.dir}\n    rev: ${clone.commit}\n    hooks:\n      - id: airlock\n      - id: airlock-staged\n`);
    write('main.tf', SECURITY_GROUP);
    write('vars.tf', vars('10.0.0.0/8'));
    const install = sh('pre-commit', ['install', '--install-hooks']);
    if (install.code !== 0) throw new Error(`pre-commit install failed:\n${install.out}`);
  }, 300_000);

  afterAll(() => {
    for (const d of temps) rmSync(d, { recursive: true, force: true });
  });

  it('lets a clean commit through', () => {
    sh('git', ['add', '.']);
    const r = sh('git', ['commit', '-m', 'clean module']);
    expect(r.out).toMatch(/airlock\.+Passed/);
    expect(r.out).toMatch(/airlock \(staged\)\.+Passed/);
    expect(r.code).toBe(0);
  });

  it('blocks a commit with a secret', () => {
    const before = head();
    write('.env', `AWS_ACCESS_KEY_ID=${AWS_KEY_ID}\n`);
    sh('git', ['add', '.env']);
    const r = sh('git', ['commit', '-m', 'secret']);
    expect(r.code).not.toBe(0);
    expect(r.out).toContain('.env:1:19 error secret/known-token');
    expect(r.out).not.toContain(AWS_KEY_ID);
    expect(head()).toBe(before);
    sh('git', ['rm', '-q', '--cached', '.env']);
  });

  it('blocks a commit of only vars.tf that opens SSH to the world: the module is scanned whole', () => {
    const before = head();
    write('vars.tf', vars('0.0.0.0/0'));
    sh('git', ['add', 'vars.tf']);
    const r = sh('git', ['commit', '-m', 'open ssh']);
    expect(r.code).not.toBe(0);
    expect(r.out).toMatch(/airlock\.+Failed/);
    expect(r.out).toMatch(/airlock \(staged\)\.+Failed/);
    expect(r.out).toContain('main.tf:6:19 error network/open-ingress');
    expect(head()).toBe(before);
    write('vars.tf', vars('10.0.0.0/8'));
    sh('git', ['add', 'vars.tf']);
  });

  it('pre-commit run --all-files finds a secret already committed', () => {
    write('.env', `AWS_ACCESS_KEY_ID=${AWS_KEY_ID}\n`);
    sh('git', ['add', '.env']);
    expect(sh('git', ['commit', '-q', '--no-verify', '-m', 'bypassed']).code).toBe(0);
    const r = sh('pre-commit', ['run', '--all-files', 'airlock']);
    expect(r.code).toBe(1);
    expect(r.out).toContain('.env:1:19 error secret/known-token');
  });
});
