/**
 * The autocannon engine inside one worker thread: runs autocannon with this worker's share of the
 * connections and the rate, and feeds what its instrumented clients report into the worker's runtime, so
 * intervals, onset and totals reach the coordinator exactly as the raw engine's do.
 */
import autocannon from 'autocannon';
import { destinationLabel } from '../worker/endpoints.js';
import type { WorkerRuntime } from '../worker/runtime.js';
import { instrumentClient, type ClientObserver } from './instrument.js';
import { autocannonPlan, SAMPLE_INTERVAL_MS } from './options.js';

export interface RunningAutocannon {
  /** Ends the load early (Ctrl-C); `finished` resolves once autocannon has closed its connections. */
  stop(): void;
  finished: Promise<void>;
}

function observerFor(runtime: WorkerRuntime): ClientObserver {
  // autocannon cannot bind source addresses (engineProblems rejects several), so the kernel picks 127.0.0.1.
  const source = runtime.config.sourceAddresses[0]!;
  return {
    connectAttempt: (destination, errorCode, latencyUs) => runtime.attempt(source, destinationLabel(destination), errorCode, latencyUs),
    response: (latencyUs) => runtime.request(latencyUs),
    requestError: (code) => runtime.requestError(code),
  };
}

/** Waits out the run for a worker with nothing to send, so its intervals still line up with the others'. */
function idle(durationMs: number): RunningAutocannon {
  let stop: () => void = () => {};
  const finished = new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, durationMs);
    stop = () => {
      clearTimeout(timer);
      resolve();
    };
  });
  return { stop, finished };
}

/** Starts the load now (call it at the shared start time). */
export function runAutocannon(runtime: WorkerRuntime): RunningAutocannon {
  const { config } = runtime;
  if (config.protocol !== 'http') throw new Error('the autocannon engine speaks HTTP: set target.protocol to http');
  const plan = autocannonPlan(config);
  if (!plan) return idle(config.durationMs);
  const observer = observerFor(runtime);
  let instance: autocannon.Instance | undefined;
  const finished = new Promise<void>((resolve, reject) => {
    instance = autocannon(
      {
        // autocannon spreads its connections over several URLs round-robin; its types only name one.
        url: plan.urls as unknown as string,
        connections: plan.connections,
        pipelining: plan.pipelining,
        overallRate: plan.overallRate,
        reconnectRate: plan.reconnectRate,
        duration: plan.durationSec,
        timeout: plan.timeoutSec,
        sampleInt: SAMPLE_INTERVAL_MS,
        skipAggregateResult: true,
        setupClient: (client) => instrumentClient(client, observer, plan.retryAfterMs),
      },
      (err) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve()),
    );
  });
  return { stop: () => instance?.stop(), finished };
}
