/**
 * Import directions (ARCHITECTURE.md): rules → core; server and cli → core + rules; server and client →
 * the shared protocol module, which imports nothing of the project; client → vscode, vscode-languageclient
 * and that module only; core never imports an editor API or a front end. Rules reach core only through
 * its public index, and a family's `lib/` serves that family alone.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '..');

function sources(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    if (name === 'fixtures' || name === 'node_modules') return [];
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|(?:^|\n)\s*import\s*['"]([^'"]+)['"]|\brequire\(\s*['"]([^'"]+)['"]\s*\)/g;

function specifiersOf(text: string): string[] {
  return [...text.matchAll(IMPORT)].map((m) => m[1] ?? m[2] ?? m[3]);
}

/** What a file imports: top-level folders of the repo for relative imports, package names otherwise. */
function importsOf(file: string): string[] {
  return specifiersOf(readFileSync(file, 'utf8')).map((spec) => {
    if (spec.startsWith('.')) {
      const target = path.relative(ROOT, path.resolve(path.dirname(file), spec));
      return `./${target.split(path.sep)[0]}`;
    }
    return spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
  });
}

/** The repo paths (with `/`, no extension) a file's relative imports point at. */
function localImportsOf(file: string, text: string): string[] {
  return specifiersOf(text)
    .filter((spec) => spec.startsWith('.'))
    .map((spec) =>
      path
        .relative(ROOT, path.resolve(path.dirname(file), spec))
        .split(path.sep)
        .join('/'),
    );
}

const FAMILY_LIB = /^rules\/([^/]+)\/lib(?:\/|$)/;

/**
 * A file under rules/ breaking the rules' own import rules: reaching into core past its index, or into
 * another family's `lib/` (`rules/lib/` is the place for what several families share).
 */
function rulesImportProblems(file: string, text: string): string[] {
  const from = path.relative(ROOT, file).split(path.sep).join('/');
  const family = /^rules\/([^/]+)\//.exec(from)?.[1];
  return localImportsOf(file, text).flatMap((target) => {
    if (target.startsWith('core/') && target !== 'core/index') return [`${from} imports ${target} (only core's index)`];
    const lib = FAMILY_LIB.exec(target)?.[1];
    if (lib !== undefined && lib !== 'lib' && lib !== family) return [`${from} imports ${target} (another family's lib)`];
    return [];
  });
}

const FORBIDDEN: Record<string, RegExp> = {
  core: /^(\.\/(rules|server|cli|client|protocol)|vscode|vscode-languageserver|vscode-languageclient)$/,
  rules: /^(\.\/(server|cli|client|protocol)|vscode|vscode-languageserver|vscode-languageclient)$/,
  server: /^(\.\/(cli|client)|vscode|vscode-languageclient)$/,
  cli: /^(\.\/(server|client|protocol)|vscode|vscode-languageserver|vscode-languageclient)$/,
};

/** Folders held to a list of what they may import (their own files included). */
const ALLOWED: Record<string, RegExp> = {
  client: /^(\.\/(client|protocol)|vscode|vscode-languageclient)$/,
  protocol: /^\.\/protocol$/,
};

function violations(folder: string, isBad: (i: string) => boolean): string[] {
  return sources(path.join(ROOT, folder)).flatMap((f) =>
    importsOf(f)
      .filter(isBad)
      .map((i) => `${path.relative(ROOT, f)} imports ${i}`),
  );
}

describe('import directions', () => {
  for (const [folder, forbidden] of Object.entries(FORBIDDEN)) {
    it(`${folder}/ imports only what it may`, () => {
      expect(violations(folder, (i) => forbidden.test(i))).toEqual([]);
    });
  }
  for (const [folder, allowed] of Object.entries(ALLOWED)) {
    it(`${folder}/ imports only what it may`, () => {
      expect(sources(path.join(ROOT, folder)).length).toBeGreaterThan(0);
      expect(violations(folder, (i) => !allowed.test(i))).toEqual([]);
    });
  }
});

describe('rules/ imports', () => {
  it('reach core only through its index and a family lib only from that family', () => {
    const bad = sources(path.join(ROOT, 'rules')).flatMap((f) => rulesImportProblems(f, readFileSync(f, 'utf8')));
    expect(bad).toEqual([]);
  });

  it('reports a deep import of core and an import of another family lib', () => {
    const rule = path.join(ROOT, 'rules/network/open-ingress/rule.ts');
    const text = [
      "import { defineRule } from '../../../core';",
      "import { get } from '../../../core/index';",
      "import { walk } from '../../../core/nodes';",
      "import { portsOf } from '../lib/ports';",
      "import { fixes } from '../../lib/fixes';",
      "import { isSecretKey } from '../../secret/lib/values';",
    ].join('\n');
    expect(rulesImportProblems(rule, text)).toEqual([
      "rules/network/open-ingress/rule.ts imports core/nodes (only core's index)",
      "rules/network/open-ingress/rule.ts imports rules/secret/lib/values (another family's lib)",
    ]);
  });
});
