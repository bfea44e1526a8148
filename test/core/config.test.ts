import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LINEAR_GROWTH_LIMIT, growthFrom } from '../hostile/scaling';
import { ConfigError, findConfigFile, loadConfigFile, matchesRuleGlob, MAX_CONFIG_BYTES, parseConfigText } from '../../core/config';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A fresh folder with `files` (path → content; a `null` content makes a folder). */
function tree(files: Record<string, string | null>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'airlock-config-'));
  dirs.push(root);
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(root, rel);
    if (content === null) mkdirSync(abs, { recursive: true });
    else {
      mkdirSync(path.dirname(abs), { recursive: true });
      writeFileSync(abs, content);
    }
  }
  return root;
}

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('rule globs', () => {
  it.each([
    ['secret/*', 'secret/known-token', true],
    ['secret/*', 'pin/image-unpinned', false],
    ['*', 'pin/image-unpinned', true],
    ['all', 'pin/image-unpinned', true],
    ['pin/hf-*', 'pin/hf-unpinned-revision', true],
    ['*/*-unpinned', 'pin/image-unpinned', true],
    ['*/*-unpinned', 'pin/image-unpinned-x', false],
    ['**pin**', 'pin/image-unpinned', true],
    ['pin*pin', 'pin', false],
    ['p*n*d', 'pin/image-unpinned', true],
    ['*.?', 'a.b', false],
    ['*.?', 'a.?', true],
    ['secret/known-token', 'secret/known-token', true],
    ['secret/known', 'secret/known-token', false],
  ])('%j against %j → %j', (pattern, id, expected) => {
    expect(matchesRuleGlob(pattern, id)).toBe(expected);
  });

  it('takes time linear in the pattern for a run of stars that cannot match (no backtracking)', () => {
    const id = 'secret/kubernetes-secret-manifest-and-some-more-words';
    const stars = (n: number) => `${'*'.repeat(n)}!`;
    // A backtracking matcher takes C(id + n, n) steps here: already hours at 12 stars.
    expect(matchesRuleGlob(stars(12), id)).toBe(false);
    const ratio = growthFrom(100, (n) => {
      const pattern = stars(n);
      for (let i = 0; i < 2000; i++) matchesRuleGlob(pattern, id);
    });
    expect(ratio).toBeLessThan(LINEAR_GROWTH_LIMIT);
  });
});

describe('reading a config file', () => {
  it('refuses a FIFO without blocking on it', () => {
    const root = tree({});
    const fifo = path.join(root, '.airlock.yaml');
    execFileSync('mkfifo', [fifo]);
    expect(errorOf(() => loadConfigFile(fifo))).toBe(`${fifo}: not a regular file`);
  });

  it('refuses a link to a device that never ends', () => {
    const root = tree({});
    const link = path.join(root, '.airlock.yaml');
    symlinkSync('/dev/zero', link);
    expect(errorOf(() => loadConfigFile(link))).toBe(`${link}: not a regular file`);
  });

  it('refuses a folder and a file over the size limit, naming the file', () => {
    const root = tree({ 'dir/.airlock.yaml': null, 'big.yaml': `# ${'x'.repeat(MAX_CONFIG_BYTES)}\n` });
    expect(errorOf(() => loadConfigFile(path.join(root, 'dir/.airlock.yaml')))).toMatch(/not a regular file/);
    const big = path.join(root, 'big.yaml');
    expect(errorOf(() => loadConfigFile(big))).toBe(`${big}: config file over 1 MB`);
  });

  it('reads a regular file, also through a link', () => {
    const root = tree({ 'real.yaml': 'rules:\n  "pin/*": "off"\n' });
    symlinkSync(path.join(root, 'real.yaml'), path.join(root, '.airlock.yaml'));
    expect(loadConfigFile(path.join(root, '.airlock.yaml')).rules).toEqual({ 'pin/*': 'off' });
  });
});

