/** Checks that hold for every run: every attempt is accounted for, everywhere. */
import assert from 'node:assert/strict';
import type { RunSummary } from '../../src/metrics/types.js';

const sum = (errors: Record<string, number>): number => Object.values(errors).reduce((a, b) => a + b, 0);

export function assertAccounting(summary: RunSummary): void {
  const { totals } = summary;
  assert.equal(totals.attempts, totals.connected + sum(totals.errors), 'totals: attempts = connected + errors');
  for (const [label, table] of [['bySource', totals.bySource], ['byDestination', totals.byDestination]] as const) {
    let attempts = 0;
    for (const [key, row] of Object.entries(table)) {
      assert.equal(row.attempts, row.connected + sum(row.errors), `${label} ${key}: attempts = connected + errors`);
      attempts += row.attempts;
    }
    assert.equal(attempts, totals.attempts, `${label} adds up to the total`);
  }
  let intervalAttempts = 0;
  for (const interval of summary.intervals) {
    assert.equal(interval.attempts, interval.connected + sum(interval.errors), `interval ${interval.tMs}: attempts = connected + errors`);
    intervalAttempts += interval.attempts;
  }
  assert.equal(intervalAttempts, totals.attempts, 'intervals add up to the total');
}
