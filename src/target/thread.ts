/**
 * Runs the bundled target in its own thread inside the driver, so accepting connections does not
 * compete with the coordinator and sampler on one event loop. Posts 'listening' or 'failed'; exits on 'close'.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { errnoCode } from '../errors/index.js';
import { assertNever } from '../util/assert.js';
import { armFailpoint } from '../util/failpoint.js';
import { quietErrorStacks } from '../util/error-stacks.js';
import { parseTargetCommand, parseTargetOptions, PROXY_STATS_INTERVAL_MS, type TargetEvent } from './messages.js';
import { startTarget } from './start.js';

quietErrorStacks();
const options = parseTargetOptions(workerData);
const port = parentPort!;
const post = (event: TargetEvent): void => port.postMessage(event);

try {
  const target = await startTarget(options);
  const stats = target.stats;
  const postStats = stats ? (): void => post({ type: 'proxy', stats: stats() }) : null;
  const timer = postStats ? setInterval(postStats, PROXY_STATS_INTERVAL_MS) : null;
  port.on('message', (data: unknown) => {
    const command = parseTargetCommand(data);
    switch (command.type) {
      case 'close':
        if (timer) clearInterval(timer);
        postStats?.();
        void target.close().then(() => port.close());
        break;
      default:
        assertNever(command.type);
    }
  });
  post({ type: 'listening' });
  armFailpoint('target-crash');
} catch (err) {
  post({ type: 'failed', message: err instanceof Error ? err.message : String(err), code: errnoCode(err) });
}