describe('finding the config file', () => {
  it('climbs to the repository root and no further', () => {
    const root = tree({ '.airlock.yaml': '', 'repo/.git': null, 'repo/a/b': null, 'repo/.airlock.yaml': '', 'other/.git': null, 'other/x': null });
    expect(findConfigFile(path.join(root, 'repo/a/b'))).toBe(path.join(root, 'repo/.airlock.yaml'));
    expect(findConfigFile(path.join(root, 'other/x'))).toBeUndefined();
  });

  it('stops at a given root (a workspace folder)', () => {
    const root = tree({ '.git': null, '.airlock.yaml': '', 'ws/a': null });
    expect(findConfigFile(path.join(root, 'ws/a'))).toBe(path.join(root, '.airlock.yaml'));
    expect(findConfigFile(path.join(root, 'ws/a'), [path.join(root, 'ws')])).toBeUndefined();
  });

  it('outside any repository, also one at or below the working folder, never one above it', () => {
    const root = tree({ '.airlock.yaml': '', 'work/.airlock.yaml': '', 'work/proj/sub': null, 'away/x': null });
    expect(findConfigFile(path.join(root, 'work/proj/sub'), [], path.join(root, 'work'))).toBe(path.join(root, 'work/.airlock.yaml'));
    expect(findConfigFile(path.join(root, 'work/proj/sub'), [], path.join(root, 'work/proj'))).toBeUndefined();
    expect(findConfigFile(path.join(root, 'away/x'), [], path.join(root, 'work'))).toBeUndefined();
  });

  it('outside any repository or root, reads only the folder itself: a shared parent configures nothing', () => {
    const root = tree({ '.airlock.yaml': '', 'proj/sub': null, 'own/.airlock.yaml': '' });
    expect(findConfigFile(path.join(root, 'proj/sub'))).toBeUndefined();
    expect(findConfigFile(path.join(root, 'own'))).toBe(path.join(root, 'own/.airlock.yaml'));
  });
});

describe('config validation', () => {
  const KNOWN = ['secret/known-token', 'secret/hardcoded-password', 'pin/image-unpinned'];

  it.each([['"0"'], ['0'], ['0.2'], ['"0KB"'], ['-5']])('maxFileSize: %s is refused like --max-file-size 0', (value) => {
    expect(errorOf(() => parseConfigText(`rules: {}\nmaxFileSize: ${value}\n`, 'x/.airlock.yaml'))).toMatch(/^x\/\.airlock\.yaml:2: maxFileSize must be /);
  });

  it('refuses tagged values where a mapping belongs (bytes, sets, ordered maps), not reading them as keys', () => {
    for (const text of ['!!binary AAAA\n', '!!set\n? rules\n', '!!omap\n- rules: {}\n']) {
      expect(
        errorOf(() => parseConfigText(text, '.airlock.yaml')),
        text,
      ).toBe('.airlock.yaml: expected a mapping at the top level');
    }
    expect(errorOf(() => parseConfigText('rules: !!set\n  ? secret/known-token\n', '.airlock.yaml'))).toBe(
      '.airlock.yaml:1: rules must be a mapping of rule id (or glob) to a setting',
    );
  });

  it('names the file and line of an unknown key', () => {
    expect(errorOf(() => parseConfigText('rules: {}\n\ncolour: red\n', '.airlock.yaml'))).toBe(
      '.airlock.yaml:3: unknown key "colour" (expected rules, ignore, maxFileSize, foreignSuppressions, baseline, helm)',
    );
  });

  it('names the file and line of an unknown rule id, and a glob that matches no rule', () => {
    const parse = (text: string) => errorOf(() => parseConfigText(text, '.airlock.yaml', KNOWN));
    expect(parse('rules:\n  secret/*: info\n  secret/knwon-token: off\n')).toBe(
      '.airlock.yaml:3: rules: unknown rule "secret/knwon-token" (see airlock rules)',
    );
    expect(parse('rules:\n  storage/*: off\n')).toBe('.airlock.yaml:2: rules: "storage/*" matches no rule (see airlock rules)');
    // Rules take no options: an `options` key is a mistake like any other unknown key.
    expect(parse('options:\n  pin/image-unpinned: {}\n')).toBe(
      '.airlock.yaml:1: unknown key "options" (expected rules, ignore, maxFileSize, foreignSuppressions, baseline, helm)',
    );
  });

  it('accepts known ids, globs that match one, and the catch-alls', () => {
    const c = parseConfigText('rules:\n  "*": info\n  all: warning\n  secret/*: error\n  pin/image-unpinned: off\n', '.airlock.yaml', KNOWN);
    expect(Object.keys(c.rules)).toEqual(['*', 'all', 'secret/*', 'pin/image-unpinned']);
  });

  it('places a YAML error on its line', () => {
    expect(errorOf(() => parseConfigText('rules:\n  a: b\n a: [\n', '.airlock.yaml'))).toMatch(/^\.airlock\.yaml:3: not valid YAML: /);
  });
});
