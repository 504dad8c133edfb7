/** Starts the bundled target in its own thread (thread.ts) and waits until it listens. */
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { profileExecArgv } from '../util/cpu-profile.js';
import type { TargetOptions } from './start.js';

const TARGET_ENTRY = fileURLToPath(new URL('./thread.js', import.meta.url));

/** Resolves with the thread once every address listens; rejects (with the listen error's code) otherwise. */
export async function startTargetThread(options: TargetOptions): Promise<Worker> {
  const worker = new Worker(TARGET_ENTRY, { workerData: options, execArgv: profileExecArgv('target') });
  await new Promise<void>((resolve, reject) => {
    worker.once('message', (msg: { type: string; message?: string; code?: string }) => {
      if (msg.type === 'listening') resolve();
      else reject(Object.assign(new Error(`the target could not listen: ${msg.message}`), { code: msg.code }));
    });
    worker.once('error', reject);
  });
  return worker;
}
