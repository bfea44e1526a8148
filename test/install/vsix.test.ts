/**
 * What the `.vsix` carries, as `vsce` lists it for the package script's options: the extension and server
 * bundles, grammars, an icon, a changelog and a user-facing README, and not the CLI bundles the extension
 * never loads.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './clone';

const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  icon: string;
  repository: { url: string };
  scripts: Record<string, string>;
};
const VSCE = path.join(ROOT, 'node_modules', '.bin', 'vsce');

describe('the .vsix', () => {
  const readme = /--readme-path (\S+)/.exec(pkg.scripts.package)?.[1];
  const changelog = /--changelog-path (\S+)/.exec(pkg.scripts.package)?.[1];

  it('is packaged with an icon, a repository, a changelog and its own README', () => {
    expect(pkg.icon).toBe('images/icon.png');
    expect(readFileSync(path.join(ROOT, pkg.icon)).subarray(1, 4).toString()).toBe('PNG');
    expect(pkg.repository.url).toMatch(/^git\+https:\/\/github\.com\//);
    expect(pkg.scripts.package).not.toContain('--allow-missing-repository');
    expect(readme).toBe('vsix/README.md');
    expect(readFileSync(path.join(ROOT, readme!), 'utf8')).toContain('airlock.rules');
    expect(readFileSync(path.join(ROOT, changelog!), 'utf8')).toMatch(/^# Changelog\n/);
  });

  it('holds what the extension loads and not the CLI bundles', () => {
    const files = execFileSync(VSCE, ['ls', '--no-dependencies', '--readme-path', readme!], { cwd: ROOT, encoding: 'utf8' }).split('\n').filter(Boolean);
    for (const f of [
      'dist/extension.js',
      'dist/server.js',
      'dist/web-tree-sitter.wasm',
      'dist/tree-sitter-terraform.wasm',
      'images/icon.png',
      'CHANGELOG.md',
      'LICENSE',
    ]) {
      expect(files).toContain(f);
    }
    expect(files.filter((f) => f === 'dist/cli.js' || f === 'dist/worker.js' || f.endsWith('.map') || f.endsWith('.ts'))).toEqual([]);
    expect(files.some((f) => f.startsWith('docs/rules/'))).toBe(true);
  });
});
