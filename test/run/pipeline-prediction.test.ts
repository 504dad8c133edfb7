/**
 * The prediction a run makes after its lab read the sysctls back: which values become the model's inputs,
 * and what it predicts from them. The lab's read-back values decide, not the scenario's wishes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PredictInput } from '../../src/model/types.js';
import { predictInputFor, predictRun } from '../../src/run/prediction.js';
import { exhaustingTicks, labScenario, readBackSysctls, summaryOf } from '../helpers/driver-events.js';

const NO_POOLING = labScenario('no-pooling', '{ pattern: churn, close: client, rate: 100/s }');

const RANGE = { low: 40000, high: 40199, size: 200 };

/** 10 s at 10/s, then a ramp from 10/s to 300/s over 10 s, on 200 ports. */
const RAMP = labScenario('ramp', '{ pattern: churn, close: client, stages: [{ duration: 10s, rate: 10/s }, { duration: 10s, rate: 300/s }] }', {
  duration: '20s',
});

test('the model\'s inputs come from the sysctls the lab read back', () => {
  assert.deepEqual(predictInputFor(NO_POOLING, readBackSysctls(NO_POOLING), RANGE), {
    ratePerSec: 100,
    portRange: RANGE,
    timeWaitMs: 60_000,
    destinations: 1,
    sourceAddresses: 1,
    boundSources: false,
    poolSize: undefined,
    closer: 'client',
    twReuse: false,
    twReuseLoopbackOnly: false,
    twReuseDelayMs: 1000,
    tcpTimestamps: true,
    maxTwBuckets: 131072,
    finTimeoutSec: undefined,
  });
});

test('tcp_tw_reuse=1 read back in the lab turns reuse on: the 2 s onset becomes none', () => {
  const off = predictRun(NO_POOLING, readBackSysctls(NO_POOLING), RANGE);
  assert.equal(off.input.twReuse, false);
  assert.ok(Math.abs(off.onsetMs! - 2000) < 1e-3, `onset ${off.onsetMs}`);

  const on = predictRun(NO_POOLING, readBackSysctls(NO_POOLING, { 'net.ipv4.tcp_tw_reuse': '1' }), RANGE);
  assert.equal(on.input.twReuse, true);
  assert.equal(on.input.twReuseLoopbackOnly, false);
  // A port comes back 1 s after its close: 100/s needs 100 of the 200 ports.
  assert.equal(on.onsetMs, null);
  assert.equal(on.prediction.exhausts, false);
  assert.equal(on.prediction.portsNeeded, 100);
  assert.equal(on.prediction.maxSustainableRatePerSec, 200);
});

test('on a ramp, tcp_tw_reuse=1 moves the predicted onset from 12.3 s to 17.05 s', () => {
  // Without reuse a port is held 60 s: 100 starts in the first 10 s, then 10 t + 14.5 t^2 more in the ramp;
  // 200 is passed at t = (sqrt(5900) - 10) / 29 = 2.30384 s into the ramp.
  const off = predictRun(RAMP, readBackSysctls(RAMP), RANGE);
  assert.ok(Math.abs(off.onsetMs! - 12_303.84) < 0.01, `onset without reuse ${off.onsetMs}`);
  // With reuse a port is held 1 s: the starts of the last second, 29 t - 4.5, pass 200 at t = 204.5 / 29 = 7.05172 s.
  const on = predictRun(RAMP, readBackSysctls(RAMP, { 'net.ipv4.tcp_tw_reuse': '1' }), RANGE);
  assert.ok(Math.abs(on.onsetMs! - 17_051.72) < 0.01, `onset with reuse ${on.onsetMs}`);
  // A shorter reuse delay holds fewer ports: 500 ms lets the ramp run to its end (300/s x 0.5 s = 150 ports).
  const fast = predictRun(RAMP, readBackSysctls(RAMP, { 'net.ipv4.tcp_tw_reuse': '1', 'net.ipv4.tcp_tw_reuse_delay': '500' }), RANGE);
  assert.equal(fast.input.twReuseDelayMs, 500);
  assert.equal(fast.onsetMs, null);
});

