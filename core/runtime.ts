import { secretLintProfiler } from '@secretlint/profiler';

/**
 * Process-wide settings for a process (or worker thread) that analyses many files or many versions of a
 * file: the CLI's main thread and workers, the language server. Call once, at start-up.
 *
 * - secretlint's profiler is on by default: every `lintSource` call then adds performance marks per rule,
 *   observed and kept forever. secretlint's own command line turns it off unless asked to profile.
 * - `process.env` reads go through a native lookup; the `yaml` parser reads `process.env.LOG_TOKENS` once
 *   per token, about a quarter of its time. A plain copy of the environment makes each read a property
 *   lookup. Not on Windows, where environment variable names are case-insensitive.
 */
export function tuneProcess(): void {
  secretLintProfiler.setEnabled(false);
  if (process.platform !== 'win32') process.env = { ...process.env };
}
