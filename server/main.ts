/**
 * The Airlock language server process: `node dist/server.js --stdio` or `--node-ipc` (also `--socket=N`,
 * `--pipe=NAME`), as chosen by `createConnection` from the command line.
 */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server';
import { tuneProcess } from '../core/runtime';

// secretlint's profiler off (it keeps marks per call forever), a plain copy of process.env (the yaml parser reads it per token).
tuneProcess();

const connection = createConnection(ProposedFeatures.all);
startServer(connection);
connection.listen();
