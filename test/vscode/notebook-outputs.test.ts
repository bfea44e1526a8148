// What the extension sends in `airlock/notebookOutputs`, from VS Code's notebook output model.
import { describe, expect, it } from 'vitest';
import { notebookOutputs, outputItemText, ERROR_MIME, STDERR_MIME, STDOUT_MIME } from '../../client/notebook';
import { MAX_OUTPUT_TEXT_PER_CELL } from '../../protocol';

const bytes = (text: string) => new TextEncoder().encode(text);
const item = (mime: string, text: string) => ({ mime, data: bytes(text) });
const cell = (index: number, outputs: { items: { mime: string; data: Uint8Array }[]; metadata?: Record<string, unknown> }[]) =>
  ({ index, document: { uri: { toString: () => `vscode-notebook-cell:/nb.ipynb#W${index}` } }, outputs }) as never;

describe('notebook outputs', () => {
  it('sends streams and errors without MIME, text items with theirs, never images', () => {
    const [first] = notebookOutputs([
      cell(2, [
        { items: [item(STDOUT_MIME, 'token \u001b[31mhf_abc\u001b[0m\n')], metadata: { outputType: 'stream' } },
        { items: [item('image/png', '\u0089PNG'), item('image/svg+xml', '<svg/>'), item('text/plain', '<Figure>')], metadata: { outputType: 'display_data' } },
        { items: [item('text/html', '<b>x</b>'), item('application/json', '{"a":1}')] },
        {
          items: [
            item(
              ERROR_MIME,
              JSON.stringify({ name: 'KeyError', message: "'AWS_SECRET'", stack: '\u001b[0;31mKeyError\u001b[0m Traceback\n  File "<cell>", line 2' }),
            ),
          ],
          metadata: { outputType: 'error' },
        },
        { items: [item(STDERR_MIME, 'warning\n')] },
      ]),
    ]);
    expect(first).toEqual({
      index: 2,
      uri: 'vscode-notebook-cell:/nb.ipynb#W2',
      outputs: [
        { outputType: 'stream', text: 'token hf_abc\n', outputIndex: 0 },
        { outputType: 'display_data', mime: 'text/plain', text: '<Figure>', outputIndex: 1 },
        { outputType: 'display_data', mime: 'text/html', text: '<b>x</b>', outputIndex: 2 },
        { outputType: 'display_data', mime: 'application/json', text: '{"a":1}', outputIndex: 2 },
        { outputType: 'error', text: 'KeyError: \'AWS_SECRET\'\nKeyError Traceback\n  File "<cell>", line 2', outputIndex: 3 },
        { outputType: 'stream', text: 'warning\n', outputIndex: 4 },
      ],
    });
  });

  it('lists cells without outputs, so the snapshot clears them', () => {
    expect(notebookOutputs([cell(0, []), cell(1, [])]).map((c) => c.outputs)).toEqual([[], []]);
  });

  it('keeps the stack alone when it already names the error', () => {
    const text = outputItemText(item(ERROR_MIME, JSON.stringify({ name: 'ValueError', message: 'bad', stack: 'Traceback\nValueError: bad' })));
    expect(text).toBe('Traceback\nValueError: bad');
  });

  it('sends at most the per-cell limit of text', () => {
    const big = 'x'.repeat(MAX_OUTPUT_TEXT_PER_CELL - 10);
    const [c] = notebookOutputs([
      cell(0, [{ items: [item('text/plain', big), item('text/markdown', 'y'.repeat(100))] }, { items: [item('text/plain', 'z')] }]),
    ]);
    expect(c!.outputs.map((o) => o.text.length)).toEqual([MAX_OUTPUT_TEXT_PER_CELL - 10, 10]);
  });
});
