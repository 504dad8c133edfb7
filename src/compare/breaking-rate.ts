/**
 * The breaking rate: the highest constant rate that runs a scenario's duration without an exhaustion
 * error. The search starts at the model's figure (it is usually close), brackets it by widening steps,
 * then halves the bracket until it is within the tolerance. Pure: the caller runs each probe.
 */
import type { RunSummary } from '../metrics/types.js';
import { sumErrors } from '../metrics/counters.js';

/** Errors that mean the ports (or a NAT's ports) ran out, not that the target misbehaved. */
export const EXHAUSTION_ERRORS = ['EADDRNOTAVAIL', 'EADDRINUSE', 'ETIMEDOUT'] as const;

export interface SearchOptions {
  /** First probe; the model's breaking rate when it has one. */
  startRatePerSec: number;
  maxRatePerSec: number;
  /** Stop once (broke - held) / broke is at most this (0.05 = within 5%). */
  tolerance: number;
  /** Below this a scenario is said to break at any rate. */
  minRatePerSec?: number;
}

export interface SearchState {
  /** Highest rate that held, and lowest that broke, so far. */
  held: number | null;
  broke: number | null;
}

export type NextStep = { probe: number } | { done: true; breakingRatePerSec: number | null; atLeast: boolean };

/** The first step from the model's figure is small (it is usually close); later ones double. */
const FIRST_STEP = 1.1;
const WIDEN = 2;

/** What to run next, from what held and what broke so far. */
export function nextStep(state: SearchState, options: SearchOptions): NextStep {
  const { held, broke } = state;
  const min = options.minRatePerSec ?? 1;
  const round = (rate: number): number => Math.round(rate * 10) / 10;
  if (held === null && broke === null) return { probe: round(Math.min(options.maxRatePerSec, Math.max(min, options.startRatePerSec))) };
  if (broke === null) {
    if (held! >= options.maxRatePerSec) return { done: true, breakingRatePerSec: held, atLeast: true };
    const step = held! > options.startRatePerSec ? WIDEN : FIRST_STEP;
    return { probe: round(Math.min(options.maxRatePerSec, held! * step)) };
  }
  if (held === null) {
    if (broke <= min) return { done: true, breakingRatePerSec: 0, atLeast: false };
    const step = broke < options.startRatePerSec ? WIDEN : FIRST_STEP;
    return { probe: round(Math.max(min, broke / step)) };
  }
  if ((broke - held) / broke <= options.tolerance) return { done: true, breakingRatePerSec: held, atLeast: false };
  return { probe: round((held + broke) / 2) };
}

/** Records a probe's outcome in the state. */
export function withProbe(state: SearchState, ratePerSec: number, exhausted: boolean): SearchState {
  if (exhausted) return { ...state, broke: state.broke === null ? ratePerSec : Math.min(state.broke, ratePerSec) };
  return { ...state, held: state.held === null ? ratePerSec : Math.max(state.held, ratePerSec) };
}

/** True when the run hit an exhaustion error. */
export function exhaustedIn(summary: RunSummary): boolean {
  return summary.onset !== null || sumErrors(Object.fromEntries(EXHAUSTION_ERRORS.map((code) => [code, summary.totals.errors[code] ?? 0]))) > 0;
}

export interface ModelRates {
  /** The highest rate that lasts `durationMs`: ports / duration, or the sustained rate if higher. */
  forDurationPerSec: number | null;
  /** The rate that lasts forever: ports / TIME_WAIT, or ports / reuse delay. */
  sustainedPerSec: number | null;
}

/**
 * The model's rates from a run's prediction: a constant rate r exhausts within D when capacity / r < D,
 * unless ports come back faster than r (the sustained rate). null when ports never limit the load.
 */
export function modelRates(summary: RunSummary, durationMs: number): ModelRates {
  const { capacity, maxSustainableRatePerSec: sustained, pattern } = summary.prediction;
  if (sustained === null || pattern === 'pool') return { forDurationPerSec: null, sustainedPerSec: sustained };
  return { forDurationPerSec: Math.max(sustained, capacity / (durationMs / 1000)), sustainedPerSec: sustained };
}
