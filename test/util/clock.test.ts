import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { hrtimeMs, monoMs } from '../../src/util/clock.js';

test('monoMs reads CLOCK_MONOTONIC (as hrtime does) and never goes back', () => {
  const before = hrtimeMs();
  const mono = monoMs();
  const after = hrtimeMs();
  assert.ok(mono >= before - 0.05 && mono <= after + 0.05, `${before} <= ${mono} <= ${after}`);
  let last = monoMs();
  for (let i = 0; i < 10_000; i++) {
    const t = monoMs();
    assert.ok(t >= last);
    last = t;
  }
});

test('a worker thread reads the same clock, despite its own performance.now() origin', async () => {
  const url = new URL('../../src/util/clock.js', import.meta.url).href;
  const code = `import { parentPort } from 'node:worker_threads'; import { hrtimeMs, monoMs } from '${url}';
    const before = hrtimeMs(); const mono = monoMs(); const after = hrtimeMs();
    parentPort.postMessage({ before, mono, after, perf: performance.now() });`;
  const worker = new Worker(new URL(`data:text/javascript,${encodeURIComponent(code)}`));
  const got = await new Promise<{ before: number; mono: number; after: number; perf: number }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  await worker.terminate();
  assert.ok(got.mono >= got.before - 0.05 && got.mono <= got.after + 0.05, JSON.stringify(got));
  assert.ok(Math.abs(got.perf - got.mono) > 1, 'the worker performance.now() alone is on another axis');
});
