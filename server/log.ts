import type { Connection } from 'vscode-languageserver/node';

/** The server's output channel (`window/logMessage`), with repeated warnings and failures said once. */
export class Log {
  private readonly said = new Set<string>();

  constructor(private readonly connection: Connection) {}

  info(message: string): void {
    this.connection.console.info(message);
  }

  warn(message: string): void {
    this.connection.console.warn(message);
  }

  error(message: string): void {
    this.connection.console.error(message);
  }

  /** Log once per `key`; `show` also pops the warning up in the editor. */
  warnOnce(key: string, message: string, show = false): void {
    if (this.said.has(key)) return;
    this.remember(key);
    this.warn(message);
    if (show) this.connection.window.showWarningMessage(`Airlock: ${message}`);
  }

  /** An error with its stack, logged once per `key` (a rule failing on every keystroke says it once). */
  errorOnce(key: string, message: string): void {
    if (this.said.has(key)) return;
    this.remember(key);
    this.error(message);
  }

  /** Forget keys starting with `prefix` (a document closed: its failures may be logged again). */
  forget(prefix: string): void {
    for (const k of this.said) if (k.startsWith(prefix)) this.said.delete(k);
  }

  private remember(key: string): void {
    if (this.said.size > 10_000) this.said.clear();
    this.said.add(key);
  }
}
