import assert from 'node:assert/strict';
import { test } from 'node:test';
import { judgeTrial, roundRate, searchRate, type Trial, type TrialStats } from '../../bench/search.js';

const stats = (over: Partial<TrialStats> = {}): TrialStats => ({
  ratePerSec: 1000, durationMs: 4000, planned: 4000, attempts: 4000, skipped: 0, errors: 0, steadyLagP99Ms: 2, ...over,
});

test('judgeTrial: held only with nothing skipped, the plan started, few errors and a small steady lag', () => {
  assert.deepEqual(judgeTrial(stats()), { held: true, reason: '' });
  assert.match(judgeTrial(stats({ skipped: 3 })).reason, /3 skipped/);
  assert.match(judgeTrial(stats({ attempts: 3900 })).reason, /started 3900 of 4000/);
  assert.equal(judgeTrial(stats({ attempts: 3961 })).held, true, '99% is enough');
  assert.match(judgeTrial(stats({ errors: 5 })).reason, /5 errors/);
  assert.equal(judgeTrial(stats({ errors: 4 })).held, true, '0.1% of 4000 errors is allowed');
  assert.match(judgeTrial(stats({ steadyLagP99Ms: 12 })).reason, /lag p99 12.0 ms > 10 ms/);
  assert.equal(judgeTrial(stats({ steadyLagP99Ms: null })).held, false);
});

/** A fake engine that holds every rate up to `capacity`. */
function engine(capacity: number): { run: (rate: number) => Promise<Trial>; rates: number[] } {
  const rates: number[] = [];
  return {
    rates,
    run: async (rate) => {
      rates.push(rate);
      const s = stats({ ratePerSec: rate, steadyLagP99Ms: rate <= capacity ? 1 : 50 });
      return { stats: s, verdict: judgeTrial(s) };
    },
  };
}

test('searchRate climbs from a low start and bisects to within a step of the capacity', async () => {
  const fake = engine(23_300);
  const { best, trials } = await searchRate(fake.run, { startPerSec: 10_000, minPerSec: 500, maxPerSec: 60_000, refineSteps: 3 });
  assert.ok(best);
  assert.ok(best.stats.ratePerSec <= 23_300 && best.stats.ratePerSec >= 21_000, `best ${best.stats.ratePerSec}`);
  assert.deepEqual(fake.rates.slice(0, 3), [10_000, 15_000, 22_500]);
  assert.equal(trials.length, fake.rates.length);
  assert.ok(trials.length <= 8, `${trials.length} trials`);
});

test('searchRate steps down from a start that is too high, and reports null when nothing holds', async () => {
  const down = await searchRate(engine(3_000).run, { startPerSec: 20_000, minPerSec: 500, maxPerSec: 60_000 });
  assert.ok(down.best && down.best.stats.ratePerSec <= 3_000 && down.best.stats.ratePerSec >= 2_000, `best ${down.best?.stats.ratePerSec}`);
  const none = await searchRate(engine(100).run, { startPerSec: 2_000, minPerSec: 500, maxPerSec: 60_000 });
  assert.equal(none.best, null);
});

test('with retries, a rate that missed once by bad luck still counts as held', async () => {
  let calls = 0;
  const flaky = async (rate: number): Promise<Trial> => {
    calls++;
    // Capacity 20,000, but the first run at 15,000 is sunk by a neighbour.
    const unlucky = rate === 15_000 && calls === 2;
    const s = stats({ ratePerSec: rate, steadyLagP99Ms: rate <= 20_000 && !unlucky ? 1 : 50 });
    return { stats: s, verdict: judgeTrial(s) };
  };
  const { best, trials } = await searchRate(flaky, { startPerSec: 10_000, minPerSec: 500, maxPerSec: 60_000, refineSteps: 0, retries: 1 });
  assert.equal(best?.stats.ratePerSec, 15_000);
  assert.deepEqual(trials.map((t) => [t.stats.ratePerSec, t.verdict.held]), [[10_000, true], [15_000, false], [15_000, true], [22_500, false], [22_500, false]]);
});

test('roundRate keeps rates on the step grid and never below one step', () => {
  assert.equal(roundRate(22_740, 500), 22_500);
  assert.equal(roundRate(100, 500), 500);
});
