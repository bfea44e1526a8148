import { run } from './run';
import { tuneProcess } from '../core/runtime';

/** The `airlock` command (bundled as `dist/cli.js`). */

tuneProcess();

process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  // The reader went away (`airlock scan | head`): nothing left to say.
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

run(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env }).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`airlock: internal error: ${(e as Error)?.message ?? e}\n`);
    process.exitCode = 2;
  },
);
