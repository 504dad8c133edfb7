/**
 * What the coordinator and its worker threads say to each other. Discriminated unions: every
 * `switch (msg.type)` ends in assertNever.
 */
import type { CloseMode, Destination, EngineKind, Pattern, Protocol, Stage } from '../config/types.js';
import type { IntervalCounters } from '../metrics/counters.js';

/** Everything a worker thread needs, passed as workerData (structured-clone safe). */
export interface WorkerConfig {
  index: number;
  workers: number;
  /** Monotonic ms at which the load starts; shared by every thread (util/clock.ts). */
  t0Ms: number;
  intervalMs: number;
  durationMs: number;
  stages: Stage[];
  engine: EngineKind;
  protocol: Protocol;
  pattern: Pattern;
  close: CloseMode;
  sourceAddresses: string[];
  /** Bind before connect (bind(ip, 0)): only when the scenario names source addresses. */
  bindSource: boolean;
  destinations: Destination[];
  /** This worker's share of client.maxInFlight. */
  maxInFlight: number;
  connectTimeoutMs: number;
  /** This worker's share of the pool. */
  poolSize: number;
  /** Global index of this worker's first pool connection (spreads sources and destinations). */
  poolOffset: number;
  maxRequestsPerConnection: number;
  maxLifetimeMs: number;
  responseBytes: number;
  responseDelayMs: number;
  agent: { keepAlive: boolean; maxSockets?: number };
  /** autocannon: requests in flight per connection. */
  pipelining: number;
  /** churn: request/response exchanges per connection (0: connect, then close); default 1. */
  requestsPerConnection?: number;
  /** Error codes that mean the ports ran out (EADDRNOTAVAIL; EADDRINUSE too when sources are bound). */
  exhaustionCodes: string[];
}

/** One interval of one worker; histograms are HDR, compressed base64 (null when empty). */
export interface WorkerInterval {
  type: 'interval';
  index: number;
  counts: IntervalCounters;
  connectHist: string | null;
  requestHist: string | null;
  lagHist: string | null;
}

export type WorkerMessage =
  | { type: 'ready' }
  | WorkerInterval
  | { type: 'onset'; tMs: number; code: string }
  | { type: 'done' }
  | { type: 'fatal'; message: string };

export type CoordinatorMessage = { type: 'go'; t0Ms: number } | { type: 'stop' };
