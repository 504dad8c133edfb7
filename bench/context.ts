/** What every bench section shares: options, a progress log, and where rows, raw data and notes go. */
import type { BenchRow } from './table.js';

export interface BenchOptions {
  /** Fewer and shorter trials; skips the minute-long incident reproduction. */
  quick: boolean;
}

export interface BenchContext {
  options: BenchOptions;
  /** One progress line on stderr. */
  log(line: string): void;
  rows: BenchRow[];
  /** Everything measured, for results/bench/<date>.json. */
  raw: Record<string, unknown>;
  notes: string[];
}

/** Trial length and the warm-up kept out of the steady-state lag (JIT warm-up lasts about a second). */
export function trialTiming(options: BenchOptions): { durationMs: number; warmupMs: number } {
  return options.quick ? { durationMs: 3500, warmupMs: 1500 } : { durationMs: 5000, warmupMs: 2000 };
}

/** Sysctls of every churn lab: a big even port range and reuse on, so no mode runs out of ports. */
export const CHURN_LAB_FLAGS = { 'port-range': '1024-65535', 'tw-reuse': 1 } as const;

export const ms = (us: number | undefined | null): number | null => (us === undefined || us === null ? null : us / 1000);
