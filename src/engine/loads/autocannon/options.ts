/**
 * How one worker's share of a scenario maps onto autocannon's options (pure, so it is tested without a
 * network). autocannon paces requests itself: `overallRate` is split into whole requests per second per
 * connection, sent in a burst at the start of each second, not spread out like the open-model scheduler.
 */
import type { Destination } from '../../../config/types.js';
import { share } from '../../coordinator.js';
import type { WorkerConfig } from '../../messages.js';
import { formatHostPort } from '../../../util/host-port.js';

export interface AutocannonPlan {
  urls: string[];
  /** autocannon's `connections`: this worker's share of client.pool.size. */
  connections: number;
  /** Whole requests per second for this worker (autocannon's `overallRate`). */
  overallRate: number;
  pipelining: number;
  /** Reconnect after this many requests per connection: 1 for churn, maxRequestsPerConnection for a pool. */
  reconnectRate: number | undefined;
  durationSec: number;
  /** Per-request timeout (autocannon reconnects after it): long enough for a connect and a delayed response. */
  timeoutSec: number;
  /** Pause before a connection that failed to connect is retried: one connection's share of the rate. */
  retryAfterMs: number;
}

/**
 * autocannon checks every sampleInt (100 ms) whether its duration is over, and each connection's rate
 * quota refills at whole seconds from the start: stopping 150 ms early ends the run before a last burst
 * it would cut off, so a run of N seconds sends N bursts, as planned, none of them aborted.
 */
export const STOP_EARLY_MS = 150;
/** How often autocannon checks whether the run is over. */
export const SAMPLE_INTERVAL_MS = 100;

export function urlOf(destination: Destination): string {
  return `http://${formatHostPort(destination.host, destination.port)}/`;
}

/** The arrival rate of a constant plan; autocannon cannot follow a ramp (its checks reject one). */
export function constantRatePerSec(config: Pick<WorkerConfig, 'stages'>): number {
  return Math.max(...config.stages.map((s) => s.ratePerSec));
}

/** This worker's autocannon options, or null when its share of the rate is zero requests per second. */
export function autocannonPlan(config: WorkerConfig): AutocannonPlan | null {
  const overallRate = share(Math.round(constantRatePerSec(config)), config.workers, config.index);
  if (overallRate < 1) return null;
  // autocannon itself lowers connections to overallRate: each connection needs at least 1 request/s.
  const connections = Math.min(Math.max(1, config.poolSize), overallRate);
  const recycle = config.maxRequestsPerConnection > 0 ? config.maxRequestsPerConnection : undefined;
  return {
    urls: config.destinations.map(urlOf),
    connections,
    overallRate,
    pipelining: config.pipelining,
    reconnectRate: config.pattern === 'churn' ? 1 : recycle,
    durationSec: Math.max(STOP_EARLY_MS, config.durationMs - STOP_EARLY_MS) / 1000,
    timeoutSec: (config.connectTimeoutMs + config.responseDelayMs + 1000) / 1000,
    retryAfterMs: (1000 * connections) / overallRate,
  };
}
