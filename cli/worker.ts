import { parentPort, workerData } from 'node:worker_threads';
import { oneLine } from '../core/report';
import { RULES } from '../rules';
import type { WorkerData, WorkerRequest, WorkerResponse } from './pool';
import { newTiming } from '../core/scan';
import { tuneProcess } from '../core/runtime';
import { setTokenParagraphCache } from '../core/tokens';
import { scanUnit } from './unit';

/** Worker thread entry (bundled as `dist/worker.js`): scans the batches the main thread sends, one at a time, in order. */

tuneProcess();
// Each file is read once: no token paragraphs kept for a next keystroke.
setTokenParagraphCache(0);

const data = workerData as WorkerData;
const port = parentPort;
if (!port) throw new Error('cli/worker.ts runs as a worker thread');

// Batches are scanned one after the other, in the order they came: the pool matches answers to requests by order.
let queue: Promise<void> = Promise.resolve();
port.on('message', (msg: WorkerRequest) => {
  queue = queue.then(async () => {
    const timing = data.timing ? newTiming() : undefined;
    try {
      const results = await scanUnit(msg.files, {
        root: data.root,
        config: data.config,
        rules: RULES,
        timing,
        reportUnusedSuppressions: data.reportUnusedSuppressions,
      });
      port.postMessage({ results, timing } satisfies WorkerResponse);
    } catch (e) {
      port.postMessage({ error: oneLine((e as Error)?.message ?? String(e)) } satisfies WorkerResponse);
    }
  });
});
