/**
 * Runs the bundled target in its own thread inside the driver, so accepting connections does not
 * compete with the coordinator and sampler on one event loop. Posts 'listening' or 'failed'; exits on 'close'.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { quietErrorStacks } from '../util/error-stacks.js';
import { startTarget, type TargetOptions } from './start.js';

quietErrorStacks();
const options = workerData as TargetOptions;
const port = parentPort!;

try {
  const target = await startTarget(options);
  port.on('message', (msg: unknown) => {
    if (msg === 'close') void target.close().then(() => port.close());
  });
  port.postMessage({ type: 'listening' });
} catch (err) {
  port.postMessage({ type: 'failed', message: err instanceof Error ? err.message : String(err), code: (err as { code?: string }).code });
}
