/**
 * Section 5: accuracy of timing. How late starts are against the schedule (a late generator under-reports
 * exhaustion: coordinated omission), over the whole run and after the JIT warm-up.
 */
import { type BenchContext, CHURN_LAB_FLAGS, ms, trialTiming } from '../context.js';
import { cpuUsPerStart, runLoad, type LoadResult } from '../load.js';
import { formatNumber } from '../table.js';

const SECTION = 'Schedule lag (how late starts are)';

interface LagCase {
  ratePerSec: number;
  requests: number;
  /** The issue's target: lag p99 under 5 ms at 5,000/s. */
  target?: number;
}

const CASES: LagCase[] = [
  { ratePerSec: 5000, requests: 1, target: 5 },
  { ratePerSec: 5000, requests: 0, target: 5 },
  { ratePerSec: 20_000, requests: 0 },
];

/** Runs each case once (reset close, 2 workers); returns the 20,000/s run for the sampler section. */
export async function lagSection(ctx: BenchContext): Promise<LoadResult | null> {
  const { durationMs, warmupMs } = trialTiming(ctx.options);
  let at20k: LoadResult | null = null;
  const raw: Record<string, unknown> = {};
  for (const c of CASES) {
    const label = `${formatNumber(c.ratePerSec)}/s, reset, ${c.requests} request${c.requests === 1 ? '' : 's'}/conn, 2 workers`;
    ctx.log(`lag: ${label}`);
    const result = await runLoad({
      flags: { ...CHURN_LAB_FLAGS, close: 'reset', 'requests-per-connection': c.requests, workers: 2, rate: c.ratePerSec, duration: `${durationMs}ms`, 'max-in-flight': 5000 },
      warmupMs,
    });
    raw[label] = { ...result, sysctls: undefined };
    if (c.ratePerSec === 20_000) at20k = result;
    const all = result.lagAllUs;
    const steady = result.lagSteadyUs;
    const cpu = cpuUsPerStart(result);
    ctx.rows.push({
      section: SECTION,
      name: `lag p99, whole run, ${label}`,
      value: ms(all?.p99),
      unit: 'ms',
      target: c.target === undefined ? undefined : { op: '<=', value: c.target },
      note: `p50 ${formatNumber(ms(all?.p50) ?? NaN)} ms, max ${formatNumber(ms(all?.max) ?? NaN)} ms; ${formatNumber(result.attempts)} of ${formatNumber(result.planned)} started${cpu === null ? '' : `; ${formatNumber(cpu)} us CPU/start`}`,
    });
    ctx.rows.push({
      section: SECTION,
      name: `lag p99 after the first ${warmupMs / 1000} s (JIT warm-up), ${label}`,
      value: ms(steady?.p99),
      unit: 'ms',
      note: `p50 ${formatNumber(ms(steady?.p50) ?? NaN)} ms`,
    });
  }
  ctx.raw.lag = raw;
  return at20k;
}
