import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import {
  createLatencyHistogram,
  decodeHistogram,
  encodeHistogram,
  HIGHEST_TRACKABLE_US,
  mergeEncoded,
  percentiles,
  recordLatencyUs,
} from '../../src/metrics/histogram.js';

function recorded(values: Iterable<number>) {
  const h = createLatencyHistogram();
  for (const v of values) recordLatencyUs(h, v);
  return h;
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

test('percentiles of 1..1000 us are exact (below 2048, 3 digits keep unit resolution)', () => {
  assert.deepEqual(percentiles(recorded(range(1, 1000))), { count: 1000, p50: 500, p90: 900, p99: 990, max: 1000, mean: 500.5 });
});

test('large values keep 3 significant digits', () => {
  const p = percentiles(recorded([1_234_567, 1_234_567, 2_000_000]))!;
  assert.ok(Math.abs(p.p50 - 1_234_567) / 1_234_567 < 0.001, `p50 ${p.p50}`);
  assert.ok(Math.abs(p.max - 2_000_000) / 2_000_000 < 0.001, `max ${p.max}`);
});

test('empty histogram: percentiles null, and it encodes and merges to empty', () => {
  const empty = createLatencyHistogram();
  assert.equal(percentiles(empty), null);
  assert.equal(decodeHistogram(encodeHistogram(empty)).totalCount, 0);
  assert.equal(percentiles(mergeEncoded([])), null);
  assert.equal(percentiles(mergeEncoded(['', encodeHistogram(empty)])), null);
});

test('encode/decode round-trips; merging encoded halves equals recording everything in one', () => {
  const whole = percentiles(recorded(range(1, 1000)));
  const first = encodeHistogram(recorded(range(1, 500)));
  const second = encodeHistogram(recorded(range(501, 1000)));
  assert.equal(typeof first, 'string');
  assert.deepEqual(percentiles(decodeHistogram(first)), percentiles(recorded(range(1, 500))));
  assert.deepEqual(percentiles(mergeEncoded([first, '', second])), whole);
  assert.deepEqual(percentiles(mergeEncoded([second, first])), whole);
});

test('out-of-range values are clamped, not thrown; NaN is ignored', () => {
  const h = recorded([5e9, Number.POSITIVE_INFINITY, -20, Number.NaN, 0.4, 2.6]);
  const p = percentiles(h)!;
  assert.equal(p.count, 5);
  assert.ok(p.max >= HIGHEST_TRACKABLE_US && p.max <= HIGHEST_TRACKABLE_US * 1.001, `max ${p.max}`);
  assert.equal(h.getValueAtPercentile(1), 0, '-20 and 0.4 recorded as 0');
  assert.equal(h.getValueAtPercentile(60), 3, '2.6 rounded to 3');
  assert.equal(percentiles(mergeEncoded([encodeHistogram(h)]))!.count, 5);
});

test('the JS build records and encodes inside a worker thread; the main thread merges', async () => {
  const moduleUrl = new URL('../../src/metrics/histogram.js', import.meta.url).href;
  const source = `
    const { parentPort, workerData } = require('node:worker_threads');
    import(workerData.moduleUrl).then((m) => {
      const h = m.createLatencyHistogram();
      for (let v = workerData.from; v <= workerData.to; v++) m.recordLatencyUs(h, v);
      parentPort.postMessage(m.encodeHistogram(h));
    });`;
  const runWorker = (from: number, to: number) =>
    new Promise<string>((resolve, reject) => {
      const worker = new Worker(source, { eval: true, workerData: { moduleUrl, from, to } });
      worker.once('message', (encoded: string) => {
        resolve(encoded);
        void worker.terminate();
      });
      worker.once('error', reject);
    });
  const parts = await Promise.all([runWorker(1, 400), runWorker(401, 1000)]);
  assert.deepEqual(percentiles(mergeEncoded(parts)), percentiles(recorded(range(1, 1000))));
});
