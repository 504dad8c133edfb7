import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exhaustedIn, modelRates, nextStep, withProbe, type SearchOptions, type SearchState } from '../../src/compare/breaking-rate.js';
import type { RunSummary } from '../../src/metrics/types.js';
import { loadFixture } from '../report/fixture.js';

/** Runs the search against a lab whose true breaking rate is `truth` (a rate above it exhausts). */
function search(truth: number, options: SearchOptions): { result: number | null; atLeast: boolean; probes: number[] } {
  let state: SearchState = { held: null, broke: null };
  const probes: number[] = [];
  for (let i = 0; i < 50; i++) {
    const step = nextStep(state, options);
    if ('done' in step) return { result: step.breakingRatePerSec, atLeast: step.atLeast, probes };
    probes.push(step.probe);
    state = withProbe(state, step.probe, step.probe > truth);
  }
  throw new Error(`no answer after 50 probes: ${probes.join(', ')}`);
}

test('started at the model figure, the search lands within 5% below the truth in a few probes', () => {
  const { result, atLeast, probes } = search(40, { startRatePerSec: 40, maxRatePerSec: 5000, tolerance: 0.05 });
  assert.equal(atLeast, false);
  assert.ok(result! <= 40 && result! >= 38, `found ${result}`);
  assert.deepEqual(probes, [40, 44, 42]);
});

test('a model far off still brackets the truth by widening, then halves the bracket', () => {
  for (const [truth, start] of [[40, 400], [400, 40], [1234, 10]] as const) {
    const { result, probes } = search(truth, { startRatePerSec: start, maxRatePerSec: 5000, tolerance: 0.05 });
    assert.ok(result! <= truth && result! >= truth * 0.95 - 0.1, `truth ${truth} start ${start}: found ${result} after ${probes.join(', ')}`);
    assert.ok(probes.length <= 16, `truth ${truth} start ${start}: ${probes.length} probes`);
  }
});

test('holding at the cap reports "at least the cap"; breaking at the minimum reports 0', () => {
  assert.deepEqual(search(1e9, { startRatePerSec: 100, maxRatePerSec: 300, tolerance: 0.05 }).result, 300);
  assert.equal(search(1e9, { startRatePerSec: 100, maxRatePerSec: 300, tolerance: 0.05 }).atLeast, true);
  const none = search(0.5, { startRatePerSec: 4, maxRatePerSec: 300, tolerance: 0.05 });
  assert.deepEqual([none.result, none.atLeast], [0, false]);
});

test('the model rates: ports / duration for a short run, the sustained rate beside it', async () => {
  const summary = await loadFixture('no-pooling');
  // 200 ports, no reuse: 200 / 5 s = 40/s for a 5 s run, 200 / 60 s = 3.33/s forever.
  const rates = modelRates(summary, 5000);
  assert.equal(rates.forDurationPerSec, 40);
  assert.equal(Number(rates.sustainedPerSec!.toFixed(2)), 3.33);
  assert.equal(modelRates(summary, 120_000).forDurationPerSec, rates.sustainedPerSec);
  const pool = await loadFixture('keep-alive-pool');
  assert.deepEqual(modelRates(pool, 5000), { forDurationPerSec: null, sustainedPerSec: null });
});

test('a run is exhausted by EADDRNOTAVAIL, by EADDRINUSE or by connect timeouts, not by refusals', async () => {
  const base = await loadFixture('keep-alive-pool');
  const withErrors = (errors: Record<string, number>): RunSummary => ({ ...base, onset: null, totals: { ...base.totals, errors } });
  assert.equal(exhaustedIn(withErrors({})), false);
  assert.equal(exhaustedIn(withErrors({ ECONNREFUSED: 3 })), false);
  assert.equal(exhaustedIn(withErrors({ EADDRINUSE: 1 })), true);
  assert.equal(exhaustedIn(withErrors({ ETIMEDOUT: 2 })), true);
  assert.equal(exhaustedIn(await loadFixture('no-pooling')), true);
});
