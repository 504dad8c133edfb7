/** What a worker thread hands its load in a run: the real connector, the shared clock, the arrival plan. */
import { compilePlan } from '../../model/plan.js';
import { createConnector } from '../../net/connect.js';
import { unrefTimers } from '../../net/deadlines.js';
import { monoMs } from '../../util/clock.js';
import type { LoadContext } from '../loads/load.js';
import { runSchedule } from '../schedule.js';
import type { WorkerRuntime } from './runtime.js';

/** One connector per context: its deadline queues serve this thread's connects only. */
export function workerLoadContext(runtime: WorkerRuntime): LoadContext {
  const { config } = runtime;
  return {
    runtime,
    connect: createConnector({ now: monoMs, timers: unrefTimers }),
    now: monoMs,
    timers: unrefTimers,
    arrivals: (start) =>
      runSchedule({
        plan: compilePlan(config.stages),
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
