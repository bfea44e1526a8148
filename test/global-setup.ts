import { execFileSync } from 'node:child_process';
import path from 'node:path';

/** Build dist/ once before any test file runs: CLI, server and protocol tests spawn the real bundles. */
export default function setup() {
  execFileSync(process.execPath, ['esbuild.mjs'], { cwd: path.resolve(__dirname, '..'), stdio: 'inherit' });
}
