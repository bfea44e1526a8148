/**
 * The package as users get it: `npm pack` in a fresh clone prints the tarball name alone on stdout (pre-commit
 * reads it), the tarball holds the bundles, the grammars and the docs but no sources or tests, it installs
 * globally into an empty prefix without the registry (the bundles need no dependency), and the installed
 * `airlock` scans a repository outside this one. A clone installed without devDependencies still builds
 * (that install needs the registry).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshClone, git, ROOT, tempDir } from './clone';

const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string; dependencies?: object };
const TARBALL = `${pkg.name}-${pkg.version}.tgz`;
const AWS_KEY_ID = 'AKIA' + '2E0A8F3B244C9986';

const temps: string[] = [];
let clone: string;
let packStdout: string;
let prefix: string;

beforeAll(() => {
  clone = freshClone(true).dir;
  prefix = tempDir('airlock-prefix-');
  temps.push(clone, prefix);
  packStdout = execFileSync('npm', ['pack'], { cwd: clone, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  execFileSync('npm', ['install', '--global', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', path.join(clone, TARBALL)], {
    cwd: prefix,
    stdio: 'ignore',
  });
}, 180_000);

afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

function installed(args: string[], cwd: string) {
  return spawnSync(path.join(prefix, 'bin', 'airlock'), args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, PATH: `${path.dirname(process.execPath)}:/usr/bin:/bin` },
  });
}

describe('the npm package', () => {
  it('has a name of its own, is publishable and needs no runtime dependency', () => {
    expect(pkg.name).not.toBe('airlock');
    expect(pkg).not.toHaveProperty('private');
    expect(pkg.dependencies ?? {}).toEqual({});
  });

  it('npm pack in a fresh clone prints only the tarball name on stdout', () => {
    expect(packStdout).toBe(`${TARBALL}\n`);
  });

  it('npx airlock in the clone runs its own command, not the unrelated package called airlock', () => {
    const r = spawnSync('npx', ['--no-install', 'airlock', '--version'], { cwd: clone, encoding: 'utf8' });
    expect(r.stdout).toBe(`${pkg.version}\n`);
    expect(r.status).toBe(0);
  });

  it('holds the bundles, the grammars and the docs, no sources, tests or source maps', () => {
    const list = execFileSync('tar', ['tzf', path.join(clone, TARBALL)], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean);
    for (const f of [
      'dist/cli.js',
      'dist/worker.js',
      'dist/server.js',
      'dist/web-tree-sitter.wasm',
      'dist/tree-sitter-terraform.wasm',
      'dist/tree-sitter-python.wasm',
      'README.md',
      'LICENSE',
      'CHANGELOG.md',
    ]) {
      expect(list).toContain(`package/${f}`);
    }
    expect(list.some((f) => f.startsWith('package/docs/rules/') && f.endsWith('.md'))).toBe(true);
    expect(list.filter((f) => f.endsWith('.ts') || f.endsWith('.map') || f.includes('/test/') || f.includes('/fixtures/'))).toEqual([]);
    expect(list).not.toContain('package/dist/extension.js');
  });

  it('builds in a clone installed without devDependencies (npm install --omit=dev), as some pre-commit releases install a hook', () => {
    const bare = freshClone(false).dir;
    temps.push(bare);
    // The npm cache answers what it holds (the nested install of the devDependencies inherits the setting).
    const env = { ...process.env, npm_config_prefer_offline: 'true' };
    execFileSync('npm', ['install', '--omit=dev', '--no-audit', '--no-fund'], { cwd: bare, stdio: 'ignore', env });
    for (const f of ['cli.js', 'worker.js', 'server.js', 'tree-sitter-terraform.wasm']) expect(existsSync(path.join(bare, 'dist', f))).toBe(true);
    const r = spawnSync(process.execPath, [path.join(bare, 'dist', 'cli.js'), '--version'], { encoding: 'utf8' });
    expect(r.stdout).toBe(`${pkg.version}\n`);
  }, 240_000);

  it('installs with no dependency of its own', () => {
    const installedRoot = path.join(prefix, 'lib', 'node_modules', pkg.name);
    expect(readdirSync(installedRoot)).not.toContain('node_modules');
  });

  it('airlock --version prints the package version', () => {
    const r = installed(['--version'], prefix);
    expect(r.stdout).toBe(`${pkg.version}\n`);
    expect(r.status).toBe(0);
  });

  it('scans a repository outside the clone: a finding fails, a clean tree passes', () => {
    const repo = tempDir('airlock-user-repo-');
    temps.push(repo);
    git(['init', '-q'], repo);
    writeFileSync(path.join(repo, 'main.tf'), 'locals {\n  region = "eu-west-1"\n}\n');
    const clean = installed(['scan'], repo);
    expect(clean.stdout).toContain('0 findings');
    expect(clean.status).toBe(0);
    writeFileSync(path.join(repo, '.env'), `AWS_ACCESS_KEY_ID=${AWS_KEY_ID}\n`);
    const dirty = installed(['scan'], repo);
    expect(dirty.stdout).toContain('.env:1:19 error secret/known-token');
    expect(dirty.status).toBe(1);
  });
});
