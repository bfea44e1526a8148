/**
 * The Airlock language server process: `node dist/server.js --stdio` or `--node-ipc` (also `--socket=N`,
 * `--pipe=NAME`), as chosen by `createConnection` from the command line; `--stdio` with a guarded reader
 * (`stdio.ts`).
 */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server';
import { consoleToClient, stdioTransport } from './stdio';
import { tuneProcess } from '../core/runtime';

// secretlint's profiler off (it keeps marks per call forever), a plain copy of process.env (the yaml parser reads it per token).
tuneProcess();

const stdio = process.argv.includes('--stdio');
const connection = stdio ? createConnection(ProposedFeatures.all, ...stdioTransport()) : createConnection(ProposedFeatures.all);
if (stdio) consoleToClient(connection);
startServer(connection);
connection.listen();
