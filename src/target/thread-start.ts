/** Starts the bundled target in its own thread (thread.ts) and waits until it listens. */
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { PortlabError } from '../errors/index.js';
import { assertNever } from '../util/assert.js';
import { profileExecArgv } from '../util/cpu-profile.js';
import { parseTargetEvent, type TargetCommand } from './messages.js';
import type { ProxyStats } from '../metrics/proxy.js';
import type { TargetOptions } from './start.js';

const TARGET_ENTRY = fileURLToPath(new URL('./thread.js', import.meta.url));

/** The running target thread. */
export interface TargetThread {
  /** Asks the thread to close its listeners; it exits once they are closed. */
  close(): void;
  /** Ends the thread now; resolves with its exit code. */
  terminate(): Promise<number>;
}

/** Resolves with the thread once every address listens; rejects (with the listen error's code) otherwise. */
export async function startTargetThread(options: TargetOptions, onProxyStats?: (stats: ProxyStats) => void): Promise<TargetThread> {
  const worker = new Worker(TARGET_ENTRY, { workerData: options, execArgv: profileExecArgv('target') });
  await new Promise<void>((resolve, reject) => {
    worker.on('message', (data: unknown) => {
      try {
        const event = parseTargetEvent(data);
        switch (event.type) {
          case 'listening':
            return resolve();
          case 'failed':
            return reject(
              new PortlabError('TARGET_FAILED', `the target could not listen: ${event.message}`, {
                hint: event.code === 'EADDRINUSE' ? 'another process has that port: pick other target.ports, or use a lab of its own (userns, netns, docker)' : 'check target.ports and client.destinations',
              }),
            );
          case 'proxy':
            return onProxyStats?.(event.stats);
          default:
            return assertNever(event);
        }
      } catch (err) {
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
    worker.once('error', (err) => reject(new PortlabError('TARGET_FAILED', `the target failed while starting: ${err.message}`)));
  });
  let ending = false;
  // A target that dies mid-run ends the driver as a target failure (driver/main.ts reports uncaught errors),
  // not as a load that quietly meets ECONNREFUSED until its end.
  worker.on('error', (err) => {
    if (!ending) throw new PortlabError('TARGET_FAILED', `the target thread failed during the run: ${err.message}`);
  });
  const send = (command: TargetCommand): void => worker.postMessage(command);
  return {
    close: () => {
      ending = true;
      send({ type: 'close' });
    },
    terminate: () => {
      ending = true;
      return worker.terminate();
    },
  };
}
