/**
 * Section 1: raw churn, connection starts per second held on schedule, per close mode and worker count,
 * found by a short rate search (bench/search.ts) of runs in fresh userns labs.
 */
import { type BenchContext, CHURN_LAB_FLAGS, trialTiming } from '../context.js';
import { cpuUsPerStart, loadTrial, type LoadResult } from '../load.js';
import { searchRate, type Trial } from '../search.js';
import { formatNumber, type BenchRow } from '../table.js';

export interface ChurnCase {
  key: string;
  label: string;
  flags: Record<string, string | number>;
  startPerSec: number;
  target?: number;
  /** Skipped with --quick. */
  full?: boolean;
}

/** The pure connect rate (reset, no request) is the acceptance measure; the others show what each step costs. */
export const CHURN_CASES: ChurnCase[] = [
  { key: 'reset0-w2', label: 'reset, 0 requests/conn, 2 workers', flags: { close: 'reset', 'requests-per-connection': 0, workers: 2 }, startPerSec: 16000, target: 20000 },
  { key: 'reset0-w1', label: 'reset, 0 requests/conn, 1 worker', flags: { close: 'reset', 'requests-per-connection': 0, workers: 1 }, startPerSec: 12000, full: true },
  { key: 'reset1-w2', label: 'reset, 1 request/conn, 2 workers', flags: { close: 'reset', 'requests-per-connection': 1, workers: 2 }, startPerSec: 10000 },
  { key: 'reset1-w1', label: 'reset, 1 request/conn, 1 worker', flags: { close: 'reset', 'requests-per-connection': 1, workers: 1 }, startPerSec: 8000, full: true },
  { key: 'server1-w2', label: 'server closes, 1 request/conn, 2 workers', flags: { close: 'server', workers: 2 }, startPerSec: 8000 },
  { key: 'server1-w1', label: 'server closes, 1 request/conn, 1 worker', flags: { close: 'server', workers: 1 }, startPerSec: 6000, full: true },
  { key: 'client1-w2', label: 'client closes (tw_reuse 1), 1 request/conn, 2 workers', flags: { close: 'client', workers: 2 }, startPerSec: 8000 },
  { key: 'client1-w1', label: 'client closes (tw_reuse 1), 1 request/conn, 1 worker', flags: { close: 'client', workers: 1 }, startPerSec: 6000, full: true },
];

export interface SearchOutcome {
  best: (Trial & { result: LoadResult }) | null;
  trials: (Trial & { result: LoadResult })[];
  /** A pool's starts are requests (CPU per start divides by them). */
  pool: boolean;
}

/** Searches one case; the runs use the churn lab flags and the bench's trial timing. */
export async function searchCase(ctx: BenchContext, flags: Record<string, string | number>, startPerSec: number, label: string): Promise<SearchOutcome> {
  const { durationMs, warmupMs } = trialTiming(ctx.options);
  const trials: (Trial & { result: LoadResult })[] = [];
  const spec = { flags: { ...CHURN_LAB_FLAGS, 'max-in-flight': 5000, duration: `${durationMs}ms`, ...flags }, warmupMs };
  const { best } = await searchRate(
    async (rate) => {
      const trial = await loadTrial(spec, rate);
      trials.push(trial);
      ctx.log(`  ${label} @ ${rate}/s: ${trial.verdict.held ? 'held' : `missed (${trial.verdict.reason})`}`);
      return trial;
    },
    { startPerSec, minPerSec: 500, maxPerSec: 60_000, refineSteps: ctx.options.quick ? 1 : 2, retries: 1 },
  );
  // searchRate hands back the very trial objects made here, results included.
  return { best: best as (Trial & { result: LoadResult }) | null, trials, pool: flags.pattern === 'pool' };
}

/** The note beside a searched rate: its steady lag and CPU, and why the next step up missed. */
export function outcomeNote(outcome: SearchOutcome): string {
  const best = outcome.best;
  const above = outcome.trials
    .filter((t) => !t.verdict.held && (!best || t.stats.ratePerSec > best.stats.ratePerSec))
    .sort((a, b) => a.stats.ratePerSec - b.stats.ratePerSec)[0];
  const parts: string[] = [];
  if (best) {
    const lag = best.stats.steadyLagP99Ms;
    const cpu = cpuUsPerStart(best.result, outcome.pool);
    parts.push(`lag p99 ${lag === null ? '?' : lag.toFixed(1)} ms after warm-up`);
    if (cpu !== null) parts.push(`${formatNumber(cpu)} us CPU/start`);
  }
  if (above) parts.push(`${formatNumber(above.stats.ratePerSec)}/s missed: ${above.verdict.reason}`);
  return parts.join('; ');
}

/** Runs every case; returns the best rate per case key for the peer ratios. */
export async function churnSection(ctx: BenchContext): Promise<Record<string, number | null>> {
  const bestByKey: Record<string, number | null> = {};
  const raw: Record<string, unknown> = {};
  for (const c of CHURN_CASES) {
    if (ctx.options.quick && c.full) continue;
    ctx.log(`churn: ${c.label}`);
    const outcome = await searchCase(ctx, c.flags, c.startPerSec, c.label);
    const best = outcome.best?.stats.ratePerSec ?? null;
    bestByKey[c.key] = best;
    raw[c.key] = outcome.trials.map((t) => ({ stats: t.stats, verdict: t.verdict, result: { ...t.result, sysctls: undefined } }));
    const row: BenchRow = { section: 'Raw churn: connection starts/s held on schedule', name: c.label, value: best, unit: 'starts/s', note: outcomeNote(outcome) };
    if (c.target !== undefined) row.target = { op: '>=', value: c.target };
    ctx.rows.push(row);
  }
  ctx.raw.churn = raw;
  return bestByKey;
}
