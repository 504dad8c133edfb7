/**
 * What the coordinator and its worker threads say to each other. Discriminated unions: every
 * `switch (msg.type)` ends in assertNever. Whatever crosses the thread boundary (workerData, messages both
 * ways) is checked where it arrives against the schemas below, so a mismatch between the two sides fails
 * with a message naming the field instead of as a wrong count later.
 */
import { z } from 'zod';
import { LOAD_NAMES, type LoadName } from '../config/engine-problems.js';
import { AGENT_DEFAULTS, ARRIVALS, BIND_STRATEGIES, CLOSE_MODES, PATTERNS, PROTOCOLS, UNDICI_APIS } from '../config/schema.js';
import type { AgentSettings, Arrival, BindStrategy, CloseMode, Destination, Pattern, Protocol, Stage, UndiciSettings } from '../config/types.js';
import { parseBoundary } from '../errors/boundary.js';
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
  /** How starts are spaced; poisson draws its gaps from `seed` (every worker the same sequence). */
  arrival: Arrival;
  seed: number;
  /** The load this worker runs (engine/loads/registry.ts). */
  load: LoadName;
  protocol: Protocol;
  pattern: Pattern;
  close: CloseMode;
  sourceAddresses: string[];
  /** Bind before connect (bind(ip, 0)): only when the scenario names source addresses. */
  bindSource: boolean;
  /** How a bound socket gets its port: bind(ip, 0), or IP_BIND_ADDRESS_NO_PORT (chosen at connect). */
  bindStrategy: BindStrategy;
  /** no-port: the per-socket port range (IP_LOCAL_PORT_RANGE); null: the lab's. */
  socketPortRange: { low: number; high: number } | null;
  destinations: Destination[];
  /** This worker's share of client.maxInFlight. */
  maxInFlight: number;
  /** node-agent, undici: resends of a request whose keep-alive connection was reset. */
  retries: number;
  connectTimeoutMs: number;
  /** This worker's share of the pool. */
  poolSize: number;
  /** Global index of this worker's first pool connection (spreads sources and destinations). */
  poolOffset: number;
  maxRequestsPerConnection: number;
  maxLifetimeMs: number;
  responseBytes: number;
  responseDelayMs: number;
  agent: AgentSettings;
  undici: UndiciSettings;
  /** autocannon, undici: requests in flight per connection. */
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
  /** Every start has ended or timed out; the load's connections stay open until the coordinator says 'close'. */
  | { type: 'drained' }
  | { type: 'done' }
  | { type: 'fatal'; message: string };

/** 'close': every worker has drained (and the lab's end state was read): close what the load holds and report. */
export type CoordinatorMessage = { type: 'go'; t0Ms: number } | { type: 'stop' } | { type: 'close' };

const count = z.number().int().nonnegative();
const whole = z.number().int();
const errorCounts = z.record(z.string(), count);
const breakdownRow = z.object({ attempts: count, connected: count, errors: errorCounts });

const countersSchema: z.ZodType<IntervalCounters> = z.object({
  attempts: count,
  connected: count,
  errors: errorCounts,
  skipped: count,
  requests: count,
  requestErrors: errorCounts,
  bySource: z.record(z.string(), breakdownRow),
  byDestination: z.record(z.string(), breakdownRow),
});

const workerConfigSchema: z.ZodType<WorkerConfig> = z.object({
  index: count,
  workers: whole.positive(),
  t0Ms: z.number(),
  intervalMs: z.number().positive(),
  durationMs: z.number().nonnegative(),
  stages: z.array(z.object({ durationMs: z.number().nonnegative(), ratePerSec: z.number().nonnegative() })).min(1),
  arrival: z.enum(ARRIVALS),
  seed: count,
  load: z.enum(LOAD_NAMES),
  protocol: z.enum(PROTOCOLS),
  pattern: z.enum(PATTERNS),
  close: z.enum(CLOSE_MODES),
  sourceAddresses: z.array(z.string()).min(1),
  bindSource: z.boolean(),
  bindStrategy: z.enum(BIND_STRATEGIES),
  socketPortRange: z.object({ low: whole.min(1).max(65535), high: whole.min(1).max(65535) }).nullable(),
  destinations: z.array(z.object({ host: z.string(), port: whole.min(1).max(65535) })).min(1),
  maxInFlight: whole.positive(),
  retries: count,
  connectTimeoutMs: z.number().positive(),
  poolSize: count,
  poolOffset: count,
  maxRequestsPerConnection: count,
  maxLifetimeMs: z.number().nonnegative(),
  responseBytes: count,
  responseDelayMs: z.number().nonnegative(),
  agent: z.object({
    defaults: z.enum(AGENT_DEFAULTS),
    keepAlive: z.boolean(),
    maxSockets: whole.positive().optional(),
    timeoutMs: z.number().positive().optional(),
  }),
  undici: z.object({ api: z.enum(UNDICI_APIS), connections: whole.positive().optional(), keepAliveTimeoutMs: z.number().positive() }),
  pipelining: whole.positive(),
  requestsPerConnection: count.optional(),
  exhaustionCodes: z.array(z.string()),
});

const histogram = z.string().nullable();

const workerMessageSchema: z.ZodType<WorkerMessage> = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('interval'), index: count, counts: countersSchema, connectHist: histogram, requestHist: histogram, lagHist: histogram }),
  z.object({ type: z.literal('onset'), tMs: z.number(), code: z.string() }),
  z.object({ type: z.literal('drained') }),
  z.object({ type: z.literal('done') }),
  z.object({ type: z.literal('fatal'), message: z.string() }),
]);

const coordinatorMessageSchema: z.ZodType<CoordinatorMessage> = z.discriminatedUnion('type', [
  z.object({ type: z.literal('go'), t0Ms: z.number() }),
  z.object({ type: z.literal('stop') }),
  z.object({ type: z.literal('close') }),
]);

/** A worker's workerData, checked when the worker starts. */
export const parseWorkerConfig = (data: unknown): WorkerConfig => parseBoundary(workerConfigSchema, data, 'worker config');
/** A message from a worker, checked by the coordinator. */
export const parseWorkerMessage = (data: unknown): WorkerMessage => parseBoundary(workerMessageSchema, data, 'worker message');
/** A message from the coordinator, checked by a worker. */
export const parseCoordinatorMessage = (data: unknown): CoordinatorMessage => parseBoundary(coordinatorMessageSchema, data, 'coordinator message');
