import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runAutocannon } from '../../../../src/engine/loads/autocannon/load.js';
import { sumErrors } from '../../../../src/metrics/counters.js';
import { freePort, httpWorkerConfig, recordingRuntime, withHttpTarget } from '../../../helpers/http.js';

/** autocannon for ~1 s at 20 requests/s over 2 connections, against the loopback target (or nothing). */
async function run(port: number, pattern: 'churn' | 'pool') {
  const recording = recordingRuntime(
    httpWorkerConfig(port, { load: 'autocannon', pattern, poolSize: 2, durationMs: 1200, stages: [{ durationMs: 1200, ratePerSec: 20 }] }),
  );
  await runAutocannon(recording.runtime).finished;
  return recording.totals();
}

test('churn: every response is counted (autocannon emits none with reconnectRate) and each request had its own connection', async () => {
  await withHttpTarget({}, async (port) => {
    const totals = await run(port, 'churn');
    // Two bursts of 20 (at 0 s and 1 s), give or take the burst the stop cuts.
    assert.ok(totals.requests >= 20 && totals.requests <= 45, `requests ${totals.requests}`);
    // Plus at most one idle connection per client, opened after its last request of a second.
    assert.ok(totals.connected >= totals.requests && totals.connected <= totals.requests + 4, `connected ${totals.connected}`);
    assert.deepEqual(totals.errors, {});
  });
});

test('pool: keep-alive connections are opened once and carry every request', async () => {
  await withHttpTarget({}, async (port) => {
    const totals = await run(port, 'pool');
    assert.equal(totals.attempts, 2);
    assert.equal(totals.connected, 2);
    assert.ok(totals.requests >= 20, `requests ${totals.requests}`);
  });
});

test('failed connects are counted by code and retried at the arrival rate, not in a tight loop', async () => {
  const port = await freePort();
  const totals = await run(port, 'churn');
  assert.equal(totals.connected, 0);
  assert.equal(totals.attempts, sumErrors(totals.errors));
  assert.ok((totals.errors['ECONNREFUSED'] ?? 0) > 0);
  // 20/s for ~1 s; autocannon alone retries as fast as the loop turns (thousands).
  assert.ok(totals.attempts <= 40, `attempts ${totals.attempts}`);
});
