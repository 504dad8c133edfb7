import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compilePlan, rateAt, startsBy } from '../../src/model/plan.js';
import { predictOnsetMs } from '../../src/model/onset.js';
import { PortlabError } from '../../src/errors/index.js';

function near(actual: number | null, expected: number, tolerance: number, what = 'value'): void {
  assert.ok(actual !== null && Math.abs(actual - expected) <= tolerance, `${what}: ${actual} is not ${expected} +- ${tolerance}`);
}

test('a single stage is constant from t = 0', () => {
  const stages = [{ durationMs: 10_000, ratePerSec: 100 }];
  assert.equal(rateAt(stages, 0), 100);
  assert.equal(rateAt(stages, 9_999), 100);
  assert.equal(rateAt(stages, 10_000), 0);
  assert.equal(rateAt(stages, -1), 0);
  assert.equal(startsBy(stages, 0), 0);
  near(startsBy(stages, 2_500), 250, 1e-9);
  assert.equal(startsBy(stages, 10_000), 1000);
  assert.equal(startsBy(stages, 99_000), 1000);
});

test('stage i ramps from stage i-1 rate: [5 s @50, 5 s @200]', () => {
  const stages = [
    { durationMs: 5_000, ratePerSec: 50 },
    { durationMs: 5_000, ratePerSec: 200 },
  ];
  assert.equal(rateAt(stages, 4_000), 50);
  assert.equal(rateAt(stages, 5_000), 50);
  near(rateAt(stages, 7_500), 125, 1e-9);
  near(rateAt(stages, 9_000), 170, 1e-9);
  // 250 in the flat part; the ramp 50 -> 200 over 5 s adds a trapezoid of 625.
  near(startsBy(stages, 5_000), 250, 1e-9);
  // By 7.5 s: 250 + 2.5 s x (50 + 125) / 2 = 468.75.
  near(startsBy(stages, 7_500), 468.75, 1e-9);
  near(startsBy(stages, 10_000), 875, 1e-9);
});

test('a zero-length first stage ramps from zero', () => {
  const stages = [
    { durationMs: 0, ratePerSec: 0 },
    { durationMs: 10_000, ratePerSec: 200 },
  ];
  near(rateAt(stages, 0), 0, 1e-12);
  near(rateAt(stages, 2_000), 40, 1e-9);
  // Integral of 20 t over [0, 3 s] = 10 x 9 = 90.
  near(startsBy(stages, 3_000), 90, 1e-9);
  near(startsBy(stages, 10_000), 1000, 1e-9);
});

test('startsBy matches a numerical integral of rateAt on a ragged plan', () => {
  const stages = [
    { durationMs: 1_000, ratePerSec: 10 },
    { durationMs: 3_000, ratePerSec: 400 },
    { durationMs: 0, ratePerSec: 0 },
    { durationMs: 2_000, ratePerSec: 30 },
    { durationMs: 1_500, ratePerSec: 30 },
  ];
  let sum = 0;
  const stepMs = 0.5;
  // The midpoint rule is exact on linear pieces; every stage boundary falls on a step boundary.
  for (let t = 0; t < 7_500; t += stepMs) {
    if (t % 500 === 0) near(startsBy(stages, t), sum, 1e-6, `t=${t}`);
    sum += (rateAt(stages, t + stepMs / 2) * stepMs) / 1000;
  }
  near(startsBy(stages, 7_500), sum, 1e-6, 'total');
});

test('calls in any order agree (the position hint does not leak)', () => {
  const plan = compilePlan([
    { durationMs: 1_000, ratePerSec: 100 },
    { durationMs: 1_000, ratePerSec: 300 },
  ]);
  const forward = [100, 900, 1_100, 1_900].map((t) => plan.startsBy(t));
  const backward = [1_900, 1_100, 900, 100].map((t) => plan.startsBy(t)).reverse();
  assert.deepEqual(forward, backward);
});

