/**
 * The vocabulary as zod schemas, for data that arrives from outside this process: intervals and totals in the
 * driver's events, and summaries read back from disk. Each schema is proven equal to its TypeScript type
 * (the `Same` lines), so the two cannot drift. Objects strip keys they do not know (a tolerant reader: a
 * newer writer's extra fields are dropped, never trusted); a missing or mistyped field is an issue with its path.
 * Fields are listed in the order portlab writes them: the parsed value keeps that order, so a summary read
 * back and written again (`portlab report`) is byte for byte the same.
 */
import { z } from 'zod';
import type { Prediction } from '../model/types.js';
import type { PortRange } from '../util/units.js';
import type { Same } from '../util/same-type.js';
import type { IntervalCounters } from './counters.js';
import { INTERRUPT_REASONS, type Expectation, type FinalState, type Interval, type Onset, type Percentiles, type RunSummary, type StrategyFacts } from './types.js';
import type { NatRunSummary } from './nat.js';
import { intervalNatSchema, natRunSummaryShape } from './nat-schemas.js';
import { intervalProxySchema, proxyRunSummarySchema } from './proxy.js';

/** Whole things counted: connections, sockets, ports. */
const count = z.number().int().nonnegative();
const counts = z.record(z.string(), count);

export const portRangeSchema = z
  .object({ low: count, high: count, size: count })
  .refine((r) => r.low <= r.high && r.size === r.high - r.low + 1, 'expected size = high - low + 1 and low <= high');

export const percentilesSchema = z.object({
  count,
  p50: z.number(),
  p90: z.number(),
  p99: z.number(),
  max: z.number(),
  mean: z.number(),
});

export const intervalSchema = z.object({
  tMs: z.number().nonnegative(),
  attempts: count,
  connected: count,
  errors: counts,
  timeWait: count,
  clientTimeWait: count,
  serverTimeWait: count,
  established: count,
  closeWait: count.optional(),
  portsInUse: count,
  targetRatePerSec: z.number().nonnegative(),
  skipped: count,
  requests: count,
  requestErrors: counts.optional(),
  connectLatencyUs: percentilesSchema.nullable(),
  requestLatencyUs: percentilesSchema.nullable().optional(),
  scheduleLagUs: percentilesSchema.nullable().optional(),
  netstat: z.record(z.string(), z.number()),
  nat: intervalNatSchema.optional(),
  proxy: intervalProxySchema.optional(),
});

const breakdownRow = z.object({ attempts: count, connected: count, errors: counts });

export const countersSchema = z.object({
  attempts: count,
  connected: count,
  errors: counts,
  skipped: count,
  requests: count,
  requestErrors: counts,
  bySource: z.record(z.string(), breakdownRow),
  byDestination: z.record(z.string(), breakdownRow),
});

export const finalStateSchema = z.object({
  tMs: z.number().nonnegative(),
  timeWait: count,
  clientTimeWait: count,
  serverTimeWait: count,
  established: count,
  portsInUse: count,
});

const onsetSchema = z.object({
  atMs: z.number(),
  code: z.string(),
  clientTimeWait: count,
  portsInUse: count,
  ratePerSec: z.number(),
  predictedAtMs: z.number().nullable(),
});

// In the order predict() writes the fields, so a summary read back and written again is unchanged.
const predictionSchema = z.object({
  usablePortsPerTuple: z.number(),
  tuples: z.number(),
  capacity: z.number(),
  pattern: z.enum(['churn', 'pool']),
  steadyStateTimeWait: z.number(),
  steadyStateClientTimeWait: z.number(),
  steadyStateServerTimeWait: z.number(),
  portsNeeded: z.number(),
  utilizationPct: z.number(),
  exhausts: z.boolean(),
  timeToFirstFailureMs: z.number().nullable(),
  maxSustainableRatePerSec: z.number().nullable(),
  recycleRatePerSec: z.number().optional(),
  advice: z.string(),
  notes: z.array(z.string()),
});

const strategySchema = z.object({
  arrival: z.string(),
  keepAlive: z
    .object({
      reuses: z.boolean(),
      clientIdleMs: z.number().nullable(),
      raceProne: z.boolean(),
      disabledByHint: z.boolean(),
      client: z.string(),
      serverTimeoutMs: z.number(),
      hint: z.boolean(),
    })
    .nullable(),
  recycle: z.object({ poolSize: count, lifetimeMs: z.number(), requestsPerConnection: count, ratePerSec: z.number() }).nullable(),
  bindStrategy: z.string().nullable(),
  retries: count,
});

const expectationSchema = z.object({ name: z.string(), pass: z.boolean(), detail: z.string() });

const natRunSummarySchema = z.object({ portRange: portRangeSchema, ...natRunSummaryShape });

export const runSummarySchema = z.object({
  version: z.string(),
  runId: z.string(),
  startedAt: z.string(),
  durationMs: z.number().nonnegative(),
  plannedDurationMs: z.number().nonnegative(),
  interrupted: z.boolean(),
  interruption: z.object({ reason: z.enum(INTERRUPT_REASONS), detail: z.string() }).nullable().optional(),
  scenario: z.object({
    name: z.string(),
    description: z.string(),
    sourceFile: z.string().nullable(),
    engine: z.string(),
    protocol: z.string(),
    pattern: z.string(),
    close: z.string(),
    ratePerSec: z.number(),
    stages: z.array(z.object({ durationMs: z.number(), ratePerSec: z.number() })),
    workers: count,
    poolSize: count.nullable(),
    sourceAddresses: z.array(z.string()),
    destinations: z.array(z.string()),
    strategy: strategySchema.optional(),
  }),
  lab: z.object({
    kind: z.string(),
    sysctls: z.record(z.string(), z.string()),
    portRange: portRangeSchema,
    notes: z.array(z.string()),
  }),
  totals: countersSchema,
  onset: onsetSchema.nullable(),
  peak: z.object({ timeWait: count, clientTimeWait: count, serverTimeWait: count, portsInUse: count }),
  final: finalStateSchema.optional(),
  latency: z.object({
    connectUs: percentilesSchema.nullable(),
    requestUs: percentilesSchema.nullable(),
    scheduleLagUs: percentilesSchema.nullable(),
  }),
  netstat: z.record(z.string(), z.number()),
  prediction: predictionSchema,
  diagnosis: z.string(),
  intervals: z.array(intervalSchema),
  expectations: z.array(expectationSchema),
  pass: z.boolean(),
  nat: natRunSummarySchema.optional(),
  proxy: proxyRunSummarySchema.optional(),
});

const _portRangeAgrees: Same<z.output<typeof portRangeSchema>, PortRange> = true;
const _percentilesAgree: Same<z.output<typeof percentilesSchema>, Percentiles> = true;
const _intervalAgrees: Same<z.output<typeof intervalSchema>, Interval> = true;
const _countersAgree: Same<z.output<typeof countersSchema>, IntervalCounters> = true;
const _finalAgrees: Same<z.output<typeof finalStateSchema>, FinalState> = true;
const _onsetAgrees: Same<z.output<typeof onsetSchema>, Onset> = true;
const _predictionAgrees: Same<z.output<typeof predictionSchema>, Prediction> = true;
const _strategyAgrees: Same<z.output<typeof strategySchema>, StrategyFacts> = true;
const _expectationAgrees: Same<z.output<typeof expectationSchema>, Expectation> = true;
const _natSummaryAgrees: Same<z.output<typeof natRunSummarySchema>, NatRunSummary> = true;
const _summaryAgrees: Same<z.output<typeof runSummarySchema>, RunSummary> = true;
