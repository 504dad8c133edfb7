/**
 * Finding the highest rate an engine holds on schedule: a few short trials, multiplying up (or dividing
 * down) until the outcome flips, then bisecting between the last rate held and the first one missed.
 * Pure: the trial is injected, so tests drive it with a fake engine.
 */

/** What one trial run measured, as the search needs it. */
export interface TrialStats {
  ratePerSec: number;
  durationMs: number;
  /** Starts the plan asked for. */
  planned: number;
  /** Connects attempted (connected + failed). */
  attempts: number;
  /** Starts skipped because maxInFlight was reached. */
  skipped: number;
  /** Failed connects and failed requests. */
  errors: number;
  /** Schedule lag p99 after the warm-up, in ms (null when nothing was recorded). */
  steadyLagP99Ms: number | null;
}

export interface HoldBounds {
  /** Highest steady-state lag p99 that still counts as on schedule. */
  lagP99Ms: number;
  /** Smallest share of the planned starts that must be attempted. */
  minStartedShare: number;
  /** Largest share of attempts that may fail. */
  maxErrorShare: number;
}

export const DEFAULT_BOUNDS: HoldBounds = { lagP99Ms: 10, minStartedShare: 0.99, maxErrorShare: 0.001 };

export interface Verdict {
  held: boolean;
  /** Why not, in a few words; empty when held. */
  reason: string;
}

/** Whether a trial kept its schedule: nothing skipped, (nearly) every start made, few errors, small lag. */
export function judgeTrial(stats: TrialStats, bounds: HoldBounds = DEFAULT_BOUNDS): Verdict {
  const reasons: string[] = [];
  if (stats.skipped > 0) reasons.push(`${stats.skipped} skipped (maxInFlight)`);
  if (stats.attempts < stats.planned * bounds.minStartedShare) reasons.push(`started ${stats.attempts} of ${stats.planned}`);
  if (stats.errors > stats.attempts * bounds.maxErrorShare) reasons.push(`${stats.errors} errors`);
  if (stats.steadyLagP99Ms === null) reasons.push('no lag recorded');
  else if (stats.steadyLagP99Ms > bounds.lagP99Ms) reasons.push(`lag p99 ${stats.steadyLagP99Ms.toFixed(1)} ms > ${bounds.lagP99Ms} ms`);
  return { held: reasons.length === 0, reason: reasons.join(', ') };
}

export interface SearchOptions {
  startPerSec: number;
  minPerSec: number;
  maxPerSec: number;
  /** Growth factor of the first phase (default 1.5). */
  factor?: number;
  /** Bisection steps after the bracket is found (default 2). */
  refineSteps?: number;
  /** Rates are rounded to a multiple of this (default 500). */
  stepPerSec?: number;
  /**
   * Extra tries of a rate that missed (default 0): on a shared machine a neighbour's burst can sink one run,
   * while a rate beyond the engine's capacity misses every time.
   */
  retries?: number;
}

export interface Trial {
  stats: TrialStats;
  verdict: Verdict;
}

export interface SearchResult {
  /** The highest rate held, or null when even minPerSec was missed. */
  best: Trial | null;
  trials: Trial[];
}

/** Rounds to a multiple of `step`, never below one step. */
export function roundRate(ratePerSec: number, step: number): number {
  return Math.max(step, Math.round(ratePerSec / step) * step);
}

/** The bracket search. `run` performs one trial at a rate; every trial is kept for the report. */
export async function searchRate(run: (ratePerSec: number) => Promise<Trial>, options: SearchOptions): Promise<SearchResult> {
  const factor = options.factor ?? 1.5;
  const step = options.stepPerSec ?? 500;
  const trials: Trial[] = [];
  let best: Trial | null = null;
  let lowest: Trial | null = null;
  const attempt = async (rate: number): Promise<Trial> => {
    let trial = await run(rate);
    trials.push(trial);
    for (let i = 0; i < (options.retries ?? 0) && !trial.verdict.held; i++) {
      trial = await run(rate);
      trials.push(trial);
    }
    if (trial.verdict.held && (!best || rate > best.stats.ratePerSec)) best = trial;
    if (!trial.verdict.held && (!lowest || rate < lowest.stats.ratePerSec)) lowest = trial;
    return trial;
  };

  let rate = roundRate(options.startPerSec, step);
  let trial = await attempt(rate);
  if (trial.verdict.held) {
    while (trial.verdict.held && rate < options.maxPerSec) {
      rate = Math.min(options.maxPerSec, roundRate(rate * factor, step));
      trial = await attempt(rate);
    }
  } else {
    while (!trial.verdict.held && rate > options.minPerSec) {
      rate = Math.max(options.minPerSec, roundRate(rate / factor, step));
      trial = await attempt(rate);
    }
  }
  for (let i = 0; i < (options.refineSteps ?? 2); i++) {
    const lo: number = (best as Trial | null)?.stats.ratePerSec ?? 0;
    const hi: number | undefined = (lowest as Trial | null)?.stats.ratePerSec;
    if (lo === 0 || hi === undefined) break;
    const mid = roundRate((lo + hi) / 2, step);
    if (mid <= lo || mid >= hi) break;
    await attempt(mid);
  }
  return { best, trials };
}
