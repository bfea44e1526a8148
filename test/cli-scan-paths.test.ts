/**
 * Which files `airlock scan` reads when paths are named: a folder named is scanned even when git ignores
 * it, a scan of nothing says so, a named or staged Terraform file brings its module, and `.airlock.yaml` is
 * looked up from the scanned path. The bundled `dist/cli.js` in temporary git repositories.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const CLI = path.resolve(__dirname, '..', 'dist', 'cli.js');
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
afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

function gitRepo(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'airlock-paths-'));
  temps.push(dir);
  git(['init', '-q'], dir);
  return dir;
}

function git(args: string[], cwd: string): void {
  execFileSync('git', args, {
    cwd,
    stdio: 'ignore',
    env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@e', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@e' },
  });
}

function write(dir: string, rel: string, text: string): void {
  mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  writeFileSync(path.join(dir, rel), text);
}

function scan(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [CLI, 'scan', ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('paths named on the command line', () => {
  it('scans a git-ignored folder named on the command line; the ignore rules inside it still apply', () => {
    const dir = gitRepo();
    write(dir, '.gitignore', 'build/\n');
    write(dir, 'build/.gitignore', 'cache/\n');
    write(dir, 'build/app.env', `AWS_ACCESS_KEY_ID=${AWS_KEY_ID}\n`);
    write(dir, 'build/cache/old.env', `AWS_ACCESS_KEY_ID=${AWS_KEY_ID}\n`);
    const r = scan(['build'], dir);
    expect(r.stdout).toContain('build/app.env:1:19 error secret/known-token');
    expect(r.stdout).not.toContain('cache/old.env');
    expect(r.code).toBe(1);
    // The whole repository still leaves it out.
    expect(scan([], dir).stdout).not.toContain('build/app.env');
  });

  it('says on stderr when a scan matched no file', () => {
    const dir = gitRepo();
    write(dir, '.gitignore', '*.env\n');
    write(dir, 'only.env', 'A=1\n');
    mkdirSync(path.join(dir, 'empty'));
    const empty = scan(['empty'], dir);
    expect(empty.stderr).toContain('airlock: no file to scan in empty');
    expect(empty.code).toBe(0);
    expect(scan(['--staged'], dir).stderr).toContain('airlock: no staged file to scan');
    expect(scan(['only.env'], dir).stderr).toBe('');
  });
});

describe('Terraform module context', () => {
  function module(): string {
    const dir = gitRepo();
    write(dir, 'infra/main.tf', SECURITY_GROUP);
    write(dir, 'infra/vars.tf', vars('10.0.0.0/8'));
    git(['add', '.'], dir);
    git(['commit', '-q', '-m', 'module'], dir);
    write(dir, 'infra/vars.tf', vars('0.0.0.0/0'));
    return dir;
  }

  it('a named .tf file brings the other files of its module', () => {
    const dir = module();
    const r = scan(['infra/vars.tf'], dir);
    expect(r.stdout).toContain('infra/main.tf:6:19 error network/open-ingress');
    expect(r.stdout).toContain('in 2 files scanned');
    expect(r.code).toBe(1);
  });

  it('--staged reads the module from the index when only vars.tf is staged', () => {
    const dir = module();
    // The working tree's main.tf is safe again: what counts is the index.
    git(['add', 'infra/vars.tf'], dir);
    write(dir, 'infra/main.tf', 'locals {}\n');
    const r = scan(['--staged'], dir);
    expect(r.stdout).toContain('infra/main.tf:6:19 error network/open-ingress');
    expect(r.code).toBe(1);
  });

  it('--staged scans the module of a deleted file', () => {
    const dir = gitRepo();
    write(dir, 'm/main.tf', SECURITY_GROUP);
    write(dir, 'm/vars.tf', vars('0.0.0.0/0'));
    write(dir, 'm/override.tf', 'locals {}\n');
    git(['add', '.'], dir);
    git(['commit', '-q', '--no-verify', '-m', 'module'], dir);
    git(['rm', '-q', 'm/override.tf'], dir);
    expect(scan(['--staged'], dir).stdout).toContain('m/main.tf:6:19 error network/open-ingress');
  });
});

describe('.airlock.yaml lookup', () => {
  it('is found from the scanned path upward, not from the current folder', () => {
    const dir = gitRepo();
    write(dir, 'sub/.airlock.yaml', 'rules:\n  "secret/*": off\n');
    write(dir, 'sub/app.env', `AWS_ACCESS_KEY_ID=${AWS_KEY_ID}\n`);
    const r = scan(['sub'], dir);
    expect(r.stdout).toContain('0 findings');
    expect(r.code).toBe(0);
  });
});

describe('.airlock.yaml of each scanned path', () => {
  it('applies to the files of that path only: two projects named in one scan keep their own rules and ignores', () => {
    const dir = gitRepo();
    write(dir, 'quiet/.airlock.yaml', 'rules:\n  "secret/*": off\n');
    write(dir, 'quiet/app.env', `AWS_ACCESS_KEY_ID=${AWS_KEY_ID}\n`);
    write(dir, 'loud/.airlock.yaml', 'ignore:\n  - vendor/\n');
    write(dir, 'loud/app.env', `AWS_ACCESS_KEY_ID=${AWS_KEY_ID}\n`);
    write(dir, 'loud/vendor/app.env', `AWS_ACCESS_KEY_ID=${AWS_KEY_ID}\n`);
    write(dir, 'plain/app.env', `AWS_ACCESS_KEY_ID=${AWS_KEY_ID}\n`);
    const r = scan(['quiet', 'loud', 'plain'], dir);
    const secretsIn = (folder: string) => r.stdout.split('\n').filter((l) => l.startsWith(`${folder}/`) && l.includes(' secret/'));
    expect(secretsIn('quiet')).toEqual([]);
    expect(secretsIn('loud')).toHaveLength(1);
    expect(secretsIn('loud')[0]).toMatch(/^loud\/app\.env:1:/);
    expect(secretsIn('plain')).toHaveLength(1);
    // The three .env files and the two configs; loud/vendor/ is ignored by its project's config.
    expect(r.stdout).toContain('5 files scanned');
    expect(r.code).toBe(1);
  });

  it('is the same config for every path when --config names one', () => {
    const dir = gitRepo();
    write(dir, 'quiet/.airlock.yaml', 'rules:\n  "secret/*": off\n');
    write(dir, 'quiet/app.env', `AWS_ACCESS_KEY_ID=${AWS_KEY_ID}\n`);
    write(dir, 'plain/app.env', `AWS_ACCESS_KEY_ID=${AWS_KEY_ID}\n`);
    const r = scan(['--config', 'quiet/.airlock.yaml', 'quiet', 'plain'], dir);
    expect(r.stdout).toContain('0 findings');
    expect(r.code).toBe(0);
  });
});

describe('a Helm template named or staged alone', () => {
  const chart = (dir: string) => {
    write(dir, 'chart/Chart.yaml', 'apiVersion: v2\nname: api\nversion: 0.1.0\n');
    write(dir, 'chart/values.yaml', 'image:\n  repository: acme/api\n  tag: latest\n');
    write(
      dir,
      'chart/templates/pod.yaml',
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: api\nspec:\n  containers:\n    - name: api\n      image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"\n',
    );
  };

  it("brings its chart's Chart.yaml and values files, so its values resolve as in a scan of the chart", () => {
    const dir = gitRepo();
    chart(dir);
    const r = scan(['chart/templates/pod.yaml'], dir);
    expect(r.stdout).toContain('chart/templates/pod.yaml:8:15 warning pin/image-unpinned');
    expect(r.stdout).toContain('chart/values.yaml:3:8 warning pin/image-unpinned');
    expect(r.stdout).toContain('in 3 files scanned');
  });

  it('brings them from the index with --staged', () => {
    const dir = gitRepo();
    chart(dir);
    git(['add', '.'], dir);
    git(['commit', '-q', '--no-verify', '-m', 'chart'], dir);
    write(
      dir,
      'chart/templates/pod.yaml',
      `${'apiVersion: v1\nkind: Pod\nmetadata:\n  name: api\nspec:\n  containers:\n    - name: api\n      image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"\n'}# staged\n`,
    );
    git(['add', 'chart/templates/pod.yaml'], dir);
    const r = scan(['--staged'], dir);
    expect(r.stdout).toContain('chart/templates/pod.yaml:8:15 warning pin/image-unpinned');
    expect(r.code).toBe(1);
  });
});
