/**
 * Opt-in section (`--soak`): a pool load and a churn load, each held for 10 minutes (`--soak-duration`), with
 * the in-lab process's RSS and main-thread heap sampled throughout. Memory that stays flat after the warm-up
 * is the point; the figures are reported, not gated (a shared machine moves them).
 */
import { CHURN_LAB_FLAGS, type BenchContext } from '../context.js';
import type { MemorySample } from '../lab/runner-types.js';
import { runLoad } from '../load.js';
import type { BenchRow } from '../table.js';

const SECTION = 'Soak';
const MB = 1024 * 1024;

/** Memory over one soak load: after the warm-up, at the end, and the trend in between. */
export interface SoakFigures {
  /** Mean over the window right after the warm-up (10-20% of the run). */
  startBytes: number;
  /** Mean over the last 10% of the run. */
  endBytes: number;
  /** Least-squares slope after the warm-up, bytes per minute. */
  slopeBytesPerMin: number;
}

const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);

/** Figures of one series (`pick` chooses RSS or heap); the first 10% of the run is the warm-up, left out. */
export function soakFigures(samples: readonly MemorySample[], durationMs: number, pick: (s: MemorySample) => number): SoakFigures | null {
  const steady = samples.filter((s) => s.tMs >= durationMs * 0.1);
  if (steady.length < 3) return null;
  const startWindow = steady.filter((s) => s.tMs < durationMs * 0.2);
  const endWindow = steady.filter((s) => s.tMs >= durationMs * 0.9);
  const xs = steady.map((s) => s.tMs / 60_000);
  const ys = steady.map(pick);
  const mx = mean(xs);
  const my = mean(ys);
  const sxx = xs.reduce((a, x) => a + (x - mx) ** 2, 0);
  const sxy = xs.reduce((a, x, i) => a + (x - mx) * (ys[i]! - my), 0);
  return {
    startBytes: mean((startWindow.length > 0 ? startWindow : steady.slice(0, 1)).map(pick)),
    endBytes: mean((endWindow.length > 0 ? endWindow : steady.slice(-1)).map(pick)),
    slopeBytesPerMin: sxx > 0 ? sxy / sxx : 0,
  };
}

interface SoakLoad {
  key: string;
  label: string;
  flags: Record<string, string | number>;
}

const LOADS: SoakLoad[] = [
  { key: 'pool', label: 'pool of 50, 5,000 requests/s', flags: { pattern: 'pool', 'pool-size': 50, rate: 5000, workers: 2 } },
  { key: 'churn', label: 'churn, client closes (tw_reuse 1), 1,000/s', flags: { ...CHURN_LAB_FLAGS, close: 'client', rate: 1000, workers: 2, 'max-in-flight': 5000 } },
];

function rows(load: SoakLoad, what: string, figures: SoakFigures | null): BenchRow[] {
  const mb = (bytes: number | undefined): number | null => (bytes === undefined ? null : Math.round((bytes / MB) * 10) / 10);
  const note = figures ? `end/start ${(figures.endBytes / figures.startBytes).toFixed(2)}x` : 'too few samples';
  return [
    { section: SECTION, name: `${load.label}: ${what} after warm-up`, value: mb(figures?.startBytes), unit: 'MB' },
    { section: SECTION, name: `${load.label}: ${what} at the end`, value: mb(figures?.endBytes), unit: 'MB', note },
    { section: SECTION, name: `${load.label}: ${what} trend`, value: mb(figures?.slopeBytesPerMin), unit: 'MB/min' },
  ];
}

export async function soakSection(ctx: BenchContext, durationMs: number): Promise<void> {
  const memorySampleMs = Math.max(1000, Math.round(durationMs / 200));
  const raw: Record<string, unknown> = { durationMs, memorySampleMs };
  for (const load of LOADS) {
    ctx.log(`soak: ${load.label} for ${durationMs / 1000} s`);
    const result = await runLoad({ flags: { ...load.flags, duration: `${durationMs}ms` }, warmupMs: durationMs * 0.1, memorySampleMs });
    const samples = result.memory ?? [];
    const errors = Object.values(result.errors).reduce((a, b) => a + b, 0);
    raw[load.key] = { attempts: result.attempts, requests: result.requests, errors: result.errors, skipped: result.skipped, memory: samples };
    ctx.rows.push(
      ...rows(load, 'RSS (whole process)', soakFigures(samples, durationMs, (s) => s.rssBytes)),
      ...rows(load, 'heap (main thread)', soakFigures(samples, durationMs, (s) => s.heapUsedBytes)),
      { section: SECTION, name: `${load.label}: starts made`, value: load.flags.pattern === 'pool' ? result.requests : result.attempts, unit: '', note: `${errors} errors, ${result.skipped} skipped` },
    );
  }
  ctx.raw['soak'] = raw;
  ctx.notes.push(
    `Soak (opt-in, --soak): each load runs ${durationMs / 60_000} min in one userns lab; RSS is the whole in-lab process (workers, target thread, sampler), heap the main thread's V8 heap; the first 10% is warm-up. Reported, not gated.`,
  );
}
