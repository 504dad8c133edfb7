/**
 * The arrival plan: a piecewise-linear rate over time, and its integral (how many connection starts are due
 * by a given moment). The engine paces starts with `startsBy`; the model finds the onset with the same math.
 *
 * Convention (stages as in a scenario's `client.stages`):
 * - Stage i lasts `durationMs` and its rate moves linearly from the END rate of stage i-1 to its own
 *   `ratePerSec`. The FIRST stage has no predecessor and is constant at its own rate, so a scenario's plain
 *   `rate: 100/s` (one stage as long as the run) is 100/s from t = 0, with no ramp.
 * - To ramp up from zero, start with a zero-length stage at rate 0: `[{0ms, 0/s}, {10s, 200/s}]` goes
 *   0 -> 200/s over 10 s. Zero-length stages are allowed and take no time.
 * - Time is ms since the load started. Stages cover [0, durationMs): the rate is right-continuous (at a
 *   boundary it is the next stage's starting rate), 0 before 0 and from durationMs on.
 */
import { PortlabError } from '../errors/index.js';

/** One stage of the plan; structurally the same as config's Stage. */
export interface PlanStage {
  durationMs: number;
  ratePerSec: number;
}

/** A compiled plan: O(1) for calls with non-decreasing time (the engine's case), O(log n) otherwise. */
export interface RatePlan {
  /** Sum of the stages' durations. */
  readonly durationMs: number;
  /** startsBy(durationMs): every start the plan asks for (fractional). */
  readonly totalStarts: number;
  /** The highest rate the plan reaches (per second): ramps are linear, so it is a stage's own rate; 0 without stages. */
  readonly peakRatePerSec: number;
  /** Target rate (per second) at tMs. */
  rateAt(tMs: number): number;
  /** How fast the rate changes at tMs, in (per second) per ms; 0 outside ramps. */
  rateSlopeAt(tMs: number): number;
  /**
   * Starts due by tMs: the exact integral of the rate over [0, tMs], fractional (floor it for whole starts).
   * 0 before 0, totalStarts from durationMs on.
   */
  startsBy(tMs: number): number;
  /** The earliest time at which startsBy reaches n; 0 for n <= 0, null when the plan never gets there. */
  timeOfStart(n: number): number | null;
}

/** Compiles stages into a RatePlan. Throws PortlabError('USAGE') on a negative or non-finite value. */
export function compilePlan(stages: readonly PlanStage[]): RatePlan {
  const n = stages.length;
  const startMs = new Float64Array(n);
  const lengthMs = new Float64Array(n);
  const fromRate = new Float64Array(n);
  const toRate = new Float64Array(n);
  // Starts due before stage i begins; cum[n] is the plan's total.
  const cum = new Float64Array(n + 1);
  let t = 0;
  let peakRatePerSec = 0;
  for (let i = 0; i < n; i++) {
    const { durationMs, ratePerSec } = stages[i]!;
    if (!(Number.isFinite(durationMs) && durationMs >= 0) || !(Number.isFinite(ratePerSec) && ratePerSec >= 0)) {
      throw new PortlabError('USAGE', `stage ${i + 1}: duration and rate must be finite and not negative`);
    }
    startMs[i] = t;
    lengthMs[i] = durationMs;
    fromRate[i] = i === 0 ? ratePerSec : stages[i - 1]!.ratePerSec;
    toRate[i] = ratePerSec;
    peakRatePerSec = Math.max(peakRatePerSec, ratePerSec);
    // Trapezoid: the mean of a linear rate is the mean of its ends; /1000 turns ms x per-second into starts.
    cum[i + 1] = cum[i]! + ((fromRate[i]! + toRate[i]!) / 2) * (durationMs / 1000);
    t += durationMs;
  }
  const durationMs = t;
  const totalStarts = cum[n]!;
  let hint = 0;

  /** The stage holding tMs, for 0 <= tMs < durationMs: the last one starting at or before it. */
  function stageAt(tMs: number): number {
    const h = hint;
    if (startMs[h]! <= tMs && tMs < startMs[h]! + lengthMs[h]!) return h;
    if (h + 1 < n && startMs[h + 1]! <= tMs && tMs < startMs[h + 1]! + lengthMs[h + 1]!) return (hint = h + 1);
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (startMs[mid]! <= tMs) lo = mid;
      else hi = mid - 1;
    }
    return (hint = lo);
  }

  function slope(i: number): number {
    return lengthMs[i]! > 0 ? (toRate[i]! - fromRate[i]!) / lengthMs[i]! : 0;
  }

  return {
    durationMs,
    totalStarts,
    peakRatePerSec,
    rateAt(tMs) {
      if (!(tMs >= 0 && tMs < durationMs)) return 0;
      const i = stageAt(tMs);
      return fromRate[i]! + slope(i) * (tMs - startMs[i]!);
    },
    rateSlopeAt(tMs) {
      if (!(tMs >= 0 && tMs < durationMs)) return 0;
      return slope(stageAt(tMs));
    },
    startsBy(tMs) {
      if (!(tMs > 0)) return 0;
      if (tMs >= durationMs) return totalStarts;
      const i = stageAt(tMs);
      const u = tMs - startMs[i]!;
      return cum[i]! + (fromRate[i]! * u + (slope(i) * u * u) / 2) / 1000;
    },
    timeOfStart(count) {
      if (!(count > 0)) return 0;
      if (count > totalStarts) return null;
      // The first stage whose end total reaches count.
      let lo = 0;
      let hi = n - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cum[mid + 1]! >= count) hi = mid;
        else lo = mid + 1;
      }
      const x = (count - cum[lo]!) * 1000;
      const a = slope(lo) / 2;
      const b = fromRate[lo]!;
      // Solve a u^2 + b u = x for the smallest u >= 0; this form stays exact when a is 0 or tiny.
      const root = Math.sqrt(Math.max(0, b * b + 4 * a * x));
      const u = b + root > 0 ? (2 * x) / (b + root) : 0;
      return startMs[lo]! + Math.min(Math.max(u, 0), lengthMs[lo]!);
    },
  };
}

const cache = new WeakMap<readonly PlanStage[], RatePlan>();

/** compilePlan, memoised per stages array (treat the array as immutable once passed in). */
export function planFor(stages: readonly PlanStage[]): RatePlan {
  let plan = cache.get(stages);
  if (!plan) {
    plan = compilePlan(stages);
    cache.set(stages, plan);
  }
  return plan;
}

/** Target rate (per second) at tMs; see the module comment for the ramp convention. */
export function rateAt(stages: readonly PlanStage[], tMs: number): number {
  return planFor(stages).rateAt(tMs);
}

/** Starts due by tMs: the exact, fractional integral of the rate over [0, tMs]. */
export function startsBy(stages: readonly PlanStage[], tMs: number): number {
  return planFor(stages).startsBy(tMs);
}
