// The tools Airlock is compared with, installed by the bench in a folder of their own at pinned versions:
// never the project's dependency tree, whose hoisting, extra packages and dev builds change how fast a peer
// starts and runs (the project's own secretlint install was measured 1.7× slower than a plain one).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** The peers and their exact versions: what `npm i <name>@<version>` in an empty folder installs. */
export const PEERS = {
  secretlint: '13.0.6',
  '@secretlint/secretlint-rule-preset-recommend': '13.1.0',
};

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/**
 * The folder the peers are installed in (`.cache/bench-peers/`, git-ignored), installing them on the first
 * run or when the pinned versions change. A plain `npm install` with no lock file of the project's: the
 * peers resolve their own dependency trees, as a user's install does.
 */
export function installPeers(root, log) {
  const dir = path.join(root, '.cache', 'bench-peers');
  const manifest = path.join(dir, 'package.json');
  const wanted = JSON.stringify({ name: 'airlock-bench-peers', private: true, dependencies: PEERS }, null, 2);
  const installed = existsSync(manifest) && readFileSync(manifest, 'utf8') === wanted && existsSync(path.join(dir, 'node_modules', 'secretlint'));
  if (!installed) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(manifest, wanted);
    log(
      `installing the peers in ${path.relative(root, dir)}/: ${Object.entries(PEERS)
        .map(([n, v]) => `${n}@${v}`)
        .join(', ')}`,
    );
    execFileSync(npm, ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  for (const [name, version] of Object.entries(PEERS)) {
    const got = JSON.parse(readFileSync(path.join(dir, 'node_modules', name, 'package.json'), 'utf8')).version;
    if (got !== version) throw new Error(`${name} ${got} installed in ${dir}, ${version} expected: delete the folder and run again`);
  }
  return { dir, secretlintBin: path.join(dir, 'node_modules', 'secretlint', 'bin', 'secretlint.js') };
}
