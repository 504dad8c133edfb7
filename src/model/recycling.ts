/**
 * A pool that recycles its connections (maxLifetime, maxRequestsPerConnection) churns ports like a client
 * without a pool, only slower: each recycled connection is closed by the client (one client TIME_WAIT for
 * 60 s) and replaced by a new one on a new port. With S connections:
 *
 * - by lifetime L: every connection is replaced every L, so S / L connections per second, in steps of S
 *   (a pool opened at once ages at once);
 * - by requests M: the pool serves the request rate r, so r / M connections per second, spread evenly.
 *
 * The ports held at t are the S open connections plus the recycled ones still in TIME_WAIT (the last 60 s).
 * connect() fails once that exceeds the capacity.
 */
import { predictOnsetMs } from './onset.js';
import type { PlanStage } from './plan.js';

export interface Recycling {
  poolSize: number;
  /** maxLifetime in ms; 0 or absent: not recycled by age. */
  lifetimeMs?: number;
  /** maxRequestsPerConnection; 0 or absent: not recycled by use. */
  requestsPerConnection?: number;
}

/** True when the pool recycles at all. */
export function recycles(r: Recycling): boolean {
  return (r.lifetimeMs ?? 0) > 0 || (r.requestsPerConnection ?? 0) > 0;
}

/** Connections recycled per second by age (S / L) and by use (r / M); a connection goes at the first of the two. */
export function recycleRatesPerSec(r: Recycling, requestRatePerSec: number): { byLifetime: number; byRequests: number } {
  const lifetimeMs = r.lifetimeMs ?? 0;
  const requests = r.requestsPerConnection ?? 0;
  return {
    byLifetime: lifetimeMs > 0 ? (r.poolSize * 1000) / lifetimeMs : 0,
    byRequests: requests > 0 ? requestRatePerSec / requests : 0,
  };
}

/** Connections recycled per second at steady state: whichever limit comes first sets the pace. */
export function recycleRatePerSec(r: Recycling, requestRatePerSec: number): number {
  const { byLifetime, byRequests } = recycleRatesPerSec(r, requestRatePerSec);
  return Math.max(byLifetime, byRequests);
}

/**
 * When a recycling pool first runs out of ports, ms since the load started; null if it never does within
 * the plan. `capacity` counts every usable (source, destination) port; the client closes recycled
 * connections first, so each keeps its port for `timeWaitMs`.
 */
export function predictRecyclingOnsetMs(stages: readonly PlanStage[], capacity: number, timeWaitMs: number, r: Recycling): number | null {
  const room = capacity - r.poolSize;
  if (room < 0) return 0;
  if (!recycles(r)) return null;
  const durationMs = stages.reduce((sum, s) => sum + s.durationMs, 0);
  const peak = Math.max(0, ...stages.map((s) => s.ratePerSec));
  const { byLifetime, byRequests } = recycleRatesPerSec(r, peak);
  if (byRequests > byLifetime) {
    // Spread evenly over the requests: one recycle per M starts, so the plan's own onset with M x room.
    return predictOnsetMs(stages, (r.requestsPerConnection ?? 1) * room, timeWaitMs);
  }
  // In steps: at k x L all S connections are replaced at once; the window holds the last timeWaitMs of steps.
  const lifetimeMs = r.lifetimeMs ?? 0;
  for (let k = 1; k * lifetimeMs <= durationMs; k++) {
    const stepsHeld = Math.min(k, Math.ceil(timeWaitMs / lifetimeMs));
    if (r.poolSize * stepsHeld > room) return k * lifetimeMs;
  }
  return null;
}
