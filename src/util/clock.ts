/**
 * One monotonic clock for every thread of the driver. performance.now() has a per-thread time origin in
 * worker_threads, so on its own it cannot date events from several workers on one axis; CLOCK_MONOTONIC
 * (process.hrtime) can. Both read the same clock (libuv's uv_hrtime), so each thread measures the distance
 * between them once and then pays only for performance.now(): no BigInt per call on the hot path.
 */
import { performance } from 'node:perf_hooks';

/** CLOCK_MONOTONIC in ms, exact but slower (BigInt). */
export function hrtimeMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/**
 * CLOCK_MONOTONIC minus this thread's performance.now(), in ms: constant for the thread's life. Measured
 * between two performance.now() reads, keeping the tightest of a few tries (the first calls are slow).
 */
function measureOriginMs(): number {
  let best = Infinity;
  let origin = 0;
  for (let i = 0; i < 5; i++) {
    const before = performance.now();
    const hr = hrtimeMs();
    const after = performance.now();
    if (after - before < best) {
      best = after - before;
      origin = hr - (before + after) / 2;
    }
  }
  return origin;
}

const originMs = measureOriginMs();

/** Monotonic ms on the clock every thread shares (CLOCK_MONOTONIC), with sub-microsecond resolution. */
export function monoMs(): number {
  return performance.now() + originMs;
}
