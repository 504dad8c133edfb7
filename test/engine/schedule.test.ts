import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compilePlan } from '../../src/model/plan.js';
import { ownedStarts, plannedStarts, runSchedule } from '../../src/engine/schedule.js';
import { exhaustionCodes, share, workerConfigs } from '../../src/engine/coordinator.js';
import { endpointCycle } from '../../src/engine/worker/endpoints.js';
import { resolveScenario } from '../../src/config/resolve.js';
import { scenarioSchema } from '../../src/config/schema.js';

test('ownedStarts splits global starts round-robin and exactly', () => {
  for (const workers of [1, 2, 3, 7]) {
    for (const due of [0, 1, 5, 100, 101]) {
      let total = 0;
      for (let index = 0; index < workers; index++) {
        const owned = ownedStarts(due, index, workers);
        const expected = Array.from({ length: due }, (_, k) => k).filter((k) => k % workers === index).length;
        assert.equal(owned, expected, `due ${due}, worker ${index}/${workers}`);
        total += owned;
      }
      assert.equal(total, due);
    }
  }
});

test('plannedStarts of a constant plan is rate x duration', () => {
  assert.equal(plannedStarts(compilePlan([{ durationMs: 5000, ratePerSec: 100 }])), 500);
  assert.equal(plannedStarts(compilePlan([{ durationMs: 1000, ratePerSec: 2.5 }])), 3);
});

test('two schedules on one clock start every planned start once, each on its own indices', async () => {
  const plan = compilePlan([{ durationMs: 200, ratePerSec: 1000 }]);
  const t0Ms = performance.now();
  const seen: number[][] = [[], []];
  const lags: number[] = [];
  const runs = [0, 1].map((index) =>
    runSchedule({ plan, index, workers: 2, t0Ms, now: () => performance.now(), onStart: (k, lagMs) => (seen[index]!.push(k), lags.push(lagMs)) }),
  );
  await Promise.all(runs.map((r) => r.finished));
  assert.deepEqual([...seen[0]!, ...seen[1]!].sort((a, b) => a - b), Array.from({ length: 200 }, (_, k) => k));
  assert.ok(seen[0]!.every((k) => k % 2 === 0) && seen[1]!.every((k) => k % 2 === 1));
  assert.ok(lags.every((lag) => lag >= -0.001), 'no start runs ahead of its time');
});

test('stop() ends a schedule early', async () => {
  const plan = compilePlan([{ durationMs: 60_000, ratePerSec: 100 }]);
  let starts = 0;
  const run = runSchedule({ plan, index: 0, workers: 1, t0Ms: performance.now(), now: () => performance.now(), onStart: () => starts++ });
  setTimeout(() => run.stop(), 100);
  await run.finished;
  assert.ok(starts > 0 && starts < 100, `started ${starts}`);
});

test('share() hands out the remainder to the first workers', () => {
  assert.deepEqual([0, 1, 2].map((i) => share(10, 3, i)), [4, 3, 3]);
  assert.deepEqual([0, 1].map((i) => share(1, 2, i)), [1, 0]);
});

test('endpointCycle visits every (source, destination) pair', () => {
  const cycle = endpointCycle(['127.0.0.1', '127.0.0.2'], [{ host: '127.0.0.1', port: 9000 }, { host: '::1', port: 9001 }]);
  assert.deepEqual(cycle.map((e) => `${e.source}>${e.destinationLabel}`), [
    '127.0.0.1>127.0.0.1:9000',
    '127.0.0.2>127.0.0.1:9000',
    '127.0.0.1>[::1]:9001',
    '127.0.0.2>[::1]:9001',
  ]);
});

test('workerConfigs split the pool and maxInFlight, and bind only named sources', () => {
  const resolve = (client: Record<string, unknown>) =>
    resolveScenario(scenarioSchema.parse({ duration: '1s', client: { rate: 10, workers: 2, ...client } })).scenario;
  const pooled = workerConfigs(resolve({ pattern: 'pool', pool: { size: 5 }, maxInFlight: 11 }));
  assert.deepEqual(pooled.map((c) => [c.poolSize, c.poolOffset, c.maxInFlight]), [[3, 0, 6], [2, 3, 5]]);
  assert.equal(pooled[0]!.bindSource, false);
  const bound = workerConfigs(resolve({ sourceAddresses: ['127.0.0.1', '127.0.0.2'] }));
  assert.equal(bound[0]!.bindSource, true);
  assert.deepEqual(bound[0]!.exhaustionCodes, exhaustionCodes(true));
  assert.deepEqual(exhaustionCodes(false), ['EADDRNOTAVAIL']);
});

test('a schedule lasts its plan even when its starts run out early (a tiny rate), and a worker with none waits too', async () => {
  // 0.1/s for 40 ms plans one start, at 0 ms; the clock is the test's, advanced by hand.
  const plan = compilePlan([{ durationMs: 40, ratePerSec: 0.1 }]);
  let nowMs = 0;
  const starts: number[] = [];
  const runs = [0, 1].map((index) => runSchedule({ plan, index, workers: 2, t0Ms: 0, now: () => nowMs, onStart: (k) => starts.push(k) }));
  const done = [false, false];
  runs.forEach((run, i) => void run.finished.then(() => (done[i] = true)));
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.deepEqual(starts, [0]);
  assert.deepEqual(done, [false, false], 'neither schedule ends before the plan does');
  nowMs = 40;
  await Promise.all(runs.map((r) => r.finished));
  assert.deepEqual(starts, [0]);
});
