import { statSync } from 'node:fs';
import path from 'node:path';
import { findingIdentities, numberRepeats, readBaseline } from '../core/baseline';
import type { Config } from '../core/config';
import type { ParsedFile } from '../core/model';
import type { Finding } from '../core/rule';

/**
 * The config's `baseline:` in the editor: a document shows only the findings the baseline does not hold,
 * matched by the same fingerprints as `airlock scan` (paths relative to the baseline's folder). The file
 * is read again when its modification time changes.
 */

const cache = new Map<string, { mtime: number; keys: Set<string> }>();

function key(ruleId: string, fingerprint: string): string {
  return `${ruleId}\0${fingerprint}`;
}

/** The baseline's keys, or undefined when it cannot be read (`warn` says why, once per message). */
function baselineKeys(file: string, warn: (message: string) => void): Set<string> | undefined {
  let mtime: number;
  try {
    mtime = statSync(file).mtimeMs;
  } catch {
    warn(`baseline ${file} not found: showing every finding`);
    return undefined;
  }
  const cached = cache.get(file);
  if (cached?.mtime === mtime) return cached.keys;
  try {
    const keys = new Set(readBaseline(file, path.dirname(file)).map((e) => key(e.ruleId, e.fingerprint)));
    cache.set(file, { mtime, keys });
    return keys;
  } catch (e) {
    warn(`${(e as Error).message}: showing every finding`);
    return undefined;
  }
}

/** `findings` of `file` (at `filePath`) without those the config's baseline holds. */
export function withoutBaselined(
  file: ParsedFile,
  filePath: string | undefined,
  findings: Finding[],
  config: Config,
  configDir: string | undefined,
  warn: (message: string) => void,
): Finding[] {
  if (!config.baseline || !configDir || !filePath || findings.length === 0) return findings;
  const baselineFile = path.resolve(configDir, config.baseline);
  const keys = baselineKeys(baselineFile, warn);
  if (!keys?.size) return findings;
  const rel = path.relative(path.dirname(baselineFile), filePath).split(path.sep).join('/');
  const ids = findingIdentities(file, findings, rel);
  numberRepeats(ids);
  return findings.filter((f, i) => !keys.has(key(f.ruleId, ids[i].fingerprint)));
}
