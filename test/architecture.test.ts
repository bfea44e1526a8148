/**
 * Import directions (ARCHITECTURE.md): rules → core; server and cli → core + rules; server and client →
 * the shared protocol module, which imports nothing of the project; client → vscode, vscode-languageclient
 * and that module only; core never imports an editor API or a front end.
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

/** What a file imports: top-level folders of the repo for relative imports, package names otherwise. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2] ?? m[3];
    if (spec.startsWith('.')) {
      const target = path.relative(ROOT, path.resolve(path.dirname(file), spec));
      out.push(`./${target.split(path.sep)[0]}`);
    } else {
      out.push(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
    }
  }
  return out;
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
