// The extension keeps its own copy of the protocol ids (it must not import server code): keep them equal.
import { describe, expect, it } from 'vitest';
import * as client from '../../client/protocol';
import * as server from '../../server/protocol';
// @ts-expect-error: the benchmark is plain JavaScript
import { SERVER_NODE_OPTIONS as BENCH_SERVER_NODE_OPTIONS } from '../../bench/lib/lsp.mjs';

describe('client/protocol.ts matches server/protocol.ts', () => {
  it('has the same command ids, notification, source, limits and settings', () => {
    expect(client.Commands).toEqual(server.Commands);
    expect(client.NOTEBOOK_OUTPUTS_NOTIFICATION).toBe(server.NOTEBOOK_OUTPUTS_NOTIFICATION);
    expect(client.DIAGNOSTIC_SOURCE).toBe(server.DIAGNOSTIC_SOURCE);
    expect(client.MAX_OUTPUT_TEXT_PER_CELL).toBe(server.MAX_OUTPUT_TEXT_PER_CELL);
    expect(client.SETTINGS_SECTION).toBe(server.SETTINGS_SECTION);
    expect(client.DEFAULT_DEBOUNCE_MS).toBe(server.DEFAULT_DEBOUNCE_MS);
    expect(client.SERVER_NODE_OPTIONS).toEqual(server.SERVER_NODE_OPTIONS);
    // The benchmark starts the server as the extension does.
    expect(BENCH_SERVER_NODE_OPTIONS).toEqual(server.SERVER_NODE_OPTIONS);
  });

  it('shares the notification and result shapes', () => {
    const params: server.NotebookOutputsParams = {} as client.NotebookOutputsParams;
    const back: client.NotebookOutputsParams = {} as server.NotebookOutputsParams;
    const scan: client.ScanWorkspaceResult = {} as server.ScanWorkspaceResult;
    const docs: client.ShowRuleDocsResult = {} as server.ShowRuleDocsResult;
    expect([params, back, scan, docs]).toHaveLength(4);
  });
});
