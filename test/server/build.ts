/**
 * `node esbuild.mjs` before tests that spawn `dist/server.js` — once: the suite's global setup has usually
 * just built it, and test files run in parallel, so a second build would rewrite the bundle and its .wasm
 * files while another file's server is starting from them. Builds only when a source is newer than the
 * bundle, under a lock (an atomic mkdir) so that two files never build at once.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const BUNDLE = path.join(ROOT, 'dist', 'server.js');
const LOCK = path.join(ROOT, 'dist', '.server-build-lock');

function newestSource(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name === 'fixtures') continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (e.name.endsWith('.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

function stale(): boolean {
  if (!existsSync(BUNDLE)) return true;
  const built = statSync(BUNDLE).mtimeMs;
  return ['server', 'core', 'rules'].some((d) => newestSource(path.join(ROOT, d)) > built) || statSync(path.join(ROOT, 'esbuild.mjs')).mtimeMs > built;
}

export async function ensureServerBuilt(): Promise<string> {
  const deadline = Date.now() + 120_000;
  while (stale()) {
    mkdirSync(path.dirname(LOCK), { recursive: true });
    let locked = false;
    try {
      mkdirSync(LOCK);
      locked = true;
    } catch {
      // another test file is building: wait for it
    }
    if (locked) {
      try {
        if (stale()) execFileSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, stdio: 'pipe' });
      } finally {
        rmSync(LOCK, { recursive: true, force: true });
      }
      break;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for another build of ${BUNDLE} (remove ${LOCK} if it is left over)`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return BUNDLE;
}