test('reuse needs timestamps: tcp_timestamps=0 read back keeps the 2 s onset', () => {
  const run = predictRun(NO_POOLING, readBackSysctls(NO_POOLING, { 'net.ipv4.tcp_tw_reuse': '1', 'net.ipv4.tcp_timestamps': '0' }), RANGE);
  assert.equal(run.input.tcpTimestamps, false);
  assert.ok(Math.abs(run.onsetMs! - 2000) < 1e-3, `onset ${run.onsetMs}`);
  assert.ok(run.prediction.notes.includes('tcp_tw_reuse needs TCP timestamps on both ends; with tcp_timestamps=0 it does nothing.'));
});

test('tcp_max_tw_buckets at or below the ports read back: no onset predicted', () => {
  const run = predictRun(NO_POOLING, readBackSysctls(NO_POOLING, { 'net.ipv4.tcp_max_tw_buckets': '200' }), RANGE);
  assert.equal(run.input.maxTwBuckets, 200);
  assert.equal(run.onsetMs, null);
  const above = predictRun(NO_POOLING, readBackSysctls(NO_POOLING, { 'net.ipv4.tcp_max_tw_buckets': '201' }), RANGE);
  assert.ok(Math.abs(above.onsetMs! - 2000) < 1e-3, `onset ${above.onsetMs}`);
});

test('the summary carries the prediction made from the read-back reuse: the measured onset was "predicted none"', () => {
  const summary = summaryOf({
    scenario: NO_POOLING,
    sysctls: { 'net.ipv4.tcp_tw_reuse': '1' },
    ticks: exhaustingTicks(20, 25, 200),
    onset: { atMs: 2104.2, code: 'EADDRNOTAVAIL', clientTimeWait: 200, portsInUse: 200, timeWait: 200 },
  });
  assert.equal(summary.onset?.predictedAtMs, null);
  assert.equal(
    summary.diagnosis,
    'connect() failed with EADDRNOTAVAIL from 2.1s (the model predicted none; 300 failures): the client closes first, so each ' +
      'connection kept its port in TIME_WAIT for 60 s, and 200 client sockets in TIME_WAIT (200 ports in use) had used up the ' +
      '200 ports (40000-40199) at 100/s. Reuse connections (a keep-alive pool), spread over more destinations or source ' +
      'addresses, or stay under 200/s.',
  );
});

test('bound sources: destinations stop multiplying, sources do', () => {
  const tuplesOf = (client: string): Pick<PredictInput, 'destinations' | 'sourceAddresses' | 'boundSources'> => {
    const scenario = labScenario('tuples', client, { more: 'target: { ports: [9000, 9001] }' });
    const { destinations, sourceAddresses, boundSources } = predictInputFor(scenario, readBackSysctls(scenario), RANGE);
    return { destinations, sourceAddresses, boundSources };
  };
  assert.deepEqual(tuplesOf('{ sourceAddresses: [127.0.0.2, 127.0.0.3, 127.0.0.2], destinations: ["127.0.0.1:9000", "127.0.0.1:9001"], rate: 100/s }'), {
    destinations: 1,
    sourceAddresses: 2,
    boundSources: true,
  });
  assert.deepEqual(tuplesOf('{ destinations: ["127.0.0.1:9000", "127.0.0.1:9001", "127.0.0.1:9000"], rate: 100/s }'), {
    destinations: 2,
    sourceAddresses: 1,
    boundSources: false,
  });
});

test('the peak of a ramp is the model\'s rate; a pool\'s size is its ports', () => {
  assert.equal(predictInputFor(RAMP, readBackSysctls(RAMP), RANGE).ratePerSec, 300);
  const pool = labScenario('pool', '{ pattern: pool, rate: 100/s, pool: { size: 12 } }');
  const run = predictRun(pool, readBackSysctls(pool), RANGE);
  assert.equal(run.input.poolSize, 12);
  assert.equal(run.onsetMs, null);
  const big = labScenario('big-pool', '{ pattern: pool, rate: 100/s, pool: { size: 201 } }');
  // One connection more than the 200 ports: the pool fails as it fills.
  assert.equal(predictRun(big, readBackSysctls(big), RANGE).onsetMs, 0);
});
