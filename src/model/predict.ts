/**
 * The exhaustion model (pure): from a connection pattern and the kernel's settings, how many ports the load
 * holds at steady state, whether and when connect() fails, and the highest rate that does not fail.
 * The rules are the measured ones in kernel-facts.md.
 */
import { PortlabError } from '../errors/index.js';
import { adviseOn, notesFor } from './advice.js';
import { recycleRatePerSec } from './recycling.js';
import type { Figures, PredictInput, Prediction } from './types.js';

export { predictOnsetMs, type OnsetOptions } from './onset.js';

/** tcp_tw_reuse_delay's kernel default. */
export const DEFAULT_TW_REUSE_DELAY_MS = 1000;

/** Ports one (source, destination) tuple can use: Linux's parity scan loses one port of an odd-sized range. */
export function usablePorts(rangeSize: number, parityLoss = true): number {
  return parityLoss && rangeSize > 1 && rangeSize % 2 === 1 ? rangeSize - 1 : rangeSize;
}

/**
 * Predicts what the load does to the client's ports. Throws PortlabError('USAGE') on impossible input
 * (a rate that is not positive, fewer than one destination ...).
 */
export function predict(input: PredictInput): Prediction {
  validate(input);
  const figures = computeFigures(input);
  return { ...figures, advice: adviseOn(input, figures), notes: notesFor(input, figures) };
}

function computeFigures(input: PredictInput): Figures {
  const usablePortsPerTuple = usablePorts(input.portRange.size, input.parityLoss ?? true);
  const tuples = input.destinations * input.sourceAddresses;
  const capacity = usablePortsPerTuple * tuples;
  const base = { usablePortsPerTuple, tuples, capacity };
  const twSec = input.timeWaitMs / 1000;
  const demand = input.ratePerSec * twSec;
  const buckets = input.maxTwBuckets ?? Infinity;

  if (input.poolSize !== undefined && input.poolRecycle !== undefined) return recyclingPoolFigures(input, base, twSec);
  if (input.poolSize !== undefined) {
    const exhausts = input.poolSize > capacity;
    return {
      ...base,
      pattern: 'pool',
      steadyStateTimeWait: 0,
      steadyStateClientTimeWait: 0,
      steadyStateServerTimeWait: 0,
      portsNeeded: input.poolSize,
      utilizationPct: pct(input.poolSize, capacity),
      exhausts,
      // The pool opens its connections at once, so the one past capacity fails right away.
      timeToFirstFailureMs: exhausts ? 0 : null,
      maxSustainableRatePerSec: exhausts ? 0 : null,
    };
  }

  const closer = input.closer ?? 'client';
  if (closer === 'never') {
    // A leak: every connection keeps its port while open, so any rate uses the range up, at capacity / rate.
    return {
      ...base,
      pattern: 'churn',
      steadyStateTimeWait: 0,
      steadyStateClientTimeWait: 0,
      steadyStateServerTimeWait: 0,
      portsNeeded: demand,
      utilizationPct: pct(demand, capacity),
      exhausts: true,
      timeToFirstFailureMs: (capacity / input.ratePerSec) * 1000,
      maxSustainableRatePerSec: 0,
    };
  }
  if (closer !== 'client') {
    // Each 4-tuple holds at most one server TIME_WAIT: the client's next SYN on it takes the socket over.
    const serverTw = closer === 'server' ? Math.min(demand, capacity, buckets) : 0;
    return {
      ...base,
      pattern: 'churn',
      steadyStateTimeWait: serverTw,
      steadyStateClientTimeWait: 0,
      steadyStateServerTimeWait: serverTw,
      portsNeeded: 0,
      utilizationPct: 0,
      exhausts: false,
      timeToFirstFailureMs: null,
      maxSustainableRatePerSec: null,
    };
  }

  const reuse = (input.twReuse ?? false) && (input.tcpTimestamps ?? true);
  const holdSec = reuse ? Math.min(twSec, (input.twReuseDelayMs ?? DEFAULT_TW_REUSE_DELAY_MS) / 1000) : twSec;
  // Reused ports leave TIME_WAIT, so with reuse the client never holds more TIME_WAIT than it has ports.
  const clientTw = Math.min(demand, buckets, reuse ? capacity : Infinity);
  const portsNeeded = Math.min(demand <= capacity ? demand : input.ratePerSec * holdSec, buckets);
  const exhausts = portsNeeded > capacity;
  return {
    ...base,
    pattern: 'churn',
    steadyStateTimeWait: clientTw,
    steadyStateClientTimeWait: clientTw,
    steadyStateServerTimeWait: 0,
    portsNeeded,
    utilizationPct: pct(portsNeeded, capacity),
    exhausts,
    // Every start before then still finds a port: capacity / rate is when the one past capacity comes.
    timeToFirstFailureMs: exhausts ? (capacity / input.ratePerSec) * 1000 : null,
    maxSustainableRatePerSec: buckets <= capacity ? null : capacity / holdSec,
  };
}

