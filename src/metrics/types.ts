/**
 * The run model: what the orchestrator builds from the driver's events and every renderer reads.
 * Field names listed in design.md ("summary.json") are a fixed contract; the rest may grow.
 */
import type { KeepAliveOutcome } from '../model/keep-alive.js';
import type { Prediction } from '../model/types.js';
import type { PortRange } from '../util/units.js';
import type { IntervalNat, NatRunSummary } from './nat.js';
import type { IntervalProxy, ProxyRunSummary } from './proxy.js';

/** Error counts by Node error code (EADDRNOTAVAIL, EADDRINUSE, ECONNREFUSED ...). */
export type ErrorCounts = Record<string, number>;

export interface Percentiles {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

export interface Interval {
  /** Start of the interval, ms since the load started. */
  tMs: number;
  attempts: number;
  connected: number;
  errors: ErrorCounts;
  /** All TIME_WAIT in the lab (/proc/net/sockstat tw), last sample of the interval. */
  timeWait: number;
  /** TIME_WAIT whose local port is in the ephemeral range and whose remote is a target port. */
  clientTimeWait: number;
  /** TIME_WAIT whose local port is a target port. */
  serverTimeWait: number;
  /** Client-side ESTABLISHED sockets (open connections holding their ports). */
  established: number;
  /** Client-side CLOSE_WAIT: the server closed and the client did not (a leak). Absent in older runs. */
  closeWait?: number;
  /** Client-side sockets holding an ephemeral port in any state. */
  portsInUse: number;
  /** The arrival rate the plan asked for in this interval. */
  targetRatePerSec: number;
  /** Starts skipped because maxInFlight was reached. */
  skipped: number;
  /** Requests completed (pool, http). */
  requests: number;
  /** Requests that failed after their connection was up, by code (ECONNRESET, UND_ERR_SOCKET ...). Absent in older runs. */
  requestErrors?: ErrorCounts;
  /** Connect latency in this interval, failures included; null when nothing was attempted. */
  connectLatencyUs: Percentiles | null;
  /** Request latency in this interval (pool, http, churn with requests). Absent in runs before 0.1. */
  requestLatencyUs?: Percentiles | null;
  /** How late this interval's starts were against the plan; a late generator under-reports exhaustion. */
  scheduleLagUs?: Percentiles | null;
  /** TcpExt counter deltas in this interval (TW, TWRecycled, TCPTimeWaitOverflow ...). */
  netstat: Record<string, number>;
  /** nat lab: the gateway's conntrack in this interval. */
  nat?: IntervalNat;
  /** target.proxy: each hop's sockets and the proxy's counters in this interval. */
  proxy?: IntervalProxy;
}

export interface Onset {
  /** When the first exhaustion error (EADDRNOTAVAIL, or EADDRINUSE from bound sources) came, ms since start. */
  atMs: number;
  code: string;
  clientTimeWait: number;
  portsInUse: number;
  /** The arrival rate at that moment. */
  ratePerSec: number;
  /** When the model said it would come; null if it predicted none. */
  predictedAtMs: number | null;
}

/**
 * The lab as the load stopped: one last sockstat and /proc/net/tcp read after the last connection ended, so
 * the peaks and gates see the run's end state and not a sample up to a tcpInterval older.
 */
export interface FinalState {
  /** When it was read, ms since the load started. */
  tMs: number;
  timeWait: number;
  clientTimeWait: number;
  serverTimeWait: number;
  established: number;
  portsInUse: number;
}

export interface Expectation {
  name: string;
  pass: boolean;
  detail: string;
}

export interface BreakdownRow {
  attempts: number;
  connected: number;
  errors: ErrorCounts;
}

/**
 * How the client managed its connections, as the diagnosis needs it (run/strategy.ts); absent in runs
 * before it was recorded.
 */
export interface StrategyFacts {
  /** uniform | poisson. */
  arrival: string;
  /** A keep-alive HTTP client (node-agent, undici) against the server's idle timeout; null otherwise. */
  keepAlive: (KeepAliveOutcome & { client: string; serverTimeoutMs: number; hint: boolean }) | null;
  /** A raw pool that replaces its connections; null otherwise. */
  recycle: { poolSize: number; lifetimeMs: number; requestsPerConnection: number; ratePerSec: number } | null;
  /** bind | no-port when source addresses are bound; null when the kernel picks the source. */
  bindStrategy: string | null;
  /** Resends of a request whose keep-alive connection was reset (node-agent, undici). */
  retries: number;
}

/** Why a run ended before its plan: a signal, its parent gone, or a part of the lab that failed. */
export const INTERRUPT_REASONS = ['SIGINT', 'SIGTERM', 'parent-exit', 'target-failure', 'lab-failure', 'driver-crash'] as const;
export type InterruptReason = (typeof INTERRUPT_REASONS)[number];

export interface Interruption {
  reason: InterruptReason;
  /** In words: which signal, which part failed and how. */
  detail: string;
}

export interface RunSummary {
  version: string;
  runId: string;
  startedAt: string;
  /** Load time actually run (shorter than planned after Ctrl-C). */
  durationMs: number;
  plannedDurationMs: number;
  interrupted: boolean;
  /** Why, when interrupted (null otherwise); absent in summaries older than this field. */
  interruption?: Interruption | null;
  scenario: {
    name: string;
    description: string;
    sourceFile: string | null;
    engine: string;
    protocol: string;
    pattern: string;
    close: string;
    /** Highest planned arrival rate. */
    ratePerSec: number;
    stages: { durationMs: number; ratePerSec: number }[];
    workers: number;
    poolSize: number | null;
    sourceAddresses: string[];
    destinations: string[];
    strategy?: StrategyFacts;
  };
  lab: {
    kind: string;
    /** Effective values read back inside the lab, as strings. */
    sysctls: Record<string, string>;
    portRange: PortRange;
    notes: string[];
  };
  totals: {
    attempts: number;
    connected: number;
    errors: ErrorCounts;
    skipped: number;
    requests: number;
    requestErrors: ErrorCounts;
    bySource: Record<string, BreakdownRow>;
    byDestination: Record<string, BreakdownRow>;
  };
  onset: Onset | null;
  /** Intervals, the onset snapshot and the final state, whichever was highest. */
  peak: { timeWait: number; clientTimeWait: number; serverTimeWait: number; portsInUse: number };
  /** The lab as the load stopped; absent in runs before it was sampled, or when its reads failed. */
  final?: FinalState;
  latency: { connectUs: Percentiles | null; requestUs: Percentiles | null; scheduleLagUs: Percentiles | null };
  /** TcpExt counter deltas over the whole run. */
  netstat: Record<string, number>;
  prediction: Prediction;
  diagnosis: string;
  intervals: Interval[];
  expectations: Expectation[];
  pass: boolean;
  /** nat lab only: what the gateway did. */
  nat?: NatRunSummary;
  /** target.proxy only: what the proxy did on each hop. */
  proxy?: ProxyRunSummary;
}