test('timeOfStart inverts startsBy', () => {
  const plan = compilePlan([
    { durationMs: 2_000, ratePerSec: 20 },
    { durationMs: 4_000, ratePerSec: 120 },
  ]);
  for (const n of [1, 40, 41, 100, 250, plan.totalStarts]) {
    near(plan.startsBy(plan.timeOfStart(n)!), n, 1e-9, `n=${n}`);
  }
  assert.equal(plan.timeOfStart(0), 0);
  assert.equal(plan.timeOfStart(plan.totalStarts + 1), null);
});

test('negative values are refused', () => {
  assert.throws(() => compilePlan([{ durationMs: -1, ratePerSec: 1 }]), (e: unknown) => e instanceof PortlabError && e.code === 'USAGE');
});

test('onset at constant rate = capacity / rate', () => {
  const stages = [{ durationMs: 120_000, ratePerSec: 500 }];
  near(predictOnsetMs(stages, 28_232, 60_000), 56_464, 1e-3, 'onset');
  // At exactly capacity / TIME_WAIT it never exceeds; just above, it does.
  assert.equal(predictOnsetMs([{ durationMs: 300_000, ratePerSec: 28_232 / 60 }], 28_232, 60_000), null);
  assert.equal(predictOnsetMs([{ durationMs: 300_000, ratePerSec: 100 }], 28_232, 60_000), null);
  // The plan ends before the port count gets there.
  assert.equal(predictOnsetMs([{ durationMs: 50_000, ratePerSec: 500 }], 28_232, 60_000), null);
});

test('onset on a ramp 0 -> 1000/s over 100 s', () => {
  const stages = [
    { durationMs: 0, ratePerSec: 0 },
    { durationMs: 100_000, ratePerSec: 1000 },
  ];
  // rate = 10 t/s; after 60 s the window holds 5t^2 - 5(t-60)^2 = 600t - 18000 = 28232 -> t = 77.0533 s.
  near(predictOnsetMs(stages, 28_232, 60_000), 77_053.33, 0.01, 'ramp onset');
  // Inside the first window: 5 t^2 = 2000 -> t = 20 s.
  near(predictOnsetMs(stages, 2_000, 60_000), 20_000, 1e-3, 'early onset');
});

test('onset after a step up: flat then ramp then flat', () => {
  const stages = [
    { durationMs: 10_000, ratePerSec: 10 },
    { durationMs: 10_000, ratePerSec: 110 },
    { durationMs: 60_000, ratePerSec: 110 },
  ];
  // 100 by 10 s, the ramp adds 600 by 20 s (700), then 110/s: 700 + 110 (t - 20) = 1000 -> t = 22.727 s.
  near(predictOnsetMs(stages, 1_000, 60_000), 22_727.27, 0.01, 'onset');
});

test('onset options: reuse shortens the window, buckets and other closers prevent it', () => {
  const stages = [{ durationMs: 20_000, ratePerSec: 50 }];
  near(predictOnsetMs(stages, 20, 60_000, { twReuseDelayMs: 1000 }), 400, 1e-6, 'reuse onset');
  assert.equal(predictOnsetMs(stages, 20, 60_000, { twReuseDelayMs: 100 }), null);
  assert.equal(predictOnsetMs(stages, 20, 60_000, { maxTwBuckets: 10 }), null);
  assert.equal(predictOnsetMs(stages, 20, 60_000, { closer: 'server' }), null);
  assert.equal(predictOnsetMs(stages, 20, 60_000, { closer: 'reset' }), null);
});

test('the peak rate is computed once, by the plan: the highest stage rate, wherever it comes', () => {
  assert.equal(compilePlan([{ durationMs: 10_000, ratePerSec: 100 }]).peakRatePerSec, 100);
  const rampUpAndDown = [
    { durationMs: 0, ratePerSec: 0 },
    { durationMs: 5_000, ratePerSec: 300 },
    { durationMs: 5_000, ratePerSec: 50 },
  ];
  assert.equal(compilePlan(rampUpAndDown).peakRatePerSec, 300);
  assert.equal(compilePlan([]).peakRatePerSec, 0);
});
