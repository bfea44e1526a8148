import { spawn } from 'node:child_process';
import { UsageError } from './args';

/**
 * Running git in a repository the CLI does not trust. A repository's own config can name programs git
 * runs: `core.fsmonitor` runs one on every index read, and `core.hooksPath` chooses the hooks. Airlock's
 * git calls switch both off, and take no optional locks (they only read; they never rewrite the index).
 */
const SAFE_CONFIG = ['-c', 'core.fsmonitor=false', '-c', 'core.hooksPath=/dev/null'];

export interface GitResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

export function git(args: string[], cwd: string, input?: string): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', [...SAFE_CONFIG, ...args], { cwd, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' } });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e: NodeJS.ErrnoException) =>
      reject(new UsageError(e.code === 'ENOENT' ? '--staged needs git, and git was not found on PATH' : `cannot run git: ${e.message}`)),
    );
    child.on('close', (code) => resolve({ code: code ?? 1, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8') }));
    child.stdin.on('error', () => {
      // git exited before reading all of its input: its exit code tells what happened.
    });
    child.stdin.end(input ?? '');
  });
}

/** `git(...)`'s output; a failure is a `UsageError` with git's first line. */
export async function gitOk(args: string[], cwd: string, input?: string): Promise<Buffer> {
  const r = await git(args, cwd, input);
  if (r.code !== 0) {
    const first = r.stderr.trim().split('\n')[0] || `exit code ${r.code}`;
    throw new UsageError(`git ${args[0]} failed: ${first.replace(/^fatal:\s*/, '')}`);
  }
  return r.stdout;
}
