import assert from 'node:assert/strict';
import { test } from 'node:test';
import { arrivalPositions } from '../../src/engine/arrivals.js';
import { runSchedule } from '../../src/engine/schedule.js';
import { compilePlan } from '../../src/model/plan.js';
import { seededRandom } from '../../src/util/random.js';

function positionsOf(arrival: 'uniform' | 'poisson', total: number, seed: number): number[] {
  const positions = arrivalPositions(arrival, total, seed);
  const out: number[] = [];
  for (let k = 0; ; k++) {
    const at = positions.position(k);
    if (at === null) return out;
    out.push(at);
  }
}

test('uniform: start k at k, as many starts as the plan rounds up to', () => {
  assert.deepEqual(positionsOf('uniform', 5, 1), [0, 1, 2, 3, 4]);
  assert.deepEqual(positionsOf('uniform', 2.5, 1), [0, 1, 2]);
  assert.deepEqual(positionsOf('uniform', 0, 1), []);
});

test('poisson: the same seed gives the same arrivals, another seed others', () => {
  const a = positionsOf('poisson', 200, 7);
  assert.deepEqual(positionsOf('poisson', 200, 7), a);
  assert.notDeepEqual(positionsOf('poisson', 200, 8), a);
  assert.ok(a.every((p, i) => p > (a[i - 1] ?? 0) && p <= 200), 'increasing, within the plan');
});

test('poisson: gaps have mean 1 and a coefficient of variation of 1 (exponential), so the rate is the plan\'s', () => {
  const positions = positionsOf('poisson', 20_000, 3);
  const gaps = positions.map((p, i) => p - (positions[i - 1] ?? 0));
  const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
  const sd = Math.sqrt(gaps.reduce((a, g) => a + (g - mean) ** 2, 0) / gaps.length);
  // 20,000 draws: the standard error of the mean is 1/sqrt(20000) = 0.007; 5% is far outside chance.
  assert.ok(Math.abs(mean - 1) < 0.05, `mean gap ${mean}`);
  assert.ok(Math.abs(sd / mean - 1) < 0.05, `coefficient of variation ${sd / mean}`);
  assert.ok(Math.abs(positions.length - 20_000) < 600, `${positions.length} starts for 20,000 planned`);
});

test('poisson: positions are read in order', () => {
  const positions = arrivalPositions('poisson', 10, 1);
  positions.position(3);
  assert.throws(() => positions.position(2));
});

test('the seeded generator stays in [0, 1) and repeats per seed', () => {
  const a = seededRandom(42);
  const b = seededRandom(42);
  const draws = Array.from({ length: 1000 }, () => a());
  assert.deepEqual(Array.from({ length: 1000 }, () => b()), draws);
  assert.ok(draws.every((x) => x >= 0 && x < 1));
});

test('two workers on poisson arrivals start every arrival once, each its own indices', async () => {
  const plan = compilePlan([{ durationMs: 1000, ratePerSec: 300 }]);
  const expected = positionsOf('poisson', plan.totalStarts, 5).map((_, k) => k);
  const seen: number[] = [];
  // A clock far past the plan: every start is due at once, so the test waits for no timer.
  const late = (): number => 1e9;
  const runs = [0, 1].map((index) =>
    runSchedule({ plan, index, workers: 2, t0Ms: 0, now: late, positions: arrivalPositions('poisson', plan.totalStarts, 5), onStart: (k) => seen.push(k) }),
  );
  await Promise.all(runs.map((r) => r.finished));
  assert.deepEqual(seen.sort((a, b) => a - b), expected);
});
