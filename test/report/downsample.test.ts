import { test } from 'node:test';
import assert from 'node:assert/strict';
import { downsample, downsampleValues, type Point } from '../../src/report/downsample.js';
import { intervalWidthsMs, occupancySeries, rateSeries } from '../../src/report/series.js';
import { sparkline } from '../../src/report/sparkline.js';
import { loadFixture, longRun } from './fixture.js';

const series = (n: number, f: (i: number) => number): Point[] => Array.from({ length: n }, (_, i) => ({ x: i, y: f(i) }));

test('max mode keeps a one-point spike, with its own x', () => {
  const points = series(2400, (i) => (i === 1777 ? 500 : i % 3));
  const out = downsample(points, 600, 'max');
  assert.equal(out.length, 600);
  const peak = out.reduce((a, b) => (b.y > a.y ? b : a));
  assert.deepEqual(peak, { x: 1777, y: 500 });
});

test('mean mode averages each bucket', () => {
  const out = downsample(series(8, (i) => i), 4, 'mean');
  assert.deepEqual(out, [{ x: 0.5, y: 0.5 }, { x: 2.5, y: 2.5 }, { x: 4.5, y: 4.5 }, { x: 6.5, y: 6.5 }]);
});

test('short series pass through; uneven lengths still cover every point', () => {
  const short = series(10, (i) => i);
  assert.deepEqual(downsample(short, 600, 'max'), short);
  const out = downsample(series(1001, (i) => (i === 1000 ? 9 : 0)), 600, 'max');
  assert.ok(out.length <= 600);
  assert.equal(Math.max(...out.map((p) => p.y)), 9, 'the last point is in a bucket');
  assert.throws(() => downsample(short, 0, 'max'), RangeError);
});

test('series: rates are per second of each interval, gauges sit at the interval end', async () => {
  const summary = await loadFixture('no-pooling');
  const widths = intervalWidthsMs(summary);
  assert.ok(widths.slice(0, -1).every((w) => w === 250));
  assert.ok(widths.at(-1)! > 0);
  const [attempts, connected, errors] = rateSeries(summary);
  assert.deepEqual(attempts!.points[0], { x: 0.125, y: summary.intervals[0]!.attempts * 4 });
  assert.equal(connected!.points.at(-1)!.y, 0);
  assert.equal(errors!.id, 'error-EADDRNOTAVAIL');
  assert.equal(errors!.points.at(-1)!.y, summary.intervals.at(-1)!.errors.EADDRNOTAVAIL! * 4);
  const clientTw = occupancySeries(summary).find((s) => s.id === 'client-time-wait')!;
  assert.deepEqual(clientTw.points[0], { x: 0.25, y: summary.intervals[0]!.clientTimeWait });
});

test('series of a 10-minute run: at most 600 points, the error burst kept at full height', async () => {
  const summary = longRun(await loadFixture('no-pooling'), 1234, 77);
  const refused = rateSeries(summary).find((s) => s.id === 'error-ECONNREFUSED')!;
  assert.ok(refused.points.length <= 600);
  assert.equal(Math.max(...refused.points.map((p) => p.y)), 77 * 4);
});

test('sparkline: eighths of the max, bucketed by max to the width', () => {
  assert.equal(sparkline([0, 25, 50, 75, 100, 200], { max: 200 }), '▁▁▂▃▄█');
  assert.equal(sparkline([1, 2, 3, 4, 5, 6, 7, 8]), '▁▂▃▄▅▆▇█');
  assert.equal(sparkline([]), '');
  assert.equal(sparkline([0, 0, 0]), '▁▁▁');
  assert.equal(sparkline([500], { max: 200 }), '█', 'clamped');
  const long = sparkline([...Array(1000).fill(0), 8, ...Array(999).fill(0)], { width: 40 });
  assert.equal([...long].length, 40);
  assert.equal([...long].filter((c) => c === '█').length, 1);
  assert.deepEqual(downsampleValues([1, 5, 2, 2], 2, 'max'), [5, 2]);
});
