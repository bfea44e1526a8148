import { format } from 'node:util';
import { StreamMessageReader, StreamMessageWriter, type Connection } from 'vscode-languageserver/node';

/**
 * The `--stdio` transport, with its framing guarded. A message whose header cannot be read (a
 * `Content-Length` that is not a number, a header line without `:`) leaves the stream with no way to find
 * the next message, and a `Content-Length` larger than what follows makes the reader wait for bytes that
 * never come: either way the connection is lost. The server says why on stderr and exits (code 1), so the
 * client sees a dead server rather than one that stalls without a word.
 */

/** How long the reader waits for the rest of a message that stopped arriving. */
export const PARTIAL_MESSAGE_TIMEOUT_MS = 5000;

export function stdioTransport(): [StreamMessageReader, StreamMessageWriter] {
  const reader = new StreamMessageReader(process.stdin);
  reader.partialMessageTimeout = PARTIAL_MESSAGE_TIMEOUT_MS;
  reader.onPartialMessage((info) =>
    fatal(`the client sent part of a message and nothing more for ${info.waitingTime} ms (is its Content-Length larger than its body?)`),
  );
  reader.onError((e) => fatal(`cannot read a message from the client: ${e.message.split('\n')[0]}`));
  // The library exits when its input ends only for the streams it opens itself.
  for (const event of ['end', 'close'] as const) process.stdin.on(event, () => process.exit(1));
  return [reader, new StreamMessageWriter(process.stdout)];
}

/** stdout carries the protocol: console output goes to the client's log instead. */
export function consoleToClient(connection: Connection): void {
  console.log = (...args: unknown[]) => connection.console.log(format(...args));
  console.info = (...args: unknown[]) => connection.console.info(format(...args));
  console.warn = (...args: unknown[]) => connection.console.warn(format(...args));
  console.error = (...args: unknown[]) => connection.console.error(format(...args));
}

function fatal(why: string): never {
  process.stderr.write(`Airlock language server: ${why}; exiting.\n`);
  process.exit(1);
}
