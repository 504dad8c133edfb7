/**
 * What a worker thread knows of a load: one interface for every way portlab makes connections (a new
 * connection per start, a pool, Node's http.Agent, autocannon), so the worker has no per-load branch. Each
 * load is one entry of registry.ts, as k6 registers executors.
 */
import type { LoadSpec } from '../../config/engine-problems.js';
import type { Connect } from '../../net/connect.js';
import type { Timers } from '../../net/deadlines.js';
import type { WorkerRuntime } from '../worker/runtime.js';

/** Something under way that can be stopped early (Ctrl-C) and says when it is over. */
export interface Running {
  stop(): void;
  /** Resolves once stopped or done. */
  finished: Promise<void>;
}

/** What the worker hands a load: its share of the scenario, the counters, the connector, a clock. */
export interface LoadContext {
  /** This worker's config, counters and in-flight count. */
  runtime: WorkerRuntime;
  /** Opens client sockets (net/connect.ts); tests give one over fake sockets. */
  connect: Connect;
  /** Monotonic ms: latencies and connection lifetimes. */
  now: () => number;
  /** For pauses a load takes on its own (the pool's reopen backoff). */
  timers: Timers;
  /**
   * Runs this worker's share of the open-model arrival plan from the shared start time, calling `start`
   * with each arrival's global index when it is due.
   */
  arrivals(start: (k: number) => void): Running;
}

export interface Load {
  /**
   * Starts the load; called once when the worker gets 'go'. A load driven by the arrival plan opens what it
   * keeps (a pool) and returns `context.arrivals(...)`; one that paces itself (autocannon) runs on its own.
   * `finished` resolves when no new work will start.
   */
  run(): Running;
  /**
   * After the drain deadline: ends what is still in flight (counted as request errors) and closes what the
   * load keeps open, client first.
   */
  close(): void;
}

/** One load of the registry: the spec validate checks (config/engine-problems.ts) and its factory. */
export interface LoadEntry {
  spec: LoadSpec;
  create(context: LoadContext): Load;
}
