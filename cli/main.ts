import { run } from './run';
import { tuneProcess } from '../core/runtime';
import { setTokenParagraphCache } from '../core/tokens';

/** The `airlock` command (bundled as `dist/cli.js`). */

tuneProcess();
// Each file is read once: no token paragraphs kept for a next keystroke.
setTokenParagraphCache(0);

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
