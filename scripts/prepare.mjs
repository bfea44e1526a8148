// The build that `npm install` runs in a clone (the `prepare` script). Some installs leave devDependencies
// out — `npm install --omit=dev`, or pre-commit's `npm install --dev --prod` with npm releases where the
// last flag wins — and then esbuild is missing: install them (saving nothing, running no scripts) first.
// Everything goes to stderr: `npm pack`'s stdout must stay the tarball name alone.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

function run(command, args, env = process.env) {
  const r = spawnSync(command, args, { stdio: ['ignore', 2, 2], env });
  if (r.error) throw r.error;
  if (r.status !== 0) process.exit(r.status ?? 1);
}

try {
  require.resolve('esbuild');
} catch {
  // The outer install's choices (omit=dev, production) would leave them out again.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_config_(omit|production|only|include|dev)$/i.test(k)));
  const npm = process.env.npm_execpath ? [process.execPath, process.env.npm_execpath] : ['npm'];
  run(npm[0], [...npm.slice(1), 'install', '--include=dev', '--no-save', '--ignore-scripts', '--no-audit', '--no-fund'], env);
}
run(process.execPath, ['esbuild.mjs']);
