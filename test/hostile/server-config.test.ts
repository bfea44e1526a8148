import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Log } from '../../server/log';
import { Configs, type Settings } from '../../server/settings';

const root = mkdtempSync(path.join(tmpdir(), 'airlock-server-config-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Configs with no editor rules, a log that keeps its warnings, and `folders` as the workspace. */
function configs(folders: string[], knownRuleIds?: string[]) {
  const warnings: string[] = [];
  const settings = { value: { rules: {}, debounceMs: 0 } } as unknown as Settings;
  const log = { warnOnce: (_key: string, message: string) => warnings.push(message) } as unknown as Log;
  return { configs: new Configs(settings, log, () => folders, knownRuleIds), warnings };
}

describe('the server reads .airlock.yaml like the command line, safely', () => {
  it('does not look above the workspace folder', () => {
    writeFileSync(path.join(root, '.airlock.yaml'), 'rules:\n  "*": "off"\n');
    const ws = path.join(root, 'ws');
    mkdirSync(path.join(ws, 'infra'), { recursive: true });
    const { configs: c } = configs([ws]);
    expect(c.fileFor(path.join(ws, 'infra'))).toBeUndefined();
    expect(c.configFor(path.join(ws, 'infra')).config.rules).toEqual({});
  });

  it('a FIFO as .airlock.yaml is reported and the defaults apply, without blocking', () => {
    const ws = path.join(root, 'fifo');
    mkdirSync(ws);
    execFileSync('mkfifo', [path.join(ws, '.airlock.yaml')]);
    const { configs: c, warnings } = configs([ws]);
    expect(c.configFor(ws).config.rules).toEqual({});
    expect(warnings).toEqual([`${path.join(ws, '.airlock.yaml')}: not a regular file (using the default configuration)`]);
  });

  it('reports an unknown rule id with its line', () => {
    const ws = path.join(root, 'ids');
    mkdirSync(ws);
    writeFileSync(path.join(ws, '.airlock.yaml'), 'rules:\n  pin/image-unpinned: off\n  pin/imgae-unpinned: off\n');
    const { configs: c, warnings } = configs([ws], ['pin/image-unpinned']);
    c.configFor(ws);
    expect(warnings).toEqual([
      `${path.join(ws, '.airlock.yaml')}:3: rules: unknown rule "pin/imgae-unpinned" (see airlock rules) (using the default configuration)`,
    ]);
  });
});
