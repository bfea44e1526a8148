/**
 * `npm run new-rule`: the scaffold writes a rule folder and its registry line, and the rule it writes passes
 * what the rule harness asks of every rule (exact range on the positive fixture, nothing on the negative).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze, LineIndex, parseFile, Project, type Rule } from '../core';

const ROOT = path.resolve(__dirname, '..');
const SCRIPT = path.join(ROOT, 'scripts', 'new-rule.mjs');

function sandbox(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'airlock-scaffold-'));
  mkdirSync(path.join(dir, 'rules'));
  cpSync(path.join(ROOT, 'rules', 'index.ts'), path.join(dir, 'rules', 'index.ts'));
  symlinkSync(path.join(ROOT, 'core'), path.join(dir, 'core'));
  return dir;
}

function scaffold(root: string, ...args: string[]) {
  return spawnSync(process.execPath, [SCRIPT, ...args, '--root', root], { encoding: 'utf8' });
}

describe('npm run new-rule', () => {
  it('writes a rule that passes the harness and lists it in order in rules/index.ts', async () => {
    const root = sandbox();
    const run = scaffold(root, 'network/example-public-endpoint');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const dir = path.join(root, 'rules', 'network', 'example-public-endpoint');
    for (const f of ['rule.ts', 'fixtures/positive.tf', 'fixtures/negative.tf', 'fixtures/expected.json']) expect(existsSync(path.join(dir, f)), f).toBe(true);

    const index = readFileSync(path.join(root, 'rules', 'index.ts'), 'utf8').split('\n');
    const imported = index.indexOf("import networkExamplePublicEndpoint from './network/example-public-endpoint/rule';");
    expect(index[imported - 1]).toBe("import networkDefaultSgOpen from './network/default-sg-open/rule';");
    expect(index[imported + 1]).toBe("import networkHostNetwork from './network/host-network/rule';");
    const listed = index.indexOf('  networkExamplePublicEndpoint,');
    expect(index.slice(listed - 1, listed + 2)).toEqual(['  networkDefaultSgOpen,', '  networkExamplePublicEndpoint,', '  networkHostNetwork,']);

    const rule = (await import(path.join(dir, 'rule.ts'))).default as Rule;
    expect(rule.id).toBe('network/example-public-endpoint');
    const expected = JSON.parse(readFileSync(path.join(dir, 'fixtures', 'expected.json'), 'utf8'));
    const config = { rules: { [rule.id]: 'on' as const }, ignore: [], maxFileSize: 1e9 };
    for (const name of ['positive.tf', 'negative.tf']) {
      const file = await parseFile(path.join(dir, 'fixtures', name), readFileSync(path.join(dir, 'fixtures', name), 'utf8'));
      const { findings, failures } = await analyze(file, { rules: [rule], config, project: new Project([file]) });
      expect(failures).toEqual([]);
      const lines = new LineIndex(file.text);
      const ranges = findings.map((f) => {
        const s = lines.position(f.span.start);
        const e = lines.position(f.span.end);
        return { range: `${s.line + 1}:${s.character + 1}-${e.line + 1}:${e.character + 1}` };
      });
      expect(ranges, name).toEqual(expected[name] ?? []);
    }
  });

  it('refuses a bad id, an unknown family and a rule that exists', () => {
    const root = sandbox();
    expect(scaffold(root, 'network/Bad_Name').stderr).toMatch(/kebab-case/);
    expect(scaffold(root, 'cost/too-expensive').stderr).toMatch(/family one of secret, storage, network, pin, data/);
    expect(scaffold(root, 'pin/x').status).toBe(0);
    const again = scaffold(root, 'pin/x');
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/rules\/pin\/x already exists/);
  });
});
