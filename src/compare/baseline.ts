/**
 * Checks against a saved baseline: a cell fails when its breaking rate falls, or its peak client
 * TIME_WAIT or error count rises, by more than the tolerance. A value that was 0 and rises fails at any
 * size (no percentage of 0 is meaningful). Cells are matched by name; a new cell has nothing to fail.
 */
import type { BaselineCheck, CompareCell } from '../metrics/compare.js';
import { sumErrors } from '../metrics/counters.js';

type Direction = 'rise' | 'fall';

function check(name: string, baseline: number | null | undefined, current: number | null | undefined, bad: Direction, tolerancePct: number): BaselineCheck {
  if (baseline === null || baseline === undefined || current === null || current === undefined) {
    return { name, pass: true, baseline: baseline ?? null, current: current ?? null, changePct: null, detail: 'nothing to compare' };
  }
  const changePct = baseline === 0 ? (current === 0 ? 0 : null) : ((current - baseline) / baseline) * 100;
  const worse = bad === 'rise' ? current > baseline : current < baseline;
  const beyond = changePct === null ? worse : Math.abs(changePct) > tolerancePct;
  const pass = !(worse && beyond);
  const change = changePct === null ? `from 0 to ${current}` : `${changePct >= 0 ? '+' : ''}${changePct.toFixed(1)}%`;
  const detail = `${baseline} -> ${current} (${change}; ${bad === 'rise' ? 'a rise' : 'a fall'} over ${tolerancePct}% fails)`;
  return { name, pass, baseline, current, changePct, detail };
}

/** The checks of one cell against the baseline's cell of the same name. */
export function baselineChecks(current: CompareCell, baseline: CompareCell, tolerancePct: number): BaselineCheck[] {
  const checks: BaselineCheck[] = [];
  if (baseline.breakingRatePerSec !== undefined || current.breakingRatePerSec !== undefined) {
    checks.push(check('breaking rate', baseline.breakingRatePerSec, current.breakingRatePerSec, 'fall', tolerancePct));
  }
  if (baseline.summary && current.summary) {
    checks.push(check('peak client TIME_WAIT', baseline.summary.peak.clientTimeWait, current.summary.peak.clientTimeWait, 'rise', tolerancePct));
    checks.push(check('errors', sumErrors(baseline.summary.totals.errors), sumErrors(current.summary.totals.errors), 'rise', tolerancePct));
  }
  return checks;
}
