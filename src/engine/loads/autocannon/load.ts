/**
 * The autocannon engine inside one worker thread: runs autocannon with this worker's share of the
 * connections and the rate, and feeds what its instrumented clients report into the worker's runtime, so
 * intervals, onset and totals reach the coordinator exactly as the raw engine's do.
 */
import autocannon from 'autocannon';
import { LOAD_SPECS } from '../../../config/engine-problems.js';
import { destinationLabel } from '../../worker/endpoints.js';
import type { WorkerRuntime } from '../../worker/runtime.js';
import type { Load, LoadContext, LoadEntry, Running } from '../load.js';
import { instrumentClient, type ClientObserver } from './instrument.js';
import { autocannonPlan, SAMPLE_INTERVAL_MS } from './options.js';

/** autocannon spreads its connections over several URLs round-robin; its types name only one. */
type AutocannonOptions = Omit<autocannon.Options, 'url'> & { url: string | string[] };

function observerFor(runtime: WorkerRuntime): ClientObserver {
  // autocannon cannot bind source addresses (its checks reject several), so the kernel picks 127.0.0.1.
  const source = runtime.config.sourceAddresses[0]!;
  return {
    connectAttempt: (destination, errorCode, latencyUs) => runtime.attempt(source, destinationLabel(destination), errorCode, latencyUs),
    response: (latencyUs) => runtime.request(latencyUs),
    requestError: (code) => runtime.requestError(code),
  };
}

/** Waits `delayMs`, unless stopped first. */
function wait(delayMs: number): Running {
  let stop: () => void = () => {};
  const finished = new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, Math.max(0, delayMs));
    stop = () => {
      clearTimeout(timer);
      resolve();
    };
  });
  return { stop, finished };
}

/** Starts autocannon now (call it at the shared start time). */
export function runAutocannon(runtime: WorkerRuntime): Running {
  const { config } = runtime;
  const plan = autocannonPlan(config);
  // A worker with nothing to send waits out the run, so its intervals still line up with the others'.
  if (!plan) return wait(config.durationMs);
  const observer = observerFor(runtime);
  let instance: autocannon.Instance | undefined;
  const options: AutocannonOptions = {
    url: plan.urls,
    connections: plan.connections,
    pipelining: plan.pipelining,
    overallRate: plan.overallRate,
    reconnectRate: plan.reconnectRate,
    duration: plan.durationSec,
    timeout: plan.timeoutSec,
    sampleInt: SAMPLE_INTERVAL_MS,
    skipAggregateResult: true,
    setupClient: (client) => instrumentClient(client, observer, plan.retryAfterMs),
  };
  const finished = new Promise<void>((resolve, reject) => {
    instance = autocannon(options as autocannon.Options, (err) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve()));
  });
  return { stop: () => instance?.stop(), finished };
}

/**
 * autocannon paces its own requests (no arrival plan): the load only starts it at the shared start time and
 * says when it has ended. Its connections are closed by then, so close() has nothing left to end.
 */
export class AutocannonLoad implements Load {
  constructor(private readonly context: LoadContext) {}

  run(): Running {
    const { runtime, now } = this.context;
    const lead = wait(runtime.config.t0Ms - now());
    let running: Running = lead;
    let stopped = false;
    const finished = lead.finished.then(async () => {
      if (stopped) return;
      running = runAutocannon(runtime);
      await running.finished;
    });
    return {
      stop: () => {
        stopped = true;
        running.stop();
      },
      finished,
    };
  }

  close(): void {}
}

export const autocannonLoad: LoadEntry = { spec: LOAD_SPECS.autocannon, create: (context) => new AutocannonLoad(context) };
