/**
 * When a ramped load first runs out of ports. A connection that the client closes first holds its port for
 * the TIME_WAIT length (or, with tcp_tw_reuse, until the TIME_WAIT socket is older than the reuse delay), so
 * the ports held at t are the starts in (t - W, t]. connect() fails once that count exceeds the capacity.
 */
import { planFor, type PlanStage } from './plan.js';
import type { Closer } from './types.js';

export interface OnsetOptions {
  /**
   * Default 'client'; server-first and reset leave the client no TIME_WAIT, so they never exhaust; 'never'
   * (a leak) holds every port for good.
   */
  closer?: Closer;
  /** tcp_tw_reuse delay in ms when reuse is on (and timestamps are): ports come back after this long. */
  twReuseDelayMs?: number;
  /** tcp_max_tw_buckets: a cap at or below capacity destroys TIME_WAIT sockets early and so never exhausts. */
  maxTwBuckets?: number;
}

// A count that only touches capacity (a constant rate exactly at the sustainable rate) is not exhaustion;
// the slack keeps floating-point noise from calling it one.
const RELATIVE_SLACK = 1e-12;

/**
 * The first time (ms since the load started) at which the starts in the window (t - W, t] exceed
 * `capacity`; null when that never happens within the plan (stages as in plan.ts: piecewise-linear, the
 * first stage constant). W is `timeWaitMs`, or the reuse delay when shorter. For a constant rate r above
 * capacity / W this is capacity / r.
 */
export function predictOnsetMs(
  stages: readonly PlanStage[],
  capacity: number,
  timeWaitMs: number,
  options: OnsetOptions = {},
): number | null {
  const closer = options.closer ?? 'client';
  if (closer !== 'client' && closer !== 'never') return null;
  const leak = closer === 'never';
  if (!leak && options.maxTwBuckets !== undefined && options.maxTwBuckets <= capacity) return null;
  // A leaked connection holds its port until the run ends: a window longer than any plan.
  const windowMs = leak ? Infinity : Math.min(timeWaitMs, options.twReuseDelayMs ?? Infinity);
  const plan = planFor(stages);
  const limit = capacity + RELATIVE_SLACK * Math.max(1, capacity);
  // After the plan ends the window only loses starts, so the onset, if any, lies in [0, durationMs].
  const end = plan.durationMs;
  const breaks = new Set<number>([0, end]);
  let t = 0;
  for (const stage of stages) {
    for (const b of [t, t + windowMs]) if (b < end) breaks.add(b);
    t += stage.durationMs;
  }
  const points = [...breaks].sort((x, y) => x - y);
  const held = (at: number): number => plan.startsBy(at) - plan.startsBy(at - windowMs);
  for (let k = 0; k + 1 < points.length; k++) {
    const a = points[k]!;
    const b = points[k + 1]!;
    // Between breakpoints held(t) is one quadratic: expand it around a.
    const g = held(a) - limit;
    const d1 = (plan.rateAt(a) - plan.rateAt(a - windowMs)) / 1000;
    const d2 = (plan.rateSlopeAt(a) - plan.rateSlopeAt(a - windowMs)) / 1000;
    const tau = firstPositive(d2 / 2, d1, g, b - a);
    if (tau !== null) return a + tau;
  }
  return null;
}

/** The smallest x in [0, len] where A x^2 + B x + G becomes positive (its root there), or null. */
function firstPositive(A: number, B: number, G: number, len: number): number | null {
  if (G > 0) return 0;
  const roots: number[] = [];
  if (Math.abs(A) < 1e-18) {
    if (B > 0) roots.push(-G / B);
  } else {
    const disc = B * B - 4 * A * G;
    if (disc < 0) return null;
    const q = -(B + Math.sign(B || 1) * Math.sqrt(disc)) / 2;
    roots.push(q / A);
    if (q !== 0) roots.push(G / q);
  }
  const candidates = roots.filter((x) => x >= 0 && x <= len && 2 * A * x + B > 0).sort((x, y) => x - y);
  return candidates[0] ?? null;
}
