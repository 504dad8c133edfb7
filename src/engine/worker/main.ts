/**
 * Worker thread entry: waits for 'go' (which carries the shared start time), runs its share of the
 * arrival plan with the scenario's connection pattern, drains, posts its last interval and 'done'.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { compilePlan } from '../../model/plan.js';
import { assertNever } from '../../util/assert.js';
import { monoMs } from '../../util/clock.js';
import { quietErrorStacks } from '../../util/error-stacks.js';
import type { CoordinatorMessage, WorkerConfig, WorkerMessage } from '../messages.js';
import { runAutocannon } from '../autocannon/load.js';
import { runSchedule, type RunningSchedule } from '../schedule.js';
import { AgentLoad } from './agent.js';
import { ChurnLoad } from './churn.js';
import { PoolLoad } from './pool.js';
import { drainInFlight, WorkerRuntime } from './runtime.js';
import { createSink } from './sink.js';

quietErrorStacks();
const port = parentPort!;
const base = workerData as WorkerConfig;
const post = (msg: WorkerMessage): void => port.postMessage(msg);
let schedule: RunningSchedule | undefined;
let stopRequested = false;
let stopAutocannon: (() => void) | undefined;

/** autocannon paces its own requests; the worker only starts it on time and reports when it ends. */
async function runAutocannonLoad(runtime: WorkerRuntime, t0Ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, t0Ms - monoMs())));
  const load = runAutocannon(runtime);
  stopAutocannon = load.stop;
  if (stopRequested) load.stop();
  await load.finished;
  runtime.finish();
}

async function run(t0Ms: number): Promise<void> {
  const runtime = new WorkerRuntime({ ...base, t0Ms }, post, createSink(), createSink(), createSink());
  runtime.startIntervals();
  if (base.engine === 'autocannon') return runAutocannonLoad(runtime, t0Ms);
  const load = base.engine === 'node-agent' ? new AgentLoad(runtime) : base.pattern === 'pool' ? new PoolLoad(runtime) : new ChurnLoad(runtime);
  if (load instanceof PoolLoad) void load.open();
  schedule = runSchedule({
    plan: compilePlan(base.stages),
    index: base.index,
    workers: base.workers,
    t0Ms,
    now: monoMs,
    onStart: (k, lagMs) => {
      runtime.scheduleLag.record(lagMs * 1000);
      load.start(k);
    },
  });
  if (stopRequested) schedule.stop();
  await schedule.finished;
  // Every connect ends within connectTimeoutMs; a request may still wait for a delayed response.
  const graceMs = base.connectTimeoutMs + base.responseDelayMs + 1000;
  await drainInFlight(runtime, runtime.elapsedMs() + graceMs);
  if (load instanceof PoolLoad) load.close();
  else load.abort();
  runtime.finish();
}

port.on('message', (msg: CoordinatorMessage) => {
  switch (msg.type) {
    case 'go':
      run(msg.t0Ms).catch((err: unknown) => post({ type: 'fatal', message: err instanceof Error ? err.stack ?? err.message : String(err) }));
      break;
    case 'stop':
      stopRequested = true;
      schedule?.stop();
      stopAutocannon?.();
      break;
    default:
      assertNever(msg);
  }
});
post({ type: 'ready' });
