/**
 * The isolation claim (scenarios/two-containers-isolated.yaml): two docker labs at once each have their
 * own port range and TIME_WAIT table. One exhausts its 200 ports while the other, running at the same
 * time, connects every time and never sees the first one's 200 TIME_WAIT sockets.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runInLab } from '../../../src/run/orchestrate.js';
import { sumErrors } from '../../../src/metrics/counters.js';
import { buildSummary } from '../../../src/run/summary.js';
import { engineOrSkip, noPooling } from './engine.js';

test('two docker labs at once: one exhausts, the other has its own range and TIME_WAIT table', async (t) => {
  const engine = await engineOrSkip(t);
  if (!engine) return;
  const exhausting = noPooling('docker', { range: '40000 40199', ratePerSec: 100 });
  // 30/s for 5 s is 150 connections: fits its own 200 ports, and would not if it shared the first range.
  const neighbour = noPooling('docker', { range: '41000 41199', ratePerSec: 30 });
  const [a, b] = await Promise.all([runInLab(exhausting), runInLab(neighbour)]);
  const first = buildSummary(exhausting, a);
  const second = buildSummary(neighbour, b);

  // Each namespace reads back its own range.
  assert.equal(first.lab.portRange.low, 40000);
  assert.equal(second.lab.portRange.low, 41000);

  assert.ok(first.onset, 'the first lab exhausts');
  assert.ok(first.onset.clientTimeWait >= 180, `first: client TIME_WAIT at onset ${first.onset.clientTimeWait}`);
  assert.ok(first.peak.timeWait >= 180);

  // The second ran across the first one's exhaustion ...
  const lastSecondMs = second.intervals.at(-1)?.tMs ?? 0;
  assert.ok(lastSecondMs > first.onset.atMs, `second lab's last interval ${lastSecondMs} ms, first onset ${first.onset.atMs} ms`);
  // ... without one error ...
  assert.equal(sumErrors(second.totals.errors), 0, JSON.stringify(second.totals.errors));
  assert.equal(second.onset, null);
  assert.ok(second.totals.connected >= 130, `second connected ${second.totals.connected}`);
  // ... and its TIME_WAIT table (sockstat counts every TIME_WAIT in the namespace) held only its own sockets.
  assert.ok(second.peak.timeWait <= second.totals.connected, `second peak TIME_WAIT ${second.peak.timeWait} > its ${second.totals.connected} connections`);
  assert.ok(second.peak.timeWait < first.peak.timeWait);
  t.diagnostic(
    `first: onset ${first.onset.atMs.toFixed(0)} ms, peak TIME_WAIT ${first.peak.timeWait}; second: ${second.totals.connected} connected, 0 errors, peak TIME_WAIT ${second.peak.timeWait}`,
  );
});
