/**
 * One monotonic clock for every thread of the driver. performance.now() has a per-thread time origin in
 * worker_threads, so it cannot date events from several workers on one axis; CLOCK_MONOTONIC can.
 */
export function monoMs(): number {
  return Number(process.hrtime.bigint() / 1000n) / 1000;
}
