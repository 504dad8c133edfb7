/**
 * The acceptance checks of `portlab run` (issue 3), as a user runs them: ad-hoc flags, the userns lab.
 * Tolerances, not exact timings: the kernel and this shared machine vary.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runJson } from '../helpers/cli.js';
import { assertAccounting } from '../helpers/invariants.js';

const BASE = ['--lab', 'userns', '--port-range', '40000-40199', '--tw-reuse', '0', '--rate', '100', '--duration', '5s'];

test('200 ports, churn, client closes, 100/s: onset near 2 s with ~200 client TIME_WAIT and the prediction beside it', { timeout: 60_000 }, async () => {
  const { summary } = await runJson([...BASE, '--close', 'client']);
  assert.ok(summary.onset, `expected an onset: ${summary.diagnosis}`);
  assert.equal(summary.onset.code, 'EADDRNOTAVAIL');
  assert.ok(summary.onset.atMs > 1500 && summary.onset.atMs < 2600, `onset at ${summary.onset.atMs} ms, expected near 2000`);
  assert.ok(summary.onset.clientTimeWait >= 180 && summary.onset.clientTimeWait <= 200, `client TIME_WAIT at onset ${summary.onset.clientTimeWait}`);
  assert.ok(summary.onset.predictedAtMs !== null && Math.abs(summary.onset.predictedAtMs - 2000) < 1, 'the model predicts 200 / 100/s = 2 s');
  assert.ok((summary.totals.errors['EADDRNOTAVAIL'] ?? 0) > 200, 'EADDRNOTAVAIL counted');
  assert.deepEqual(summary.lab.portRange, { low: 40000, high: 40199, size: 200 });
  assert.equal(summary.lab.sysctls['net.ipv4.tcp_tw_reuse'], '0', 'effective sysctls are read back');
  assert.match(summary.diagnosis, /EADDRNOTAVAIL/);
  assertAccounting(summary);
});

for (const close of ['server', 'reset']) {
  test(`same load with close ${close}: no EADDRNOTAVAIL`, { timeout: 60_000 }, async () => {
    const { summary } = await runJson([...BASE, '--close', close]);
    assert.equal(summary.onset, null, summary.diagnosis);
    assert.equal(summary.totals.errors['EADDRNOTAVAIL'] ?? 0, 0);
    assert.ok(summary.totals.connected >= 450, `connected ${summary.totals.connected} of ~500`);
    assert.ok(summary.peak.clientTimeWait <= 10, `client TIME_WAIT ${summary.peak.clientTimeWait}`);
    if (close === 'server') assert.ok(summary.peak.serverTimeWait >= 50, 'TIME_WAIT moved to the server side');
    else assert.ok(summary.peak.serverTimeWait <= 10, 'RST leaves no TIME_WAIT');
  });
}

test('pool of 10 at 1000 requests/s: no errors, about 10 connections opened', { timeout: 60_000 }, async () => {
  const { summary } = await runJson(['--lab', 'userns', '--pattern', 'pool', '--pool-size', '10', '--rate', '1000', '--duration', '3s']);
  assert.equal(Object.keys(summary.totals.errors).length, 0, JSON.stringify(summary.totals.errors));
  assert.ok(summary.totals.connected >= 10 && summary.totals.connected <= 12, `opened ${summary.totals.connected}`);
  assert.ok(summary.totals.requests >= 2900, `requests ${summary.totals.requests} of ~3000`);
  assert.equal(summary.peak.clientTimeWait, 0);
  assertAccounting(summary);
});

test('maxInFlight bounds concurrency and the skipped starts are counted', { timeout: 60_000 }, async () => {
  // Every response waits 500 ms, so at 100/s about 50 would be in flight; allow 10.
  const { summary } = await runJson(['--lab', 'userns', '--rate', '100', '--duration', '2s', '--response-delay', '500ms', '--max-in-flight', '10', '--workers', '1']);
  assert.ok(summary.totals.skipped > 100, `skipped ${summary.totals.skipped}`);
  assert.ok(summary.totals.attempts < 100, `attempts ${summary.totals.attempts}`);
  const planned = 200;
  assert.ok(Math.abs(summary.totals.attempts + summary.totals.skipped - planned) <= 2, 'every planned start is either attempted or skipped');
});
