/**
 * Worker thread entry: waits for 'go' (which carries the shared start time), runs its load (registry.ts:
 * the worker knows none of them by name), drains, says 'drained', closes what its load holds on 'close', posts
 * its last interval and 'done'.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { assertNever } from '../../util/assert.js';
import { quietErrorStacks } from '../../util/error-stacks.js';
import { armFailpoint } from '../../util/failpoint.js';
import type { Load, LoadContext, Running } from '../loads/load.js';
import { loadFactory } from '../loads/registry.js';
import { parseCoordinatorMessage, parseWorkerConfig, type CoordinatorMessage, type WorkerConfig, type WorkerMessage } from '../messages.js';
import { workerLoadContext } from './context.js';
import { drainInFlight, WorkerRuntime } from './runtime.js';
import { createSink } from './sink.js';

/** One worker's run; what it changes (the load under way, whether 'stop' came) lives here, not in the module. */
function createWorker(
  config: WorkerConfig,
  createLoad: (context: LoadContext) => Load,
  post: (msg: WorkerMessage) => void,
): (msg: CoordinatorMessage) => void {
  let running: Running | undefined;
  let stopRequested = false;
  let allowClose = (): void => {};
  const closeAllowed = new Promise<void>((resolve) => (allowClose = resolve));

  async function run(t0Ms: number): Promise<void> {
    const runtime = new WorkerRuntime({ ...config, t0Ms }, post, createSink(), createSink(), createSink());
    runtime.startIntervals();
    const load = createLoad(workerLoadContext(runtime));
    running = load.run();
    if (stopRequested) running.stop();
    await running.finished;
    // Every connect ends within connectTimeoutMs; a request may still wait for a delayed response.
    const graceMs = config.connectTimeoutMs + config.responseDelayMs + 1000;
    await drainInFlight(runtime, runtime.elapsedMs() + graceMs);
    // The pool's connections are still open: the driver reads the lab's end state before they close, so
    // the harness's own teardown (client-first closes: TIME_WAIT) is not counted as the load's.
    post({ type: 'drained' });
    await closeAllowed;
    load.close();
    runtime.finish();
  }

  return (msg) => {
    switch (msg.type) {
      case 'go':
        armFailpoint('worker-crash');
        run(msg.t0Ms).catch((err: unknown) => post({ type: 'fatal', message: err instanceof Error ? err.stack ?? err.message : String(err) }));
        break;
      case 'stop':
        stopRequested = true;
        running?.stop();
        break;
      case 'close':
        allowClose();
        break;
      default:
        assertNever(msg);
    }
  };
}

quietErrorStacks();
const port = parentPort!;
const post = (msg: WorkerMessage): void => port.postMessage(msg);
const config = parseWorkerConfig(workerData);
// Before 'ready': importing the load must not eat into the time after the shared start.
const onMessage = createWorker(config, await loadFactory(config.load), post);
port.on('message', (data: unknown) => onMessage(parseCoordinatorMessage(data)));
post({ type: 'ready' });
