/**
 * `airlock scan --cache`: an unchanged folder's results are read back, a changed file re-scans its folder
 * and nothing else, and the findings are the same with or without the cache and with one or more threads
 * (on both corpora, when they are present). The bundled `dist/cli.js` in temporary folders.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const CORPUS = path.resolve(ROOT, '..', 'shared', 'corpus');
const AWS_KEY_ID = 'AKIA' + '2E0A8F3B244C9986';
const OPEN_SSH = `resource "aws_security_group" "ssh" {
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

function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'airlock-cache-'));
  temps.push(dir);
  return dir;
}

function write(dir: string, rel: string, text: string): void {
  mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  writeFileSync(path.join(dir, rel), text);
}

function scan(args: string[], cwd: string): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, 'scan', ...args], { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A project of three folders: a Terraform module whose variable opens SSH, a dotenv file with a key, a clean folder. */
function project(): string {
  const dir = tempDir();
  write(dir, 'net/main.tf', OPEN_SSH);
  write(dir, 'net/vars.tf', vars('0.0.0.0/0'));
  write(dir, 'app/.env', `AWS_ACCESS_KEY_ID=${AWS_KEY_ID}\n`);
  write(dir, 'docs/readme.txt', 'nothing to see\n');
  return dir;
}

describe('scan --cache', () => {
  it('reads back unchanged folders with the same report, and writes a cache folder git and the walk ignore', () => {
    const dir = project();
    const plain = scan(['--format', 'json', '.'], dir);
    const cold = scan(['--format', 'json', '--cache', '.'], dir);
    const warm = scan(['--format', 'json', '--cache', '.'], dir);
    expect(cold.stderr).toContain('airlock: cache: 0 of 3 folders unchanged (read back), 3 scanned');
    expect(warm.stderr).toContain('airlock: cache: 3 of 3 folders unchanged (read back), 0 scanned');
    expect(warm.code).toBe(1);
    expect(cold.stdout).toBe(plain.stdout);
    expect(warm.stdout).toBe(plain.stdout);
    expect(readFileSync(path.join(dir, '.airlock-cache', '.gitignore'), 'utf8')).toContain('*');
    expect(JSON.parse(warm.stdout).summary.filesScanned).toBe(4);
  });

  it('scans again only the folder of a changed file, and reports what changed', () => {
    const dir = project();
    scan(['--cache', '.'], dir);
    write(dir, 'net/vars.tf', vars('10.0.0.0/8'));
    const after = scan(['--cache', '.'], dir);
    expect(after.stderr).toContain('airlock: cache: 2 of 3 folders unchanged (read back), 1 scanned');
    expect(after.stdout).not.toContain('network/open-ingress');
    expect(after.stdout).toContain('app/.env:1:19 error secret/known-token');
    expect(after.stdout).toBe(scan(['.'], dir).stdout);
  });

  // Whatever the scan reads as Terraform follows its calls, OpenTofu's `.tofu` files as well as `.tf`.
  it.each(['main.tf', 'main.tofu'])("scans a folder again when a local module its %s calls changes: the module's variables decide its findings", (caller) => {
    const dir = tempDir();
    write(dir, `live/${caller}`, 'module "ssh" {\n  source = "../modules/ssh"\n  cidr   = "0.0.0.0/0"\n}\n');
    write(dir, 'modules/ssh/main.tf', OPEN_SSH.replace('var.ssh_cidrs', '[var.cidr]'));
    write(dir, 'modules/ssh/vars.tf', 'variable "cidr" {}\n');
    const first = scan(['--cache', 'live'], dir);
    expect(first.stdout).toContain(`live/${caller}:3:13 error network/open-ingress`);
    write(dir, 'modules/ssh/main.tf', OPEN_SSH.replace('var.ssh_cidrs', '["10.0.0.0/8"]'));
    const after = scan(['--cache', 'live'], dir);
    expect(after.stderr).toContain('airlock: cache: 0 of 1 folders unchanged (read back), 1 scanned');
    expect(after.stdout).not.toContain('network/open-ingress');
  });

  it("scans a plan's folder again when a module folder its findings relate to changes", () => {
    const dir = tempDir();
    cpSync(path.join(ROOT, 'test', 'fixtures', 'terraform-formats', 'json'), dir, { recursive: true });
    cpSync(path.join(ROOT, 'test', 'fixtures', 'terraform-formats', 'hcl', 'plan.json'), path.join(dir, 'plan.json'));
    const relatedLines = (stdout: string) =>
      (JSON.parse(stdout).findings as { related?: { path: string; line: number }[] }[]).flatMap((f) =>
        (f.related ?? []).filter((r) => r.path === 'modules/data/main.tf.json').map((r) => r.line),
      );
    const first = scan(['--format', 'json', '--cache', 'plan.json'], dir);
    expect(relatedLines(first.stdout).length).toBeGreaterThan(0);
    const module = path.join(dir, 'modules', 'data', 'main.tf.json');
    writeFileSync(module, `\n\n${readFileSync(module, 'utf8')}`);
    const after = scan(['--format', 'json', '--cache', 'plan.json'], dir);
    expect(after.stderr).toContain('airlock: cache: 0 of 1 folders unchanged (read back), 1 scanned');
    expect(relatedLines(after.stdout)).toEqual(relatedLines(first.stdout).map((line) => line + 2));
  });

  it("scans an overlay's folder again when a manifest of its base changes", () => {
    const dir = tempDir();
    write(dir, 'base/kustomization.yaml', 'resources:\n  - deployment.yaml\n');
    const deployment =
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          image: example/api:1.0\n';
    write(dir, 'base/deployment.yaml', deployment);
    write(dir, 'overlays/prod/kustomization.yaml', 'resources:\n  - ../../base\nimages:\n  - name: example/api\n    newTag: latest\n');
    const relatedLines = (stdout: string) =>
      (JSON.parse(stdout).findings as { related?: { path: string; line: number }[] }[]).flatMap((f) =>
        (f.related ?? []).filter((r) => r.path === 'base/deployment.yaml').map((r) => r.line),
      );
    const named = ['--format', 'json', '--cache', 'overlays/prod/kustomization.yaml'];
    expect(relatedLines(scan(named, dir).stdout)).toEqual([10]);
    write(dir, 'base/deployment.yaml', `# the API\n${deployment}`);
    const after = scan(named, dir);
    expect(after.stderr).toContain('airlock: cache: 0 of 1 folders unchanged (read back), 1 scanned');
    expect(relatedLines(after.stdout)).toEqual([11]);
  });

  it('is not used across configs: a changed .airlock.yaml scans every folder again', () => {
    const dir = project();
    scan(['--cache', '.'], dir);
    write(dir, '.airlock.yaml', 'rules:\n  "secret/*": off\n');
    const after = scan(['--cache', '.'], dir);
    expect(after.stderr).toContain('airlock: cache: 0 of 4 folders unchanged (read back), 4 scanned');
    expect(after.stdout).not.toContain('secret/known-token');
  });

  it('keeps its folder where --cache-location says, which needs --cache', () => {
    const dir = project();
    const r = scan(['--cache', '--cache-location', 'build/airlock', '.'], dir);
    expect(r.code).toBe(1);
    expect(existsSync(path.join(dir, 'build', 'airlock', '.gitignore'))).toBe(true);
    const usage = scan(['--cache-location', 'x', '.'], dir);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--cache-location needs --cache');
  });

  it('never writes through a cache folder that is a symbolic link, and still scans', () => {
    const dir = project();
    const elsewhere = tempDir();
    symlinkSync(elsewhere, path.join(dir, '.airlock-cache'));
    const r = scan(['--cache', '.'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('3 could not be written to .airlock-cache');
    expect(r.stdout).toContain('app/.env:1:19 error secret/known-token');
    expect(existsSync(path.join(elsewhere, '.gitignore'))).toBe(false);
  });
});

describe.runIf(existsSync(path.join(CORPUS, 'real')))('the same findings with and without the cache, with one or two threads', () => {
  for (const name of ['labeled', 'real']) {
    it(`on the ${name} corpus`, () => {
      const cwd = path.join(CORPUS, name);
      const cache = path.join(tempDir(), 'cache');
      const json = (args: string[]) => {
        const r = scan(['--format', 'json', '--severity', 'info', ...args, '.'], cwd);
        expect(r.code, r.stderr).toBe(1);
        return r.stdout;
      };
      const one = json(['--jobs', '1']);
      expect(JSON.parse(one).findings.length).toBeGreaterThan(500);
      expect(json(['--jobs', '2'])).toBe(one);
      expect(json(['--jobs', '2', '--cache', '--cache-location', cache])).toBe(one);
      expect(json(['--jobs', '1', '--cache', '--cache-location', cache])).toBe(one);
    }, 300_000);
  }
});