/**
 * A pool that replaces its connections: S ports held open, plus every recycled connection's client
 * TIME_WAIT (recycling.ts). A lifetime alone sets a pace no request rate changes: if it exhausts, no rate is
 * sustainable; recycling by use allows M x (capacity - S) / TIME_WAIT requests per second.
 */
function recyclingPoolFigures(input: PredictInput, base: Pick<Figures, 'usablePortsPerTuple' | 'tuples' | 'capacity'>, twSec: number): Figures {
  const poolSize = input.poolSize ?? 0;
  const recycle = { poolSize, ...input.poolRecycle };
  const churn = recycleRatePerSec(recycle, input.ratePerSec);
  const clientTw = churn * twSec;
  const portsNeeded = poolSize + clientTw;
  const exhausts = portsNeeded > base.capacity;
  const room = base.capacity - poolSize;
  const lifetimeMs = recycle.lifetimeMs ?? 0;
  const requests = recycle.requestsPerConnection ?? 0;
  const byAgeExhausts = lifetimeMs > 0 && (poolSize * 1000 * twSec) / lifetimeMs > room;
  let maxSustainableRatePerSec: number | null = null;
  if (room < 0 || byAgeExhausts) maxSustainableRatePerSec = 0;
  else if (requests > 0) maxSustainableRatePerSec = (requests * room) / twSec;
  return {
    ...base,
    pattern: 'pool',
    steadyStateTimeWait: clientTw,
    steadyStateClientTimeWait: clientTw,
    steadyStateServerTimeWait: 0,
    portsNeeded,
    utilizationPct: pct(portsNeeded, base.capacity),
    exhausts,
    // The time without steps (recycling.ts has the exact one for a plan): the room divided by the churn.
    timeToFirstFailureMs: !exhausts ? null : room < 0 ? 0 : (room / churn) * 1000,
    maxSustainableRatePerSec,
    recycleRatePerSec: churn,
  };
}

function pct(part: number, whole: number): number {
  return whole > 0 ? (part / whole) * 100 : 0;
}

function validate(input: PredictInput): void {
  const problems: string[] = [];
  const positive = (name: string, value: number | undefined, integer: boolean): void => {
    if (value === undefined) return;
    if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
      problems.push(`${name} must be a positive ${integer ? 'whole number' : 'number'}, got ${value}`);
    }
  };
  positive('ratePerSec', input.ratePerSec, false);
  positive('timeWaitMs', input.timeWaitMs, false);
  positive('destinations', input.destinations, true);
  positive('sourceAddresses', input.sourceAddresses, true);
  positive('poolSize', input.poolSize, true);
  positive('twReuseDelayMs', input.twReuseDelayMs, false);
  positive('portRange.size', input.portRange.size, true);
  if (input.maxTwBuckets !== undefined && !(Number.isInteger(input.maxTwBuckets) && input.maxTwBuckets >= 0)) {
    problems.push(`maxTwBuckets must be a whole number >= 0, got ${input.maxTwBuckets}`);
  }
  if (problems.length > 0) {
    throw new PortlabError('USAGE', `cannot predict: ${problems[0]}`, { details: problems });
  }
}
