/**
 * The comparison model: what `portlab compare` builds from its cells and every compare renderer reads.
 * Field names listed in the compare issue (compare.json: version, cells[].name/overrides/dir/summary/
 * breakingRatePerSec/predictedBreakingRatePerSec/pass, pass) are a contract; the rest may grow.
 */
import type { ErrorCode } from '../errors/index.js';
import type { RunSummary } from './types.js';

/** One run of the breaking-rate search. */
export interface Probe {
  ratePerSec: number;
  /** An exhaustion error (EADDRNOTAVAIL, EADDRINUSE from bound sources, a connect timeout) happened. */
  exhausted: boolean;
  onsetAtMs: number | null;
  /** Its run directory. */
  dir: string;
}

/** One check of a cell against the saved baseline. */
export interface BaselineCheck {
  name: string;
  pass: boolean;
  baseline: number | null;
  current: number | null;
  /** Signed change in percent of the baseline value; null when there is nothing to compare. */
  changePct: number | null;
  detail: string;
}

export interface CompareCell {
  name: string;
  /** `portlab run` flag -> value, as the matrix or --set gave it. */
  overrides: Record<string, string>;
  variant: string | null;
  /** The cell's run directory (relative to the compare directory). */
  dir: string;
  /** null when the cell's lab or driver failed before any result. */
  summary: RunSummary | null;
  /** Why the cell has no summary, and the error's code (LAB_UNAVAILABLE ...). */
  error?: string;
  errorCode?: ErrorCode;
  /** With --find-breaking-rate: the highest constant rate that held for the scenario's duration. */
  breakingRatePerSec?: number | null;
  /** The search hit --max-rate while still holding: the breaking rate is at least this. */
  breakingRateAtLeast?: boolean;
  /** The model's breaking rate for the scenario's duration (ports / duration, or the sustained one). */
  predictedBreakingRatePerSec?: number | null;
  /** The model's sustained rate: ports / TIME_WAIT length, or ports / reuse delay with tcp_tw_reuse. */
  sustainedRatePerSec?: number | null;
  probes?: Probe[];
  baseline?: BaselineCheck[];
  pass: boolean;
}

export interface CompareResult {
  version: string;
  name: string;
  description: string;
  startedAt: string;
  durationMs: number;
  /** Cells that ran at once. */
  parallel: number;
  interrupted: boolean;
  /** The baseline directory compared against, if any, and the tolerance in percent. */
  baseline: { dir: string; tolerancePct: number } | null;
  cells: CompareCell[];
  pass: boolean;
}
