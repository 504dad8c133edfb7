/** What a worker thread hands its load in a run: the real connector, the shared clock, the arrival plan. */
import { compilePlan } from '../../model/plan.js';
import { createConnector } from '../../net/connect.js';
import { createNoPortBinder } from '../../net/no-port.js';
import { unrefTimers } from '../../net/deadlines.js';
import { monoMs } from '../../util/clock.js';
import type { LoadContext } from '../loads/load.js';
import { arrivalPositions } from '../arrivals.js';
import { runSchedule } from '../schedule.js';
import type { WorkerRuntime } from './runtime.js';

/**
 * One connector per context: its deadline queues serve this thread's connects only. Bound sources with the
 * no-port strategy get their sockets from libc (net/no-port.ts); koffi is loaded here, before the load starts.
 */
export function workerLoadContext(runtime: WorkerRuntime): LoadContext {
  const { config } = runtime;
  const plan = compilePlan(config.stages);
  const noPort = config.bindSource && config.bindStrategy === 'no-port';
  return {
    runtime,
    connect: createConnector({ now: monoMs, timers: unrefTimers, ...(noPort ? { bindSocket: createNoPortBinder(undefined, config.socketPortRange) } : {}) }),
    now: monoMs,
    timers: unrefTimers,
    arrivals: (start) =>
      runSchedule({
        plan,
        positions: arrivalPositions(config.arrival, plan.totalStarts, config.seed),
        index: config.index,
        workers: config.workers,
        t0Ms: config.t0Ms,
        now: monoMs,
        onStart: (k, lagMs) => {
          runtime.scheduleLag.record(lagMs * 1000);
          start(k);
        },
      }),
  };
}
