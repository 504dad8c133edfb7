/**
 * The open-model scheduler: starts happen when the arrival plan says, not when earlier work ends, so a
 * slow or failing system does not quietly lower the load (coordinated omission). Worker `index` of
 * `workers` owns global starts index, index + workers, ... so the split is exact and round-robin over
 * sources and destinations stays global.
 */
import type { RatePlan } from '../model/plan.js';
import { arrivalPositions, type ArrivalPositions } from './arrivals.js';

export interface ScheduleOptions {
  plan: RatePlan;
  index: number;
  workers: number;
  /** Monotonic ms at which the load started (shared by all workers). */
  t0Ms: number;
  now: () => number;
  /** Called for each due start with its global index and how late it is, in ms. */
  onStart: (k: number, lagMs: number) => void;
  /** Starts per event-loop turn at most, so I/O callbacks get their turn even when behind. */
  maxBatch?: number;
  /** Where each start sits on the plan's count axis (arrivals.ts); default uniform: start k at k. */
  positions?: ArrivalPositions;
}

export interface RunningSchedule {
  /** Stops before the plan ends (Ctrl-C); resolves `finished`. */
  stop(): void;
  /**
   * Resolves when the plan's time is over (plan.durationMs), not at its last start: a plan whose starts
   * run out early (0.1/s for 5 s has one, at 0 s) still lasts its duration.
   */
  finished: Promise<void>;
}

/** Total starts of a plan: start k is due at the moment startsBy reaches k. */
export function plannedStarts(plan: RatePlan): number {
  return Math.ceil(plan.totalStarts - 1e-9);
}

/** Starts owned by worker `index` among the first `due` global starts. */
export function ownedStarts(due: number, index: number, workers: number): number {
  return due > index ? Math.floor((due - index - 1) / workers) + 1 : 0;
}

/** Shortest timer: libuv's clock ticks in whole ms, so a shorter wait is the same wait. */
const MIN_WAIT_MS = 1;
/** Longest sleep, so a stop() or a clock step is noticed within a second. */
const MAX_WAIT_MS = 1000;

export function runSchedule(options: ScheduleOptions): RunningSchedule {
  const { plan, index, workers, t0Ms, now, onStart } = options;
  const maxBatch = options.maxBatch ?? 256;
  const positions = options.positions ?? arrivalPositions('uniform', plan.totalStarts, 0);
  let own = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let resolveFinished: () => void = () => {};
  const finished = new Promise<void>((resolve) => (resolveFinished = resolve));

  const finish = (): void => {
    stopped = true;
    if (timer) clearTimeout(timer);
    resolveFinished();
  };

  const tick = (): void => {
    timer = undefined;
    if (stopped) return;
    const tMs = now() - t0Ms;
    // Start k is due once startsBy(t) reaches its position (uniform: k, so k = 0 at t = 0).
    const reached = plan.startsBy(Math.min(tMs, plan.durationMs)) + 1e-9;
    let next = positions.position(index + own * workers);
    let batch = 0;
    while (next !== null && next <= reached && batch < maxBatch) {
      onStart(index + own * workers, tMs - (plan.timeOfStart(next) ?? tMs));
      own++;
      batch++;
      next = positions.position(index + own * workers);
    }
    if (next === null) {
      // A worker with its starts done (or none at all) still lasts the plan's duration: a tiny rate must not
      // end the run early.
      if (tMs >= plan.durationMs) return finish();
      timer = setTimeout(tick, Math.min(Math.max(plan.durationMs - tMs, MIN_WAIT_MS), MAX_WAIT_MS));
      return;
    }
    if (next <= reached) {
      setImmediate(tick);
      return;
    }
    const waitMs = (plan.timeOfStart(next) ?? plan.durationMs) - (now() - t0Ms);
    // No busy wait for the last stretch: spinning on setImmediate burns a core that the target and the
    // other workers need (2-core machines), and it measured slower at 20k/s. A timer fires within about a
    // millisecond of its time (libuv's clock has ms resolution), which bounds the lag it adds.
    timer = setTimeout(tick, Math.min(Math.max(waitMs, MIN_WAIT_MS), MAX_WAIT_MS));
  };

  setImmediate(tick);
  return { stop: finish, finished };
}
