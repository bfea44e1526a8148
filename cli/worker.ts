import { parentPort, workerData } from 'node:worker_threads';
import { oneLine } from '../core/report';
import { RULES } from '../rules';
import type { WorkerData, WorkerRequest, WorkerResponse } from './pool';
import { newTiming } from './timing';
import { tuneProcess } from '../core/runtime';
import { scanUnit } from './unit';

/** Worker thread entry (bundled as `dist/worker.js`): scans the batches the main thread sends, one at a time. */

tuneProcess();

const data = workerData as WorkerData;
const port = parentPort;
if (!port) throw new Error('cli/worker.ts runs as a worker thread');

port.on('message', (msg: WorkerRequest) => {
  const timing = data.timing ? newTiming() : undefined;
  scanUnit(msg.files, { root: data.root, config: data.config, rules: RULES, timing }).then(
    (results) => port.postMessage({ results, timing } satisfies WorkerResponse),
    (e: unknown) => port.postMessage({ error: oneLine((e as Error)?.message ?? String(e)) } satisfies WorkerResponse),
  );
});
